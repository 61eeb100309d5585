/**
 * The installable package, tried as a new user would: `npm pack`, install the tarball globally into an
 * empty prefix, then run the installed `kubewire` (version, rules, a lint of the demo with its rule docs
 * and schemas). The tarball is packed from the built tree (`npm test` builds first), with lifecycle
 * scripts off. The install first tries `--offline` (npm's cache, which `npm ci` filled with the
 * dependencies' tarballs); a cache without the registry's metadata for them (a fresh machine) then
 * falls back to `--prefer-offline`, which asks the registry for that metadata only. Without a registry
 * either, the test says so and skips: it never passes without having run the installed command.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from './helpers.js';

const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

describe('the packed tarball installs and runs', () => {
  const temp = mkdtempSync(path.join(tmpdir(), 'kubewire-pack-'));
  const prefix = path.join(temp, 'prefix');
  const bin = path.join(prefix, 'bin', 'kubewire');
  let skipReason: string | undefined;

  before(() => {
    const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', temp], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const tarball = path.join(temp, packed.trim().split('\n').pop()!);
    const install = (mode: string) =>
      spawnSync('npm', ['install', '--global', mode, '--no-audit', '--no-fund', '--prefix', prefix, tarball], {
        cwd: temp,
        encoding: 'utf8',
        env: { ...process.env, npm_config_update_notifier: 'false' },
      });
    let result = install('--offline');
    if (result.status !== 0 && /ENOTCACHED/.test(result.stderr)) result = install('--prefer-offline');
    if (result.status !== 0) {
      if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ENOTCACHED/.test(result.stderr))
        skipReason = 'the dependencies are neither in the npm cache nor reachable on the registry';
      else assert.fail(`npm install of the tarball failed:\n${result.stderr}`);
    }
  });
  after(() => {
    rmSync(temp, { recursive: true, force: true });
  });

  const run = (args: string[], cwd = ROOT) =>
    spawnSync(bin, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

  it('kubewire --version prints the package version', (t) => {
    if (skipReason !== undefined) {
      t.skip(skipReason);
      return;
    }
    const result = run(['--version']);
    assert.equal(result.stderr, '');
    assert.equal(result.stdout.trim(), pkg.version);
    assert.equal(result.status, 0);
  });

  it('lints the demo application with the installed command (schemas included)', (t) => {
    if (skipReason !== undefined) {
      t.skip(skipReason);
      return;
    }
    // The installed command starts the bundle (scripts/bundle.ts) with its code cache, as a clone does.
    const result = spawnSync(bin, ['test-fixtures/demo', '--format', 'json'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', KUBEWIRE_DEBUG_START: '1' },
    });
    assert.equal(result.stderr, 'kubewire: started from the bundle, code cache used\n');
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string }[]; summary: { objects: number } };
    assert.ok(report.findings.some((f) => f.ruleId === 'probe-port-unresolved'));
    assert.equal(report.summary.objects, 19);
    // A schema finding proves the bundled Kubernetes schemas were found in the installed package.
    const schema = run(['test-fixtures/rules/schema-invalid', '--format', 'json']);
    assert.match(schema.stdout, /"ruleId": "schema-/);
    // The validators generated at build time are shipped, every module of the index with them (without
    // them the installed command would compile the schemas at every run instead).
    const validators = path.join(prefix, 'lib', 'node_modules', 'kubewire', 'dist', 'validators');
    const index = JSON.parse(readFileSync(path.join(validators, 'index.json'), 'utf8')) as {
      minors: Record<string, Record<string, string>>;
    };
    const hashes = new Set(Object.values(index.minors).flatMap((m) => Object.values(m)));
    assert.ok(hashes.size > 100);
    for (const hash of hashes) assert.ok(existsSync(path.join(validators, `${hash}.cjs`)), hash);
  });

  it('ships the rule docs and the configuration schema', (t) => {
    if (skipReason !== undefined) {
      t.skip(skipReason);
      return;
    }
    const installed = path.join(prefix, 'lib', 'node_modules', 'kubewire');
    assert.ok(existsSync(path.join(installed, 'docs', 'rules', 'probe-port-unresolved.md')));
    assert.ok(existsSync(path.join(installed, 'schemas', 'kubewire-config.schema.json')));
    assert.ok(!existsSync(path.join(installed, 'dist', 'test')), 'tests are not packed');
    const rules = run(['rules']);
    assert.equal(rules.status, 0);
    assert.match(rules.stdout, /readiness-probe-missing/);
  });
});
