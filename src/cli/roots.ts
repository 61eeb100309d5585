/**
 * Application roots (`roots:` in `.kubewire.yaml`): the folders that each hold one application. A run
 * without paths lints each root as its own application, and `--context auto` (the pre-commit hook) lints
 * each given file with the rest of its root as context, never with another root. Without roots the
 * context is the git work tree's manifest files (or, outside git, the working directory).
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isRootGlob } from '../config.js';
import type { Source } from '../types.js';
import type { LoadedConfig } from './config-file.js';
import { ConfigFileError } from './config-file.js';
import type { ContextOptions } from './context.js';
import { loadContextSources, readContextFiles } from './context.js';
import { display, gitManifestFiles, loadGlobby } from './files.js';

/** The `--context` value that takes the context from the configuration's roots, else from git. */
export const AUTO_CONTEXT = 'auto';

/** One application to lint: the files whose findings are reported, and the files read only as context. */
export interface Application {
  given: Source[];
  context: Source[];
}

function within(root: string, absolute: string): boolean {
  const relative = path.relative(root, absolute);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * The configured roots as absolute folders, globs expanded (to folders only), sorted. A root that does
 * not exist or is not a folder, a glob that matches no folder, and roots that overlap once expanded are
 * configuration errors: a typo would otherwise silently lint nothing.
 */
export async function expandRoots(loaded: LoadedConfig, cwd: string): Promise<string[]> {
  const shown = loaded.file === undefined ? '.kubewire.yaml' : path.relative(cwd, loaded.file) || loaded.file;
  const fail = (message: string) => new ConfigFileError(`${shown}: roots: ${message}`);
  const found = new Map<string, string>(); // absolute folder → the entry that named it
  const name = (folder: string, root: string) => {
    const before = found.get(folder);
    if (before !== undefined && before !== root)
      throw fail(
        `\`${before}\` and \`${root}\` both name \`${display(cwd, folder)}\`: each folder is one application root`,
      );
    found.set(folder, root);
  };
  for (const root of loaded.config.roots) {
    if (isRootGlob(root)) {
      const { globby } = await loadGlobby();
      const matches = await globby(root, {
        cwd: loaded.base,
        onlyDirectories: true,
        absolute: true,
        gitignore: true,
        ignore: ['**/node_modules/**', '**/.git/**'],
      });
      if (matches.length === 0) throw fail(`\`${root}\` matches no folder`);
      for (const m of matches) name(path.resolve(m), root);
    } else {
      const absolute = path.resolve(loaded.base, root);
      const info = await stat(absolute).catch(() => undefined);
      if (info === undefined) throw fail(`\`${root}\` does not exist`);
      if (!info.isDirectory()) throw fail(`\`${root}\` is not a folder`);
      name(absolute, root);
    }
  }
  const roots = [...found.keys()].sort();
  for (let i = 1; i < roots.length; i++) {
    const outer = roots.findLast((r, j) => j < i && within(r, roots[i] ?? ''));
    if (outer !== undefined)
      throw fail(
        `\`${display(cwd, outer)}\` (from \`${found.get(outer) ?? ''}\`) contains ` +
          `\`${display(cwd, roots[i] ?? '')}\` (from \`${found.get(roots[i] ?? '') ?? ''}\`): ` +
          'each file must belong to one application root',
      );
  }
  return roots;
}

/** The root that holds a file, if any (roots do not overlap). */
export function rootOf(file: string, roots: readonly string[], cwd: string): string | undefined {
  if (file.startsWith('<')) return undefined;
  const absolute = path.resolve(cwd, file);
  return roots.find((r) => within(r, absolute));
}

/** Whether a source is a Helm chart template (template syntax), which only `helm template` output can lint. */
function isTemplate(source: Source): boolean {
  return source.skipped?.reason === 'template';
}

/**
 * The applications of a run.
 * - `--context DIR`: the given files with every manifest under DIR.
 * - `--context auto`: with roots, each root's given files with the rest of that root (given files in no
 *   root are not linted); without roots, the given files with the git work tree's manifest files.
 * - no `--context`, no paths and roots: each root on its own.
 * - otherwise: the given files, as one application.
 * In context mode, Helm chart templates among the given files are left out quietly, as files that are not
 * manifests are: pre-commit passes every changed YAML file, and a chart's templates are linted through
 * `helm template` output (docs/ci.md#helm-charts), not one by one.
 */
export async function applications(
  sources: Source[],
  context: string | undefined,
  byRoot: boolean,
  roots: readonly string[],
  options: ContextOptions,
): Promise<Application[]> {
  if (context === undefined) {
    if (!byRoot || roots.length === 0) return [{ given: sources, context: [] }];
    return roots
      .map((root) => ({ given: sources.filter((s) => rootOf(s.path, [root], options.cwd) !== undefined), context: [] }))
      .filter((app) => app.given.length > 0);
  }
  const given = sources.filter((s) => !isTemplate(s));
  if (context !== AUTO_CONTEXT) return [{ given, context: await loadContextSources(context, given, options) }];
  if (roots.length > 0) {
    const apps: Application[] = [];
    for (const root of roots) {
      const inRoot = given.filter((s) => rootOf(s.path, [root], options.cwd) !== undefined);
      if (inRoot.length > 0) apps.push({ given: inRoot, context: await loadContextSources(root, inRoot, options) });
    }
    return apps;
  }
  const files = await gitManifestFiles({ cwd: options.cwd, ignore: options.ignore, ignoreBase: options.ignoreBase });
  if (files === undefined) return [{ given, context: await loadContextSources('.', given, options) }];
  return [{ given, context: readContextFiles(files, given, options) }];
}
