/**
 * The bundled command line (scripts/bundle.ts) and its launcher (bin/kubewire.js): the bundle says exactly
 * what the compiled tree says, the launcher starts the bundle with V8 accepting its code cache, and falls
 * back to the tree when the bundle is missing or older than the last `tsc`. `npm test` builds first; after a
 * bare `tsc`, `npm run build` brings the bundle up to date.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { ROOT, SHARED } from './helpers.js';
import { LspClient } from './lsp-client.js';

const BIN = path.join(ROOT, 'bin', 'kubewire.js');
const TREE = path.join(ROOT, 'dist', 'src', 'cli', 'run.js');
const REAL_CORPUS = path.join(SHARED, 'corpus', 'real');

function run(entry: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [entry, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
}

/** The launcher and the tree give the same output, error output and exit code. */
function assertSame(args: string[]): void {
  const bundled = run(BIN, args, { KUBEWIRE_DEBUG_START: '1' });
  const started = 'kubewire: started from the bundle, code cache used\n';
  assert.ok(
    bundled.stderr.startsWith(started),
    `the launcher did not start the bundle with its code cache (run \`npm run build\`): ${bundled.stderr}`,
  );
  const tree = run(TREE, args);
  assert.equal(bundled.stdout, tree.stdout);
  assert.equal(bundled.stderr.slice(started.length), tree.stderr);
  assert.equal(bundled.status, tree.status);
}

