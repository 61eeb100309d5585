/**
 * Which namespace each object of the input lands in, the way it would be applied:
 *
 * 1. a kustomization's `namespace:` moves every resource it builds (as kustomize does, over the
 *    object's own `metadata.namespace`), when every build of the input that includes the file agrees;
 * 2. otherwise `metadata.namespace` as written;
 * 3. otherwise the namespace the user gives (`--namespace`, or `namespace:` in .kubewire.yaml), as
 *    `kubectl apply -n` does;
 * 4. otherwise, when the objects of related files (see model/paths) that do say their namespace all
 *    say the same one, not `default`, and the wiring shows that the others belong with them (a name
 *    or a selector that only resolves in that namespace; judged by resolve/namespaces.ts), that one:
 *    the files are applied together with `-n <it>` (inferred, and findings that rely on it say so);
 * 5. otherwise `default`.
 */
import { FolderIndex, directoryOf } from '../model/paths.js';
import { asString, get } from '../model/values.js';
import type { NamespaceSource } from '../types.js';

export interface NamespaceCandidate {
  /** The file, normalized the way kustomizations name it. */
  file: string;
  raw: Record<string, unknown>;
  namespaced: boolean;
}

export interface AssignedNamespace {
  namespace: string | null;
  source: NamespaceSource;
}

function written(raw: Record<string, unknown>): string | undefined {
  const ns = asString(get(raw, 'metadata', 'namespace'));
  return ns !== undefined && ns !== '' ? ns : undefined;
}

export interface NamespaceAssignment {
  assigned: AssignedNamespace[];
  /**
   * For objects left in `default` because nothing says otherwise: the one namespace the objects of
   * related folders say they are in, when they all say the same one (and it is not `default`). Whether
   * the objects really belong there is for the caller to judge from their wiring (resolve/namespaces.ts).
   */
  inferable: Map<number, string>;
}

export function assignNamespaces(
  candidates: readonly NamespaceCandidate[],
  kustomized: ReadonlyMap<string, string>,
  option: string | undefined,
  /** Candidate index → the namespace inferred for it (from an earlier assignment's `inferable`). */
  inferred: ReadonlyMap<number, string> = new Map(),
): NamespaceAssignment {
  const assigned: AssignedNamespace[] = candidates.map((c, i) => {
    if (!c.namespaced) return { namespace: null, source: null };
    const fromKustomization = kustomized.get(c.file);
    if (fromKustomization !== undefined) return { namespace: fromKustomization, source: 'kustomization' };
    const own = written(c.raw);
    if (own !== undefined) return { namespace: own, source: 'explicit' };
    if (option !== undefined) return { namespace: option, source: 'option' };
    const guess = inferred.get(i);
    if (guess !== undefined) return { namespace: guess, source: 'inferred' };
    return { namespace: 'default', source: 'default' };
  });
  const inferable = new Map<number, string>();
  if (option !== undefined) return { assigned, inferable };
  // The namespaces that objects say they are in, found by the folders related to a file; and a file of
  // each folder that holds objects left in `default`.
  const said = new FolderIndex<string>();
  const unsetFolders = new Map<string, string>();
  candidates.forEach((c, i) => {
    const a = assigned[i];
    if (a === undefined || a.source === null || a.source === 'inferred') return;
    if (a.source !== 'default') said.add(c.file, a.namespace ?? '');
    else if (!unsetFolders.has(directoryOf(c.file))) unsetFolders.set(directoryOf(c.file), c.file);
  });
  const byFolder = new Map<string, string>();
  for (const [dir, file] of unsetFolders) {
    const namespaces = new Set<string>();
    for (const n of said.near(file)) {
      namespaces.add(n);
      if (namespaces.size > 1) break;
    }
    const [only] = namespaces;
    if (namespaces.size === 1 && only !== undefined && only !== 'default') byFolder.set(dir, only);
  }
  candidates.forEach((c, i) => {
    if (assigned[i]?.source !== 'default') return;
    const namespace = byFolder.get(directoryOf(c.file));
    if (namespace !== undefined) inferable.set(i, namespace);
  });
  return { assigned, inferable };
}
