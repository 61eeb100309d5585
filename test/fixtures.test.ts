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
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine.js';
import type { Finding } from '../src/types.js';
import { FIXTURES, listFiles, rule, sourcesFrom } from './helpers.js';

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

export function parseExpectations(file: string, text: string): Expectation[] {
  const out: Expectation[] = [];
  text.split('\n').forEach((lineText, i) => {
    const m = EXPECT.exec(lineText);
    if (!m) return;
    const line = m[1] ? i + 2 : i + 1;
    let rest = m[2] ?? '';
    while (rest.trim() !== '') {
      const item = ITEM.exec(rest);
      if (!item) throw new Error(`${file}:${i + 1}: cannot read expectation "${rest}"`);
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
  });
  return out;
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
      problems.push(`missing: ${e.file}:${e.line} ${e.ruleId}${e.severity ? `(${e.severity})` : ''}${e.text ? ` "${e.text}"` : ''}${near.length > 0 ? `\n    found instead: ${near.join('\n    ')}` : ''}`);
    } else {
      unmatched.splice(index, 1);
    }
  }
  for (const f of unmatched) problems.push(`unexpected: ${describeFinding(f)}`);
  return problems;
}

const ruleDirs = readdirSync(path.join(FIXTURES, 'rules')).filter((d) => statSync(path.join(FIXTURES, 'rules', d)).isDirectory()).sort();

describe('rule fixtures', () => {
  it('every rule has a fixture folder, and every folder is a rule', () => {
    assert.deepEqual(ruleDirs, rules.map((r) => r.id).sort());
  });

  for (const ruleId of ruleDirs) {
    describe(ruleId, () => {
      const dir = path.join(FIXTURES, 'rules', ruleId);
      const cases = readdirSync(dir).sort();
      let expected = 0;
      for (const entry of cases) {
        const full = path.join(dir, entry);
        const files = statSync(full).isDirectory() ? listFiles(full).map((f) => path.join(entry, f)) : [entry];
        it(entry, () => {
          const sources = sourcesFrom(dir, files);
          const expectations = sources.flatMap((s) => parseExpectations(s.path, s.text));
          expected += expectations.length;
          for (const e of expectations) assert.equal(e.ruleId, ruleId, `${e.file}:${e.line}: fixtures of ${ruleId} may only expect ${ruleId}`);
          const result = lint(sources, { rules: [rule(ruleId)] });
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

  it('reports missing, extra and misplaced findings', () => {
    const finding = (line: number): Finding => ({ ruleId: 'r', category: 'probes', severity: 'error', message: 'm', file: 'f', line, column: 1, endLine: line, endColumn: 2, object: null, related: [] });
    const expectation = (line: number): Expectation => ({ file: 'f', line, ruleId: 'r', severity: undefined, column: undefined, text: undefined });
    assert.deepEqual(compare([expectation(1)], [finding(1)]), []);
    assert.equal(compare([expectation(1)], []).length, 1);
    assert.equal(compare([], [finding(1)]).length, 1);
    assert.equal(compare([expectation(2)], [finding(1)]).length, 2);
  });

  it('fixture files are never empty', () => {
    for (const ruleId of ruleDirs) {
      for (const f of listFiles(path.join(FIXTURES, 'rules', ruleId))) {
        assert.ok(readFileSync(path.join(FIXTURES, 'rules', ruleId, f), 'utf8').trim() !== '' || f.includes('empty'), `${ruleId}/${f} is empty`);
      }
    }
  });
});
