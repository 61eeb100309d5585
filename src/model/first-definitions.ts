/**
 * duplicate-object's question, for the definitions of one object in input order: which earlier definition
 * is the first one a definition repeats? The earliest one in a related file (model/paths: one's folder
 * contains the other's) that is neither an alternative variant of its file (Variants) nor an alternative
 * version of the object (ObjectVersions). A definition without one is itself a first.
 *
 * The firsts are held per folder, so that a question visits related folders only, and a folder's firsts
 * are skipped together when they are all alternatives or versions of the asking file:
 *
 * - in another folder, when the two folders are alternatives, or when the file shares enough with the
 *   identities every first's file of that folder defines (Variants.alternativeToAll);
 * - in the file's own folder, the same test, and then only the firsts whose file names do not read as
 *   versions of the file's name are candidates: those with another first word, and those that share a
 *   name key (nameKeys) with it.
 *
 * Each candidate is then decided one by one, as before. n files of one folder whose names read as versions
 * of each other (`app-v1` … `app-v4000`), or which are all alternatives of each other, are n firsts that no
 * question visits one by one.
 */
import { FolderIndex, directoryOf } from './paths.js';
import { nameKeys } from './variants.js';
import type { ObjectVersions, Variants } from './variants.js';
import { pushTo } from './values.js';
import type { KObject } from '../types.js';

interface Entry {
  readonly order: number;
  readonly object: KObject;
}

/** The firsts of one folder. */
class FolderFirsts {
  constructor(readonly folder: string) {}
  readonly byFile = new Map<string, Entry[]>();
  /** The identities every first's file defines (the intersection of their Variants.fileIdentities). */
  common: Set<string> | undefined;
  /** First word of the file name ('' for a name without words) → the firsts of files with it. */
  readonly byFirstWord = new Map<string, Entry[]>();
  /** nameKeys of the file names → the firsts of those files. */
  readonly byKey = new Map<string, Entry[]>();
  /** First word → the firsts of files whose names have too many words for keys. */
  readonly unkeyed = new Map<string, Entry[]>();
}

export class FirstDefinitions {
  private readonly folders = new Map<string, FolderFirsts>();
  /** The folders that hold firsts, found by the folders related to a file. */
  private readonly index = new FolderIndex<FolderFirsts>();
  private count = 0;
  /** nameKeys of each file's name words, computed once per file (find and add ask for the same file). */
  private readonly keys = new Map<string, string[] | undefined>();

  constructor(
    private readonly variants: Variants,
    private readonly versions: ObjectVersions,
  ) {}

  private nameKeysOf(file: string, words: readonly string[]): string[] | undefined {
    if (this.keys.has(file)) return this.keys.get(file);
    const keys = nameKeys(words);
    this.keys.set(file, keys);
    return keys;
  }

  /** Whether `first`, an earlier definition, is the one `object` repeats (not an alternative or a version). */
  private repeats(first: KObject, object: KObject): boolean {
    return (
      !this.variants.alternatives(first.source.path, object.source.path) && !this.versions.alternatives(first, object)
    );
  }

  /** The first definition `object` repeats (the earliest in the order of add()), or undefined. */
  find(object: KObject): KObject | undefined {
    const file = object.source.path;
    const folder = directoryOf(file);
    let best: Entry | undefined;
    const consider = (entries: Iterable<Entry>) => {
      for (const e of entries)
        if ((best === undefined || e.order < best.order) && this.repeats(e.object, object)) best = e;
    };
    const visit = (firsts: FolderFirsts) => {
      const own = firsts.folder === folder;
      if (!own && this.variants.folderAlternatives(folder, firsts.folder)) return;
      // A first of the same file is never an alternative or a version of it.
      if (own) consider(firsts.byFile.get(file) ?? []);
      if (firsts.common !== undefined && this.variants.alternativeToAll(file, firsts.common)) return;
      const words = this.versions.words(file);
      const word = words[0];
      if (!own || word === undefined) {
        for (const entries of firsts.byFirstWord.values()) consider(entries);
        return;
      }
      // Names with another first word never read as versions of this one.
      for (const [w, entries] of firsts.byFirstWord) if (w !== word) consider(entries);
      const keys = this.nameKeysOf(file, words);
      if (keys === undefined) {
        consider(firsts.byFirstWord.get(word) ?? []);
        return;
      }
      consider(firsts.unkeyed.get(word) ?? []);
      const seen = new Set<Entry>();
      for (const key of keys)
        for (const e of firsts.byKey.get(key) ?? [])
          if (!seen.has(e)) {
            seen.add(e);
            consider([e]);
          }
    };
    for (const firsts of this.index.near(file)) visit(firsts);
    return best?.object;
  }

  /** Make `object` a first (a definition that find() found none for). */
  add(object: KObject): void {
    const file = object.source.path;
    const folder = directoryOf(file);
    let firsts = this.folders.get(folder);
    if (firsts === undefined) {
      this.folders.set(folder, (firsts = new FolderFirsts(folder)));
      this.index.add(file, firsts);
    }
    const entry = { order: this.count++, object };
    pushTo(firsts.byFile, file, entry);
    const ids = this.variants.fileIdentities(file);
    if (firsts.common === undefined) firsts.common = new Set(ids);
    else for (const id of firsts.common) if (!ids.has(id)) firsts.common.delete(id);
    const words = this.versions.words(file);
    const word = words[0] ?? '';
    pushTo(firsts.byFirstWord, word, entry);
    if (words.length === 0) return;
    const keys = this.nameKeysOf(file, words);
    if (keys === undefined) pushTo(firsts.unkeyed, word, entry);
    else for (const key of keys) pushTo(firsts.byKey, key, entry);
  }
}
