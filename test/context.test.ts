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
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Two applications in one repository: `apps/shop` (the shop fixture) and `apps/billing`, a copy of the
 * shop's Deployment, Service and PodDisruptionBudget without the ConfigMap it needs. Linted together, billing's reference
 * would resolve to the shop's ConfigMap (a missed defect) and both Deployments would be duplicates.
 */
function twoApps(config: string | undefined): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-roots-'));
  cpSync(SHOP, path.join(dir, 'apps', 'shop'), { recursive: true });
  mkdirSync(path.join(dir, 'apps', 'billing'));
  for (const file of ['dep.yaml', 'svc.yaml', 'pdb.yaml'])
    cpSync(path.join(SHOP, file), path.join(dir, 'apps', 'billing', file));
  if (config !== undefined) writeFileSync(path.join(dir, '.kubewire.yaml'), config);
  return dir;
}

const ROOTS = 'roots: ["apps/*"]\nrules:\n  configmap-ref-missing: error\n';

interface JsonReport {
  findings: { ruleId: string; file: string; related: { file: string }[] }[];
  summary: { files: number; objects: number };
}

async function findingsOf(dir: string, args: string[]): Promise<{ code: number; found: string[]; report: JsonReport }> {
  const result = await kubewire(dir, [...args, '-f', 'json']);
  assert.equal(result.stderr, '');
  const report = JSON.parse(result.stdout) as JsonReport;
  return { code: result.code, found: report.findings.map((f) => `${f.file} ${f.ruleId}`), report };
}

describe('--context auto: the application roots of the configuration', () => {
  const temps: string[] = [];
  after(() => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });

  it('a changed file is linted with the rest of its root, never with another root', async () => {
    const dir = twoApps(ROOTS);
    temps.push(dir);
    const billing = await findingsOf(dir, ['--context', 'auto', 'apps/billing/dep.yaml']);
    assert.deepEqual(billing.found, ['apps/billing/dep.yaml configmap-ref-missing'], 'not resolved from apps/shop');
    assert.equal(billing.code, 1);
    const shop = await findingsOf(dir, ['--context', 'auto', 'apps/shop/dep.yaml']);
    assert.deepEqual(shop.found, [], "the shop's ConfigMap is in its root: no missing ConfigMap, no duplicate");
    assert.equal(shop.code, 0);
    // The same file with the whole repository as one application: billing's reference resolves to the
    // shop's ConfigMap, and the defect is missed.
    const whole = await findingsOf(dir, ['--context', '.', 'apps/billing/dep.yaml']);
    assert.deepEqual(whole.found, []);
  });

  it('a Service edit in one root is reported against the Deployment of its own root', async () => {
    const dir = twoApps(ROOTS);
    temps.push(dir);
    const svc = path.join(dir, 'apps', 'shop', 'svc.yaml');
    writeFileSync(svc, breakSelector(readFileSync(svc, 'utf8')));
    const shop = await findingsOf(dir, ['--context', 'auto', 'apps/shop/svc.yaml', 'apps/shop/values.yaml']);
    assert.deepEqual(shop.found, ['apps/shop/svc.yaml service-selector-no-pods']);
    assert.deepEqual(shop.report.summary, { ...shop.report.summary, files: 2, objects: 1 });
  });

  it('given files of several roots are each linted in their own root; files in no root are not linted', async () => {
    const dir = twoApps(ROOTS);
    temps.push(dir);
    mkdirSync(path.join(dir, 'scratch'));
    writeFileSync(path.join(dir, 'scratch', 'dep.yaml'), readFileSync(path.join(SHOP, 'dep.yaml')));
    const run = await findingsOf(dir, [
      '--context',
      'auto',
      'apps/shop/dep.yaml',
      'apps/billing/dep.yaml',
      'scratch/dep.yaml',
    ]);
    assert.deepEqual(run.found, ['apps/billing/dep.yaml configmap-ref-missing']);
    assert.equal(run.report.summary.objects, 2, 'the objects of the files linted');
  });

  it('without paths, kubewire lints each root as its own application', async () => {
    const dir = twoApps(ROOTS);
    temps.push(dir);
    writeFileSync(path.join(dir, 'stray.yaml'), 'kind: 5\n');
    const run = await findingsOf(dir, []);
    assert.deepEqual(run.found, ['apps/billing/dep.yaml configmap-ref-missing']);
    assert.equal(run.report.summary.files, 9, 'the roots only: stray.yaml is outside them');
    const together = await findingsOf(dir, ['.']);
    assert.ok(!together.found.includes('apps/billing/dep.yaml configmap-ref-missing'), 'named paths: one application');
    assert.ok(
      together.found.some((f) => f.startsWith('stray.yaml ')),
      'stray.yaml is linted when named',
    );
  });

  it('a root that does not exist, a glob that matches no folder and overlapping roots are errors', async () => {
    const dir = twoApps(undefined);
    temps.push(dir);
    const cases: [string, string][] = [
      ['roots: [apps/shop, apps/payments]\n', 'kubewire: .kubewire.yaml: roots: `apps/payments` does not exist\n'],
      ['roots: ["services/*"]\n', 'kubewire: .kubewire.yaml: roots: `services/*` matches no folder\n'],
      ['roots: [apps/shop/dep.yaml]\n', 'kubewire: .kubewire.yaml: roots: `apps/shop/dep.yaml` is not a folder\n'],
      [
        'roots: ["apps/*", apps/shop]\n',
        'kubewire: .kubewire.yaml: roots: `apps/*` and `apps/shop` both name `apps/shop`: each folder is one application root\n',
      ],
      [
        'roots: ["*", "apps/*"]\n',
        'kubewire: .kubewire.yaml: roots: `apps` (from `*`) contains `apps/billing` (from `apps/*`): ' +
          'each file must belong to one application root\n',
      ],
    ];
    for (const [config, message] of cases) {
      writeFileSync(path.join(dir, '.kubewire.yaml'), config);
      const result = await kubewire(dir, ['--context', 'auto', 'apps/shop/dep.yaml']);
      assert.equal(result.stderr, message, config);
      assert.equal(result.code, 2);
    }
  });
});

