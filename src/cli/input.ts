/** What every command reads: the configuration and the sources, and where output goes. */
import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import type { Rule } from '../api.js';
import type { KubewireConfig } from '../config.js';
import { createSource, unreadableSource } from '../load/source.js';
import type { Source } from '../types.js';
import type { LintCache } from './cache.js';
import { loadConfig } from './config-file.js';
import type { LoadedConfig } from './config-file.js';
import { ConfigFileError } from './config-file.js';
import { UsageError, discover, readSourceSync } from './files.js';
import { expandRoots } from './roots.js';

export interface Io {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: { write(text: string): unknown; isTTY?: boolean };
  stderr: { write(text: string): unknown };
  /** Read all of standard input. */
  readStdin(): Promise<Uint8Array>;
}

export interface InputFlags {
  config?: string;
  stdinFilename?: string;
  /** Largest file to parse, in MiB. */
  maxFileSize?: number;
}

/** The configuration and the sources a command works on (and the CRD files the configuration lists). */
export async function loadInput(
  paths: readonly string[],
  flags: InputFlags,
  io: Io,
  rules: readonly Rule[],
  openCache?: (config: KubewireConfig) => Promise<LintCache | undefined>,
): Promise<{
  config: KubewireConfig;
  sources: Source[];
  crdSources: Source[];
  configBase: string;
  cache: LintCache | undefined;
  /** The configuration's application roots, as absolute folders (globs expanded); empty when none. */
  roots: string[];
}> {
  const loaded = await loadConfig(
    io.cwd,
    flags.config,
    rules.map((r) => r.id),
  );
  const roots = await expandRoots(loaded, io.cwd);
  // No paths: the application roots of the configuration, else the working directory.
  const targets = paths.length > 0 ? paths : roots.length > 0 ? roots : ['.'];
  const found = await discover(targets, { cwd: io.cwd, ignore: loaded.config.ignore, ignoreBase: loaded.base });
  const sources: Source[] = [];
  const maxBytes = flags.maxFileSize === undefined ? undefined : flags.maxFileSize * 1024 * 1024;
  const cache = await openCache?.(loaded.config);
  for (const file of found.files) sources.push(readSourceSync(io.cwd, file, maxBytes, cache));
  for (const folder of found.unreadable) sources.push(unreadableSource(folder.path, folder.reason, 'folder'));
  if (found.stdin)
    sources.push(
      createSource(flags.stdinFilename ?? '<stdin>', await io.readStdin(), maxBytes === undefined ? {} : { maxBytes }),
    );
  const crdSources = await loadCrdSources(loaded);
  return { config: loaded.config, sources, crdSources, configBase: loaded.base, cache, roots };
}

/** The files of `crds:` (files, folders or globs relative to the configuration file): read, never linted. */
export async function loadCrdSources(loaded: LoadedConfig): Promise<Source[]> {
  if (loaded.config.crds.length === 0) return [];
  let files: string[];
  try {
    files = (await discover(loaded.config.crds, { cwd: loaded.base, ignore: [], ignoreBase: loaded.base })).files;
  } catch (error) {
    if (error instanceof UsageError)
      throw new ConfigFileError(`${loaded.file ?? '.kubewire.yaml'}: crds: ${error.message}`);
    throw error;
  }
  const out: Source[] = [];
  for (const file of files) out.push(readSourceSync(loaded.base, file));
  return out;
}

/** Pieces joined into parts of about a mebibyte: few writes, and never the whole output at once. */
function* batched(pieces: Iterable<string>): Generator<string> {
  let pending: string[] = [];
  let size = 0;
  for (const piece of pieces) {
    pending.push(piece);
    size += piece.length;
    if (size >= 1 << 20) {
      yield pending.join('');
      pending = [];
      size = 0;
    }
  }
  if (pending.length > 0) yield pending.join('');
}

/** Write a report, given whole or in pieces (renderReport), to standard output or to `outputFile`. */
export async function writeOutput(
  output: string | Iterable<string>,
  outputFile: string | undefined,
  io: Io,
): Promise<void> {
  const parts = typeof output === 'string' ? [output] : batched(output);
  if (outputFile === undefined) {
    for (const part of parts) io.stdout.write(part);
    return;
  }
  const target = path.resolve(io.cwd, outputFile);
  try {
    await mkdir(path.dirname(target), { recursive: true });
    const file = await open(target, 'w');
    try {
      for (const part of parts) await file.write(part);
    } finally {
      await file.close();
    }
  } catch (error) {
    throw new UsageError(`cannot write ${outputFile}: ${writeError(error)}`);
  }
}

/** Why an output file cannot be written, in a few words. */
function writeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder; give a file name';
  if (code === 'EEXIST' || code === 'ENOTDIR') return 'a part of the path is a file, not a folder';
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'no space left on the device';
  return error instanceof Error ? error.message : String(error);
}
