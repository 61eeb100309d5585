/**
 * The cache of repeated runs (`--cache`): a run that restores files from the cache must print
 * exactly what a run without it prints, on the fixtures and on the whole shared corpus (skipped
 * when absent), after a file changed, and whatever the cache file holds (corrupt, foreign, stale).
 */
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { serialize } from 'node:v8';
import fc from 'fast-check';
import { buildIdentity, cacheFile, keyOf } from '../src/cli/cache.js';
import { main } from '../src/cli/main.js';
import { documentsOf } from '../src/load/documents.js';
import { packPositions, positionsOf, unpackPositions } from '../src/load/positions.js';
import { createSource } from '../src/load/source.js';
import { FIXTURES, SHARED } from './helpers.js';

const work = mkdtempSync(path.join(os.tmpdir(), 'kubewire-cache-test-'));
after(() => {
  rmSync(work, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(cwd: string, args: readonly string[], timing = false): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    cwd,
    env: { KUBEWIRE_TIMING: timing ? '1' : '' },
    stdout: { write: (s: string) => (stdout += s), isTTY: false },
    stderr: { write: (s: string) => (stderr += s) },
    readStdin: () => Promise.resolve(new Uint8Array()),
  });
  return { code, stdout, stderr };
}

/** What the cache did in a run (KUBEWIRE_TIMING's line): whether the report came from it, files restored and parsed. */
function cacheUse(stderr: string): { report: boolean; restored: number; parsed: number } {
  const m = /^cache .*: (report restored, )?(\d+) files restored, (\d+) parsed$/m.exec(stderr);
  assert.ok(m, `no cache line in ${stderr.slice(0, 300)}`);
  return { report: m[1] !== undefined, restored: Number(m[2]), parsed: Number(m[3]) };
}

/**
 * Lint `folder` without a cache, then with one: writing it, reading the whole report from it, and
 * (another run's report, with the namespace of objects that set none as the difference) restoring every
 * file from it and linting them again. Each must report exactly what the run without a cache reports.
 */
async function assertSameWithCache(cwd: string, folder: string, cache: string, extra: readonly string[] = []) {
  const reference = await run(cwd, [folder, '-f', 'json', ...extra]);
  const writing = await run(cwd, [folder, '-f', 'json', '--cache-location', cache, ...extra]);
  assert.ok(existsSync(cache), 'the cache file was written');
  const warm = await run(cwd, [folder, '-f', 'json', '--cache', '--cache-location', cache, ...extra], true);
  assert.equal(writing.stdout, reference.stdout, 'the run writing the cache reports what a run without it reports');
  assert.equal(warm.stdout, reference.stdout, 'the run reading the cache reports what a run without it reports');
  assert.deepEqual([writing.code, warm.code, writing.stderr], [reference.code, reference.code, '']);
  assert.equal(cacheUse(warm.stderr).report, true, 'the unchanged run reads its report from the cache');
  const other = [...extra, '--namespace', 'kubewire-cache-test'];
  const otherReference = await run(cwd, [folder, '-f', 'json', ...other]);
  const restored = await run(cwd, [folder, '-f', 'json', '--cache-location', cache, ...other], true);
  assert.equal(restored.stdout, otherReference.stdout, 'the run linting restored files reports what a parse gives');
  assert.equal(restored.code, otherReference.code);
  const use = cacheUse(restored.stderr);
  assert.equal(use.report, false, 'another namespace is another report');
  assert.ok(use.restored > 0, 'files are restored');
  assert.equal(use.parsed, cacheUse(warm.stderr).parsed, 'only the files never cached (templates, binary…) are parsed');
  return reference;
}

