/**
 * The cache of repeated runs (`--cache`, `--cache-location`), in the spirit of ESLint's, at two levels:
 *
 * - **The run.** The report of a whole run (its findings before overrides and baseline, and the objects
 *   it counted), keyed by everything the lint reads: the content hash of every file of every application
 *   (given and context) and of the CRD files, the rules and their settings, the cluster, the namespace,
 *   the Kubernetes version. An unchanged repository then costs reading and hashing its files and printing.
 * - **Each file.** Keyed by the file's content hash: what the parse produced (the problems and, per
 *   document, the plain value and the position tree) and the schema problems of its objects. A file
 *   whose content is unchanged is then linted without being parsed or validated again; the rules that
 *   look across objects still run on the whole graph, so a change in one file is seen everywhere. Each
 *   file's entry is stored serialized on its own: it is deserialized only when the run needs its
 *   documents, and written back as it was read when nothing was added to it.
 *
 * The whole cache is also keyed by the kubewire version (and, in a clone, its build: buildIdentity), the
 * configuration, the targeted Kubernetes version and the Node (V8) version: any of them changes, the cache
 * starts empty. A cache file that
 * cannot be read, is corrupt or was written for something else is ignored and rewritten, never trusted.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { LineCounter } from 'yaml';
import { cachedDocument, documentsOf } from '../load/documents.js';
import { createSource, lineCounterFor } from '../load/source.js';
import { isRecord } from '../model/values.js';
import type { CachedDocument, Finding, ObjectRef, Source, SourceProblem } from '../types.js';
import { VERSION } from './version.js';

/** Bumped whenever what is stored changes shape. */
const FORMAT = 3;
const MAGIC = 'kubewire-cache';
/** How many whole-run reports are kept (a pre-commit run and a full run from one folder alternate). */
const MAX_RUNS = 3;

/** What a file's entry holds, serialized on its own. */
interface FileContent {
  problems: readonly SourceProblem[];
  documents: readonly CachedDocument[];
}

interface FileEntry {
  /** sha256 of the file's bytes. */
  hash: string;
  /** Length of the decoded text (a guard: the text is decoded again, never stored). */
  textLength: number;
  /** `serialize(FileContent)`: a view into the cache file, deserialized only when the run needs it. */
  content: Uint8Array;
  /** Checksum of `content` (see `checksum`): a damaged cache file is never read as if it were sound. */
  sum: string;
}

/** Where a part of the cache file lies after the header. */
interface Span {
  offset: number;
  length: number;
}

/** An object a run linted, as the report needs it (the summary counts them, junit lists them per file). */
export interface LintedObject {
  readonly file: string;
  readonly ref: ObjectRef;
}

/** What a whole run found, before the configuration's overrides and the baseline are applied. */
export interface RunResult {
  findings: Finding[];
  objects: LintedObject[];
}

interface RunEntry {
  key: string;
  /** `serialize(RunResult)`. */
  result: Uint8Array;
  sum: string;
}

/**
 * The header of a cache file. The file is the serialized contents of the files and runs, then the
 * serialized header that points into them, then the header's length (4 bytes, little-endian): writing
 * streams each part out as it is made, reading costs deserializing the header only, and each content is
 * deserialized where it lies when it is needed.
 */
interface Header {
  magic: typeof MAGIC;
  format: number;
  key: string;
  files: Record<string, Omit<FileEntry, 'content'> & Span>;
  /** Most recent first. */
  runs: (Omit<RunEntry, 'result'> & Span)[];
}

/**
 * The cache file name inside a cache folder: one per working directory (by its real path, so that a folder
 * reached through a symbolic link or spelt otherwise has one cache) and per kind of run (`lint` for the
 * command line, `editor` for the language server, whose runtime and settings may differ).
 */
function fileInFolder(folder: string, cwd: string, kind: string): string {
  let real = cwd;
  try {
    real = realpathSync.native(cwd);
  } catch {
    // A folder that cannot be resolved (gone): its name as given.
  }
  return path.join(folder, `${kind}-${createHash('sha256').update(real).digest('hex').slice(0, 16)}.cache`);
}

