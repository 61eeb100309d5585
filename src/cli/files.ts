/** Finding and reading the files to lint. The only module besides main.ts that touches the disk. */
import { isUtf8 } from 'node:buffer';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { lstat, readFile, readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as Globby from 'globby';
import ignore from 'ignore';
import picomatch from 'picomatch';
import { escapeBytes, looksEscaped, uriEncodeBytes } from '../format/escape.js';
import { DEFAULT_MAX_BYTES, createSource, tooLargeSource, unreadableSource } from '../load/source.js';
import type { Source } from '../types.js';

/**
 * globby and its hundred modules, loaded only when a glob is expanded (folders are walked by walkFolder):
 * linting the files a pre-commit hook or an editor names, or a folder, does without them.
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
  /** Add manifests whose path is not valid UTF-8 or holds a backslash, found by their bytes. */
  const addUndecodable = (undecodable: Undecodable, keep: (file: UndecodableFile) => boolean) => {
    for (const file of undecodable.files)
      if (!ignored(file.shown) && !ignored(file.lossy) && keep(file)) {
        rawPaths.set(file.shown, file.bytes);
        found.set(file.shown, display(cwd, file.shown));
      }
  };
  for (const arg of args) {
    if (arg === '-') {
      stdin = true;
      continue;
    }
    // An argument that is not valid UTF-8 is read by its bytes (Node decodes it with U+FFFD), and so is
    // one whose path would be shown escaped (a backslash before `xNN`), which names no other file.
    const raw = looksEscaped(path.resolve(cwd, arg)) ? [Buffer.from(arg)] : await rawArguments(arg);
    if (raw.length > 0) {
      for (const bytes of raw) {
        const absolute = resolveBytes(cwd, bytes);
        const shown = escapeBytes(absolute);
        const info = await stat(absolute).catch((error: unknown) => errorCode(error));
        if (typeof info === 'object' && info.isDirectory()) {
          const undecodable = await undecodableNames(absolute, shown !== absolute.toString());
          let decodable = absolute.toString();
          while (decodable.includes('\uFFFD')) decodable = path.dirname(decodable);
          const gitIgnored = await gitIgnoredIn(decodable, undecodable);
          const root = absolute.toString();
          addUndecodable(undecodable, (file) => !gitIgnored(file) && !excludedTool(path.relative(root, file.lossy)));
        } else if (info === 'ENOENT' || info === 'ENOTDIR')
          throw new UsageError(`no such file or directory: ${escapeBytes(bytes)}`);
        else
          addUndecodable(
            { lossy: new Set(), files: [{ shown, bytes: absolute, lossy: absolute.toString() }] },
            () => true,
          );
      }
      continue;
    }
    const absolute = path.resolve(cwd, arg);
    const info = await stat(absolute).catch((error: unknown) => errorCode(error));
    if (typeof info === 'object' && info.isDirectory()) {
      const listed = await walkFolder(absolute, unreadable, (dir) => display(cwd, dir));
      for (const m of listed.files) if (!ignored(m)) found.set(m, display(cwd, m));
      const gitIgnored = await gitIgnoredIn(absolute, listed.undecodable);
      addUndecodable(
        listed.undecodable,
        (file) => !gitIgnored(file) && !excludedTool(path.relative(absolute, file.lossy)),
      );
    } else if (
      typeof info === 'object' ||
      (info !== 'ENOENT' && info !== 'ENOTDIR' && !(await loadGlobby()).isDynamicPattern(arg))
    ) {
      // A file, or a path that exists but cannot be looked at (a symlink loop, a folder without
      // permission on the way): reading it reports why.
      if (!ignored(absolute)) found.set(absolute, display(cwd, absolute));
    } else if ((await loadGlobby()).isDynamicPattern(arg)) {
      const pattern = arg.split(path.sep).join('/');
      const matches = await listFolder(unreadable, (dir) => display(cwd, dir), {
        cwd,
        gitignore: true,
        ignore: ALWAYS_IGNORED,
        absolute: true,
        onlyFiles: true,
        patterns: pattern,
      });
      // globby decodes names that are not valid UTF-8 with U+FFFD: such a match names no file. They are
      // matched again by their bytes.
      const base = path.resolve(cwd, picomatch.scan(pattern).base);
      const undecodable = await undecodableNames(base);
      const kept = matches.filter((m) => !undecodable.lossy.has(m));
      const isMatch = picomatch(pattern);
      const gitIgnored = await gitIgnoredIn(cwd, undecodable);
      const before = found.size;
      addUndecodable(
        undecodable,
        (file) => isMatch(path.isAbsolute(pattern) ? file.lossy : display(cwd, file.lossy)) && !gitIgnored(file),
      );
      if (kept.length === 0 && found.size === before) throw new UsageError(`no files match the pattern "${arg}"`);
      for (const m of await onePerRealPath(kept)) if (!ignored(m)) found.set(m, display(cwd, m));
    } else {
      throw new UsageError(`no such file or directory: ${arg}`);
    }
  }
  const files = [...new Set(found.values())].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { files, stdin, unreadable };
}

