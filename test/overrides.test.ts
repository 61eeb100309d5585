/** Configuration `overrides`: per-path rule settings, validated with clear errors. */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { parseConfig } from '../src/config.js';
import { FIXTURES, runCliIn } from './helpers.js';

describe('overrides', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-overrides-'));
  for (const env of ['staging', 'prod']) {
    mkdirSync(path.join(dir, env));
    cpSync(path.join(FIXTURES, 'demo', 'order-worker.yaml'), path.join(dir, env, 'order-worker.yaml'));
    cpSync(path.join(FIXTURES, 'demo', 'postgres.yaml'), path.join(dir, env, 'postgres.yaml'));
    cpSync(path.join(FIXTURES, 'demo', 'namespace.yaml'), path.join(dir, env, 'namespace.yaml'));
  }
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const findings = async (config: string, paths = ['staging', 'prod']) => {
    writeFileSync(path.join(dir, '.kubewire.yaml'), config);
    const result = await runCliIn(dir, [...paths, '-f', 'json']);
    assert.notEqual(result.code, 2, result.stderr);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; file: string; severity: string }[] };
    return report.findings.map((f) => `${f.file} ${f.ruleId} ${f.severity}`);
  };

  it('without overrides both copies report the same', async () => {
    const all = await findings('{}\n');
    assert.ok(all.includes('staging/postgres.yaml probe-port-unresolved error'), all.join('\n'));
    assert.ok(all.includes('prod/postgres.yaml probe-port-unresolved error'));
  });

  it('an override turns a rule off or changes its severity for the files it matches; later entries win', async () => {
    const all = await findings(
      [
        'overrides:',
        '  - files: ["staging/**"]',
        '    rules: {probe-port-unresolved: off, secret-ref-missing: warning}',
        '  - files: ["staging/order-*.yaml"]',
        '    rules: {secret-ref-missing: info}',
        '',
      ].join('\n'),
    );
    assert.ok(!all.some((f) => f.startsWith('staging/postgres.yaml probe-port-unresolved')), all.join('\n'));
    assert.ok(all.includes('prod/postgres.yaml probe-port-unresolved error'));
    assert.ok(all.includes('staging/order-worker.yaml secret-ref-missing info'), all.join('\n'));
    assert.ok(all.includes('prod/order-worker.yaml secret-ref-missing error'));
  });

  it('a rule off at the top level runs only where an override turns it on', async () => {
    const all = await findings(
      [
        'rules: {probe-port-unresolved: off}',
        'overrides:',
        '  - files: ["prod/**"]',
        '    rules: {probe-port-unresolved: warning}',
        '',
      ].join('\n'),
    );
    assert.ok(all.includes('prod/postgres.yaml probe-port-unresolved warning'), all.join('\n'));
    assert.ok(!all.some((f) => f.startsWith('staging/postgres.yaml probe-port-unresolved')));
    // The SARIF rule list includes the rule, since it ran.
    const sarif = await runCliIn(dir, ['staging', 'prod', '-f', 'sarif']);
    assert.match(sarif.stdout, /"id": "probe-port-unresolved"/);
  });

  it('is validated by the configuration schema, with positions and suggestions', () => {
    const ids = rules.map((r) => r.id);
    const bad = parseConfig(
      '.kubewire.yaml',
      [
        'overrides:',
        '  - files: []',
        '    rules: {probe-port-unresolvd: off}',
        '  - rules: {}',
        '    fies: [x]',
        '',
      ].join('\n'),
      ids,
    );
    if (bad.ok) assert.fail('the configuration is invalid');
    const messages = bad.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
    assert.ok(
      messages.some((m) => /^2:\d+ `overrides.0.files` must NOT have fewer than 1 items/.test(m)),
      messages.join('\n'),
    );
    assert.ok(
      messages.some((m) => m.startsWith('5:5 unknown setting `fies`; did you mean `files`?')),
      messages.join('\n'),
    );
    const unknown = parseConfig('c.yaml', 'overrides:\n  - files: [a]\n    rules: {probe-port-unresolvd: off}\n', ids);
    assert.deepEqual(unknown.ok ? [] : unknown.errors.map((e) => `${e.line}:${e.column} ${e.message}`), [
      '3:13 unknown rule `probe-port-unresolvd`; did you mean `probe-port-unresolved`? (`kubewire rules` lists them)',
    ]);
  });
});
