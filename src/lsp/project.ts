/**
 * A project of the language server: one workspace folder (or one file outside every folder) loaded the
 * way the command line loads that folder: `.kubewire.yaml` found upward, `.gitignore`, `ignore:`,
 * `crds:`, `cluster:`. Open buffers overlay the files on disk. Each file is parsed once per text; a
 * lint re-runs the same pure engine as the command line over the project's sources, given the previous
 * result so that the rules whose reads no edit touches keep their findings (src/incremental.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import type { Rule } from '../api.js';
import { loadConfig } from '../cli/config-file.js';
import { effectiveRuleSettings } from '../presets.js';
import { MANIFEST_GLOB, discover, fileUri, readSourceSync } from '../cli/files.js';
import { loadCrdSources } from '../cli/input.js';
import type { Io } from '../cli/input.js';
import type { LintCache } from '../cli/cache.js';
import { withClusterFile } from '../cli/schedule-command.js';
import { EMPTY_CONFIG } from '../config.js';
import type { KubewireConfig } from '../config.js';
import { lint } from '../engine.js';
import type { LintResult } from '../engine.js';
import { createSource } from '../load/source.js';
import type { ClusterDeclaration } from '../model/cluster.js';
import type { Source } from '../types.js';

/** What the client may set (initializationOptions, or the `kubewire` section of its settings). */
export interface ServerSettings {
  /** A configuration file to use instead of the nearest `.kubewire.yaml` (relative to each folder). */
  configFile?: string | undefined;
  /** The Kubernetes version to validate against; overrides the configuration's. */
  kubernetesVersion?: string | undefined;
  /** A cluster description for the scheduling rules (like `--cluster`), relative to each folder. */
  clusterFile?: string | undefined;
  /** Milliseconds of quiet after an edit before re-linting (the protocol thread's business). */
  debounceMs?: number;
  /**
   * Keep the parsed files in a cache beside the command line's (`kubewire --cache`), so that the next start
   * of the server parses only what changed; default true.
   */
  cache?: boolean;
}

const isManifestName = picomatch(MANIFEST_GLOB, { dot: true });

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

export class Project {
  /** Absolute directory the project's relative paths start from. */
  readonly root: string;
  /** Set for a project of one file outside every workspace folder (absolute path). */
  readonly singleFile: string | undefined;
  config: KubewireConfig = EMPTY_CONFIG;
  /** The configuration file in force (absolute), if any. */
  configFile: string | undefined;
  private cluster: ClusterDeclaration = EMPTY_CONFIG.cluster;
  private crdSources: Source[] = [];
  private ignored: (relativeToBase: string) => boolean = () => false;
  private ignoreBase = '';
  /** Relative paths the command line would lint, in its order. */
  private files: string[] = [];
  private readonly disk = new Map<string, Source>();
  private readonly overlay = new Map<string, Source>();
  /**
   * The cache the files are read through (loaded again with the configuration, which is part of its key),
   * and whether the files read since then still have to be written to it (after the first lint).
   */
  private cache: LintCache | undefined;
  private cacheToSave = false;
  /** The last complete lint: its result and the sources it saw. */
  result: LintResult | undefined;
  sourcesByPath = new Map<string, Source>();
  /** A newer text, file list or configuration than the last lint saw. */
  dirty = true;
  /** The configuration or the file list must be read (again) before the next lint. */
  needsLoad = true;

  constructor(root: string, singleFile?: string) {
    this.root = root;
    this.singleFile = singleFile;
  }

  relative(absolute: string): string {
    const rel = path.relative(this.root, absolute);
    return toPosix(path.isAbsolute(rel) ? absolute : rel);
  }

  absolute(relative: string): string {
    return path.resolve(this.root, relative);
  }

  /** URIs of the project's files by relative path; read again with the file list (see `fileUri`). */
  private readonly uris = new Map<string, string>();

  uri(relative: string): string {
    let uri = this.uris.get(relative);
    if (uri === undefined) {
      uri = fileUri(this.absolute(relative));
      this.uris.set(relative, uri);
    }
    return uri;
  }