/**
 * The manifests below a folder, as globby listed them with `gitignore: true` (this walk replaced it: one
 * synchronous listing of each folder, where globby listed the folders once for the manifests, once for the
 * `.gitignore` files and we a third time by bytes): files named `*.yaml`, `*.yml` or `*.json`, not hidden,
 * not below a hidden folder or `node_modules`, not a symbolic link, not a well-known file of another tool,
 * and not covered by the `.gitignore` files (see gitignoreRules). A folder that cannot be listed is
 * reported in `unreadable` (the first hundred) and skipped. Names that are not valid UTF-8 or hold a
 * backslash are returned apart, by their bytes (`undecodable`), for the caller to match as before.
 */
async function walkFolder(
  root: string,
  unreadable: Discovery['unreadable'],
  show: (absolute: string) => string,
): Promise<{ files: string[]; undecodable: Undecodable }> {
  const files: string[] = [];
  const undecodable: Undecodable = { lossy: new Set(), files: [] };
  const oddFolders: Buffer[] = [];
  const rules = gitignoreRules(root);
  let skipped = 0;
  const walk = (dir: string, relative: string, ignores: Ignores, readsGitignore: boolean): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = errorCode(error);
      if (dir === root || !['EACCES', 'EPERM', 'ELOOP', 'EIO', 'ENOENT', 'ENOTDIR'].includes(code)) throw error;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && skipped++ < MAX_UNREADABLE_FOLDERS)
        unreadable.push({ path: show(dir), reason: readError(error) });
      return;
    }
    let names: { name: string; directory: boolean; file: boolean }[] = entries.map((e) => ({
      name: e.name,
      directory: e.isDirectory(),
      file: e.isFile(),
    }));
    if (names.some((e) => e.name.includes('\uFFFD') || e.name.includes('\\'))) {
      // Some name is not valid UTF-8 (Node decodes it with U+FFFD) or holds a backslash: list by bytes.
      names = [];
      for (const entry of readdirSync(dir, { withFileTypes: true, encoding: 'buffer' })) {
        const bytes = entry.name;
        if (isUtf8(bytes) && !bytes.includes(0x5c)) {
          names.push({ name: bytes.toString(), directory: entry.isDirectory(), file: entry.isFile() });
          continue;
        }
        if (bytes[0] === 0x2e) continue;
        const full = Buffer.concat([Buffer.from(dir), Buffer.from(path.sep), bytes]);
        if (entry.isDirectory()) oddFolders.push(full);
        else if (entry.isFile() && MANIFEST_NAME.test(bytes.toString()))
          undecodable.files.push({ shown: escapeBytes(full), bytes: full, lossy: full.toString() });
      }
    }
    if (readsGitignore && names.some((e) => e.file && e.name === '.gitignore')) ignores = rules.below(ignores, dir);
    for (const { name, directory, file } of names) {
      if (name.charCodeAt(0) === 0x2e) continue;
      const rel = relative === '' ? name : `${relative}/${name}`;
      if (directory) {
        if (name === 'node_modules' || ignores.ignored(`${rel}/`)) continue;
        // globby never read the `.gitignore` files below these folders (its defaults leave them out).
        walk(`${dir}${path.sep}${name}`, rel, ignores, readsGitignore && name !== 'coverage' && name !== 'flow-typed');
      } else if (
        file &&
        MANIFEST_NAME.test(name) &&
        !(name.endsWith('.json') && excludedTool(rel)) &&
        !ignores.ignored(rel)
      )
        files.push(`${dir}${path.sep}${name}`);
    }
  };
  walk(root, '', rules.atRoot, true);
  for (const folder of oddFolders) undecodable.files.push(...(await undecodableNames(folder, true)).files);
  return { files, undecodable };
}

