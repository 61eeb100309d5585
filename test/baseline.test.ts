/** Baselines: --write-baseline records the findings, --baseline leaves them out, across unrelated edits. */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import type * as Sarif from 'sarif';
import { FIXTURES, runCliIn } from './helpers.js';
import { sarifSchemaErrors } from './sarif-schemas.js';

const kubewire = runCliIn;

describe('baselines', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-baseline-'));
  cpSync(path.join(FIXTURES, 'demo'), dir, { recursive: true });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const edit = (file: string, change: (text: string) => string) => {
    writeFileSync(path.join(dir, file), change(readFileSync(path.join(dir, file), 'utf8')));
  };

  it('--write-baseline records every finding and the run passes', async () => {
    const result = await kubewire(dir, ['.', '--write-baseline', '.kubewire-baseline.json']);
    assert.equal(result.code, 0);
    assert.equal(result.stderr, 'kubewire: recorded 16 findings in the baseline .kubewire-baseline.json\n');
    assert.equal(result.stdout, '✔ no problems (9 files, 19 objects)\n');
    const written = JSON.parse(readFileSync(path.join(dir, '.kubewire-baseline.json'), 'utf8')) as {
      findings: { ruleId: string; file: string; object: string; fingerprint: string }[];
    };
    assert.equal(written.findings.length, 16);
    const duplicate = written.findings.find((f) => f.ruleId === 'duplicate-object');
    assert.deepEqual(duplicate, {
      ...duplicate,
      ruleId: 'duplicate-object',
      file: 'cart.yaml',
      object: 'ConfigMap shop/shop-config',
    });
  });

  it('--baseline leaves the recorded findings out, also after unrelated lines moved', async () => {
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.yaml')))
      edit(file, (text) => `# a header added later\n# over two lines\n${text.replace(/\n\n/g, '\n\n\n')}`);
    const result = await kubewire(dir, ['.', '--baseline', '.kubewire-baseline.json']);
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, '✔ no problems (9 files, 19 objects)\n');
    assert.equal(result.code, 0);
  });

  it('reports a new finding, and notes the entry that no longer matches', async () => {
    edit('order-worker.yaml', (text) => text.replace('key: password', 'key: passwd'));
    const result = await kubewire(dir, ['.', '--baseline', '.kubewire-baseline.json', '-f', 'json']);
    assert.equal(result.code, 1);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; message: string }[] };
    assert.equal(report.findings.length, 1);
    assert.match(report.findings[0]!.message, /reads key `passwd`/);
    assert.match(
      result.stderr,
      /note: 1 entry of the baseline \.kubewire-baseline\.json no longer matches any finding/,
    );
    assert.match(result.stderr, /order-worker\.yaml:43 {2}secret-ref-missing {2}Deployment shop\/order-worker/);
    assert.match(result.stderr, /shrink the baseline with --write-baseline \.kubewire-baseline\.json/);
  });

  it('SARIF marks new results and includes the accepted ones as suppressed', async () => {
    const result = await kubewire(dir, ['.', '--baseline', '.kubewire-baseline.json', '-f', 'sarif']);
    const log = JSON.parse(result.stdout) as Sarif.Log;
    assert.deepEqual(sarifSchemaErrors(log), [], 'baselineState and suppressions are valid SARIF');
    const results = log.runs[0]!.results!;
    assert.deepEqual(
      results.map((r) => r.baselineState),
      ['new', ...Array<string>(15).fill('unchanged')],
    );
    assert.equal(results[1]!.suppressions![0]!.kind, 'external');
  });

  it('with --context, only entries of the given files can be stale', async () => {
    const result = await kubewire(dir, ['--context', '.', 'cart.yaml', '--baseline', '.kubewire-baseline.json']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
  });

  it('a missing or malformed baseline is a usage error', async () => {
    const missing = await kubewire(dir, ['.', '--baseline', 'nope.json']);
    assert.equal(missing.code, 2);
    assert.match(
      missing.stderr,
      /cannot read the baseline nope\.json: no such file \(create it with --write-baseline\)/,
    );
    writeFileSync(path.join(dir, 'bad.json'), '{"findings": 3}');
    const bad = await kubewire(dir, ['cart.yaml', '--baseline', 'bad.json']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /the baseline bad\.json is not a kubewire baseline/);
  });
});
