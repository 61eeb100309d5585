/**
 * Golden files: the CLI's stylish (plain and coloured) and JSON output on the demo application and on
 * a folder of broken input. Set UPDATE_GOLDEN=1 (`npm run golden`) to rewrite them after an
 * intended change, and review the diff.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { main } from '../src/cli/main.js';
import { FIXTURES, ROOT } from './helpers.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd: ROOT,
    env,
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: () => Promise.resolve(new Uint8Array()),
  });
  return { code, stdout, stderr };
}

function golden(name: string, actual: string): void {
  const file = path.join(FIXTURES, 'golden', name);
  if (UPDATE || !existsSync(file)) {
    if (!UPDATE) assert.fail(`golden file ${name} is missing: run npm run golden`);
    writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, readFileSync(file, 'utf8'), `output differs from ${name} (npm run golden rewrites it)`);
}

const cases: { name: string; args: string[]; env?: Record<string, string>; exit: number }[] = [
  { name: 'demo.stylish.txt', args: ['test-fixtures/demo', '--no-color'], exit: 1 },
  { name: 'demo.stylish-color.txt', args: ['test-fixtures/demo', '--color'], exit: 1 },
  { name: 'demo.json', args: ['test-fixtures/demo', '--format', 'json'], exit: 1 },
  { name: 'demo.quiet.txt', args: ['test-fixtures/demo', '--quiet', '--no-color'], exit: 1 },
  { name: 'broken.stylish.txt', args: ['test-fixtures/cli/broken', '--no-color'], exit: 1 },
  { name: 'broken.json', args: ['test-fixtures/cli/broken', '-f', 'json'], exit: 1 },
  { name: 'rules.txt', args: ['rules'], exit: 0 },
];

describe('golden outputs', () => {
  for (const c of cases) {
    it(`kubewire ${c.args.join(' ')}`, async () => {
      const result = await run(c.args, c.env);
      assert.equal(result.stderr, '');
      assert.equal(result.code, c.exit);
      golden(c.name, result.stdout);
    });
  }

  it('output is identical across runs (determinism)', async () => {
    const a = await run(['test-fixtures/demo', '-f', 'json']);
    const b = await run(['test-fixtures/demo', '-f', 'json']);
    assert.equal(a.stdout, b.stdout);
  });
});