/** The `.gitignore` rules in force in a folder: whether a path (relative to the walked root) is ignored. */
interface Ignores {
  ignored(relative: string): boolean;
  /** The patterns, relative to the base folder of the rules. */
  readonly patterns: readonly string[];
}

/**
 * The `.gitignore` files of a walk read as globby 16 read them with `gitignore: true`: the base is the
 * git work tree's top folder (the nearest folder upward with a `.git` folder or file), else the walked
 * folder; the files from the base down to the walked folder apply, then those of the folders below it,
 * each line normalized as git reads it and re-anchored at its file's folder, all in one `ignore` matcher
 * (case-insensitive, as globby made it; a path below an ignored folder is ignored). A `.gitignore` that
 * cannot be read is left out.
 *
 * With `bytes`, paths are Latin-1 strings (one character per byte of the real path) and so are the
 * patterns: a pattern's byte 0xFF matches only 0xFF, as git matches bytes. ASCII letters are then
 * folded as the other matcher folds them, and no other byte (Latin-1 case folding would pair unrelated
 * UTF-8 bytes).
 */
function gitignoreRules(root: string, bytes = false): { atRoot: Ignores; below(outer: Ignores, dir: string): Ignores } {
  const fsPath = (p: string) => (bytes ? Buffer.from(p, 'latin1') : p);
  const folded = bytes ? (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase()) : (text: string) => text;
  const top = gitTop(root, fsPath);
  const base = top ?? root;
  const prefix = path.relative(base, root).split(path.sep).join('/');
  const patternsOf = (dir: string): string[] => {
    let content: string;
    try {
      const file = fsPath(path.join(dir, '.gitignore'));
      content = bytes ? readFileSync(file).toString('latin1') : readFileSync(file, 'utf8');
    } catch {
      return [];
    }
    const at = path.relative(base, dir).split(path.sep).join('/');
    return gitignoreLines(content, bytes).map((line) => anchorPattern(folded(line), at));
  };
  const make = (patterns: readonly string[]): Ignores => {
    if (patterns.length === 0) return { patterns, ignored: () => false };
    const matcher = ignore({ ignorecase: !bytes }).add([...patterns]);
    return {
      patterns,
      ignored: (relative) => matcher.test(folded(prefix === '' ? relative : `${prefix}/${relative}`)).ignored,
    };
  };
  const folders = [root];
  if (top !== undefined) while (folders[0] !== top) folders.unshift(path.dirname(folders[0] ?? top));
  return {
    atRoot: make(folders.flatMap(patternsOf)),
    below: (outer, dir) => {
      const own = patternsOf(dir);
      return own.length === 0 ? outer : make([...outer.patterns, ...own]);
    },
  };
}