describe('the bundled command line', () => {
  it('lints the demo exactly as the compiled tree does, in every report format', () => {
    for (const format of ['stylish', 'json', 'sarif', 'github', 'junit', 'gitlab'])
      assertSame(['test-fixtures/demo', '--format', format]);
  });

  it('lists the rules, draws the graph and reports usage errors as the tree does', () => {
    assertSame(['rules', '--format', 'json']);
    assertSame(['graph', 'test-fixtures/demo', '--format', 'dot']);
    assertSame(['--format', 'nonsense', 'test-fixtures/demo']);
    assertSame(['test-fixtures/rules/schema-invalid', '--kubernetes-version', '1.30', '--format', 'json']);
  });

  it('reads standard input as the tree does', () => {
    const input = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n';
    const viaStdin = (entry: string) =>
      spawnSync(process.execPath, [entry, '-', '--stdin-filename', 'cm.yaml', '-f', 'json'], {
        cwd: ROOT,
        input,
        encoding: 'utf8',
      });
    assert.equal(viaStdin(BIN).stdout, viaStdin(TREE).stdout);
    assert.equal(viaStdin(BIN).status, 0);
  });

  it('gives the same JSON report as the tree on the real corpus', { skip: !existsSync(REAL_CORPUS) }, () => {
    assertSame([REAL_CORPUS, '--format', 'json']);
  });

  it('loads no built-in module that a lint of one file does not use', () => {
    // Loaded on first use (docs/architecture.md, start-up): each cost every run a few milliseconds.
    const temp = mkdtempSync(path.join(tmpdir(), 'kubewire-modules-'));
    try {
      const preload = path.join(temp, 'modules.cjs');
      writeFileSync(preload, "process.on('exit', () => process.stderr.write(process.moduleLoadList.join('\\n')));\n");
      writeFileSync(
        path.join(temp, 'cm.yaml'),
        'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n',
      );
      const result = spawnSync(process.execPath, ['--require', preload, BIN, path.join(temp, 'cm.yaml')], {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, KUBEWIRE_DEBUG_START: '1' },
      });
      assert.equal(result.status, 0, result.stderr);
      const loaded = result.stderr.split('\n');
      assert.ok(loaded.includes('kubewire: started from the bundle, code cache used'), result.stderr);
      for (const module of ['crypto', 'child_process', 'worker_threads'])
        assert.ok(!loaded.includes(`NativeModule ${module}`), `node:${module} was loaded`);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});

describe('the language server from the bundle', () => {
  it('starts its protocol thread and its analysis worker from the bundle and its code cache', async () => {
    const folder = path.join(ROOT, 'test-fixtures', 'lsp', 'app');
    const file = path.join(folder, 'deployment.yaml');
    const text = readFileSync(file, 'utf8');
    const session = async (entry: string) => {
      const client = await LspClient.start({
        folders: [folder],
        entry,
        env: { KUBEWIRE_DEBUG_START: '1' },
      });
      try {
        await client.open(file, text);
        const diagnostics = await client.diagnosticsFor(file, () => true);
        await client.stop();
        const starts = client.logs.join('').match(/kubewire: started from [^\n]*/g) ?? [];
        return { diagnostics, starts };
      } finally {
        client.kill();
      }
    };
    const bundled = await session(BIN);
    assert.deepEqual(bundled.starts, Array(2).fill('kubewire: started from the bundle, code cache used'));
    // From the compiled tree, the worker starts from its own module: the same diagnostics.
    const tree = await session(TREE);
    assert.deepEqual(tree.starts, []);
    assert.ok(bundled.diagnostics.length > 0);
    assert.deepEqual(bundled.diagnostics, tree.diagnostics);
  });
});

describe('the launcher', () => {
  // A package of its own: the launcher, a "bundle" and a "tree" that say which one ran.
  const temp = mkdtempSync(path.join(tmpdir(), 'kubewire-launcher-'));
  after(() => {
    rmSync(temp, { recursive: true, force: true });
  });
  const file = (relative: string, text: string) => {
    mkdirSync(path.dirname(path.join(temp, relative)), { recursive: true });
    writeFileSync(path.join(temp, relative), text);
  };
  mkdirSync(path.join(temp, 'bin'));
  copyFileSync(BIN, path.join(temp, 'bin', 'kubewire.js'));
  copyFileSync(path.join(ROOT, 'bin', 'package.json'), path.join(temp, 'bin', 'package.json'));
  file('package.json', '{ "type": "module", "version": "9.8.7" }\n');
  file('dist/src/cli/run.js', "process.stdout.write('tree ' + process.argv.slice(2).join(' '));\n");
  const bundle = 'dist/src/bundle/kubewire.cjs';
  const setTime = (relative: string, seconds: number) => {
    utimesSync(path.join(temp, relative), seconds, seconds);
  };
  const started = (...args: string[]) => run(path.join(temp, 'bin', 'kubewire.js'), args).stdout;

  it('runs the tree when there is no bundle', () => {
    assert.equal(started('x.yaml'), 'tree x.yaml');
  });

  it('runs the bundle, with the arguments and a working import()', () => {
    // Wrapped in its function, as scripts/bundle.ts writes it.
    file(
      bundle,
      '(function (exports, require, module, __filename, __dirname, __kwImport) {' +
        "__kwImport('node:path').then((p) => process.stdout.write('bundle ' + typeof p.join + ' ' + " +
        "process.argv.slice(2).join(' ')));\n})\n//kubewire-build 4567\n",
    );
    assert.equal(started('x.yaml'), 'bundle function x.yaml');
  });

  it('runs the bundle for the language server, and answers --version itself from package.json', () => {
    assert.equal(started('lsp', '--stdio'), 'bundle function lsp --stdio');
    assert.equal(started('--version'), '9.8.7\n');
    assert.equal(started('-v'), '9.8.7\n');
    assert.equal(started('--version', 'x.yaml'), 'bundle function --version x.yaml');
  });

  it('runs the tree when the bundle is older than the last tsc, the bundle again once rebuilt', () => {
    file('dist/.tsbuildinfo', '{}');
    setTime(bundle, 1_000_000);
    setTime('dist/.tsbuildinfo', 2_000_000);
    assert.equal(started('x.yaml'), 'tree x.yaml');
    setTime(bundle, 2_000_000);
    assert.equal(started('x.yaml'), 'bundle function x.yaml');
  });

  it('runs the tree when the bundle was built by an older kubewire (no wrapper in the file)', () => {
    const wrappedBundle = readFileSync(path.join(temp, bundle), 'utf8');
    file(bundle, "process.stdout.write('old bundle');\n//kubewire-build 0001\n");
    assert.equal(started('x.yaml'), 'tree x.yaml');
    file(bundle, wrappedBundle);
    assert.equal(started('x.yaml'), 'bundle function x.yaml');
  });

  it('uses a code cache only if it was made from this build of the bundle', () => {
    const debug = () =>
      run(path.join(temp, 'bin', 'kubewire.js'), ['x.yaml'], { KUBEWIRE_DEBUG_START: '1' }).stderr.trim();
    assert.equal(debug(), 'kubewire: started from the bundle, code cache absent');
    file(`${bundle}.cache`, '//kubewire-build 0123\nnot a code cache');
    assert.equal(debug(), 'kubewire: started from the bundle, code cache absent');
    // Made from this build (a real cache is V8's, which refuses this one).
    file(`${bundle}.cache`, '//kubewire-build 4567\nnot a code cache');
    assert.equal(debug(), 'kubewire: started from the bundle, code cache rejected');
  });
});
