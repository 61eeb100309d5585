/** `kubewire init`: a starter configuration that is valid, names the manifest folders, never overwrites. */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { parseConfig } from '../src/config.js';
import { applicationRoots, starterConfig } from '../src/cli/init.js';
import { FIXTURES, runCliIn } from './helpers.js';

describe('kubewire init', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-init-'));
  cpSync(path.join(FIXTURES, 'demo'), path.join(dir, 'deploy'), { recursive: true });
  mkdirSync(path.join(dir, 'chart', 'templates'), { recursive: true });
  writeFileSync(
    path.join(dir, 'chart', 'templates', 'svc.yaml'),
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n',
  );
  writeFileSync(path.join(dir, 'compose.yaml'), 'services: {}\n');
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes a valid .kubewire.yaml with the manifest folders, the version and every rule, and prints next steps', async () => {
    const result = await runCliIn(dir, ['init']);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.match(
      result.stdout,
      /^Wrote \.kubewire\.yaml \(manifests found in deploy\/\), with it as the application root\.\nNext steps:\n {2}1\. kubewire +#/,
    );
    const text = readFileSync(path.join(dir, '.kubewire.yaml'), 'utf8');
    const parsed = parseConfig(
      '.kubewire.yaml',
      text,
      rules.map((r) => r.id),
    );
    assert.ok(parsed.ok, JSON.stringify(parsed));
    assert.deepEqual(parsed.config.ignore, ['chart/**']);
    assert.deepEqual(parsed.config.roots, ['deploy'], 'the folder with manifests is the application root');
    assert.match(text, /^kubernetesVersion: "1\.\d+"$/m);
    for (const r of rules) assert.ok(text.includes(`#   ${r.id}:`), r.id);
    // Uncommenting `rules:` and one rule gives a valid configuration.
    const edited = text.replace('# rules:', 'rules:').replace(`#   ${rules[0]!.id}:`, `  ${rules[0]!.id}:`);
    assert.ok(
      parseConfig(
        '.kubewire.yaml',
        edited,
        rules.map((r) => r.id),
      ).ok,
    );
  });

  it('the written roots are what a run without paths lints', async () => {
    const result = await runCliIn(dir, ['-f', 'json']);
    const report = JSON.parse(result.stdout) as { summary: { files: number; objects: number } };
    assert.deepEqual(
      [report.summary.files, report.summary.objects],
      [9, 19],
      'deploy/ only: not the chart or compose.yaml',
    );
  });

  it('writes no roots when manifests sit in the folder itself', () => {
    assert.deepEqual(applicationRoots(['.', 'deploy/']), []);
    assert.deepEqual(applicationRoots(['apps/', 'infra/']), ['apps', 'infra']);
    const text = starterConfig(rules, ['.'], []);
    assert.match(text, /^# roots: \["apps\/\*"\]$/m);
    assert.doesNotMatch(text, /^roots:/m);
  });

  it('refuses to overwrite an existing configuration', async () => {
    const before = readFileSync(path.join(dir, '.kubewire.yaml'), 'utf8');
    const result = await runCliIn(dir, ['init']);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'kubewire: .kubewire.yaml already exists; not overwriting it\n');
    assert.equal(readFileSync(path.join(dir, '.kubewire.yaml'), 'utf8'), before);
  });
});
