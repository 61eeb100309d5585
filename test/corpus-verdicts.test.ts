/**
 * The verdicts of test-fixtures/corpus-verdicts.tsv hold: a finding judged wrong on the shared corpus never
 * comes back (those still reported, marked `TODO:` in their reason, are listed as todo). Skipped when
 * ../shared is absent. `npm run corpus-review` prints the findings that have no verdict yet.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CORPUS_REAL, lintCorpus, readVerdicts, verdictKey } from '../scripts/corpus-review.js';

const skip = !existsSync(CORPUS_REAL) && 'shared corpus absent';

describe('corpus verdicts', () => {
  const verdicts = readVerdicts();

  it('reads the verdict file', () => {
    assert.ok(verdicts.length > 0);
    for (const v of verdicts) assert.ok(v.reason.trim() !== '', `${v.rule} ${v.file}:${String(v.line)} has no reason`);
  });

  it('never reports again a finding judged wrong', { skip }, async (t) => {
    const findings = await lintCorpus();
    const reported = new Set(
      findings.filter((f) => f.severity !== 'info').map((f) => verdictKey(f.ruleId, f.file, f.line)),
    );
    const wrong = verdicts.filter((v) => v.verdict === 'wrong');
    const back = wrong.filter((v) => reported.has(verdictKey(v.rule, v.file, v.line)));
    const known = back.filter((v) => v.reason.startsWith('TODO:'));
    for (const v of known) t.diagnostic(`todo: ${v.rule} ${v.file}:${String(v.line)}: ${v.reason}`);
    const regressions = back.filter((v) => !v.reason.startsWith('TODO:'));
    assert.deepEqual(
      regressions.map((v) => `${v.rule} ${v.file}:${String(v.line)}: ${v.reason}`),
      [],
      'findings judged wrong are reported again',
    );
  });

  it('has no verdict marked TODO whose finding is gone (remove the TODO once fixed)', { skip }, async () => {
    const findings = await lintCorpus();
    const reported = new Set(findings.map((f) => verdictKey(f.ruleId, f.file, f.line)));
    const stale = verdicts.filter(
      (v) => v.reason.startsWith('TODO:') && !reported.has(verdictKey(v.rule, v.file, v.line)),
    );
    assert.deepEqual(stale, []);
  });
});
