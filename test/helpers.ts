/** Shared test helpers: repository paths and linting files from disk. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../rules/index.js';
import type { Rule } from '../src/api.js';
import { runCaptured } from '../src/cli/capture.js';
import type { CliRun } from '../src/cli/capture.js';
import { lint } from '../src/engine.js';
import type { LintResult } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import type { Source } from '../src/types.js';

/** The repository root (tests run from dist/test). */
export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const FIXTURES = path.join(ROOT, 'test-fixtures');
export const SHARED = path.resolve(ROOT, '..', 'shared');

export function rule(id: string): Rule {
  const found = rules.find((r) => r.id === id);
  if (!found) throw new Error(`no rule ${id}`);
  return found;
}

/** All files below a folder, sorted, as paths relative to `base`. */
export function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...listFiles(full, base));
    else out.push(path.relative(base, full));
  }
  return out;
}

/** Read files as Sources named by their path relative to `base`. */
export function sourcesFrom(base: string, files: readonly string[]): Source[] {
  return files.map((f) => createSource(f.split(path.sep).join('/'), readFileSync(path.join(base, f))));
}

export function lintText(text: string, ruleIds?: readonly string[], file = 'test.yaml'): LintResult {
  const selected = ruleIds === undefined ? rules : ruleIds.map(rule);
  return lint([createSource(file, text)], { rules: selected });
}

export type { CliRun } from '../src/cli/capture.js';

/** Run the CLI in-process from the repository root, capturing its output. */
export async function runCli(args: readonly string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCaptured(args, ROOT, env);
}

/** Run the CLI in-process from a folder, capturing its output. */
export async function runCliIn(cwd: string, args: readonly string[]): Promise<CliRun> {
  return runCaptured(args, cwd, {});
}

/**
 * Compare an output with test-fixtures/golden/<name>. With UPDATE_GOLDEN=1 (`npm run golden`) the
 * file is rewritten instead: review the diff.
 */
export function assertGolden(name: string, actual: string): void {
  const file = path.join(FIXTURES, 'golden', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  assert.ok(existsSync(file), `golden file ${name} is missing: run npm run golden`);
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from ${name} (npm run golden rewrites it)`);
}
