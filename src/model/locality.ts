/**
 * Which items of a list are in files related to a given file (Graph.related: one's folder contains the
 * other's, and not alternative variants), without visiting the others. Asking it of every item of a list
 * costs all pairs: n copies of one Service and Deployment pair in one folder asked n Deployments for each
 * of n Services. Here the items are grouped by folder and, within a folder, by the variant class of their
 * file, so that a question visits the folders above and below the file's own and skips a whole class of
 * alternative files at once.
 */
import { directoryOf } from './paths.js';
import type { Variants } from './variants.js';

interface Entry<T> {
  readonly order: number;
  readonly item: T;
}

/** The items of one folder: by variant class of their file (files without named objects: by file), then by file. */
type FolderGroups<T> = Map<number | string, Map<string, Entry<T>[]>>;

export class Locality<T extends { readonly source: { readonly path: string } }> {
  private readonly folders = new Map<string, FolderGroups<T>>();
  /** The folders, sorted: a folder's descendants follow it as one run of `folder/…` prefixes. */
  private readonly sorted: string[];

  constructor(
    items: readonly T[],
    private readonly variants: Variants,
  ) {
    items.forEach((item, order) => {
      const file = item.source.path;
      const folder = directoryOf(file);
      let groups = this.folders.get(folder);
      if (!groups) this.folders.set(folder, (groups = new Map<number | string, Map<string, Entry<T>[]>>()));
      const key = variants.fileClass(file) ?? `file:${file}`;
      let files = groups.get(key);
      if (!files) groups.set(key, (files = new Map<string, Entry<T>[]>()));
      const list = files.get(file);
      if (list) list.push({ order, item });
      else files.set(file, [{ order, item }]);
    });
    this.sorted = [...this.folders.keys()].sort();
  }

  /** The items in files related to `file`, in the order of the list. */
  related(file: string): T[] {
    const folder = directoryOf(file);
    const own = this.variants.fileClass(file);
    const out: Entry<T>[] = [];
    const visit = (other: string) => {
      const groups = this.folders.get(other);
      if (!groups || (other !== folder && this.variants.folderAlternatives(folder, other))) return;
      for (const [key, files] of groups) {
        if (own !== undefined && key === own) {
          // Other files of the file's own class are alternatives of it.
          for (const entry of files.get(file) ?? []) out.push(entry);
        } else if (typeof key === 'string' || !this.variants.classAlternatives(own, key)) {
          // Loops, not push(...list): one file may hold 200,000 objects, more than a spread's stack.
          for (const list of files.values()) for (const entry of list) out.push(entry);
        }
      }
    };
    // The folder itself and every folder above it…
    for (let up = folder; ; up = directoryOf(up)) {
      visit(up);
      if (up === '') break;
    }
    // …and every folder below it.
    const prefix = folder === '' ? '' : `${folder}/`;
    for (let i = lowerBound(this.sorted, prefix); i < this.sorted.length; i++) {
      const other = this.sorted[i] ?? '';
      if (!other.startsWith(prefix)) break;
      if (other !== '' && other !== folder) visit(other);
    }
    return out.sort((a, b) => a.order - b.order).map((e) => e.item);
  }
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? '') < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