describe('--cache', () => {
  it('reports exactly the same on every fixture, with the cache written and read', async () => {
    const copy = path.join(work, 'fixtures');
    cpSync(FIXTURES, copy, { recursive: true });
    await assertSameWithCache(copy, '.', path.join(work, 'fixtures.cache'));
  });

  it('reads a changed file again and keeps the others, across files (cross-object rules still see all)', async () => {
    const dir = path.join(work, 'changed');
    cpSync(path.join(FIXTURES, 'demo'), dir, { recursive: true });
    const cache = path.join(work, 'changed.cache');
    await assertSameWithCache(dir, '.', cache);
    // The Service's selector no longer selects the storefront pods: a finding on another file's object.
    const file = path.join(dir, 'storefront.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/name: storefront$/gm, 'name: storefrnt'));
    const after = await assertSameWithCache(dir, '.', cache);
    const before = await run(path.join(FIXTURES, 'demo'), ['.', '-f', 'json']);
    assert.notEqual(after.stdout, before.stdout, 'the change is seen');
    // A file that disappears is dropped from the report and the cache.
    rmSync(path.join(dir, 'cart-cleanup.yaml'));
    await assertSameWithCache(dir, '.', cache);
  });

  it('keeps the results of each Kubernetes version and configuration apart', async () => {
    const dir = path.join(work, 'versions');
    cpSync(path.join(FIXTURES, 'rules', 'api-removed'), dir, { recursive: true });
    const cache = path.join(work, 'versions.cache');
    const a = await assertSameWithCache(dir, '.', cache, ['--kubernetes-version', '1.28']);
    const b = await assertSameWithCache(dir, '.', cache, ['--kubernetes-version', '1.36']);
    assert.notEqual(a.stdout, b.stdout);
  });

  it('quotes restored files exactly: code frames and fingerprints of a report restored whole', async () => {
    // A restored file decodes its text only when the report quotes it (stylish code frames, SARIF
    // fingerprints); a BOM, CRLF line ends and a non-ASCII character must come out as from a parse.
    const dir = path.join(work, 'quoted');
    cpSync(path.join(FIXTURES, 'demo'), dir, { recursive: true });
    // The probe port of postgres.yaml is an error, shown with its line in a code frame.
    const file = path.join(dir, 'postgres.yaml');
    const text = readFileSync(file, 'utf8').replace(/port: postgres$/gm, 'port: postgres # café');
    writeFileSync(file, `\uFEFF${text.replaceAll('\n', '\r\n')}`);
    for (const format of ['stylish', 'sarif', 'gitlab']) {
      const cache = path.join(work, `quoted-${format}.cache`);
      const args = ['.', '-f', format, '--no-color'];
      const reference = await run(dir, args);
      assert.equal((await run(dir, [...args, '--cache-location', cache])).stdout, reference.stdout);
      const warm = await run(dir, [...args, '--cache-location', cache], true);
      assert.equal(cacheUse(warm.stderr).report, true, 'the report is restored whole');
      assert.equal(warm.stdout, reference.stdout, `${format}: as without a cache`);
    }
  });

  it('ignores and rewrites a corrupt, foreign or truncated cache file', async () => {
    const dir = path.join(FIXTURES, 'demo');
    const reference = await run(dir, ['.', '-f', 'json']);
    const cache = path.join(work, 'bad.cache');
    const contents: Uint8Array[] = [
      Buffer.from('not a cache at all'),
      serialize({ magic: 'kubewire-cache', format: 1, key: 'someone else', files: {} }),
      serialize({ magic: 'kubewire-cache', format: 999, key: 'x', files: { 'cart.yaml': 5 } }),
      serialize([1, 2, 3]),
      new Uint8Array(),
    ];
    for (const content of contents) {
      writeFileSync(cache, content);
      const r = await run(dir, ['.', '-f', 'json', '--cache', '--cache-location', cache]);
      assert.equal(r.stdout, reference.stdout);
      assert.equal(r.stderr, '');
      assert.notDeepEqual(new Uint8Array(readFileSync(cache)), content, 'rewritten');
    }
    // Truncate a good cache: still never trusted.
    const good = readFileSync(cache);
    writeFileSync(cache, good.subarray(0, Math.floor(good.length / 2)));
    assert.equal((await run(dir, ['.', '-f', 'json', '--cache-location', cache])).stdout, reference.stdout);
  });

  it('parses again what a damaged part of the cache file held, and writes it anew', async () => {
    const dir = path.join(FIXTURES, 'demo');
    const cache = path.join(work, 'damaged.cache');
    const namespace = ['--namespace', 'kubewire-cache-test'];
    const reference = await run(dir, ['.', '-f', 'json']);
    const otherReference = await run(dir, ['.', '-f', 'json', ...namespace]);
    await run(dir, ['.', '-f', 'json', '--cache-location', cache]);
    // Flip bytes all over the parts before the header (each file's content, the run's report): the
    // header still reads, every part is damaged.
    const bytes = new Uint8Array(readFileSync(cache));
    const body = bytes.length - 4 - Buffer.from(bytes).readUInt32LE(bytes.length - 4);
    assert.ok(body > 0);
    for (let i = 5; i < body; i += 41) bytes[i] = (bytes[i] ?? 0) ^ 0x24;
    writeFileSync(cache, bytes);
    const damaged = await run(dir, ['.', '-f', 'json', '--cache-location', cache], true);
    assert.equal(damaged.stdout, reference.stdout);
    assert.equal(cacheUse(damaged.stderr).report, false, 'a damaged report is not used');
    writeFileSync(cache, bytes);
    const restored = await run(dir, ['.', '-f', 'json', '--cache-location', cache, ...namespace], true);
    assert.equal(restored.stdout, otherReference.stdout, 'damaged file contents are parsed again');
    const rewritten = await run(dir, ['.', '-f', 'json', '--cache-location', cache, ...namespace], true);
    assert.equal(rewritten.stdout, otherReference.stdout);
    assert.equal(cacheUse(rewritten.stderr).report, true, 'and written anew');
    assert.notDeepEqual(new Uint8Array(readFileSync(cache)), bytes);
  });

  it('says so, and still reports, when the cache cannot be written', async () => {
    const blocker = path.join(work, 'a-file');
    writeFileSync(blocker, '');
    const dir = path.join(FIXTURES, 'demo');
    const reference = await run(dir, ['.', '-f', 'json']);
    const r = await run(dir, ['.', '-f', 'json', '--cache-location', path.join(blocker, 'cache')]);
    assert.equal(r.stdout, reference.stdout);
    assert.equal(r.code, reference.code);
    assert.match(r.stderr, /^kubewire: cannot write the cache .*a-file/);
  });

  it('keys the cache by the build of a clone, so that a rebuilt kubewire does not trust an old report', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kubewire-build-'));
    const record = pathToFileURL(path.join(dir, '.tsbuildinfo'));
    assert.equal(buildIdentity(record), '', 'no build record: an installed package, keyed by its version');
    writeFileSync(record, '{"version":"5.9"}');
    const first = buildIdentity(record);
    writeFileSync(record, '{"version":"5.9","program":{}}');
    const second = buildIdentity(record);
    assert.notEqual(first, '');
    assert.notEqual(first, second);
    const key = { config: {}, kubernetesVersion: '1.33' };
    assert.notEqual(keyOf(key, first), keyOf(key, second));
    assert.equal(keyOf(key, first), keyOf(key, first));
  });

  it('finds its default location: a folder given, node_modules/.cache, else the OS cache folder', () => {
    const cwd = path.join(work, 'project');
    const inFolder = cacheFile(`${work}/`, cwd, {});
    assert.equal(path.dirname(inFolder), work);
    assert.match(path.basename(inFolder), /^lint-[0-9a-f]{16}\.cache$/);
    assert.equal(cacheFile('my.cache', cwd, {}), path.join(cwd, 'my.cache'));
    const root = path.resolve(FIXTURES, '..');
    assert.ok(cacheFile(undefined, root, {}).startsWith(path.join(root, 'node_modules', '.cache', 'kubewire')));
    if (process.platform === 'linux')
      assert.ok(cacheFile(undefined, work, { XDG_CACHE_HOME: '/xdg' }).startsWith('/xdg/kubewire/'));
  });
});

