/**
 * The rule harness: every file under test-fixtures/rules/<rule-id>/ is linted with that rule, and
 * its findings must be exactly those written beside the offending lines:
 *
 *   targetPort: http   # expect: service-target-port
 *   port: 8081         # expect: probe-port-unresolved(warning) "did you mean"
 *   # expect-next-line: yaml-syntax
 *
 * An expectation names the rule, optionally the severity in parentheses, the column after `@`, and a
 * substring of the message in double quotes; several are separated by commas. A sub-folder is one
 * case whose files are linted together (cross-file fixtures). A file without expectations asserts
 * that the rule stays silent on it.
 *
 * A fixture that cannot hold comments (UTF-16, binary, invalid UTF-8) takes its expectations from a
 * sidecar file named after it plus `.expect` (`utf16.yaml.expect`), one line per expected line:
 *
 *   1: file-unreadable(error) "UTF-16"
 *
 * in the same item syntax; blank lines and lines starting with `#` are ignored. Sidecars add to the
 * inline expectations and are never linted themselves.
 *
 * A fixture that states the right behaviour for a known, reported bug carries a comment line
 * `# fixture-todo: BUG (src/…): what is wrong`: its case still runs but is reported as todo, so it
 * does not fail the suite. Remove the line with the fix.
 *
 * Fixtures are linted without a configuration, unless a case sub-folder holds a `.kubewire.yaml`:
 * that file is parsed like the real one (`parseConfig`), its `cluster:` section is what the case's
 * cluster declares (namespaces, storage classes, objects), its `rules:` are the rule settings, its
 * `kubernetesVersion:` the targeted version, its `namespace:` the namespace of objects that set none, and its `crds:` (files relative to the case folder) the
 * CRD files read for schemas. It is never linted itself, and an invalid one fails the case.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { CONFIG_FILE_NAMES, EMPTY_CONFIG, parseConfig } from '../src/config.js';
import type { KubewireConfig } from '../src/config.js';
import { lint } from '../src/engine.js';
import type { Finding, Source } from '../src/types.js';
import { FIXTURES, listFiles, rule, sourcesFrom } from './helpers.js';
import { settingsForRuleTests } from '../src/presets.js';

interface Expectation {
  file: string;
  line: number;
  ruleId: string;
  severity: string | undefined;
  column: number | undefined;
  text: string | undefined;
}

const EXPECT = /#\s*expect(-next-line)?:\s*(.+)$/;
const ITEM = /^\s*([a-z0-9-]+)(?:\((error|warning|info)\))?(?:@(\d+))?(?:\s+"((?:[^"\\]|\\.)*)")?\s*(?:,|$)/;

/** Read the comma-separated items of one expectation; `where` names its origin in errors. */
function parseItems(file: string, line: number, items: string, where: string): Expectation[] {
  const out: Expectation[] = [];
  let rest = items;
  while (rest.trim() !== '') {
    const item = ITEM.exec(rest);
    if (!item) throw new Error(`${where}: cannot read expectation "${rest}"`);
    out.push({
      file,
      line,
      ruleId: item[1] ?? '',
      severity: item[2],
      column: item[3] === undefined ? undefined : Number(item[3]),
      text: item[4]?.replace(/\\(.)/g, '$1'),
    });
    rest = rest.slice(item[0].length);
  }
  return out;
}

export function parseExpectations(file: string, text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((lineText, i) => {
    const m = EXPECT.exec(lineText);
    if (!m) return;
    out.push(...parseItems(file, m[1] ? i + 2 : i + 1, m[2] ?? '', `${file}:${i + 1}`));
  });
  return out;
}

export const SIDECAR = '.expect';
const TODO = /^#\s*fixture-todo:\s*(.+)$/m;

/** Expectations of a sidecar file (`<line>: <items>` per line) for the fixture `file`. */
export function parseSidecar(file: string, text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((lineText, i) => {
    const trimmed = lineText.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const m = /^(\d+):\s*(.+)$/.exec(trimmed);
    if (!m) throw new Error(`${file}${SIDECAR}:${i + 1}: expected "<line>: <expectations>", got "${trimmed}"`);
    out.push(...parseItems(file, Number(m[1]), m[2] ?? '', `${file}${SIDECAR}:${i + 1}`));
  });
  return out;
}

