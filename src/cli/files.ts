/** Finding and reading the files to lint. The only module besides main.ts that touches the disk. */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { globby, isDynamicPattern } from 'globby';
import picomatch from 'picomatch';
import { DEFAULT_MAX_BYTES, createSource, unreadableSource } from '../load/source.js';
import type { Source } from '../types.js';
import type { LintCache } from './cache.js';

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
  /** Whether `-` (standard input) was among the arguments. */
  stdin: boolean;
}

export interface DiscoverOptions {
  cwd: string;
  /** Globs of files not to lint, relative to `ignoreBase`. */
  ignore: readonly string[];
  ignoreBase: string;
}

function display(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  return (path.isAbsolute(rel) ? absolute : rel).split(path.sep).join('/');
}

/** Expand the command line's paths: folders (recursively), files and globs. */
export async function discover(args: readonly string[], options: DiscoverOptions): Promise<Discovery> {
  const { cwd } = options;
  const isIgnored = options.ignore.length > 0 ? picomatch([...options.ignore], { dot: true }) : () => false;
  const ignored = (absolute: string) =>
    isIgnored(path.relative(options.ignoreBase, absolute).split(path.sep).join('/'));
  const found = new Map<string, string>(); // absolute → display
  let stdin = false;
  for (const arg of args) {
    if (arg === '-') {
      stdin = true;
      continue;
    }
    const absolute = path.resolve(cwd, arg);
    const info = await stat(absolute).catch(() => undefined);
    if (info?.isDirectory()) {
      const matches = await globby(MANIFEST_GLOB, {
        cwd: absolute,
        gitignore: true,
        ignore: [...ALWAYS_IGNORED, ...TOOL_FILES],
        absolute: true,
        onlyFiles: true,
        dot: false,
        followSymbolicLinks: false,
      });
      for (const m of matches) if (!ignored(m)) found.set(m, display(cwd, m));
    } else if (info) {
      if (!ignored(absolute)) found.set(absolute, display(cwd, absolute));
    } else if (isDynamicPattern(arg)) {
      const matches = await globby(arg.split(path.sep).join('/'), {
        cwd,
        gitignore: true,
        ignore: ALWAYS_IGNORED,
        absolute: true,
        onlyFiles: true,
      });
      if (matches.length === 0) throw new UsageError(`no files match the pattern "${arg}"`);
      for (const m of matches) if (!ignored(m)) found.set(m, display(cwd, m));
    } else {
      throw new UsageError(`no such file or directory: ${arg}`);
    }
  }
  const files = [...new Set(found.values())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, stdin };
}

/** Read one file into a Source; unreadable files become Sources that say why. */
export async function readSource(cwd: string, file: string, maxBytes?: number, cache?: LintCache): Promise<Source> {
  try {
    const bytes = await readFile(path.resolve(cwd, file));
    return (
      cache?.source(file, bytes, maxBytes ?? DEFAULT_MAX_BYTES) ??
      createSource(file, bytes, maxBytes === undefined ? {} : { maxBytes })
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : error instanceof Error
            ? error.message
            : String(error);
    return unreadableSource(file, reason);
  }
}
