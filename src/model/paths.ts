/** Relations between the files of one run. */
import { pushTo } from './values.js';

export function directoryOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i === -1 ? '' : path.slice(0, i);
}

/** Whether two folders are related: the same, or one contains the other ('' contains every folder). */
export function relatedFolders(da: string, db: string): boolean {
  return da === db || da === '' || db === '' || db.startsWith(`${da}/`) || da.startsWith(`${db}/`);
}

/**
 * Whether two files belong to one application: one's directory contains the other's. In a
 * repository of many independent samples, objects of one sample are no evidence about another.
 */
export function relatedFiles(a: string, b: string): boolean {
  return relatedFolders(directoryOf(a), directoryOf(b));
}

/** 0: the same file, 1: related files, 2: unrelated. */
export function closeness(a: string, b: string): number {
  return a === b ? 0 : relatedFiles(a, b) ? 1 : 2;
}

/**
 * Of several definitions of one object (a repository often holds variants of a manifest), the ones
 * closest to `from`: in its file if any, else in related files, else all of them.
 */
export function closest<T extends { source: { path: string } }>(definitions: readonly T[], from: string): readonly T[] {
  let best = 3;
  let worst = 0;
  for (const d of definitions) {
    const c = closeness(from, d.source.path);
    best = Math.min(best, c);
    worst = Math.max(worst, c);
  }
  // All of them (the common case: one definition) is the list itself, not a copy.
  return best === worst ? definitions : definitions.filter((d) => closeness(from, d.source.path) === best);
}

/**
 * Items added one at a time, found by the folders related to a file (its own, those above it, those below
 * it: relatedFolders in model/paths), without visiting the others. For questions asked while a list grows
 * (ObjectVersions' files, FirstDefinitions' folders), where Locality's fixed list does not fit.
 */
export class FolderIndex<T> {
  /** folder → the items directly in it, in the order added. */
  private readonly inFolder = new Map<string, T[]>();
  /** folder → the items in the folders below it, in the order added. */
  private readonly below = new Map<string, T[]>();

  add(file: string, item: T): void {
    const folder = directoryOf(file);
    pushTo(this.inFolder, folder, item);
    for (let up = folder; up !== '';) {
      up = directoryOf(up);
      pushTo(this.below, up, item);
    }
  }

  /** The items of related folders: the file's own folder, then each folder above it, then those below it. */
  *near(file: string): Generator<T> {
    const folder = directoryOf(file);
    yield* this.inFolder.get(folder) ?? [];
    for (let up = folder; up !== '';) {
      up = directoryOf(up);
      yield* this.inFolder.get(up) ?? [];
    }
    yield* this.below.get(folder) ?? [];
  }
}
