/**
 * Linting changed files in the context of their repository (`--context DIR`), as the pre-commit hook
 * does: references into unchanged files resolve, an edit that breaks another file is reported, and
 * files that are not manifests are skipped silently. Then the hook itself, end to end, with the real
 * `pre-commit` program when it is installed (`apt-get install pre-commit`): `pre-commit try-repo` of
 * this repository against a temporary git repository. Without pre-commit that test says so and skips;
 * the install path it exercises (npm install, npm pack, npm install -g of the tarball) is then covered
 * by package.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { FIXTURES, ROOT, runCliIn } from './helpers.js';

const SHOP = path.join(FIXTURES, 'context', 'shop');

const kubewire = runCliIn;

/** A copy of the shop fixture in a temporary folder, with some files rewritten. */
function shopCopy(edits: Record<string, (text: string) => string> = {}): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-context-'));
  cpSync(SHOP, dir, { recursive: true });
  for (const [file, edit] of Object.entries(edits))
    writeFileSync(path.join(dir, file), edit(readFileSync(path.join(dir, file), 'utf8')));
  return dir;
}

const breakSelector = (text: string) => text.replace('app: web', 'app: website');
/** The Service now selects the worker, which has no readiness probe and no `http` port. */
const selectWorker = (text: string) => text.replace('app: web', 'app: worker');
const WORKER = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker
  namespace: shop
spec:
  selector:
    matchLabels: {app: worker}
  template:
    metadata:
      labels: {app: worker}
    spec:
      containers:
        - name: worker
          image: busybox:1.36
          resources:
            requests: {cpu: 10m, memory: 16Mi}
            limits: {memory: 16Mi}
