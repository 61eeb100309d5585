/**
 * The cache of repeated runs (`--cache`, `--cache-location`), in the spirit of ESLint's: per file,
 * keyed by the file's content hash, it keeps what the parse produced (the problems and, per
 * document, the plain value and the position tree) and the schema problems of its objects. A file
 * whose content is unchanged is then linted without being parsed or validated again; the rules that
 * look across objects still run on the whole graph, so a change in one file is seen everywhere.
 *
 * The whole cache is also keyed by the kubewire version, the configuration, the targeted Kubernetes
 * version and the Node (V8) version: any of them changes, the cache starts empty. A cache file that
 * cannot be read, is corrupt or was written for something else is ignored and rewritten, never trusted.
 */
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { cachedDocument, documentsOf } from '../load/documents.js';
import type { CachedDocument } from '../types.js';
import { lineCounterFor } from '../load/source.js';
import type { Source, SourceProblem } from '../types.js';
import { VERSION } from './version.js';

/** Bumped whenever what is stored changes shape. */
const FORMAT = 2;
const MAGIC = 'kubewire-cache';

interface CacheEntry {
  /** sha256 of the file's bytes. */
  hash: string;
  /** Length of the decoded text (a guard: the text is decoded again, never stored). */
  textLength: number;
  problems: readonly SourceProblem[];
  documents: readonly CachedDocument[];
}

interface CacheData {
  magic: typeof MAGIC;
  format: number;
  key: string;
  files: Record<string, CacheEntry>;
}

/** The cache file name inside a cache folder: one per working directory. */
function fileInFolder(folder: string, cwd: string): string {
  return path.join(folder, `lint-${createHash('sha256').update(cwd).digest('hex').slice(0, 16)}.cache`);
}

/**
 * Where the cache lives: `--cache-location` (a file, or a folder when it ends with a slash or is an
 * existing folder), else `node_modules/.cache/kubewire/` of the working directory when it has
 * `node_modules`, else the OS cache folder (`$XDG_CACHE_HOME` or `~/.cache`, `~/Library/Caches`
 * on macOS, `%LOCALAPPDATA%` on Windows) under `kubewire/`.
 */
