/**
 * The peers' own fixtures as a yardstick: every check that kubewire shares with kube-linter or kube-score
 * is listed in test-fixtures/peers/checks.tsv (one line per check and rule). For each line, the peer's
 * fixture (in ../shared/corpus/<peer>/, never copied here) is linted with the rule alone, and the objects
 * the rule reports must be exactly those the peer reports: kubewire fires where the peer fires and stays
 * silent where it does, except for the deliberate disagreements of the "Fixture disagreements" table in
 * docs/peers.md, each with its reason. The test also keeps docs/peers.md current: every check of the table
 * must be mapped to its rule there, and every documented disagreement must still be one.
 *
 * Skipped when the shared corpus is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import { WORKLOAD_KINDS } from '../src/model/k8s.js';
import { FIXTURES, ROOT, SHARED } from './helpers.js';

const CORPUS = path.join(SHARED, 'corpus');
const present = existsSync(path.join(CORPUS, 'kube-linter')) && existsSync(path.join(CORPUS, 'kube-score'));
const TABLE = path.join(FIXTURES, 'peers', 'checks.tsv');
const PEERS_DOC = path.join(ROOT, 'docs', 'peers.md');

export interface Mapping {
  peer: string;
  check: string;
  rule: string;
  fixture: string;
  subjects: readonly string[];
  expectation: string;
  line: number;
}

export interface Disagreement {
  peer: string;
  check: string;
  rule: string;
  fixture: string;
  /** `Kind/name` */
  object: string;
  /** What kubewire does there: fires or stays silent. */
  kubewire: 'fires' | 'silent';
  reason: string;
}

export function readMappings(text: string): Mapping[] {
  return text.split('\n').flatMap((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return [];
    const cells = raw.split('\t');
    assert.equal(cells.length, 6, `checks.tsv:${String(i + 1)}: six tab-separated columns expected`);
    const [peer = '', check = '', rule = '', fixture = '', subjects = '', expectation = ''] = cells;
    return [
      {
        peer,
        check,
        rule,
        fixture,
        subjects: subjects === 'workloads' ? WORKLOAD_KINDS : subjects.split(','),
        expectation,
        line: i + 1,
      },
    ];
  });
}

/** The rows of the "Fixture disagreements" table: | peer | check | rule | fixture | object | kubewire | reason |. */
export function readDisagreements(markdown: string): Disagreement[] {
  const start = markdown.indexOf('## Fixture disagreements');
  if (start < 0) return [];
  const section = markdown.slice(start).split('\n## ')[0] ?? '';
  const strip = (cell: string) => cell.trim().replace(/^`|`$/g, '');
  return section.split('\n').flatMap((row) => {
    if (!row.startsWith('|') || /^\|\s*(peer|---)/.test(row)) return [];
    const cells = row.split('|').slice(1, -1);
    const [peer = '', check = '', rule = '', fixture = '', object = '', kubewire = '', reason = ''] = cells.map(strip);
    assert.ok(kubewire === 'fires' || kubewire === 'silent', `docs/peers.md disagreement row: ${row}`);
    return [{ peer, check, rule, fixture, object, kubewire, reason: reason.trim() }];
  });
}

/** The subjects of a fixture (`Kind/name`), in file order. */
function subjectsOf(text: string, kinds: readonly string[]): string[] {
  const out: string[] = [];
  for (const doc of parseAllDocuments(text)) {
    const value: unknown = doc.toJS();
    if (typeof value !== 'object' || value === null) continue;
    const o = value as { kind?: unknown; metadata?: { name?: unknown } };
    if (typeof o.kind === 'string' && kinds.includes(o.kind) && typeof o.metadata?.name === 'string')
      out.push(`${o.kind}/${o.metadata.name}`);
  }
  return out;
}

function expectedFiring(m: Mapping, subjects: readonly string[]): Set<string> {
  if (m.expectation === 'silent') return new Set();
  if (m.expectation === 'by-name') return new Set(subjects.filter((s) => !/\/dont-fire/.test(s)));
  assert.ok(m.expectation.startsWith('fires:'), `checks.tsv:${String(m.line)}: unknown expectation`);
  const listed = m.expectation.slice('fires:'.length).split(',');
  for (const s of listed) assert.ok(subjects.includes(s), `checks.tsv:${String(m.line)}: ${s} is not in the fixture`);
  return new Set(listed);
}

describe('peers: kube-linter and kube-score fixtures', { skip: present ? false : 'no ../shared/corpus' }, () => {
  const mappings = present ? readMappings(readFileSync(TABLE, 'utf8')) : [];
  const doc = readFileSync(PEERS_DOC, 'utf8');
  const disagreements = readDisagreements(doc);

  it('the table names known rules, and docs/peers.md maps every check to its rule', () => {
    const ids = new Set(rules.map((r) => r.id));
    const rows = doc.split('\n').filter((l) => l.startsWith('|'));
    for (const m of mappings) {
      assert.ok(ids.has(m.rule), `checks.tsv:${String(m.line)}: unknown rule ${m.rule}`);
      assert.ok(
        rows.some((r) => r.includes(`\`${m.check}\``) && r.includes(`rules/${m.rule}.md`)),
        `docs/peers.md maps no \`${m.check}\` (${m.peer}) to ${m.rule}`,
      );
    }
  });

  it('every documented disagreement belongs to a line of the table', () => {
    for (const d of disagreements) {
      assert.ok(d.reason.length > 20, `${d.check} ${d.object}: give the reason`);
      assert.ok(
        mappings.some((m) => m.peer === d.peer && m.check === d.check && m.rule === d.rule && m.fixture === d.fixture),
        `docs/peers.md disagreement on ${d.peer} ${d.check} → ${d.rule} (${d.fixture}) has no line in checks.tsv`,
      );
    }
  });

  for (const m of mappings) {
    it(`${m.peer} ${m.check} → ${m.rule} (${path.basename(m.fixture)})`, () => {
      const rule = rules.find((r) => r.id === m.rule);
      assert.ok(rule, m.rule);
      const file = path.join(CORPUS, m.peer, m.fixture);
      const text = readFileSync(file, 'utf8');
      const subjects = subjectsOf(text, m.subjects);
      const expected = expectedFiring(m, subjects);
      for (const d of disagreements) {
        if (d.peer !== m.peer || d.check !== m.check || d.rule !== m.rule || d.fixture !== m.fixture) continue;
        assert.ok(subjects.includes(d.object), `disagreement on ${d.object}: not a subject of ${m.fixture}`);
        assert.notEqual(expected.has(d.object), d.kubewire === 'fires', `${d.object}: not a disagreement`);
        if (d.kubewire === 'fires') expected.add(d.object);
        else expected.delete(d.object);
      }
      const result = lint([createSource(path.basename(file), text)], { rules: [rule] });
      const fired = new Set(
        result.findings.flatMap((f) =>
          f.ruleId === m.rule && f.object !== null && subjects.includes(`${f.object.kind}/${f.object.name}`)
            ? [`${f.object.kind}/${f.object.name}`]
            : [],
        ),
      );
      assert.deepEqual(
        [...fired].sort(),
        [...expected].sort(),
        `${m.rule} on ${m.fixture}: fired on the left, ${m.peer} ${m.check} (with the documented disagreements) ` +
          'on the right',
      );
    });
  }
});