/** Inline and sidecar expectations of the fixture files of one case. */
function caseExpectations(dir: string, sources: readonly Source[]): Expectation[] {
  return sources.flatMap((s) => {
    const sidecar = path.join(dir, `${s.path}${SIDECAR}`);
    const extra = existsSync(sidecar) ? parseSidecar(s.path, readFileSync(sidecar, 'utf8')) : [];
    return [...parseExpectations(s.path, s.text), ...extra];
  });
}

/** The configuration of a case: its `.kubewire.yaml` (at the top of a case sub-folder), or none. */
function caseConfig(dir: string, entry: string): KubewireConfig {
  const name = CONFIG_FILE_NAMES.find((n) => existsSync(path.join(dir, entry, n)));
  if (name === undefined) return EMPTY_CONFIG;
  const file = path.join(entry, name);
  const parsed = parseConfig(
    file,
    readFileSync(path.join(dir, file), 'utf8'),
    rules.map((r) => r.id),
  );
  if (!parsed.ok)
    throw new Error(`${file}: ${parsed.errors.map((e) => `${e.line}:${e.column} ${e.message}`).join('; ')}`);
  return parsed.config;
}

function describeFinding(f: Finding): string {
  return `${f.file}:${f.line}:${f.column} ${f.ruleId}(${f.severity}) ${f.message}`;
}

function matches(e: Expectation, f: Finding): boolean {
  return (
    e.file === f.file &&
    e.line === f.line &&
    e.ruleId === f.ruleId &&
    (e.severity === undefined || e.severity === f.severity) &&
    (e.column === undefined || e.column === f.column) &&
    (e.text === undefined || f.message.includes(e.text))
  );
}

/** Compare findings with expectations; returns the problems as lines. */
function compare(expectations: Expectation[], findings: Finding[]): string[] {
  const unmatched = [...findings];
  const problems: string[] = [];
  for (const e of expectations) {
    const index = unmatched.findIndex((f) => matches(e, f));
    if (index === -1) {
      const near = findings.filter((f) => f.file === e.file && f.ruleId === e.ruleId).map(describeFinding);
      problems.push(
        `missing: ${e.file}:${e.line} ${e.ruleId}${e.severity ? `(${e.severity})` : ''}${e.text ? ` "${e.text}"` : ''}${near.length > 0 ? `\n    found instead: ${near.join('\n    ')}` : ''}`,
      );
    } else {
      unmatched.splice(index, 1);
    }
  }
  for (const f of unmatched) problems.push(`unexpected: ${describeFinding(f)}`);
  return problems;
}

const ruleDirs = readdirSync(path.join(FIXTURES, 'rules'))
  .filter((d) => statSync(path.join(FIXTURES, 'rules', d)).isDirectory())
  .sort();

describe('rule fixtures', () => {
  it('every rule has a fixture folder, and every folder is a rule', () => {
    assert.deepEqual(ruleDirs, rules.map((r) => r.id).sort());
  });

  for (const ruleId of ruleDirs) {
    describe(ruleId, () => {
      const dir = path.join(FIXTURES, 'rules', ruleId);
      const cases = readdirSync(dir)
        .filter((entry) => !entry.endsWith(SIDECAR))
        .sort();
      let expected = 0;
      for (const entry of cases) {
        const full = path.join(dir, entry);
        const isCase = statSync(full).isDirectory();
        const notLinted = (f: string) => f.endsWith(SIDECAR) || (CONFIG_FILE_NAMES as readonly string[]).includes(f);
        const files = isCase
          ? listFiles(full)
              .filter((f) => !notLinted(f))
              .map((f) => path.join(entry, f))
          : [entry];
        const todo = files
          .map((f) => TODO.exec(readFileSync(path.join(dir, f), 'utf8'))?.[1])
          .find((t) => t !== undefined);
        it(entry, todo === undefined ? {} : { todo }, () => {
          const sources = sourcesFrom(dir, files);
          const expectations = caseExpectations(dir, sources);
          expected += expectations.length;
          for (const e of expectations)
            assert.equal(e.ruleId, ruleId, `${e.file}:${e.line}: fixtures of ${ruleId} may only expect ${ruleId}`);
          const config = isCase ? caseConfig(dir, entry) : EMPTY_CONFIG;
          // `crds:` of a case's configuration: files relative to the case folder, read but not linted.
          const crdSources = isCase ? sourcesFrom(full, config.crds) : [];
          const result = lint(sources, {
            rules: [rule(ruleId)],
            cluster: config.cluster,
            ruleSettings: settingsForRuleTests(rule(ruleId), config.preset, config.rules),
            kubernetesVersion: config.kubernetesVersion,
            crdSources,
            namespace: config.namespace,
          });
          assert.deepEqual(result.ruleFailures, []);
          const problems = compare(expectations, result.findings);
          assert.ok(problems.length === 0, `\n${problems.join('\n')}`);
        });
      }
      it('has at least one expected finding', () => {
        assert.ok(expected > 0, `the fixtures of ${ruleId} expect no finding at all`);
      });
    });
  }
});

