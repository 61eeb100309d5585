/** Finding and reading the files to lint. The only module besides main.ts that touches the disk. */
import { isUtf8 } from 'node:buffer';
import { execFile } from 'node:child_process';
import type { Dirent } from 'node:fs';
import { readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type * as Globby from 'globby';
import picomatch from 'picomatch';
import { escapeBytes } from '../format/escape.js';
import { DEFAULT_MAX_BYTES, createSource, tooLargeSource, unreadableSource } from '../load/source.js';
import type { Source } from '../types.js';
import type { LintCache } from './cache.js';

/**
 * globby and its hundred modules, loaded only when a folder or a glob is expanded: linting the files a
 * pre-commit hook or an editor names does without them.
 */
let globbyModule: Promise<typeof Globby> | undefined;
export const loadGlobby = () => (globbyModule ??= import('globby'));

export const MANIFEST_GLOB = '**/*.{yaml,yml,json}';
const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**'];
/** Well-known JSON files of other tools, never manifests: not read when a folder is expanded. */
const TOOL_FILES = [
  '**/package.json',
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/tsconfig*.json',
  '**/jsconfig.json',
  '**/composer.json',
  '**/composer.lock',
  '**/renovate.json',
  '**/.eslintrc.json',
];

export class UsageError extends Error {}

export interface Discovery {
  /** Paths to read, relative to cwd where possible, sorted, without duplicates. */
  files: string[];
  /** Folders that could not be listed, with why (reported once each; the rest is linted). */
  unreadable: { path: string; reason: string }[];
  /** Whether `-` (standard input) was among the arguments. */
  stdin: boolean;
}

export interface DiscoverOptions {
  cwd: string;
  /** Globs of files not to lint, relative to `ignoreBase`. */
  ignore: readonly string[];
  ignoreBase: string;
}

export function display(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  return (path.isAbsolute(rel) ? absolute : rel).split(path.sep).join('/');
}

/** Whether the configuration's `ignore` globs cover a file (given by its absolute path). */
function ignoredBy(options: DiscoverOptions): (absolute: string) => boolean {
  const isIgnored = options.ignore.length > 0 ? picomatch([...options.ignore], { dot: true }) : () => false;
  return (absolute) => isIgnored(path.relative(options.ignoreBase, absolute).split(path.sep).join('/'));
}

/** Expand the command line's paths: folders (recursively), files and globs. */
export async function discover(args: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  const { cwd } = options;
  const ignored = ignoredBy(options);
  const found = new Map<string, string>(); // absolute → display
  const unreadable: Discovery['unreadable'] = [];
  let stdin = false;
  for (const arg of args) {
    if (arg === '-') {
      stdin = true;
      continue;
    }
    const absolute = path.resolve(cwd, arg);
    const info = await stat(absolute).catch((error: unknown) => errorCode(error));
    if (typeof info === 'object' && info.isDirectory()) {
      const matches = await listFolder(unreadable, (dir) => display(cwd, dir), {
        cwd: absolute,
        gitignore: true,
        ignore: [...ALWAYS_IGNORED, ...TOOL_FILES],
        absolute: true,
        onlyFiles: true,
        dot: false,
        followSymbolicLinks: false,
      });
      const undecodable = await undecodableNames(absolute);
      for (const m of matches) if (!ignored(m) && !undecodable.lossy.has(m)) found.set(m, display(cwd, m));
      for (const [shown, bytes] of undecodable.files) {
        if (ignored(shown)) continue;
        rawPaths.set(shown, bytes);
        found.set(shown, display(cwd, shown));
      }
    } else if (
      typeof info === 'object' ||
      (info !== 'ENOENT' && info !== 'ENOTDIR' && !(await loadGlobby()).isDynamicPattern(arg))
    ) {
      // A file, or a path that exists but cannot be looked at (a symlink loop, a folder without
      // permission on the way): reading it reports why.
      if (!ignored(absolute)) found.set(absolute, display(cwd, absolute));
    } else if ((await loadGlobby()).isDynamicPattern(arg)) {
      const matches = await listFolder(unreadable, (dir) => display(cwd, dir), {
        cwd,
        gitignore: true,
        ignore: ALWAYS_IGNORED,
        absolute: true,
        onlyFiles: true,
        patterns: arg.split(path.sep).join('/'),
      });
      if (matches.length === 0) throw new UsageError(`no files match the pattern "${arg}"`);
      for (const m of await onePerRealPath(matches)) if (!ignored(m)) found.set(m, display(cwd, m));
    } else {
      throw new UsageError(`no such file or directory: ${arg}`);
    }
  }
  const files = [...new Set(found.values())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, stdin, unreadable };
}

const git = promisify(execFile);

/**
 * The manifest files of the git work tree that holds `cwd`, as a folder argument finds them: tracked and
 * untracked files that git does not ignore (`.gitignore`, `.git/info/exclude`, the global excludes),
 * named `*.yaml`, `*.yml` or `*.json`, outside dot folders, not a well-known file of another tool, not
 * covered by the configuration's `ignore`, and present on disk. Paths as `discover` gives them (relative
 * to `cwd` where possible), sorted. Undefined when `cwd` is not in a git work tree or git is missing.
 */
export async function gitManifestFiles(options: DiscoverOptions): Promise<string[] | undefined> {
  const { cwd } = options;
  let top: string;
  let listing: string;
  try {
    top = (await git('git', ['rev-parse', '--show-toplevel'], { cwd })).stdout.trim();
    listing = (
      await git('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
        cwd: top,
        maxBuffer: 256 * 1024 * 1024,
      })
    ).stdout;
  } catch {
    return undefined;
  }
  const manifest = picomatch(MANIFEST_GLOB);
  const excluded = picomatch([...ALWAYS_IGNORED, ...TOOL_FILES]);
  const ignored = ignoredBy(options);
  const files = new Set<string>();
  for (const file of listing.split('\0')) {
    if (file === '' || !manifest(file) || excluded(file)) continue;
    const absolute = path.join(top, file);
    if (ignored(absolute)) continue;
    // Deleted but still in the index, a submodule (a folder), a broken link: not a file to read.
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isFile() === true) files.add(display(cwd, absolute));
  }
  return [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Files whose name (or a folder's on the way) is not valid UTF-8, by their absolute display path (bytes
 * escaped as `\xNN`, see escapeBytes) → their path as bytes, which readSource() reads them by. Node and
 * globby decode such names with U+FFFD: the decoded path names no file (several names may decode alike),
 * and folders of such names are not listed at all.
 */
const rawPaths = new Map<string, Buffer>();

const MANIFEST_NAME = /\.(?:ya?ml|json)$/;

interface Undecodable {
  /** Absolute paths as globby decodes them (with U+FFFD) that name no file. */
  lossy: Set<string>;
  /** Display path → bytes of each manifest whose path is not valid UTF-8. */
  files: Map<string, Buffer>;
}

/**
 * Manifests below a folder whose path is not valid UTF-8, found by listing folders as bytes (as globby
 * does: hidden entries, node_modules and symbolic links are not followed). `.gitignore` does not apply
 * to them. Nothing to do on Windows, whose file names are UTF-16.
 */
async function undecodableNames(root: string): Promise<Undecodable> {
  const out: Undecodable = { lossy: new Set(), files: new Map() };
  if (process.platform === 'win32') return out;
  const separator = Buffer.from(path.sep);
  const walk = async (dir: Buffer, shown: string, decoded: string, below: boolean): Promise<void> => {
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      return; // globby reports the folders it cannot list
    }
    const valid = new Set(entries.filter((e) => isUtf8(e.name)).map((e) => e.name.toString()));
    for (const entry of entries) {
      const bytes = entry.name;
      if (bytes[0] === 0x2e || (entry.isDirectory() && bytes.toString() === 'node_modules')) continue;
      const undecodable = !isUtf8(bytes);
      const lossy = `${decoded}/${bytes.toString()}`;
      if (undecodable && !valid.has(bytes.toString())) out.lossy.add(lossy);
      const name = undecodable ? escapeBytes(bytes) : bytes.toString();
      const child = Buffer.concat([dir, separator, bytes]);
      if (entry.isDirectory()) await walk(child, `${shown}/${name}`, lossy, below || undecodable);
      else if (entry.isFile() && (below || undecodable) && MANIFEST_NAME.test(name))
        out.files.set(`${shown}/${name}`, child);
    }
  };
  await walk(Buffer.from(root), root, root, false);
  return out;
}