describe('the cache file', () => {
  it('is one per real folder (a symbolic link to it has the same), and the editor has its own', () => {
    const real = mkdtempSync(path.join(work, 'real-'));
    const link = path.join(work, `link-${path.basename(real)}`);
    symlinkSync(real, link, 'dir');
    const env = { XDG_CACHE_HOME: path.join(work, 'xdg') };
    assert.equal(cacheFile(`${work}/`, link, env), cacheFile(`${work}/`, real, env));
    const editor = cacheFile(`${work}/`, real, env, 'editor');
    assert.match(path.basename(editor), /^editor-[0-9a-f]{16}\.cache$/);
    assert.equal(
      path.basename(editor).slice('editor'.length),
      path.basename(cacheFile(`${work}/`, real, env)).slice(4),
    );
  });

  it('replaces the temporary files a killed writer left, and keeps those of a live one', async () => {
    const cwd = mkdtempSync(path.join(work, 'tmp-'));
    writeFileSync(path.join(cwd, 'a.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n');
    const cache = path.join(cwd, 'c', 'lint.cache');
    mkdirSync(path.dirname(cache));
    // No process has this id (above Linux's largest pid_max, 2^22); the parent of this one is alive.
    const dead = `${cache}.${String(2 ** 22 + 7)}.tmp`;
    const alive = `${cache}.${String(process.ppid)}.tmp`;
    writeFileSync(dead, 'half a cache');
    writeFileSync(alive, 'being written');
    assert.equal((await run(cwd, ['a.yaml', '--cache-location', cache])).code, 0);
    assert.ok(existsSync(cache));
    assert.equal(existsSync(dead), false, "the dead writer's file is removed");
    assert.equal(existsSync(alive), true, "a live writer's file is kept");
  });
});

describe('packed positions', () => {
  it('unpack to the same tree (generated YAML)', () => {
    const scalar = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.double());
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('node')), fc.dictionary(fc.string(), tie('node'))),
    })).node;
    fc.assert(
      fc.property(value, fc.boolean(), (v, flow) => {
        const text = flow ? JSON.stringify(v) : toBlock(v);
        for (const document of createSource('x.yaml', text).documents) {
          const tree = positionsOf(document);
          assert.deepEqual(unpackPositions(packPositions(tree)), tree);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the shared corpus with a cache', { skip: !existsSync(path.join(SHARED, 'corpus', 'real')) }, () => {
  it('reports byte-identical JSON without a cache, writing it and reading it', async () => {
    const real = path.join(SHARED, 'corpus', 'real');
    await assertSameWithCache(real, '.', path.join(work, 'corpus.cache'));
  });

  it('packs and unpacks every position tree of the corpus unchanged', async () => {
    const { discover } = await import('../src/cli/files.js');
    const real = path.join(SHARED, 'corpus', 'real');
    const { files } = await discover(['.'], { cwd: real, ignore: [], ignoreBase: real });
    for (const file of files) {
      const source = createSource(file, readFileSync(path.join(real, file)));
      for (const document of documentsOf(source)) {
        const packed = document.positions();
        if (packed !== null) assert.deepEqual(packPositions(unpackPositions(packed)), packed, file);
      }
    }
  });
});

/** A block-style YAML rendering (keys and strings quoted as JSON, which YAML reads the same). */
function toBlock(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return value.map((v) => `\n${indent}- ${toBlock(v, `${indent}  `).trimStart()}`).join('');
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    return entries.map(([k, v]) => `\n${indent}${JSON.stringify(k)}: ${toBlock(v, `${indent}  `)}`).join('');
  }
  return JSON.stringify(value);
}
