/** Presets (`extends: kubewire:recommended|strict|all`) and rules that are off by default. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { parseConfig } from '../src/config.js';
import { lint } from '../src/engine.js';
import { formatRulesJson, formatRulesTable } from '../src/format/rules.js';
import { createSource } from '../src/load/source.js';
import { effectiveRuleSettings, onByDefault, presetSetting, settingSeverity } from '../src/presets.js';
import { rule, runCliIn } from './helpers.js';

const ids = rules.map((r) => r.id);

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: ghcr.io/example-shop/web:3.2.0
`;

describe('presets', () => {
  it('are read from `extends:`, and an unknown preset is refused with the list', () => {
    const strict = parseConfig('.kubewire.yaml', 'extends: kubewire:strict\n', ids);
    assert.ok(strict.ok);
    assert.equal(strict.config.preset, 'strict');
    assert.equal(strict.config.cluster.podSecurity, 'restricted');
    assert.equal(strict.config.cluster.podSecurityFrom, 'extends: kubewire:strict');
    const none = parseConfig('.kubewire.yaml', 'rules: {}\n', ids);
    assert.ok(none.ok);
    assert.equal(none.config.preset, 'recommended');
    assert.equal(none.config.cluster.podSecurity, undefined);
    const bad = parseConfig('.kubewire.yaml', 'extends: eslint:recommended\n', ids);
    assert.ok(!bad.ok);
    assert.deepEqual(
      bad.errors.map((e) => `${String(e.line)}:${String(e.column)} ${e.message}`),
      ['1:10 `extends` must be one of kubewire:recommended, kubewire:strict, kubewire:all'],
    );
  });

  it('a podSecurity written in the configuration wins over the preset', () => {
    const parsed = parseConfig('.kubewire.yaml', 'extends: kubewire:all\npodSecurity: baseline\n', ids);
    assert.ok(parsed.ok);
    assert.equal(parsed.config.cluster.podSecurity, 'baseline');
    assert.equal(parsed.config.cluster.podSecurityFrom, undefined);
  });

  it('turn on the rules of their level, and the configuration wins over them', () => {
    const readonly = rule('container-readonly-rootfs-missing');
    const eviction = rule('pdb-unhealthy-eviction-policy');
    const requests = rule('resources-requests-missing');
    assert.equal(onByDefault(readonly), false);
    assert.equal(presetSetting(readonly, 'recommended'), 'off');
    assert.equal(presetSetting(readonly, 'strict'), 'on');
    assert.equal(presetSetting(eviction, 'strict'), 'off');
    assert.equal(presetSetting(eviction, 'all'), 'on');
    assert.equal(presetSetting(requests, 'recommended'), 'on');
    assert.deepEqual(presetSetting(requests, 'strict'), { atLeast: 'warning' });
    const settings = effectiveRuleSettings(rules, 'strict', { 'container-readonly-rootfs-missing': 'info' });
    assert.equal(settings['container-readonly-rootfs-missing'], 'info');
    assert.equal(settings['pdb-unhealthy-eviction-policy'], 'off');
    assert.equal(Object.keys(settings).length, rules.length);
  });

  it('a strict severity raises findings below it and keeps those above', () => {
    assert.equal(settingSeverity({ atLeast: 'warning' }, 'info'), 'warning');
    assert.equal(settingSeverity({ atLeast: 'warning' }, 'error'), 'error');
    assert.equal(settingSeverity('on', 'error'), 'error');
    assert.equal(settingSeverity('info', 'error'), 'info');
  });

  it('a rule off by default does not run without a setting, and runs with one', () => {
    const sources = [createSource('web.yaml', DEPLOYMENT)];
    const readonly = rule('container-readonly-rootfs-missing');
    assert.equal(lint(sources, { rules: [readonly] }).findings.length, 0);
    const on = lint(sources, { rules: [readonly], ruleSettings: { [readonly.id]: 'on' } }).findings;
    assert.deepEqual(
      on.map((f) => `${f.ruleId} ${f.severity}`),
      ['container-readonly-rootfs-missing warning'],
    );
  });

  it('`kubewire rules` shows the presets that turn each rule on', () => {
    const table = formatRulesTable(rules);
    const row = (id: string) => table.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';
    assert.match(table.split('\n')[0] ?? '', /SEVERITY\s+PRESETS\s+DESCRIPTION/);
    assert.match(row('container-readonly-rootfs-missing'), /\soff\s+strict, all\s/);
    assert.match(row('pdb-unhealthy-eviction-policy'), /\soff\s+all\s/);
    assert.match(row('resources-requests-missing'), /\sinfo\s+recommended \(warning in strict, all\)\s/);
    assert.match(row('probe-port-unresolved'), /\serror\s+recommended\s/);
    const json = JSON.parse(formatRulesJson(rules)) as { id: string; severity: string; preset: string }[];
    const entry = json.find((r) => r.id === 'container-readonly-rootfs-missing');
    assert.deepEqual([entry?.severity, entry?.preset], ['off', 'strict']);
  });

  describe('from the command line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-presets-'));
    mkdirSync(path.join(dir, 'prod'));
    mkdirSync(path.join(dir, 'dev'));
    writeFileSync(path.join(dir, 'prod', 'web.yaml'), DEPLOYMENT);
    writeFileSync(path.join(dir, 'dev', 'web.yaml'), DEPLOYMENT.replace('namespace: shop', 'namespace: dev'));
    after(() => {
      rmSync(dir, { recursive: true, force: true });
    });
    const findings = async (config: string) => {
      writeFileSync(path.join(dir, '.kubewire.yaml'), config);
      const result = await runCliIn(dir, ['prod', 'dev', '-f', 'json']);
      assert.notEqual(result.code, 2, result.stderr);
      const report = JSON.parse(result.stdout) as {
        findings: { ruleId: string; file: string; severity: string; message: string }[];
      };
      return report.findings;
    };
    const has = (list: { ruleId: string; file: string; severity: string }[], text: string) =>
      list.some((f) => `${f.file} ${f.ruleId} ${f.severity}` === text);

    it('the defaults are kubewire:recommended', async () => {
      for (const config of ['{}\n', 'extends: kubewire:recommended\n']) {
        const list = await findings(config);
        assert.ok(!list.some((f) => f.ruleId === 'container-readonly-rootfs-missing'), config);
        assert.ok(has(list, 'prod/web.yaml resources-requests-missing info'), config);
        assert.ok(!list.some((f) => f.ruleId === 'seccomp-profile-missing'), config);
      }
    });

    it('kubewire:strict turns on hygiene rules, raises their severity and asks for restricted', async () => {
      const list = await findings('extends: kubewire:strict\n');
      assert.ok(has(list, 'prod/web.yaml container-readonly-rootfs-missing warning'));
      assert.ok(has(list, 'prod/web.yaml service-account-token-automount info'));
      assert.ok(has(list, 'prod/web.yaml resources-requests-missing warning'));
      assert.ok(!list.some((f) => f.ruleId === 'pdb-unhealthy-eviction-policy'));
      const seccomp = list.find((f) => f.ruleId === 'seccomp-profile-missing');
      assert.equal(seccomp?.severity, 'warning');
      assert.match(seccomp.message, /\(`extends: kubewire:strict` in \.kubewire\.yaml\)/);
    });

    it('the rules of the configuration win over the preset, and overrides can turn on a rule off by default', async () => {
      const off = await findings('extends: kubewire:strict\nrules: {container-readonly-rootfs-missing: off}\n');
      assert.ok(!off.some((f) => f.ruleId === 'container-readonly-rootfs-missing'));
      const some = await findings(
        'overrides:\n  - files: ["prod/**"]\n    rules: {container-readonly-rootfs-missing: error}\n',
      );
      assert.ok(has(some, 'prod/web.yaml container-readonly-rootfs-missing error'));
      assert.ok(!some.some((f) => f.file === 'dev/web.yaml' && f.ruleId === 'container-readonly-rootfs-missing'));
    });
  });
});