function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'UNKNOWN';
}

type GlobOptions = NonNullable<Parameters<typeof Globby.globby>[1]> & { cwd: string; patterns?: string };

/** The most unreadable folders skipped one by one before the rest are skipped without a report. */
const MAX_UNREADABLE_FOLDERS = 100;

/**
 * Expand a glob below a folder; a subfolder that cannot be listed is reported once (in `unreadable`) and
 * skipped, and the rest is still expanded.
 */
async function listFolder(
  unreadable: Discovery['unreadable'],
  show: (absolute: string) => string,
  options: GlobOptions,
): Promise<string[]> {
  const { patterns = MANIFEST_GLOB, ...rest } = options;
  const skipped: string[] = [];
  for (;;) {
    const ignore = [...(rest.ignore ?? []), ...skipped.map((dir) => `${globEscape(dir)}/**`)];
    try {
      const { globby } = await loadGlobby();
      return await globby(patterns, { ...rest, ignore, suppressErrors: skipped.length >= MAX_UNREADABLE_FOLDERS });
    } catch (error) {
      const failed = (error as NodeJS.ErrnoException).path;
      const code = errorCode(error);
      if (failed === undefined || !['EACCES', 'EPERM', 'ELOOP', 'EIO'].includes(code)) throw error;
      const relative = path.relative(rest.cwd, failed).split(path.sep).join('/');
      if (relative === '' || relative.startsWith('..') || skipped.includes(relative)) throw error;
      skipped.push(relative);
      unreadable.push({ path: show(failed), reason: readError(error) });
    }
  }
}