export function cacheFile(
  location: string | undefined,
  cwd: string,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (location !== undefined && location !== '') {
    const resolved = path.resolve(cwd, location);
    const folder = /[\\/]$/.test(location) || (existsSync(resolved) && statSync(resolved).isDirectory());
    return folder ? fileInFolder(resolved, cwd) : resolved;
  }
  if (existsSync(path.join(cwd, 'node_modules')))
    return fileInFolder(path.join(cwd, 'node_modules', '.cache', 'kubewire'), cwd);
  const home = os.homedir();
  const base =
    process.platform === 'win32'
      ? (env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Caches')
        : env.XDG_CACHE_HOME !== undefined && path.isAbsolute(env.XDG_CACHE_HOME)
          ? env.XDG_CACHE_HOME
          : path.join(home, '.cache');
  return fileInFolder(path.join(base, 'kubewire'), cwd);
}

/** What the cache of a run is keyed by, besides each file's content. */
export interface CacheKey {
  /** The resolved configuration. */
  config: unknown;
  /** The targeted Kubernetes minor. */
  kubernetesVersion: string;
}

function keyOf(key: CacheKey): string {
  return createHash('sha256')
    .update(JSON.stringify([MAGIC, FORMAT, VERSION, process.versions.v8, key.kubernetesVersion, key.config]))
    .digest('hex');
}

const ERROR_STATES: readonly unknown[] = ['none', 'duplicate-keys', 'syntax'];

function isDocument(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const d = value as Record<string, unknown>;
  const positions = d.positions as Record<string, unknown> | null | undefined;
  return (
    ERROR_STATES.includes(d.errors) &&
    typeof d.isMap === 'boolean' &&
    typeof d.start === 'number' &&
    Array.isArray(d.schema) &&
    Array.isArray(d.derived) &&
    (positions === null ||
      (typeof positions === 'object' && positions.nodes instanceof Int32Array && typeof positions.keys === 'string'))
  );
}

/** The shape of an entry (its values are the parse's own, restored by V8's deserializer). */
function isEntry(value: unknown): value is CacheEntry {
  if (typeof value !== 'object' || value === null) return false;
  const e = value as Record<string, unknown>;
  return (
    typeof e.hash === 'string' &&
    typeof e.textLength === 'number' &&
    Array.isArray(e.problems) &&
    Array.isArray(e.documents) &&
    e.documents.every(isDocument)
  );
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class LintCache {
  private readonly previous: Map<string, CacheEntry>;
  private readonly hashes = new Map<string, string>();
  private readonly restored = new Map<string, CacheEntry>();
  /** Files the run read, and whether they came from the cache. */
  hits = 0;
  misses = 0;

  private constructor(
    readonly file: string,
    private readonly key: string,
    previous: Record<string, CacheEntry>,
  ) {
    this.previous = new Map(Object.entries(previous));
  }

  /** Open the cache file for a run with this key: a missing, unreadable, corrupt or foreign file is an empty cache. */
  static async open(file: string, key: CacheKey): Promise<LintCache> {
    const wanted = keyOf(key);
    let files: Record<string, CacheEntry> = {};
    try {
      // Whatever the file holds is unknown until checked.
      const data: unknown = deserialize(await readFile(file));
      if (typeof data === 'object' && data !== null) {
        const d = data as Record<string, unknown>;
        if (d.magic === MAGIC && d.format === FORMAT && d.key === wanted && typeof d.files === 'object' && d.files)
          files = d.files as Record<string, CacheEntry>;
      }
    } catch {
      // Missing or unreadable: start empty, and write a good one at the end.
    }
    return new LintCache(file, wanted, files);
  }

  /**
   * The Source of a file whose content is unchanged since the cached run, restored without a parse;
   * undefined when the file must be parsed (then pass the parsed Source to `remember`).
   */
  source(file: string, bytes: Uint8Array, maxBytes: number): Source | undefined {
    const hash = createHash('sha256').update(bytes).digest('hex');
    this.hashes.set(file, hash);
    const entry = this.previous.get(file);
    if (entry === undefined || !isEntry(entry) || entry.hash !== hash || bytes.byteLength > maxBytes) {
      this.misses++;
      return undefined;
    }
    let text: string;
    try {
      text = utf8.decode(bytes);
    } catch {
      this.misses++;
      return undefined;
    }
    if (text.length !== entry.textLength) {
      this.misses++;
      return undefined;
    }
    this.hits++;
    this.restored.set(file, entry);
    return {
      path: file,
      text,
      lineCounter: lineCounterFor(text),
      documents: [],
      problems: entry.problems,
      skipped: undefined,
      cached: entry.documents,
    };
  }

  /**
   * Write the cache for the sources of this run (after linting, so that the schema problems found
   * are stored too). Entries of files outside this run are kept while the files exist. Nothing is
   * written when nothing changed. Failing to write is not an error of the run: the message is returned.
   */
  async save(sources: readonly Source[], cwd: string): Promise<string | undefined> {
    const files: Record<string, CacheEntry> = {};
    let changed = false;
    for (const source of sources) {
      const hash = this.hashes.get(source.path);
      if (hash === undefined || source.skipped !== undefined) continue;
      const restored = this.restored.get(source.path);
      const documents = documentsOf(source);
      // Unchanged unless this run added schema problems or derived values to a restored document.
      const unchanged = (entry: CacheEntry) =>
        documents.every((d, i) => {
          const before = entry.documents[i];
          return d.schema.size === before?.schema.length && d.derived.size === before.derived.length;
        });
      if (restored !== undefined && unchanged(restored)) {
        files[source.path] = restored;
        continue;
      }
      changed = true;
      files[source.path] = {
        hash,
        textLength: source.text.length,
        problems: source.problems,
        documents: documents.map(cachedDocument),
      };
    }
    for (const [file, entry] of this.previous) {
      if (Object.hasOwn(files, file) || this.hashes.has(file)) continue;
      if (existsSync(path.resolve(cwd, file))) files[file] = entry;
      else changed = true;
    }
    if (!changed && this.previous.size === Object.keys(files).length) return undefined;
    const data: CacheData = { magic: MAGIC, format: FORMAT, key: this.key, files };
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFile(temporary, serialize(data));
      await rename(temporary, this.file);
      return undefined;
    } catch (error) {
      await rm(temporary, { force: true }).catch(() => undefined);
      return `cannot write the cache ${this.file}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}