describe('--context auto without roots: the git work tree', () => {
  const temps: string[] = [];
  after(() => {
    for (const t of temps) rmSync(t, { recursive: true, force: true });
  });

  it('takes the manifests git tracks or would track, not those it ignores or that are deleted', async () => {
    const dir = shopCopy();
    temps.push(dir);
    const configMap = (name: string) =>
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: shop\n`;
    // A ConfigMap only in a folder git ignores: not part of the work tree's manifests.
    writeFileSync(path.join(dir, '.gitignore'), 'local/\n');
    mkdirSync(path.join(dir, 'local'));
    writeFileSync(path.join(dir, 'local', 'cm.yaml'), configMap('local-only'));
    git(dir, 'init', '-q');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'shop');
    // Untracked and not ignored: part of the work tree.
    writeFileSync(path.join(dir, 'extra.yaml'), configMap('extra'));
    const dep = path.join(dir, 'dep.yaml');
    const original = readFileSync(dep, 'utf8');
    const referring = (name: string) => {
      writeFileSync(dep, original.replace('name: web-settings', `name: ${name}`));
    };
    referring('extra');
    assert.deepEqual((await findingsOf(dir, ['--context', 'auto', 'dep.yaml'])).found, []);
    referring('local-only');
    assert.deepEqual((await findingsOf(dir, ['--context', 'auto', 'dep.yaml'])).found, [
      'dep.yaml configmap-ref-missing',
    ]);
    // Deleted from the work tree but still in the index: not read (no "unreadable file" finding).
    referring('web-settings');
    rmSync(path.join(dir, 'settings.yaml'));
    assert.deepEqual((await findingsOf(dir, ['--context', 'auto', 'dep.yaml'])).found, [
      'dep.yaml configmap-ref-missing',
    ]);
  });

  it('outside a git work tree, the working directory is the context', async () => {
    const dir = shopCopy();
    temps.push(dir);
    const probe = spawnSync('git', ['rev-parse', '--is-inside-work-tree'], { cwd: dir, encoding: 'utf8' });
    if (probe.status === 0) return; // the temporary folder is inside a git work tree on this machine
    const run = await findingsOf(dir, ['--context', 'auto', 'dep.yaml']);
    assert.deepEqual(run.found, []);
  });
});

describe('Helm chart templates given in context mode', () => {
  it('are skipped quietly, as other files that are not manifests; named alone they still get the info', async () => {
    const dir = shopCopy();
    try {
      mkdirSync(path.join(dir, 'chart', 'templates'), { recursive: true });
      writeFileSync(path.join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: shop\nversion: 0.1.0\n');
      writeFileSync(
        path.join(dir, 'chart', 'templates', 'svc.yaml'),
        'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n',
      );
      const given = ['chart/Chart.yaml', 'chart/templates/svc.yaml', 'dep.yaml'];
      const result = await kubewire(dir, ['--context', 'auto', '--max-warnings', '0', ...given]);
      assert.equal(result.stderr, '');
      assert.equal(result.stdout, '✔ no problems (3 files, 1 object)\n');
      assert.equal(result.code, 0);
      const alone = await findingsOf(dir, ['chart/templates/svc.yaml']);
      assert.deepEqual(alone.found, ['chart/templates/svc.yaml helm-template']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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

  /** The system variant runs the `kubewire` on the PATH: this repository's, through a small shim. */
  function systemShim(): string {
    const bin = mkdtempSync(path.join(tmpdir(), 'kubewire-bin-'));
    const script = `#!/bin/sh\nexec node "${path.join(ROOT, 'bin', 'kubewire.js')}" "$@"\n`;
    writeFileSync(path.join(bin, 'kubewire'), script, { mode: 0o755 });
    return bin;
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
    const bin = systemShim();
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

  it('kubewire-system with roots: each changed file is linted in its own application root', () => {
    const bin = systemShim();
    const dir = twoApps(ROOTS);
    try {
      git(dir, 'init', '-q');
      git(dir, 'add', '.');
      git(dir, 'commit', '-q', '-m', 'two apps');
      for (const app of ['shop', 'billing']) {
        const dep = path.join(dir, 'apps', app, 'dep.yaml');
        writeFileSync(dep, readFileSync(dep, 'utf8').replace('replicas: 2', 'replicas: 3'));
      }
      git(dir, 'add', 'apps/shop/dep.yaml', 'apps/billing/dep.yaml');
      const result = tryRepo(dir, 'kubewire-system', { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` });
      const output = result.stdout + result.stderr;
      assert.equal(result.status, 1, output);
      assert.match(output, /apps\/billing\/dep\.yaml:27:23 +error +envFrom of container `web`/);
      assert.doesNotMatch(output, /apps\/shop\/dep\.yaml:/, "the shop's ConfigMap is found in its own root");
      assert.match(output, /1 problem \(1 error, 0 warnings, 0 info\) in 2 files, 2 objects/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