/** The git work tree's top folder above (or at) a folder: the nearest with a `.git` folder or file. */
function gitTop(folder: string, fsPath: (p: string) => string | Buffer): string | undefined {
  for (let dir = folder; ; dir = path.dirname(dir)) {
    const info = statSync(fsPath(path.join(dir, '.git')), { throwIfNoEntry: false });
    if (info?.isDirectory() === true || info?.isFile() === true) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The lines of a `.gitignore` that are patterns: byte order mark and unescaped trailing blanks removed. */
function gitignoreLines(content: string, bytes = false): string[] {
  const out: string[] = [];
  // Read as bytes (one Latin-1 character each), the byte order mark is three characters, and only ASCII
  // blanks are blanks: 0xA0 is a byte of many UTF-8 characters (`à` is C3 A0).
  const bom = bytes ? /^\xEF\xBB\xBF/ : /^\uFEFF/u;
  const blank = bytes ? /[ \t\v\f\r]/ : /\s/u;
  for (let line of content.split(/\r?\n/)) {
    line = line.replace(bom, '');
    let end = line.length;
    while (end > 0 && blank.test(line[end - 1] ?? '')) end--;
    if (end < line.length) {
      let backslashes = 0;
      for (let i = end - 1; i >= 0 && line[i] === '\\'; i--) backslashes++;
      line = backslashes % 2 === 1 ? `${line.slice(0, end)} ` : line.slice(0, end);
    }
    if (line !== '' && !line.startsWith('#')) out.push(line);
  }
  return out;
}

/**
 * A `.gitignore` pattern of the folder `at` (relative to the rules' base) as a pattern relative to the
 * base: without a slash but at the end it matches at any depth below `at`, otherwise below `at` only.
 */
function anchorPattern(pattern: string, at: string): string {
  if (at === '') return pattern;
  const negative = pattern.startsWith('!');
  const clean = negative ? pattern.slice(1) : pattern;
  const slash = clean.indexOf('/');
  const anchored =
    slash === -1 || slash === clean.length - 1
      ? path.posix.join(at, '**', clean)
      : path.posix.join(at, clean.startsWith('/') ? clean.slice(1) : clean);
  return negative ? `!${anchored}` : anchored;
}

/**
 * git, run as a child process: node:child_process loaded on first use (process.getBuiltinModule), not at
 * start-up, where it cost a lint of one file some 7 ms.
 */
const childProcess = () => process.getBuiltinModule('node:child_process');
/** What `git <args>` printed, as bytes; rejected when git fails or is missing. */
const git = (args: readonly string[], cwd: string): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    childProcess().execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      if (error === null) resolve(stdout);
      else reject(new Error(error.message));
    });
  });

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
  let listing: Buffer;
  try {
    top = (await git(['rev-parse', '--show-toplevel'], cwd)).toString().trim();
    // As bytes: a name that is not valid UTF-8 is read by its bytes and shown escaped (see rawPaths).
    listing = await git(['ls-files', '-z', '--cached', '--others', '--exclude-standard'], top);
  } catch {
    return undefined;
  }
  const manifest = picomatch(MANIFEST_GLOB);
  const ignored = ignoredBy(options);
  const files = new Set<string>();
  for (const bytes of nulSeparated(listing)) {
    const file = bytes.toString();
    if (!manifest(file) || excludedTool(file)) continue;
    const absolute = path.join(top, file);
    const raw = isUtf8(bytes) && !looksEscaped(absolute) ? undefined : Buffer.concat([Buffer.from(`${top}/`), bytes]);
    const shown = raw === undefined ? absolute : escapeBytes(raw);
    if (ignored(absolute) || ignored(shown)) continue;
    // Deleted but still in the index, a submodule (a folder), a broken link: not a file to read.
    let info: Stats | undefined;
    try {
      info = statSync(raw ?? absolute);
    } catch {
      info = undefined;
    }
    if (info?.isFile() !== true) continue;
    if (raw !== undefined) rawPaths.set(shown, raw);
    files.add(display(cwd, shown));
  }
  return [...files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Files whose name (or a folder's on the way) is not valid UTF-8, by their absolute display path (bytes
 * escaped as `\xNN`, see escapeBytes) → their path as bytes, which readSourceSync() reads them by. Node and
 * globby decode such names with U+FFFD: the decoded path names no file (several names may decode alike),
 * and folders of such names are not listed at all.
 */
const rawPaths = new Map<string, Buffer>();

/**
 * The bytes of a path as discovery names it (relative to `cwd`, or absolute), when its name is not valid
 * UTF-8 (shown escaped); undefined for every other path.
 */
export function displayBytes(cwd: string, file: string): Uint8Array | undefined {
  const raw = rawPaths.get(path.resolve(cwd, file));
  if (raw === undefined || path.isAbsolute(file)) return raw;
  return Buffer.from(path.relative(Buffer.from(cwd).toString('latin1'), raw.toString('latin1')), 'latin1');
}

/** The `file:` URI of a path as discovery names it (the bytes of a name that is not valid UTF-8, encoded). */
export function fileUri(absolute: string): string {
  const raw = rawPaths.get(absolute);
  if (raw === undefined) return pathToFileURL(absolute).href;
  return `file://${uriEncodeBytes(raw)}`;
}

const MANIFEST_NAME = /\.(?:ya?ml|json)$/;

interface UndecodableFile {
  /** The absolute path for display: bytes that are not valid UTF-8 escaped as `\xNN` (see escapeBytes). */
  shown: string;
  /** The absolute path as bytes, which the file is read by. */
  bytes: Buffer;
  /** The absolute path as Node and globby decode it (U+FFFD for each invalid sequence), for matching globs. */
  lossy: string;
}

interface Undecodable {
  /** Absolute paths as globby decodes them (with U+FFFD) that name no file. */
  lossy: Set<string>;
  /** Each manifest whose path is not valid UTF-8. */
  files: UndecodableFile[];
}

/**
 * Manifests below a folder whose path is not valid UTF-8 or holds a backslash (which globby turns into
 * a `/`), found by listing folders as bytes (as globby does: hidden entries, node_modules and symbolic
 * links are not followed). A root given as bytes that are not valid UTF-8 has every manifest below it
 * listed, and so has every root when `all` is true (a folder whose own name is odd, met by walkFolder).
 * `.gitignore` files in a folder whose name is not valid UTF-8 are not read (globby cannot list the
 * folder). Nothing to do on Windows, whose file names are UTF-16.
 */
async function undecodableNames(root: string | Buffer, all?: boolean): Promise<Undecodable> {
  const out: Undecodable = { lossy: new Set(), files: [] };
  if (process.platform === 'win32') return out;
  const separator = Buffer.from(path.sep);
  const walk = async (dir: Buffer, shown: string, decoded: string, listed: string, below: boolean): Promise<void> => {
    let entries: Dirent<Buffer>[];
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      return; // globby reports the folders it cannot list
    }
    for (const entry of entries) {
      const bytes = entry.name;
      if (bytes[0] === 0x2e || (entry.isDirectory() && bytes.toString() === 'node_modules')) continue;
      const undecodable = !isUtf8(bytes);
      // globby also turns a backslash of a name into a `/`: `back\slash.yaml` becomes `back/slash.yaml`.
      const odd = undecodable || bytes.includes(0x5c);
      const lossy = `${decoded}/${bytes.toString()}`;
      const asListed = `${listed}/${bytes.toString().replace(/\\/g, '/')}`;
      // The name globby gives names no file (unless another file has that name).
      if (
        odd &&
        (await lstat(asListed).then(
          () => false,
          () => true,
        ))
      )
        out.lossy.add(asListed);
      const name = escapeBytes(bytes);
      const child = Buffer.concat([dir, separator, bytes]);
      if (entry.isDirectory()) await walk(child, `${shown}/${name}`, lossy, asListed, below || odd);
      else if (entry.isFile() && (below || odd) && MANIFEST_NAME.test(name))
        out.files.push({ shown: `${shown}/${name}`, bytes: child, lossy });
    }
  };
  const bytes = typeof root === 'string' ? Buffer.from(root) : root;
  await walk(bytes, escapeBytes(bytes), bytes.toString(), bytes.toString(), all ?? !isUtf8(bytes));
  return out;
}

