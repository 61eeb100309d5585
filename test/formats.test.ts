/**
 * The CI formats (sarif, github, junit, gitlab): golden files on the demo and on broken input, SARIF
 * validated against the SARIF 2.1.0 JSON schema, escaping, well-formed XML, and fingerprints that do not
 * move when unrelated lines do.
 *
 * The SARIF schemas (the final OASIS 2.1.0 schema and the rtm.5 draft, with their packages and licences)
 * are described in sarif-schemas.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
// fast-xml-parser marks XMLValidator deprecated in favour of a separate package; it still checks well-formedness.
import { XMLValidator } from 'fast-xml-parser';
import type * as Sarif from 'sarif';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine.js';
import { fingerprints } from '../src/format/fingerprint.js';
import { escapeData, escapeProperty, formatGithub } from '../src/format/github.js';
import { formatGitlab } from '../src/format/gitlab.js';
import { formatJson, jsonChunks } from '../src/format/json.js';
import { escapeXml, formatJunit } from '../src/format/junit.js';
import { formatSarif } from '../src/format/sarif.js';
import { summarize } from '../src/format/summary.js';
import { createSource } from '../src/load/source.js';
import type { Finding } from '../src/types.js';
import { writeOutput } from '../src/cli/input.js';
import { TOOL } from '../src/cli/report.js';
import { assertGolden, runCli } from './helpers.js';
import { FINAL_SCHEMA_MISSING, sarifSchemaErrors, validateFinal } from './sarif-schemas.js';
import { onByDefault } from '../src/presets.js';

// eslint-disable-next-line @typescript-eslint/no-deprecated
const wellFormed = (xml: string) => XMLValidator.validate(xml);

function assertValidSarif(text: string): Sarif.Log {
  const log = JSON.parse(text) as Sarif.Log;
  assert.deepEqual(sarifSchemaErrors(log), [], 'SARIF matches the 2.1.0 schemas');
  // What GitHub code scanning requires beyond the schema.
  const run = log.runs[0]!;
  assert.equal(log.runs.length, 1);
  assert.ok(run.tool.driver.rules && run.tool.driver.rules.length > 0);
  for (const rule of run.tool.driver.rules) {
    assert.ok(rule.shortDescription?.text && rule.fullDescription?.text && rule.help?.text && rule.help.markdown);
    assert.match(rule.helpUri ?? '', /^https:\/\/.+\/docs\/rules\/[a-z0-9-]+\.md$/);
    assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration?.level ?? ''));
  }
  for (const result of run.results ?? []) {
    const index = result.ruleIndex!;
    assert.equal(run.tool.driver.rules[index]?.id, result.ruleId);
    assert.ok(result.message.text);
    const location = result.locations?.[0]?.physicalLocation;
    assert.ok(location?.artifactLocation?.uri, 'every result has a file');
    assert.ok(!location.artifactLocation.uri.startsWith('/'));
    const region = location.region!;
    assert.ok(region.startLine! >= 1 && region.startColumn! >= 1 && region.endLine! >= region.startLine!);
    assert.ok(region.endColumn! >= 1);
    assert.match(Object.values(result.partialFingerprints ?? {})[0] ?? '', /^[0-9a-f]{32}$/);
  }
  return log;
}

const cases = [
  { name: 'demo.sarif', args: ['test-fixtures/demo', '-f', 'sarif'] },
  { name: 'demo.github.txt', args: ['test-fixtures/demo', '-f', 'github'] },
  { name: 'demo.junit.xml', args: ['test-fixtures/demo', '-f', 'junit'] },
  { name: 'demo.gitlab.json', args: ['test-fixtures/demo', '-f', 'gitlab'] },
  { name: 'broken.sarif', args: ['test-fixtures/cli/broken', '-f', 'sarif'] },
  { name: 'broken.github.txt', args: ['test-fixtures/cli/broken', '-f', 'github'] },
  { name: 'broken.junit.xml', args: ['test-fixtures/cli/broken', '-f', 'junit'] },
  { name: 'broken.gitlab.json', args: ['test-fixtures/cli/broken', '-f', 'gitlab'] },
];

describe('the final OASIS SARIF 2.1.0 schema', { skip: FINAL_SCHEMA_MISSING }, () => {
  it('is the final draft-07 schema, and it rejects what SARIF forbids', () => {
    const validate = validateFinal!;
    const minimal = { version: '2.1.0', runs: [{ tool: { driver: { name: 'kubewire' } }, results: [] }] };
    assert.equal(validate(minimal), undefined);
    assert.match(validate({ ...minimal, version: '2.1.0-rtm.5' }) ?? '', /allowed values/);
    const badLevel = {
      ...minimal,
      runs: [{ ...minimal.runs[0], results: [{ message: { text: 'x' }, level: 'info' }] }],
    };
    assert.match(validate(badLevel) ?? '', /level/);
    const badRegion = {
      ...minimal,
      runs: [
        {
          ...minimal.runs[0],
          results: [
            {
              message: { text: 'x' },
              locations: [{ physicalLocation: { artifactLocation: { uri: 'a.yaml' }, region: { startLine: 0 } } }],
            },
          ],
        },
      ],
    };
    assert.match(validate(badRegion) ?? '', /startLine/);
  });
});

describe('CI formats: golden files', () => {
  for (const c of cases) {
    it(`kubewire ${c.args.join(' ')}`, async () => {
      const result = await runCli(c.args);
      assert.equal(result.stderr, '');
      assert.equal(result.code, 1, 'the exit code does not depend on the format');
      assertGolden(c.name, result.stdout);
      if (c.name.endsWith('.sarif')) assertValidSarif(result.stdout);
      if (c.name.endsWith('.xml')) assert.equal(wellFormed(result.stdout), true);
      if (c.name.endsWith('.gitlab.json')) {
        const issues = JSON.parse(result.stdout) as { fingerprint: string; severity: string }[];
        assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length, 'fingerprints are unique');
        for (const i of issues) assert.ok(['info', 'minor', 'major'].includes(i.severity));
      }
    });
  }
});

describe('SARIF', () => {
  it('the schema check rejects what GitHub rejects (a 0 line, a missing message)', () => {
    const region = { startLine: 0 };
    const bad = {
      version: '2.1.0',
      runs: [{ tool: { driver: { name: 'x' } }, results: [{ locations: [{ physicalLocation: { region } }] }] }],
    };
    const errors = sarifSchemaErrors(bad);
    assert.match(errors[0] ?? '', /^rtm\.5 draft schema: /);
    if (FINAL_SCHEMA_MISSING === false) assert.match(errors[1] ?? '', /^final OASIS schema: /);
  });

  it('lists every rule that ran (not the rules turned off) with ruleIndex pointing at it', async () => {
    const all = assertValidSarif((await runCli(['test-fixtures/demo', '-f', 'sarif'])).stdout);
    // Rules that are off by default (only a preset turns them on) did not run.
    assert.equal(all.runs[0]!.tool.driver.rules!.length, rules.filter(onByDefault).length);
    assert.equal(all.runs[0]!.tool.driver.name, 'kubewire');
    const text = (await runCli(['test-fixtures/demo', '-f', 'sarif', '-c', 'test-fixtures/formats/rules-off.yaml']))
      .stdout;
    const log = assertValidSarif(text);
    const ids = log.runs[0]!.tool.driver.rules!.map((r) => r.id);
    assert.ok(!ids.includes('readiness-probe-missing'));
    assert.equal(ids.length, rules.filter(onByDefault).length - 1);
    const duplicate = log.runs[0]!.tool.driver.rules!.find((r) => r.id === 'duplicate-object');
    assert.equal(duplicate?.defaultConfiguration?.level, 'error', 'the configured severity');
  });

  it('is valid for findings without an object, odd file names and an empty result list', () => {
    const findings: Finding[] = [
      {
        ruleId: 'yaml-syntax',
        category: 'syntax',
        severity: 'error',
        message: 'a "quoted" message\nwith a newline',
        file: 'dir with space/ä,b:c.yaml',
        line: 3,
        column: 1,
        endLine: 3,
        endColumn: 1,
        object: null,
        related: [],
      },
    ];
    const input = { findings, summary: summarize(findings, 1, 0), texts: new Map<string, string>() };
    const options = { tool: TOOL, rules: rules.map((rule) => ({ rule, severity: rule.severity })) };
    const log = assertValidSarif(formatSarif(input, options));
    const location = log.runs[0]!.results![0]!.locations![0]!.physicalLocation!;
    assert.equal(location.artifactLocation!.uri, 'dir%20with%20space/%C3%A4%2Cb%3Ac.yaml');
    assert.equal(location.artifactLocation!.uriBaseId, '%SRCROOT%');
    assert.equal(location.region!.endColumn, 2, 'a zero-width range covers one column');
    assertValidSarif(formatSarif({ ...input, findings: [], summary: summarize([], 0, 0) }, options));
  });
});

describe('github workflow commands', () => {
  it('escapes messages and properties as the runner requires', () => {
    assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%'), 'a%3Ab%2Cc%25');
    const findings: Finding[] = [
      {
        ruleId: 'x',
        category: 'wiring',
        severity: 'info',
        message: 'see: 50%, then\nmore',
        file: 'a,b:c.yaml',
        line: 1,
        column: 2,
        endLine: 1,
        endColumn: 5,
        object: null,
        related: [{ file: 'other.yaml', line: 4, column: 3, endLine: 4, endColumn: 9, message: 'the other end' }],
      },
    ];
    const out = formatGithub({ findings, summary: summarize(findings, 1, 0), texts: new Map() });
    assert.equal(
      out,
      '::notice file=a%2Cb%3Ac.yaml,line=1,col=2,endLine=1,endColumn=5,title=kubewire(x)::' +
        'see: 50%25, then%0Amore%0A↳ other.yaml:4:3 the other end\n',
    );
  });
});

describe('junit', () => {
  it('escapes XML and removes characters XML cannot hold', () => {
    assert.equal(escapeXml('<a href="x">&\'\u0001</a>'), '&lt;a href=&quot;x&quot;&gt;&amp;&apos;\uFFFD&lt;/a&gt;');
    const findings: Finding[] = [
      {
        ruleId: 'yaml-syntax',
        category: 'syntax',
        severity: 'error',
        message: 'bad <thing> & \u0007 bell',
        file: 'x.yaml',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 2,
        object: null,
        related: [],
      },
    ];
    const xml = formatJunit({ findings, summary: summarize(findings, 1, 0), texts: new Map() }, [
      { path: 'x.yaml', objects: [] },
      { path: 'clean.yaml', objects: [{ apiVersion: 'v1', kind: 'Namespace', namespace: null, name: 'shop' }] },
    ]);
    assert.equal(wellFormed(xml), true);
    assert.match(xml, /<testcase name="\(file\)" classname="x.yaml">/);
    assert.match(xml, /<testcase name="Namespace shop" classname="clean.yaml"\/>/);
    assert.match(xml, /<testsuites name="kubewire" tests="2" failures="1" errors="0">/);
  });
});

describe('fingerprints', () => {
  const deployment = (before: string, port: string) =>
    `${before}apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - {name: http, containerPort: 8080}
          readinessProbe:
            httpGet: {path: /, port: ${port}}
          livenessProbe:
            httpGet: {path: /healthz, port: ${port}}
`;
  const prints = (text: string) => {
    const source = createSource('web.yaml', text);
    const result = lint([source], { rules });
    const found = result.findings.filter((f) => f.ruleId === 'probe-port-unresolved');
    assert.equal(found.length, 2);
    return fingerprints(found, new Map([['web.yaml', text]]));
  };

  it('stay the same when unrelated lines move and differ for each finding', () => {
    const base = prints(deployment('', 'htp'));
    assert.notEqual(base[0], base[1], 'two findings, two fingerprints');
    const moved = prints(deployment('# a comment\n# and another one\n\n', 'htp'));
    assert.deepEqual(moved, base);
  });

  it('change when the offending value changes', () => {
    assert.notDeepEqual(prints(deployment('', 'web')), prints(deployment('', 'htp')));
  });
});

describe('every format is a pure function of the findings', () => {
  it('gives the same output twice', () => {
    const findings: Finding[] = [];
    const input = { findings, summary: summarize(findings, 0, 0), texts: new Map<string, string>() };
    assert.equal(formatGitlab(input), '[]\n');
    assert.equal(formatGithub(input), '');
  });
});

describe('JSON in pieces (written without building the whole report)', () => {
  const finding = (n: number, extra: Partial<Finding> = {}): Finding => ({
    ruleId: 'service-target-port',
    category: 'wiring',
    severity: 'error',
    message: `port «${String(n)}»\nnot "found"`,
    file: `dir/f${String(n)}.yaml`,
    line: n,
    column: 3,
    endLine: n,
    endColumn: 9,
    object: { apiVersion: 'v1', kind: 'Service', namespace: 'default', name: `s${String(n)}` },
    related: [{ file: 'dir/d.yaml', line: 2, column: 5, endLine: 2, endColumn: 7, message: 'here' }],
    ...extra,
  });
  const cases: Finding[][] = [
    [],
    [finding(1)],
    [
      finding(1, { suggestion: { replacement: '"http"', line: 1, column: 3, endLine: 1, endColumn: 9 } }),
      finding(2, { related: [] }),
      { ...finding(3), object: null },
    ],
  ];
  it('are exactly JSON.stringify of the contract, two-space indented, with a final newline', () => {
    for (const findings of cases) {
      const text = formatJson({ findings, summary: summarize(findings, 3, 2), texts: new Map() });
      assert.equal([...jsonChunks({ findings, summary: summarize(findings, 3, 2), texts: new Map() })].join(''), text);
      const parsed = JSON.parse(text) as { version: number; findings: Record<string, unknown>[] };
      assert.equal(text, `${JSON.stringify(parsed, null, 2)}\n`);
      assert.deepEqual(Object.keys(parsed), ['version', 'findings', 'summary']);
      assert.equal(parsed.findings.length, findings.length);
      for (const f of parsed.findings) {
        const keys = ['ruleId', 'category', 'severity', 'message', 'file', 'line', 'column', 'endLine', 'endColumn'];
        assert.deepEqual(Object.keys(f), [...keys, 'object', 'related', ...('suggestion' in f ? ['suggestion'] : [])]);
        for (const r of f.related as Record<string, unknown>[])
          assert.deepEqual(Object.keys(r), ['file', 'line', 'column', 'message'], 'related: the contract fields only');
      }
    }
  });

  it('reach a file and standard output whole, across the parts they are written in', async () => {
    const pieces = Array.from({ length: 3000 }, (_, i) => `${String(i).padStart(6, '0')}${'é'.repeat(994)}\n`);
    const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-json-pieces-'));
    try {
      let stdout = '';
      const io = {
        cwd: dir,
        env: {},
        stdout: { write: (t: string) => (stdout += t) },
        stderr: { write: () => true },
        readStdin: () => Promise.resolve(new Uint8Array()),
      };
      await writeOutput(pieces, 'out/report.json', io);
      await writeOutput(pieces, undefined, io);
      assert.equal(readFileSync(path.join(dir, 'out', 'report.json'), 'utf8'), pieces.join(''));
      assert.equal(stdout, pieces.join(''));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