  /** (Re)read the configuration and the file list. Problems are returned as log lines, never thrown. */
  async load(settings: ServerSettings, rules: readonly Rule[]): Promise<string[]> {
    const problems: string[] = [];
    const io: Io = {
      cwd: this.root,
      env: {},
      stdout: { write: () => true },
      stderr: { write: () => true },
      readStdin: () => Promise.resolve(new Uint8Array()),
    };
    try {
      const loaded = await loadConfig(
        this.root,
        settings.configFile,
        rules.map((r) => r.id),
      );
      this.config = loaded.config;
      this.configFile = loaded.file;
      this.ignoreBase = loaded.base;
      this.crdSources = await loadCrdSources(loaded);
    } catch (error) {
      problems.push(`${message(error)} (linting ${this.root} with the default configuration)`);
      this.config = EMPTY_CONFIG;
      this.configFile = undefined;
      this.ignoreBase = this.root;
      this.crdSources = [];
    }
    this.cluster = this.config.cluster;
    try {
      this.cluster = await withClusterFile(this.config.cluster, settings.clusterFile, io);
    } catch (error) {
      problems.push(message(error));
    }
    const ignore = this.config.ignore;
    const matcher = ignore.length > 0 ? picomatch([...ignore], { dot: true }) : () => false;
    this.ignored = (absolute) => matcher(toPosix(path.relative(this.ignoreBase, absolute)));
    if (this.singleFile !== undefined) {
      this.files = [this.relative(this.singleFile)];
    } else {
      try {
        this.files = existsSync(this.root)
          ? (await discover(['.'], { cwd: this.root, ignore, ignoreBase: this.ignoreBase })).files
          : [];
      } catch (error) {
        problems.push(`cannot list ${this.root}: ${message(error)}`);
        this.files = [];
      }
    }
    this.cache = undefined;
    this.cacheToSave = false;
    if (settings.cache !== false) {
      try {
        // Where the command line's cache of this folder would be, in a file of its own: the editor's runtime
        // (Electron's Node in VS Code) and settings are part of the key, and a run with another key rewrites
        // the whole file.
        const { LintCache, cacheFile } = await import('../cli/cache.js');
        this.cache = LintCache.open(cacheFile(undefined, this.root, process.env, 'editor'), {
          config: this.config,
          kubernetesVersion: settings.kubernetesVersion ?? this.config.kubernetesVersion ?? '',
        });
        this.cacheToSave = true;
      } catch (error) {
        problems.push(`cannot use the cache: ${message(error)}`);
      }
    }
    this.disk.clear();
    this.uris.clear();
    this.needsLoad = false;
    this.dirty = true;
    return problems;
  }

  /** An open buffer's text replaces the file on disk. */
  setOverlay(absolute: string, text: string): void {
    const rel = this.relative(absolute);
    if (this.overlay.get(rel)?.text === text) return;
    this.overlay.set(rel, createSource(rel, text));
    this.dirty = true;
  }

  removeOverlay(absolute: string): void {
    if (this.overlay.delete(this.relative(absolute))) this.dirty = true;
  }

  /** A file changed on disk: read it again at the next lint. */
  invalidate(absolute: string): void {
    this.disk.delete(this.relative(absolute));
    this.dirty = true;
  }

  /** Whether a file takes part in the project: listed by discovery, or a new buffer the discovery would list. */
  includes(rel: string): boolean {
    if (this.files.includes(rel)) return true;
    if (this.singleFile !== undefined || !this.overlay.has(rel)) return false;
    return isManifestName(rel) && !rel.startsWith('../') && !path.isAbsolute(rel) && !this.ignored(this.absolute(rel));
  }

  private sources(): Source[] {
    const out: Source[] = [];
    const listed = new Set(this.files);
    // Files not read yet (all of them at the first lint) are read synchronously, as the command line reads
    // them: this is the worker thread, and a promise per stat and read cost more than the reading itself.
    for (const rel of this.files) {
      const open = this.overlay.get(rel);
      if (open) {
        out.push(open);
        continue;
      }
      let source = this.disk.get(rel);
      if (!source) {
        source = readSourceSync(this.root, rel, undefined, this.cache);
        this.disk.set(rel, source);
      }
      out.push(source);
    }
    const extra = [...this.overlay.keys()].filter((rel) => !listed.has(rel) && this.includes(rel)).sort();
    for (const rel of extra) {
      const source = this.overlay.get(rel);
      if (source) out.push(source);
    }
    return out;
  }

  /**
   * Lint the project if something changed. Throws LintCancelled when `isCancelled` says so; the
   * previous result stays in place then.
   */
  lint(rules: readonly Rule[], settings: ServerSettings, isCancelled: () => boolean): boolean {
    if (!this.dirty) return false;
    const start = performance.now();
    const sources = this.sources();
    this.dirty = false;
    const read = performance.now();
    try {
      this.result = lint(sources, {
        rules,
        ruleSettings: effectiveRuleSettings(rules, this.config.preset, this.config.rules),
        cluster: this.cluster,
        kubernetesVersion: settings.kubernetesVersion ?? this.config.kubernetesVersion,
        crdSources: this.crdSources,
        isCancelled,
        // Each rule whose reads no edit since the last lint touches keeps its findings (src/incremental.ts).
        incremental: true,
        previous: this.result,
      });
    } catch (error) {
      this.dirty = true;
      throw error;
    }
    this.sourcesByPath = new Map(sources.map((s) => [s.path, s]));
    const end = performance.now();
    this.lastTiming = { readMs: read - start, lintMs: end - read };
    return true;
  }

  /** How long the last lint took: reading and parsing the files not read yet, then the engine. */
  lastTiming: { readMs: number; lintMs: number } | undefined;

  /**
   * Write the files read since the configuration was loaded to the cache, once, after a lint (whose schema
   * problems are stored with them). Open buffers are not files: the cache keeps what is on disk. Returns
   * what to log: how many files came from the cache, and a failure to write it.
   */
  async saveCache(): Promise<string[]> {
    const cache = this.cache;
    if (cache === undefined || !this.cacheToSave || this.result === undefined) return [];
    this.cacheToSave = false;
    const problem = await cache.save([...this.disk.values()], this.root);
    const restored = `cache ${cache.file}: ${String(cache.hits)} files restored, ${String(cache.misses)} parsed`;
    return problem === undefined ? [restored] : [restored, problem];
  }
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
