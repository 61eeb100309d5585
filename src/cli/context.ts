/**
 * Linting files in the context of their repository (`--context DIR`): what pre-commit and lint-staged
 * need, since they pass only the changed files. Every manifest under DIR is loaded as well (honouring
 * `.gitignore` and the configuration's `ignore`), the whole is linted as one application, and only the
 * findings that concern the given files are reported: those located in them, and those located elsewhere
 * with a related location in them (a Service edited so that it breaks a Deployment in another file).
 */
import type { Finding, KObject, Source } from '../types.js';
import type { LintCache } from './cache.js';
import { discover, readSourceSync } from './files.js';

export interface ContextOptions {
  cwd: string;
  /** The configuration's `ignore` globs and the folder they are relative to. */
  ignore: readonly string[];
  ignoreBase: string;
  maxBytes: number | undefined;
  /** The cache of repeated runs (`--cache`): context files are what it saves most on. */
  cache?: LintCache | undefined;
}

/** The manifests under `dir` that are not among the given sources, read as context. */
export async function loadContextSources(
  dir: string,
  given: readonly Source[],
  options: ContextOptions,
): Promise<Source[]> {
  const found = await discover([dir], { cwd: options.cwd, ignore: options.ignore, ignoreBase: options.ignoreBase });
  return readContextFiles(found.files, given, options);
}

/** The files (paths as `discover` gives them) that are not among the given sources, read as context. */
export function readContextFiles(
  files: readonly string[],
  given: readonly Source[],
  options: ContextOptions,
): Source[] {
  const have = new Set(given.map((s) => s.path));
  const out: Source[] = [];
  for (const file of files)
    if (!have.has(file)) out.push(readSourceSync(options.cwd, file, options.maxBytes, options.cache));
  return out;
}

/** The findings that concern the given files: located in one, or related to one. */
export function findingsForGiven(findings: readonly Finding[], given: readonly Source[]): Finding[] {
  const files = new Set(given.map((s) => s.path));
  return findings.filter((f) => files.has(f.file) || f.related.some((r) => files.has(r.file)));
}

/** How many objects the given files hold (for the summary line, which counts only what was given). */
export function objectsIn(objects: readonly KObject[], given: readonly Source[]): KObject[] {
  const files = new Set(given.map((s) => s.path));
  return objects.filter((o) => files.has(o.source.path));
}

/** Sources sorted by path, as a folder run reads them. */
export function sortByPath(sources: Source[]): Source[] {
  return sources.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