/**
 * Whether `.gitignore` files cover a file whose path is not valid UTF-8 or holds a backslash (globby's own
 * listing applies them to every other file). In a git work tree git itself answers (`git check-ignore`),
 * by the bytes of the name and of the patterns, including the `.gitignore` files of folders globby cannot
 * list; elsewhere the `.gitignore` files the walk reads, matched byte for byte (bytewiseIgnored).
 * Asked only when there are such files: it costs a process or a listing.
 */
async function gitIgnoredIn(cwd: string, undecodable: Undecodable): Promise<(file: UndecodableFile) => boolean> {
  if (undecodable.files.length === 0) return () => false;
  const byGit = await gitCheckIgnore(
    cwd,
    undecodable.files.map((f) => f.bytes),
  );
  if (byGit !== undefined) return (file) => byGit.has(file.bytes.toString('hex'));
  return bytewiseIgnored(cwd);
}

/**
 * Without git: whether the `.gitignore` files cover a file, as the walk reads them (those from the git top
 * folder, or `root`, down to the file's folder), but matched byte for byte (gitignoreRules with `bytes`),
 * and `.gitignore` files in folders whose names are not UTF-8 read too.
 */
function bytewiseIgnored(root: string): (file: UndecodableFile) => boolean {
  const top = Buffer.from(root).toString('latin1');
  const rules = gitignoreRules(top, true);
  /** Folder (relative to root, '' for root) → the rules in force there, made once per folder. */
  const byFolder = new Map<string, Ignores>([['', rules.atRoot]]);
  const folderOf = (relative: string) => (relative.includes('/') ? path.posix.dirname(relative) : '');
  const ignoresIn = (folder: string): Ignores => {
    let known = byFolder.get(folder);
    if (known === undefined) {
      known = rules.below(ignoresIn(folderOf(folder)), path.posix.join(top, folder));
      byFolder.set(folder, known);
    }
    return known;
  };
  return (file) => {
    const relative = path.posix.relative(top, file.bytes.toString('latin1'));
    if (relative === '' || relative.startsWith('../') || path.posix.isAbsolute(relative)) return false;
    return ignoresIn(folderOf(relative)).ignored(relative);
  };
}

