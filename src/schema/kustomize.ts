/**
 * What kustomizations in the input say about the files they use: strategic-merge patches are partial
 * objects (required fields may be absent), and `commonLabels` (or `labels` with `includeSelectors`)
 * make kustomize write the selectors of the resources it builds.
 */
import { mappingValues } from '../load/documents.js';
import { asArray, asString, isRecord } from '../model/values.js';
import type { Source } from '../types.js';

export interface KustomizeRoles {
  /** Files used as strategic-merge patches. */
  patches: ReadonlySet<string>;
  /** Resource files whose selectors kustomize fills in. */
  selectorsAdded: ReadonlySet<string>;
  /**
   * Files a kustomization names under `transformers:`, `generators:`, `validators:` or
   * `configurations:`: configuration of kustomize's plugins, never applied to a cluster.
   */
  configs: ReadonlySet<string>;
  /**
   * Resource files (reached through `resources:`, `bases:` and `components:`, across nested
   * kustomizations) and the namespace every build that includes them gives their objects: the
   * `namespace:` of the outermost kustomization that sets one. Files that some build includes without
   * a namespace, or with two different ones, are left out: the input does not say where they go.
   */
  namespaceOf: ReadonlyMap<string, string>;
}

export const KUSTOMIZATION_FILE = /(^|[\\/])(kustomization\.ya?ml|Kustomization)$/;

/** `a/b/../c/./d.yaml` → `a/c/d.yaml`, with `/` separators. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  const absolute = path.startsWith('/');
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else out.push(part);
  }
  return (absolute ? '/' : '') + out.join('/');
}

function dirOf(path: string): string {
  const p = path.replace(/\\/g, '/');
  const slash = p.lastIndexOf('/');
  return slash === -1 ? '' : p.slice(0, slash);
}

interface Kustomization {
  dir: string;
  namespace: string | undefined;
  /** Resolved `resources:`, `bases:` and `components:` entries (files or folders). */
  resources: string[];
}

/**
 * The last answer and the kustomization sources it was read from: the roles depend on those sources
 * alone (their paths and documents; a source is one text), so the same sources in the same order give
 * the same roles. The loader, the schema pass and the rules ask for them once per lint each, and the
 * language server lints again after every edit, which rarely touches a kustomization.
 */
let lastRoles: { kustomizations: readonly Source[]; roles: KustomizeRoles } | undefined;

export function kustomizeRoles(sources: readonly Source[]): KustomizeRoles {
  const files = sources.filter((s) => KUSTOMIZATION_FILE.test(s.path));
  const last = lastRoles;
  if (
    last !== undefined &&
    last.kustomizations.length === files.length &&
    files.every((s, i) => last.kustomizations[i] === s)
  )
    return last.roles;
  const roles = readRoles(files);
  lastRoles = { kustomizations: files, roles };
  return roles;
}

function readRoles(kustomizationSources: readonly Source[]): KustomizeRoles {
  const roles = {
    patches: new Set<string>(),
    selectorsAdded: new Set<string>(),
    configs: new Set<string>(),
    namespaceOf: new Map<string, string>(),
  };
  const kustomizations = new Map<string, Kustomization>();
  for (const source of kustomizationSources) {
    const dir = dirOf(source.path);
    const resolve = (entry: string) => normalizePath(dir === '' ? entry : `${dir}/${entry}`);
    for (const js of mappingValues(source)) {
      for (const p of asArray(js.patchesStrategicMerge))
        if (typeof p === 'string' && !p.includes('\n')) roles.patches.add(resolve(p));
      for (const p of asArray(js.patches)) {
        const file = typeof p === 'string' ? p : asString(isRecord(p) ? p.path : undefined);
        if (file !== undefined) roles.patches.add(resolve(file));
      }
      // Plugin configuration is named by file; an inline entry (a YAML string with newlines) is not a file.
      for (const field of ['transformers', 'generators', 'validators', 'configurations'])
        for (const entry of asArray(js[field]))
          if (typeof entry === 'string' && !entry.includes('\n')) roles.configs.add(resolve(entry));
      const addsSelectors =
        isRecord(js.commonLabels) || asArray(js.labels).some((l) => isRecord(l) && l.includeSelectors === true);
      if (addsSelectors)
        for (const r of asArray(js.resources)) if (typeof r === 'string') roles.selectorsAdded.add(resolve(r));
      const namespace = asString(js.namespace);
      const resources = ['resources', 'bases', 'components'].flatMap((field) =>
        asArray(js[field]).flatMap((r) => (typeof r === 'string' && !/^[a-z]+:\/\/|^git@/.test(r) ? [resolve(r)] : [])),
      );
      kustomizations.set(normalizePath(dir), {
        dir: normalizePath(dir),
        namespace: namespace !== undefined && namespace !== '' ? namespace : undefined,
        resources,
      });
    }
  }
  assignNamespaces(kustomizations, roles.namespaceOf);
  return roles;
}

/**
 * Walk every build (each kustomization no other includes is a root) down to its resource files, and keep
 * the files whose every build gives them one and the same namespace.
 */
function assignNamespaces(kustomizations: ReadonlyMap<string, Kustomization>, out: Map<string, string>): void {
  const included = new Set<string>();
  for (const k of kustomizations.values())
    for (const r of k.resources) if (kustomizations.has(r) && r !== k.dir) included.add(r);
  /** file → namespaces its builds give it ('' for a build without one). */
  const seen = new Map<string, Set<string>>();
  const walk = (k: Kustomization, namespace: string, path: Set<string>) => {
    for (const r of k.resources) {
      const nested = kustomizations.get(r);
      if (nested !== undefined) {
        if (path.has(r)) continue; // a cycle: kustomize rejects it
        path.add(r);
        walk(nested, namespace !== '' ? namespace : (nested.namespace ?? ''), path);
        path.delete(r);
        continue;
      }
      const set = seen.get(r) ?? new Set<string>();
      set.add(namespace);
      seen.set(r, set);
    }
  };
  for (const k of kustomizations.values()) {
    if (included.has(k.dir)) continue;
    walk(k, k.namespace ?? '', new Set([k.dir]));
  }
  for (const [file, namespaces] of seen) {
    const [only] = namespaces;
    if (namespaces.size === 1 && only !== undefined && only !== '') out.set(file, only);
  }
}