`;

describe('--context: changed files linted with their repository', () => {
  const temps: string[] = [];
  after(() => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });

  it('a ConfigMap in an unchanged file is found (alone, the file reports it missing)', async () => {
    const alone = await kubewire(SHOP, ['dep.yaml', '-f', 'json']);
    assert.match(alone.stdout, /configmap-ref-missing/, 'without context the reference cannot be resolved');
    const result = await kubewire(SHOP, ['--context', '.', 'dep.yaml']);
    assert.equal(result.stderr, '');
    assert.equal(result.stdout, '✔ no problems (1 file, 1 object)\n');
    assert.equal(result.code, 0);
  });

  it('a Service edit that no longer selects the Deployment of an unchanged file is reported', async () => {
    const dir = shopCopy({ 'svc.yaml': breakSelector });
    temps.push(dir);
    const result = await kubewire(dir, ['--context', '.', 'svc.yaml', '-f', 'json']);
    const report = JSON.parse(result.stdout) as { findings: { ruleId: string; file: string }[] };
    assert.deepEqual(
      report.findings.map((f) => `${f.file} ${f.ruleId}`),
      ['svc.yaml service-selector-no-pods'],
    );
  });

  it('reports findings in unchanged files whose other end is a given file, and nothing else', async () => {
    const dir = shopCopy({ 'svc.yaml': selectWorker });
    temps.push(dir);
    writeFileSync(path.join(dir, 'worker.yaml'), WORKER);
    writeFileSync(path.join(dir, 'other.yaml'), WORKER.replace(/worker/g, 'batch'));
    const result = await kubewire(dir, ['--context', '.', 'svc.yaml', '-f', 'json']);
    const report = JSON.parse(result.stdout) as {
      findings: { ruleId: string; file: string }[];
      summary: { files: number; objects: number };
    };
    const found = report.findings.map((f) => `${f.file} ${f.ruleId}`);
    assert.ok(found.includes('worker.yaml readiness-probe-missing'), found.join('\n'));
    assert.ok(found.includes('svc.yaml service-target-port'), found.join('\n'));
    assert.ok(!found.some((f) => f.startsWith('other.yaml')), 'findings unrelated to the given file are not reported');
    assert.deepEqual(report.summary.files, 1);
    assert.equal(report.summary.objects, 1);
  });

  it('skips files that are not manifests silently, and exits 0 when nothing is left', async () => {
    const result = await kubewire(SHOP, [
      '--context',
      '.',
      '--max-warnings',
      '0',
      '.github/workflows/ci.yaml',
      'docker-compose.yaml',
      'values.yaml',
    ]);
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '✔ no problems (3 files, 0 objects)\n');
  });

  it('files the configuration ignores are skipped, even when named', async () => {
    const dir = shopCopy({ 'svc.yaml': breakSelector });
    temps.push(dir);
    writeFileSync(path.join(dir, '.kubewire.yaml'), 'ignore: ["svc.yaml"]\n');
    const result = await kubewire(dir, ['--context', '.', 'svc.yaml']);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, '✔ no problems (0 files, 0 objects)\n');
  });
});

function hasPreCommit(): boolean {
  const probe = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' });
  return probe.status === 0;
}

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', ...args], {
    cwd,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
}

describe('the pre-commit hook, end to end', { skip: !hasPreCommit() && 'pre-commit is not installed' }, () => {
  const home = mkdtempSync(path.join(tmpdir(), 'kubewire-pre-commit-home-'));
  after(() => {
    rmSync(home, { recursive: true, force: true });
  });

  /** A git repository holding the shop, committed; `change` then edits and stages some files. */
  function repository(change: (dir: string) => string[]): string {
    const dir = shopCopy();
    // Teams that want any selector mismatch to block a commit say so in the configuration.
    writeFileSync(path.join(dir, '.kubewire.yaml'), 'rules:\n  service-selector-no-pods: error\n');
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'shop');
    git(dir, 'add', ...change(dir));
    return dir;
  }

  function tryRepo(dir: string, hook: string, env: Record<string, string> = {}) {
    return spawnSync('pre-commit', ['try-repo', ROOT, hook, '--verbose'], {
      cwd: dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        PRE_COMMIT_HOME: home,
        npm_config_prefer_offline: 'true',
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        ...env,
      },
    });
  }

  it('kubewire (language: node, built from this repository) fails a commit that breaks another file', () => {
    const dir = repository((d) => {
      writeFileSync(path.join(d, 'svc.yaml'), breakSelector(readFileSync(path.join(d, 'svc.yaml'), 'utf8')));
      return ['svc.yaml'];
    });
    try {
      const result = tryRepo(dir, 'kubewire');
      const output = result.stdout + result.stderr;
      assert.equal(result.status, 1, output);
      assert.match(output, /svc\.yaml:7:3 +error +Service `shop\/web` selects `app=website`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('kubewire-system: a change to dep.yaml alone reports no missing ConfigMap; other YAML is skipped', () => {
    // The system variant runs the `kubewire` on the PATH: this repository's, through a small shim.
    const bin = mkdtempSync(path.join(tmpdir(), 'kubewire-bin-'));
    writeFileSync(
      path.join(bin, 'kubewire'),
      `#!/bin/sh\nexec node "${path.join(ROOT, 'bin', 'kubewire.js')}" "$@"\n`,
      {
        mode: 0o755,
      },
    );
    const dir = repository((d) => {
      const dep = path.join(d, 'dep.yaml');
      writeFileSync(dep, readFileSync(dep, 'utf8').replace('replicas: 2', 'replicas: 3'));
      writeFileSync(path.join(d, 'docker-compose.yaml'), 'services:\n  web:\n    image: nginx:1.28\n');
      return ['dep.yaml', 'docker-compose.yaml'];
    });
    try {
      const result = tryRepo(dir, 'kubewire-system', { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` });
      const output = result.stdout + result.stderr;
      assert.equal(result.status, 0, output);
      assert.match(output, /kubewire \(installed\)\.+Passed/);
      assert.match(output, /no problems \(2 files, 1 object\)/);
      assert.doesNotMatch(output, /configmap-ref-missing/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