/** The paths (as hex of their bytes) git ignores of those given; undefined outside a git work tree. */
function gitCheckIgnore(cwd: string, paths: readonly Buffer[]): Promise<Set<string> | undefined> {
  return new Promise((resolve) => {
    const child = childProcess().spawn('git', ['check-ignore', '-z', '--stdin', '--no-index'], {
      cwd,
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', () => {
      resolve(undefined);
    });
    // 0: some are ignored, 1: none is, 128: not a work tree (or another failure).
    child.on('close', (code) => {
      resolve(
        code === 0 || code === 1
          ? new Set(nulSeparated(Buffer.concat(chunks)).map((b) => b.toString('hex')))
          : undefined,
      );
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(Buffer.concat(paths.flatMap((p) => [p, Buffer.from([0])])));
  });
}

/** The parts of NUL-separated bytes (git -z output, /proc/self/cmdline), without empty ones. */
function nulSeparated(bytes: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let start = 0; start < bytes.length;) {
    let end = bytes.indexOf(0, start);
    if (end === -1) end = bytes.length;
    if (end > start) out.push(bytes.subarray(start, end));
    start = end + 1;
  }
  return out;
}

/** What a folder expansion never lists: `node_modules`, `.git` and the well-known files of other tools. */
export const FOLDER_IGNORED: readonly string[] = [...ALWAYS_IGNORED, ...TOOL_FILES];

const excludedTool = picomatch([...FOLDER_IGNORED], { dot: true });

/**
 * The command line's arguments as bytes, when they are not valid UTF-8: Node decodes them with U+FFFD,
 * which names no file. Linux gives the bytes in /proc/self/cmdline; elsewhere names are UTF-8 (macOS) or
 * UTF-16 (Windows).
 */
let commandLine: Promise<Buffer[]> | undefined;

async function rawArguments(arg: string): Promise<Buffer[]> {
  if (!arg.includes('\uFFFD') || process.platform !== 'linux') return [];
  commandLine ??= readFile('/proc/self/cmdline').then(nulSeparated, () => []);
  const out = new Map<string, Buffer>();
  for (const bytes of await commandLine)
    if (!isUtf8(bytes) && bytes.toString() === arg) out.set(bytes.toString('hex'), bytes);
  return [...out.values()];
}

/** path.resolve() over bytes: latin1 maps each byte to one character and back. */
function resolveBytes(cwd: string, bytes: Buffer): Buffer {
  return Buffer.from(path.resolve(Buffer.from(cwd).toString('latin1'), bytes.toString('latin1')), 'latin1');
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

/** The cache of repeated runs, or anything else that supplies the Source of a file's bytes. */
interface SourceSupplier {
  source(file: string, bytes: Uint8Array, maxBytes: number): Source;
}

/**
 * Read one file into a Source (parsed here unless `cache` supplies it); unreadable files become Sources
 * that say why.
 */
export function readSourceSync(
  cwd: string,
  file: string,
  maxBytes = DEFAULT_MAX_BYTES,
  cache?: SourceSupplier,
): Source {
  const absolute = path.resolve(cwd, file);
  const target = rawPaths.get(absolute) ?? absolute;
  try {
    // Only regular files: a device (/dev/zero) or a named pipe would never end. The size is checked
    // before reading, so that a huge file costs nothing.
    // Synchronous calls: a run reads its files one after the other anyway, and a promise per stat and per
    // read cost five times the CPU of the reading itself (0.3 s of 0.37 s over the corpus's 1,366 files).
    const info = statSync(target);
    if (info.isDirectory()) return unreadableSource(file, 'it is a directory');
    if (!info.isFile()) return unreadableSource(file, 'not a regular file (a device, named pipe or socket)');
    if (info.size > maxBytes) return tooLargeSource(file, info.size, maxBytes);
    const bytes = readFileSync(target);
    return cache ? cache.source(file, bytes, maxBytes) : createSource(file, bytes, { maxBytes });
  } catch (error) {
    return unreadableSource(file, readError(error));
  }
}
