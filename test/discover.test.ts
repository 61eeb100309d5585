/**
 * Folder expansion (`discover`) walks folders itself; it replaced globby with `gitignore: true`, which stays
 * the reference: on generated trees of folders, manifests, tool files, hidden and `node_modules` entries
 * and `.gitignore` files (nested, negated, anchored, CRLF, trailing blanks, above the walked folder in a
 * git work tree), both must list exactly the same files.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { globby } from 'globby';
import { FOLDER_IGNORED, MANIFEST_GLOB, discover, display } from '../src/cli/files.js';

// Folder names differ in more than case: globby applied a folder's `.gitignore` (case-insensitively) to its
// siblings named alike, which git does not, and the walk does not either.
const FOLDERS = ['a', 'b', 'gen', 'sub', 'deep', 'x y', 'coverage', 'flow-typed', 'node_modules', '.hidden'];
const FILES = ['app.yaml', 'x.yml', 'c.json', 'A.YAML', 'z.local.yaml', 'package.json', 'tsconfig.base.json'];
const MORE_FILES = ['notes.txt', '.dot.yaml', 'gen.yaml'];
const PATTERNS = [
  'gen/',
  'gen',
  '*.local.yaml',
  '!z.local.yaml',
  '/a',
  'a/',
  'b/*.yaml',
  '**/x.yml',
  '!app.yaml',
  'sub/**',
  '!sub/x.yml',
  '*.json',
  '# a comment',
  'deep/a',
  '/sub/',
  'a/**/c.json',
  '*.YAML',
  '!gen/',
  'x.yml  ',
  '[ab]/app.yaml',
  'sub/*',
  '!sub/b',
];

interface Tree {
  files: string[];
  gitignore?: string[];
  folders: readonly (readonly [string, Tree])[];
}

const gitignore = fc.option(fc.array(fc.constantFrom(...PATTERNS), { minLength: 1, maxLength: 4 }), { nil: undefined });
const { tree } = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.record({
    files: fc.uniqueArray(fc.constantFrom(...FILES, ...MORE_FILES), { maxLength: 4 }),
    gitignore,
    folders: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constant([]),
      fc.uniqueArray(fc.tuple(fc.constantFrom(...FOLDERS), tie('tree')), {
        maxLength: 3,
        selector: ([name]) => name,
      }),
    ),
  }),
}));

function write(dir: string, t: Tree, crlf: boolean): void {
  mkdirSync(dir, { recursive: true });
  for (const f of t.files) writeFileSync(path.join(dir, f), 'a: 1\n');
  if (t.gitignore) writeFileSync(path.join(dir, '.gitignore'), `${t.gitignore.join(crlf ? '\r\n' : '\n')}\n`);
  for (const [name, sub] of t.folders) write(path.join(dir, name), sub, crlf);
}

/** What globby listed for a folder argument before the walk replaced it. */
async function byGlobby(cwd: string): Promise<string[]> {
  const matches = await globby(MANIFEST_GLOB, {
    cwd,
    gitignore: true,
    ignore: [...FOLDER_IGNORED],
    absolute: true,
    onlyFiles: true,
    dot: false,
    followSymbolicLinks: false,
  });
  return matches.map((m) => display(cwd, m)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

describe('discover: folder expansion', () => {
  it('lists what globby with gitignore: true listed, on generated trees', async () => {
    const base = mkdtempSync(path.join(os.tmpdir(), 'kubewire-discover-'));
    let run = 0;
    try {
      await fc.assert(
        fc.asyncProperty(tree, fc.boolean(), gitignore, fc.boolean(), async (t, inGit, above, crlf) => {
          const top = path.join(base, String(run++));
          // In a git work tree the walked folder is one below its top, whose `.gitignore` applies too.
          const root = inGit ? path.join(top, 'r') : top;
          write(root, t, crlf);
          if (inGit) {
            mkdirSync(path.join(top, '.git'));
            if (above) writeFileSync(path.join(top, '.gitignore'), `${above.join('\n')}\n`);
          }
          const found = await discover(['.'], { cwd: root, ignore: [], ignoreBase: root });
          assert.deepEqual(found.files, await byGlobby(root));
          rmSync(top, { recursive: true, force: true });
        }),
        { numRuns: 150 },
      );
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('leaves out symbolic links, to files and to folders, as globby did', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'kubewire-discover-'));
    try {
      write(cwd, { files: [], folders: [['real', { files: ['app.yaml'], folders: [] }]] }, false);
      symlinkSync(path.join('real', 'app.yaml'), path.join(cwd, 'link.yaml'));
      symlinkSync('real', path.join(cwd, 'linked'));
      const found = await discover(['.'], { cwd, ignore: [], ignoreBase: cwd });
      assert.deepEqual(found.files, ['real/app.yaml']);
      assert.deepEqual(found.files, await byGlobby(cwd));
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});
