/**
 * Golden files: the CLI's stylish (plain and coloured) and JSON output on the demo application and on
 * a folder of broken input. Set UPDATE_GOLDEN=1 (`npm run golden`) to rewrite them after an
 * intended change, and review the diff.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertGolden, runCli } from './helpers.js';

const run = runCli;

const golden = assertGolden;

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
