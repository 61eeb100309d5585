/**
 * What kustomizations in the input say about the files they use: strategic-merge patches are partial
 * objects (required fields may be absent), and `commonLabels` (or `labels` with `includeSelectors`)
 * make kustomize write the selectors of the resources it builds.
 */
import { documentData } from '../load/data.js';
import { isMap } from 'yaml';
import { asArray, asString, isRecord } from '../model/values.js';
import type { Source } from '../types.js';

export interface KustomizeRoles {
  /** Files used as strategic-merge patches. */
  patches: Set<string>;
  /** Resource files whose selectors kustomize fills in. */
  selectorsAdded: Set<string>;
}

const KUSTOMIZATION_FILE = /(^|[\\/])(kustomization\.ya?ml|Kustomization)$/;

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

export function kustomizeRoles(sources: readonly Source[]): KustomizeRoles {
  const roles: KustomizeRoles = { patches: new Set(), selectorsAdded: new Set() };
  for (const source of sources) {
    if (!KUSTOMIZATION_FILE.test(source.path)) continue;
    const dir = dirOf(source.path);
    const resolve = (entry: string) => normalizePath(dir === '' ? entry : `${dir}/${entry}`);
    for (const document of source.documents) {
      if (!isMap(document.contents)) continue;
      const data = documentData(document);
      if (!data.ok || !isRecord(data.value)) continue;
      const js = data.value;
      for (const p of asArray(js.patchesStrategicMerge))
        if (typeof p === 'string' && !p.includes('\n')) roles.patches.add(resolve(p));
      for (const p of asArray(js.patches)) {
        const file = typeof p === 'string' ? p : asString(isRecord(p) ? p.path : undefined);
        if (file !== undefined) roles.patches.add(resolve(file));
      }
      const addsSelectors =
        isRecord(js.commonLabels) || asArray(js.labels).some((l) => isRecord(l) && l.includeSelectors === true);
      if (addsSelectors)
        for (const r of asArray(js.resources)) if (typeof r === 'string') roles.selectorsAdded.add(resolve(r));
    }
  }
  return roles;
}