function globEscape(text: string): string {
  return text.replace(/[*?[\]{}()!@+\\]/g, '\\$&');
}

/** Matches of a glob that follows symbolic links: one path per real file (a link loop repeats them). */
async function onePerRealPath(matches: readonly string[]): Promise<string[]> {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const m of [...matches].sort((a, b) => a.length - b.length || (a < b ? -1 : 1))) {
    const real = await realpath(m).catch(() => m);
    if (seen.has(real)) continue;
    seen.add(real);
    out.push(m);
  }
  return out;
}

/** Why a path cannot be read, in a few words. */
export function readError(error: unknown): string {
  const code = errorCode(error);
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'ELOOP') return 'a loop of symbolic links';
  if (code === 'ENOENT') return 'no such file (a broken symbolic link?)';
  return error instanceof Error ? error.message : String(error);
}

/** Read one file into a Source; unreadable files become Sources that say why. */
export async function readSource(
  cwd: string,
  file: string,
  maxBytes = DEFAULT_MAX_BYTES,
  cache?: LintCache,
): Promise<Source> {
  const absolute = path.resolve(cwd, file);
  const target = rawPaths.get(absolute) ?? absolute;
  try {
    // Only regular files: a device (/dev/zero) or a named pipe would never end. The size is checked
    // before reading, so that a huge file costs nothing.
    const info = await stat(target);
    if (info.isDirectory()) return unreadableSource(file, 'it is a directory');
    if (!info.isFile()) return unreadableSource(file, 'not a regular file (a device, named pipe or socket)');
    if (info.size > maxBytes) return tooLargeSource(file, info.size, maxBytes);
    const bytes = await readFile(target);
    return cache?.source(file, bytes, maxBytes) ?? createSource(file, bytes, { maxBytes });
  } catch (error) {
    return unreadableSource(file, readError(error));
  }
}
