/**
 * Alternative variants of one application, side by side in a repository: an all-in-one file next to
 * per-service files, a quick-start bundle next to a full one, a Deployment and a StatefulSet version of
 * the same database, two routing configurations of the same VirtualService. They are never applied
 * together, so neither duplicates nor wiring are computed between them.
 *
 * Decided from the objects alone. An object's identity is its kind, namespace and name (workload kinds
 * count as one kind, so a Deployment and a StatefulSet of one name are the same component). Two files are
 * alternatives when they define exactly the same set of identities, or when they share at least two
 * identities and at least half of the smaller file's. Two folders (the files directly in each) are
 * alternatives by the same measure, and then so are all their files: a bundle in `release/` against the
 * per-service files of `manifests/`. One object defined again in another file of the same application
 * (a ConfigMap in its own file and again beside a Deployment) is not a variant: it stays a duplicate.
 */
import { directoryOf } from './paths.js';
import type { KObject } from '../types.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod']);

function identity(o: KObject): string {
  return `${WORKLOADS.has(o.kind) ? 'workload' : o.kind}\u0000${o.namespace ?? ''}\u0000${o.name}`;
}

function pairKey(a: number, b: number): string {
  return a < b ? `${String(a)}:${String(b)}` : `${String(b)}:${String(a)}`;
}

/**
 * Units (files or folders) grouped into classes of equal identity sets, which are alternatives of each
 * other whatever their number (n copies of one file cost one class, not n² pairs), and the pairs of
 * classes that are alternatives.
 */
class UnitClasses {
  private readonly classOf = new Map<string, number>();
  private readonly pairs = new Set<string>();

  constructor(idsOfUnit: ReadonlyMap<string, Set<string>>) {
    const bySignature = new Map<string, number>();
    const classIds: Set<string>[] = [];
    for (const [unit, ids] of idsOfUnit) {
      const signature = [...ids].sort().join('\u0001');
      let c = bySignature.get(signature);
      if (c === undefined) {
        c = classIds.length;
        bySignature.set(signature, c);
        classIds.push(ids);
      }
      this.classOf.set(unit, c);
    }
    const classesOf = new Map<string, number[]>();
    classIds.forEach((ids, c) => {
      for (const id of ids) (classesOf.get(id) ?? classesOf.set(id, []).get(id))?.push(c);
    });
    const shared = new Map<string, number>();
    for (const list of classesOf.values()) {
      // An identity defined in very many different sets says little, and would cost many pairs: cap it.
      if (list.length < 2 || list.length > 500) continue;
      for (let i = 0; i < list.length; i++)
        for (let j = i + 1; j < list.length; j++) {
          const key = pairKey(list[i] ?? 0, list[j] ?? 0);
          shared.set(key, (shared.get(key) ?? 0) + 1);
        }
    }
    // Distinct classes never have equal sets: alternatives share at least two identities and half the smaller set.
    for (const [key, count] of shared) {
      const [a = 0, b = 0] = key.split(':').map(Number);
      const smaller = Math.min(classIds[a]?.size ?? 0, classIds[b]?.size ?? 0);
      if (count >= 2 && count * 2 >= smaller) this.pairs.add(key);
    }
  }

  /** The class of a unit; undefined for a unit without named objects. */
  of(unit: string): number | undefined {
    return this.classOf.get(unit);
  }

  /** Whether two classes are alternatives (a class is its own alternative: its units define the same set). */
  alternatives(a: number | undefined, b: number | undefined): boolean {
    return a !== undefined && b !== undefined && (a === b || this.pairs.has(pairKey(a, b)));
  }
}

export class Variants {
  private readonly files: UnitClasses;
  private readonly folders: UnitClasses;

  constructor(objects: readonly KObject[]) {
    const fileIds = new Map<string, Set<string>>();
    const folderIds = new Map<string, Set<string>>();
    for (const o of objects) {
      if (o.name === '') continue;
      const id = identity(o);
      const file = o.source.path;
      const folder = directoryOf(file);
      (fileIds.get(file) ?? fileIds.set(file, new Set()).get(file))?.add(id);
      (folderIds.get(folder) ?? folderIds.set(folder, new Set()).get(folder))?.add(id);
    }
    this.files = new UnitClasses(fileIds);
    this.folders = new UnitClasses(folderIds);
  }

  /** Whether two files are alternative variants (never applied together). */
  alternatives(a: string, b: string): boolean {
    if (a === b) return false;
    if (this.files.alternatives(this.files.of(a), this.files.of(b))) return true;
    const da = directoryOf(a);
    const db = directoryOf(b);
    return da !== db && this.folderAlternatives(da, db);
  }

  /** Whether two different folders are alternatives (then so are all their files). */
  folderAlternatives(da: string, db: string): boolean {
    return this.folders.alternatives(this.folders.of(da), this.folders.of(db));
  }

  /** The variant class of a file: files of one class define the same set of objects. */
  fileClass(file: string): number | undefined {
    return this.files.of(file);
  }

  /** Whether files of two classes are alternatives. */
  classAlternatives(a: number | undefined, b: number | undefined): boolean {
    return this.files.alternatives(a, b);
  }
}