/** Temporary files of `file` left by a writer that died (killed mid-write): `<file>.<pid>.tmp` of a gone pid. */
function removeStaleTemporaries(file: string): void {
  const prefix = `${path.basename(file)}.`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(file));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) ? /^(\d+)\.tmp$/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid === undefined || Number(pid) === process.pid || processExists(Number(pid))) continue;
    rmSync(path.join(path.dirname(file), name), { force: true });
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, as another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
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
  kind: 'lint' | 'editor' = 'lint',
): string {
  if (location !== undefined && location !== '') {
    const resolved = path.resolve(cwd, location);
    const folder = /[\\/]$/.test(location) || (existsSync(resolved) && statSync(resolved).isDirectory());
    return folder ? fileInFolder(resolved, cwd, kind) : resolved;
  }
  if (existsSync(path.join(cwd, 'node_modules')))
    return fileInFolder(path.join(cwd, 'node_modules', '.cache', 'kubewire'), cwd, kind);
  const home = os.homedir();
  const base =
    process.platform === 'win32'
      ? (env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? path.join(home, 'Library', 'Caches')
        : env.XDG_CACHE_HOME !== undefined && path.isAbsolute(env.XDG_CACHE_HOME)
          ? env.XDG_CACHE_HOME
          : path.join(home, '.cache');
  return fileInFolder(path.join(base, 'kubewire'), cwd, kind);
}

/** What the cache of a run is keyed by, besides each file's content. */
export interface CacheKey {
  /** The resolved configuration. */
  config: unknown;
  /** The targeted Kubernetes minor. */
  kubernetesVersion: string;
}

/**
 * Which build of kubewire this is, beyond its version: a development build keeps the version of its
 * package.json while its rules change, so a clone's build is told apart by its TypeScript build record
 * (`dist/.tsbuildinfo`, rewritten by every build that emits; this file is `dist/src/cli/cache.js`, or the
 * bundle `dist/src/bundle/kubewire.cjs`, both two folders below it). An installed package has no such
 * record: its version names its code. Empty then.
 */
export function buildIdentity(record: URL): string {
  try {
    const stat = statSync(record);
    return `${String(stat.size)}:${String(stat.mtimeMs)}`;
  } catch {
    return '';
  }
}

const BUILD = buildIdentity(new URL('../../.tsbuildinfo', import.meta.url));

export function keyOf(key: CacheKey, build = BUILD): string {
  return createHash('sha256')
    .update(JSON.stringify([MAGIC, FORMAT, VERSION, build, process.versions.v8, key.kubernetesVersion, key.config]))
    .digest('hex');
}

const ERROR_STATES: readonly unknown[] = ['none', 'duplicate-keys', 'syntax'];

function isDocument(d: unknown): d is CachedDocument {
  if (!isRecord(d)) return false;
  const positions = d.positions;
  return (
    ERROR_STATES.includes(d.errors) &&
    typeof d.isMap === 'boolean' &&
    typeof d.start === 'number' &&
    Array.isArray(d.schema) &&
    Array.isArray(d.derived) &&
    (positions === null ||
      (isRecord(positions) && positions.nodes instanceof Int32Array && Array.isArray(positions.keys)))
  );
}

function isFileContent(c: unknown): c is FileContent {
  return isRecord(c) && Array.isArray(c.problems) && Array.isArray(c.documents) && c.documents.every(isDocument);
}

const SEVERITIES: readonly unknown[] = ['error', 'warning', 'info'];
const isNumber = (n: unknown) => typeof n === 'number';

function isFinding(f: unknown): f is Finding {
  return (
    isRecord(f) &&
    typeof f.ruleId === 'string' &&
    typeof f.category === 'string' &&
    SEVERITIES.includes(f.severity) &&
    typeof f.message === 'string' &&
    typeof f.file === 'string' &&
    [f.line, f.column, f.endLine, f.endColumn].every(isNumber) &&
    typeof f.object === 'object' &&
    Array.isArray(f.related)
  );
}

function isRunResult(r: unknown): r is RunResult {
  return (
    isRecord(r) &&
    Array.isArray(r.findings) &&
    r.findings.every(isFinding) &&
    Array.isArray(r.objects) &&
    r.objects.every((o: unknown) => isRecord(o) && typeof o.file === 'string' && isRecord(o.ref))
  );
}

/** What a whole run reads, for its key (see `LintCache.runKey`). */
export interface RunInput {
  /** The applications of the run: the files reported on, and the files read as their context. */
  applications: readonly { readonly given: readonly Source[]; readonly context: readonly Source[] }[];
  crdSources: readonly Source[];
  /** Everything else the lint depends on (rules and settings, cluster, namespace, version, mode): plain data. */
  settings: unknown;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** How a Source read through the cache came to be. */
interface Origin {
  /** sha256 of the file's bytes. */
  hash: string;
  /** The entry it was restored from (undefined: it was parsed). */
  entry?: FileEntry;
  /** Its content, once the run needed it. */
  content?: FileContent;
  /** Whether the entry turned out damaged (its content was parsed again): it is written anew. */
  damaged?: boolean;
}

export class LintCache {
  private readonly previous: Map<string, FileEntry>;
  private readonly previousRuns: readonly RunEntry[];
  private readonly origins = new WeakMap<Source, Origin>();
  private pendingRun: RunEntry | undefined;
  /** Files the run read, and whether they came from the cache. */
  hits = 0;
  misses = 0;
  /** Whether the run's report came from the cache. */
  runRestored = false;

  private constructor(
    readonly file: string,
    private readonly key: string,
    files: Record<string, FileEntry>,
    runs: readonly RunEntry[],
  ) {
    this.previous = new Map(Object.entries(files));
    this.previousRuns = runs.slice(0, MAX_RUNS);
  }

  /** Open the cache file for a run with this key: a missing, unreadable, corrupt or foreign file is an empty cache. */
  static open(file: string, key: CacheKey): LintCache {
    const wanted = keyOf(key);
    const files: Record<string, FileEntry> = {};
    const runs: RunEntry[] = [];
    try {
      const bytes = readFileSync(file);
      const headerLength = bytes.byteLength >= 4 ? bytes.readUInt32LE(bytes.byteLength - 4) : 0;
      const body = bytes.byteLength - 4 - headerLength;
      // Whatever the file holds is unknown until checked.
      const header: unknown =
        headerLength > 0 && body >= 0 ? deserialize(bytes.subarray(body, body + headerLength)) : null;
      const part = (span: Record<string, unknown>): Uint8Array | undefined => {
        const { offset, length } = span;
        if (typeof offset !== 'number' || typeof length !== 'number' || offset < 0 || length < 0) return undefined;
        return offset + length <= body ? bytes.subarray(offset, offset + length) : undefined;
      };
      if (isRecord(header)) {
        const h = header;
        if (
          h.magic === MAGIC &&
          h.format === FORMAT &&
          h.key === wanted &&
          isRecord(h.files) &&
          Array.isArray(h.runs)
        ) {
          for (const [name, entry] of Object.entries(h.files)) {
            const { hash, textLength, sum } = isRecord(entry) ? entry : {};
            if (typeof hash !== 'string' || typeof textLength !== 'number' || typeof sum !== 'string') continue;
            const content = part(entry as Record<string, unknown>);
            if (content !== undefined) files[name] = { hash, textLength, content, sum };
          }
          for (const run of h.runs as unknown[]) {
            if (!isRecord(run) || typeof run.key !== 'string' || typeof run.sum !== 'string') continue;
            const result = part(run);
            if (result !== undefined) runs.push({ key: run.key, result, sum: run.sum });
          }
        }
      }
    } catch {
      // Missing or unreadable: start empty, and write a good one at the end.
    }
    return new LintCache(file, wanted, files, runs);
  }

  /**
   * The Source of a file: restored without a parse when its content is unchanged since the cached run
   * (its documents are deserialized only when the run reads them), else parsed.
   */
  source(file: string, bytes: Uint8Array, maxBytes: number): Source {
    const hash = createHash('sha256').update(bytes).digest('hex');
    const entry = this.previous.get(file);
    if (entry === undefined || entry.hash !== hash || bytes.byteLength > maxBytes) {
      this.misses++;
      const parsed = createSource(file, bytes, { maxBytes });
      this.origins.set(parsed, { hash });
      return parsed;
    }
    this.hits++;
    // The bytes are those the entry was made from (their SHA-256), which decoded as UTF-8 then: the text is
    // decoded only when a reader asks for it (a run whose report is restored whole quotes few files).
    let decodedText: string | undefined;
    const text = () => (decodedText ??= decoded(bytes, entry));
    const origin: Origin = { hash, entry };
    const content = (): FileContent => (origin.content ??= restore(origin, file, entry, text()));
    let lineCounter: LineCounter | undefined;
    const source: Source = {
      path: file,
      get text() {
        return text();
      },
      get lineCounter() {
        return (lineCounter ??= lineCounterFor(text()));
      },
      documents: [],
      get problems() {
        return content().problems;
      },
      skipped: undefined,
      get cached() {
        return content().documents;
      },
    };
    this.origins.set(source, origin);
    return source;
  }

  /**
   * The key of a whole run: the key of the cache and everything the lint of these applications reads.
   * Files read through the cache count by the hash of their bytes, others (standard input, CRD files,
   * files that could not be read) by their path, text and why they were skipped.
   */
  runKey(input: RunInput): string {
    const hash = createHash('sha256').update(this.key);
    const add = (part: string) => hash.update(`${String(part.length)}:${part}`);
    const addSource = (source: Source) => {
      add(source.path);
      add(JSON.stringify(source.skipped ?? null));
      const origin = this.origins.get(source);
      add(origin !== undefined ? origin.hash : createHash('sha256').update(source.text).digest('hex'));
    };
    hash.update(serialize(input.settings));
    for (const app of input.applications) {
      add(`application ${String(app.given.length)} ${String(app.context.length)}`);
      app.given.forEach(addSource);
      app.context.forEach(addSource);
    }
    add(`crds ${String(input.crdSources.length)}`);
    input.crdSources.forEach(addSource);
    return hash.digest('hex');
  }

  /** The cached result of the run with this key, if there is a sound one. */
  run(key: string): RunResult | undefined {
    const entry = this.previousRuns.find((r) => r.key === key);
    if (entry === undefined || checksum(entry.result) !== entry.sum) return undefined;
    try {
      const result: unknown = deserialize(entry.result);
      if (!isRunResult(result)) return undefined;
      this.runRestored = true;
      return result;
    } catch {
      return undefined;
    }
  }

  /** Keep the result of this run (written by `save`). */
  rememberRun(key: string, result: RunResult): void {
    const bytes = serialize(result);
    this.pendingRun = { key, result: bytes, sum: checksum(bytes) };
  }

  /**
   * Write the cache for the sources of this run (after linting, so that the schema problems found
   * are stored too). Entries of files outside this run are kept while the files exist. Nothing is
   * written when nothing changed. Failing to write is not an error of the run: the message is returned.
   */
  async save(sources: readonly Source[], cwd: string): Promise<string | undefined> {
    // What each file's entry will be: the one read (unchanged), or a new one made from its Source.
    const files = new Map<string, FileEntry | { source: Source; hash: string }>();
    let changed = this.pendingRun !== undefined;
    for (const source of sources) {
      const origin = this.origins.get(source);
      if (origin === undefined || source.skipped !== undefined || files.has(source.path)) continue;
      const entry = origin.entry;
      const kept =
        entry !== undefined &&
        origin.damaged !== true &&
        (origin.content === undefined || !grown(origin.content, source));
      changed ||= !kept;
      files.set(source.path, kept ? entry : { source, hash: origin.hash });
    }
    for (const [file, entry] of this.previous) {
      if (files.has(file)) continue;
      if (existsSync(path.resolve(cwd, file))) files.set(file, entry);
      else changed = true;
    }
    if (!changed && this.previous.size === files.size) return undefined;
    const runs = this.pendingRun === undefined ? [] : [this.pendingRun];
    for (const run of this.previousRuns) if (runs.length < MAX_RUNS && run.key !== runs[0]?.key) runs.push(run);
    const temporary = `${this.file}.${process.pid}.tmp`;
    let fd: number | undefined;
    try {
      await mkdir(path.dirname(this.file), { recursive: true });
      removeStaleTemporaries(this.file);
      fd = openSync(temporary, 'w');
      // Each part is written as soon as it is serialized (none is kept), the header last.
      let offset = 0;
      const put = (bytes: Uint8Array): Span => {
        writeAll(fd ?? -1, bytes);
        offset += bytes.byteLength;
        return { offset: offset - bytes.byteLength, length: bytes.byteLength };
      };
      const header: Header = { magic: MAGIC, format: FORMAT, key: this.key, files: {}, runs: [] };
      for (const [name, entry] of files) {
        if ('source' in entry) {
          const { source, hash } = entry;
          const content: FileContent = {
            problems: source.problems,
            documents: documentsOf(source).map(cachedDocument),
          };
          const bytes = serialize(content);
          header.files[name] = { hash, textLength: source.text.length, sum: checksum(bytes), ...put(bytes) };
        } else {
          const { content, ...rest } = entry;
          header.files[name] = { ...rest, ...put(content) };
        }
      }
      for (const { result, ...run } of runs) header.runs.push({ ...run, ...put(result) });
      const head = serialize(header);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(head.byteLength, 0);
      writeAll(fd, head);
      writeAll(fd, length);
      closeSync(fd);
      fd = undefined;
      renameSync(temporary, this.file);
      return undefined;
    } catch (error) {
      if (fd !== undefined) closeSync(fd);
      await rm(temporary, { force: true }).catch(() => undefined);
      return `cannot write the cache ${this.file}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  for (let done = 0; done < bytes.byteLength;) done += writeSync(fd, bytes, done);
}

/** A checksum of a stored part, checked before the part is deserialized. */
function checksum(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

/**
 * The text of a file restored from the cache, decoded as createSource decoded it when the entry was made.
 * Bytes that no longer decode to a text of the stored length cannot have the stored hash: should a damaged
 * cache file pair them anyway, the file is read as createSource reads it.
 */
function decoded(bytes: Uint8Array, entry: FileEntry): string {
  try {
    const text = utf8.decode(bytes);
    if (text.length === entry.textLength) return text;
  } catch {
    // Not UTF-8: below.
  }
  return createSource('', bytes).text;
}

/**
 * The content of an entry. Should it not match its checksum or not deserialize to what an entry holds
 * (the cache file was damaged), the text is parsed instead, which gives exactly what the entry was made from.
 */
function restore(origin: Origin, file: string, entry: FileEntry, text: string): FileContent {
  try {
    const content: unknown = checksum(entry.content) === entry.sum ? deserialize(entry.content) : undefined;
    if (isFileContent(content)) return content;
  } catch {
    // Damaged: parse below.
  }
  origin.damaged = true;
  const parsed = createSource(file, text);
  return { problems: parsed.problems, documents: documentsOf(parsed).map(cachedDocument) };
}

/** Whether this run added schema problems or derived values to the documents of a restored source. */
function grown(content: FileContent, source: Source): boolean {
  return documentsOf(source).some((d, i) => {
    const before = content.documents[i];
    return d.schema.size !== before?.schema.length || d.derived.size !== before.derived.length;
  });
}
