/**
 * Findings' structured suggestions (Finding.suggestion): how a guess is written as YAML, and, over every
 * rule fixture, that each did-you-mean carries an edit that, applied, makes the finding go away.
 */
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lint, scalarReplacement } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import { formatJson } from '../src/format/json.js';
import type { Finding, Source } from '../src/types.js';
import { FIXTURES, lintText, listFiles, rule, sourcesFrom } from './helpers.js';

describe('scalarReplacement', () => {
  it('keeps the quotes of the text it replaces', () => {
    assert.equal(scalarReplacement('web-confg', 'web-config'), 'web-config');
    assert.equal(scalarReplacement('"web-confg"', 'web-config'), '"web-config"');
    assert.equal(scalarReplacement("'web-confg'", 'web-config'), "'web-config'");
    assert.equal(scalarReplacement("'x'", "it's"), "'it''s'");
    assert.equal(scalarReplacement('"x"', 'a"b'), '"a\\"b"');
  });

  it('writes numbers bare and quotes strings YAML would read as another type', () => {
    assert.equal(scalarReplacement('8081', 8080), '8080');
    assert.equal(scalarReplacement('"8081"', 8080), '8080');
    assert.equal(scalarReplacement('htp', '8080'), '"8080"');
    assert.equal(scalarReplacement('ys', 'yes'), '"yes"');
    assert.equal(scalarReplacement('nul', 'null'), '"null"');
    assert.equal(scalarReplacement('x', 'a: b'), '"a: b"');
    assert.equal(scalarReplacement('x', 'Europe/Berlin'), 'Europe/Berlin');
  });

  it('refuses what is not a one-line scalar', () => {
    for (const written of [
      '',
      '|\n  text',
      '>-',
      '[a, b]',
      '{a: b}',
      '&anchor x',
      '*alias',
      '!!str x',
      'a\nb',
      '"open',
    ])
      assert.equal(scalarReplacement(written, 'x'), undefined, written);
  });
});

function applyEdits(text: string, findings: readonly Finding[]): string {
  const lines = text.split('\n');
  // From the end, so that earlier ranges stay valid; every suggestion is on one line.
  const sorted = [...findings].sort((a, b) => {
    const sa = a.suggestion;
    const sb = b.suggestion;
    return (sb?.line ?? 0) - (sa?.line ?? 0) || (sb?.column ?? 0) - (sa?.column ?? 0);
  });
  let last: { line: number; column: number } | undefined;
  for (const f of sorted) {
    const s = f.suggestion;
    if (s === undefined) continue;
    assert.equal(s.line, s.endLine, 'a suggestion spans one line');
    // Two findings may suggest the same edit (the same field seen by two rules).
    if (last?.line === s.line && last.column === s.column) continue;
    last = { line: s.line, column: s.column };
    const line = lines[s.line - 1] ?? '';
    lines[s.line - 1] = line.slice(0, s.column - 1) + s.replacement + line.slice(s.endColumn - 1);
  }
  return lines.join('\n');
}

describe('suggestions of the rule fixtures', () => {
  const base = path.join(FIXTURES, 'rules');
  const ruleIds = readdirSync(base).filter((d) => statSync(path.join(base, d)).isDirectory());
  let total = 0;
  for (const ruleId of ruleIds) {
    const dir = path.join(base, ruleId);
    const cases = readdirSync(dir).filter((e) => !e.endsWith('.expect') && !e.startsWith('.'));
    for (const entry of cases) {
      const full = path.join(dir, entry);
      const files = statSync(full).isDirectory()
        ? listFiles(full)
            .filter((f) => /\.(ya?ml|json)$/.test(f) && !f.startsWith('.kubewire'))
            .map((f) => path.join(entry, f))
        : [entry];
      const sources = sourcesFrom(dir, files);
      const result = lint(sources, { rules: [rule(ruleId)] });
      const guessed = result.findings.filter((f) => /did you mean `[^`]+`\?/.test(f.message));
      if (guessed.length === 0) continue;
      it(`${ruleId}/${entry}: every did-you-mean is an edit that clears its finding`, () => {
        total += guessed.length;
        for (const f of guessed) {
          assert.ok(f.suggestion, `${f.file}:${String(f.line)} ${f.message} has no suggestion`);
          const meant = /did you mean `([^`]+)`\?/.exec(f.message)?.[1];
          assert.equal(f.suggestion.replacement.replace(/^(["'])(.*)\1$/, '$2'), meant, f.message);
        }
        const fixed: Source[] = sources.map((s) => {
          const own = guessed.filter((f) => f.file === s.path);
          return own.length === 0 ? s : createSource(s.path, applyEdits(s.text, own));
        });
        const after = lint(fixed, { rules: [rule(ruleId)] }).findings;
        // The finding is gone (the fix may uncover another problem of the same field, as a typo hid it).
        for (const f of guessed) {
          const still = after.find(
            (a) => a.file === f.file && a.line === f.line && a.column === f.column && a.message === f.message,
          );
          assert.equal(still, undefined, `${f.file}:${String(f.line)} still: ${still?.message ?? ''}`);
        }
      });
    }
  }
  it('covers suggestions of several rules', () => {
    // Counted by the tests above, which run first.
    assert.ok(total >= 30, `only ${String(total)} suggestions checked`);
  });
});

describe('the suggestion in the JSON output', () => {
  it('is the edit, for a value and for an unknown field', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata:',
      '  name: p',
      'spec:',
      '  containers:',
      '    - name: c',
      '      image: nginx:1.27',
      '      imagePullPolicy: "ifNotPresent"',
      '      volumeMounts:',
      '        - name: confg',
      '          mountPath: /etc/c',
      '  volumes:',
      '    - name: config',
      '      emptyDir: {}',
      '  nodeselector: {}',
      '',
    ].join('\n');
    const result = lintText(text, ['volume-invalid', 'schema-invalid', 'unknown-field']);
    const json = JSON.parse(
      formatJson({
        findings: result.findings,
        summary: { files: 1, objects: 1, errors: 0, warnings: 0, infos: 0 },
        texts: new Map(),
      }),
    ) as { findings: { ruleId: string; suggestion?: unknown }[] };
    const byRule = Object.fromEntries(json.findings.map((f) => [f.ruleId, f.suggestion]));
    assert.deepEqual(byRule['volume-invalid'], {
      replacement: 'config',
      line: 11,
      column: 17,
      endLine: 11,
      endColumn: 22,
    });
    assert.deepEqual(byRule['schema-invalid'], {
      replacement: '"IfNotPresent"',
      line: 9,
      column: 24,
      endLine: 9,
      endColumn: 38,
    });
    assert.deepEqual(byRule['unknown-field'], {
      replacement: 'nodeSelector',
      line: 16,
      column: 3,
      endLine: 16,
      endColumn: 15,
    });
  });
});
