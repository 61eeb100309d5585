/**
 * Smoke test over the shared corpus of real manifests (../shared/corpus, skipped when absent): each
 * source repository is linted in one run from its own root, as its owner would, and so are the test
 * fixtures of kube-linter, kube-score and kubeconform (hostile on purpose). No run may fail
 * internally; every report must be valid JSON (version 1) whose findings point at files that exist.
 * Nothing is asserted about which findings appear: that is the fixtures' job.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../src/cli/main.js';
import { SHARED } from './helpers.js';

const CORPUS = path.join(SHARED, 'corpus');
const skip = !existsSync(CORPUS) && 'shared corpus absent';

interface Report {
  version: number;
  findings: {
    ruleId: string;
    severity: string;
    file: string;
    line: number;
    column: number;
    related: { file: string; line: number }[];
  }[];
  summary: { files: number; objects: number; errors: number; warnings: number; infos: number };
}

/** The folders to lint, each relative to the corpus: one per real source, then the tools' fixtures. */
function folders(): string[] {
  if (skip) return [];
  const real = path.join(CORPUS, 'real');
  const sources = existsSync(real)
    ? readdirSync(real)
        .filter((name) => statSync(path.join(real, name)).isDirectory())
        .sort()
        .map((name) => `real/${name}`)
    : [];
  const fixtures = [
    'kube-linter/fixtures',
    'kube-score/testdata',
    'kubeconform/fixtures',
    'kubeconform/scripts-fixtures',
  ].filter((f) => existsSync(path.join(CORPUS, f)));
  return [...sources, ...fixtures];
}

describe('shared corpus smoke test', () => {
  const list = folders();

  it('has folders to lint', { skip }, () => {
    assert.ok(list.length > 0);
  });

  for (const folder of list) {
    it(`lints ${folder}`, { skip }, async (t) => {
      const cwd = path.join(CORPUS, folder);
      let stdout = '';
      let stderr = '';
      const code = await main(['.', '--format', 'json'], {
        cwd,
        env: {},
        stdout: { write: (s: string) => (stdout += s), isTTY: false },
        stderr: { write: (s: string) => (stderr += s) },
        readStdin: () => Promise.resolve(new Uint8Array()),
      });
      assert.doesNotMatch(stderr, /internal error/, stderr);
      assert.ok(code === 0 || code === 1, `exit code ${code}; stderr: ${stderr}`);
      const report = JSON.parse(stdout) as Report;
      assert.equal(report.version, 1);
      assert.ok(Array.isArray(report.findings));
      const files = new Set<string>();
      for (const f of report.findings) {
        files.add(f.file);
        for (const r of f.related) files.add(r.file);
        assert.ok(f.line >= 1 && f.column >= 1, `${f.file}:${f.line}:${f.column} ${f.ruleId}`);
      }
      for (const file of files)
        assert.ok(existsSync(path.resolve(cwd, file)), `finding in a file that does not exist: ${file}`);
      assert.equal(code, report.summary.errors > 0 ? 1 : 0);
      const s = report.summary;
      t.diagnostic(
        `${s.files} files, ${s.objects} objects: ${s.errors} errors, ${s.warnings} warnings, ${s.infos} infos`,
      );
    });
  }
});