describe('fixture harness', () => {
  it('reads expectations with severity, column, message and next-line forms', () => {
    const text = 'a: 1 # expect: x-rule(warning)@4 "did you mean \\"b\\"", y-rule\n# expect-next-line: z-rule\nb: 2\n';
    const parsed = parseExpectations('f.yaml', text);
    assert.deepEqual(
      parsed.map((e) => [e.line, e.ruleId, e.severity, e.column, e.text]),
      [
        [1, 'x-rule', 'warning', 4, 'did you mean "b"'],
        [1, 'y-rule', undefined, undefined, undefined],
        [3, 'z-rule', undefined, undefined, undefined],
      ],
    );
  });

  it('reads sidecar expectations, skipping blank and comment lines', () => {
    const parsed = parseSidecar(
      'utf16.yaml',
      '# UTF-16 cannot hold comments\n\n1: file-unreadable(error)@1 "UTF-16", other-rule\n12: x-rule\n',
    );
    assert.deepEqual(
      parsed.map((e) => [e.file, e.line, e.ruleId, e.severity, e.column, e.text]),
      [
        ['utf16.yaml', 1, 'file-unreadable', 'error', 1, 'UTF-16'],
        ['utf16.yaml', 1, 'other-rule', undefined, undefined, undefined],
        ['utf16.yaml', 12, 'x-rule', undefined, undefined, undefined],
      ],
    );
    assert.throws(() => parseSidecar('f.yaml', 'file-unreadable\n'), /expected "<line>: <expectations>"/);
  });

  it('every sidecar belongs to a fixture file', () => {
    for (const ruleId of ruleDirs) {
      const dir = path.join(FIXTURES, 'rules', ruleId);
      for (const f of listFiles(dir).filter((name) => name.endsWith(SIDECAR))) {
        assert.ok(
          existsSync(path.join(dir, f.slice(0, -SIDECAR.length))),
          `${ruleId}/${f} has no fixture ${f.slice(0, -SIDECAR.length)}`,
        );
      }
    }
  });

  it('reports missing, extra and misplaced findings', () => {
    const finding = (line: number): Finding => ({
      ruleId: 'r',
      category: 'probes',
      severity: 'error',
      message: 'm',
      file: 'f',
      line,
      column: 1,
      endLine: line,
      endColumn: 2,
      object: null,
      related: [],
    });
    const expectation = (line: number): Expectation => ({
      file: 'f',
      line,
      ruleId: 'r',
      severity: undefined,
      column: undefined,
      text: undefined,
    });
    assert.deepEqual(compare([expectation(1)], [finding(1)]), []);
    assert.equal(compare([expectation(1)], []).length, 1);
    assert.equal(compare([], [finding(1)]).length, 1);
    assert.equal(compare([expectation(2)], [finding(1)]).length, 2);
  });

  it('fixture files are never empty', () => {
    for (const ruleId of ruleDirs) {
      for (const f of listFiles(path.join(FIXTURES, 'rules', ruleId))) {
        assert.ok(
          readFileSync(path.join(FIXTURES, 'rules', ruleId, f), 'utf8').trim() !== '' || f.includes('empty'),
          `${ruleId}/${f} is empty`,
        );
      }
    }
  });
});
