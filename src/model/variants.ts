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
import { FolderIndex, directoryOf } from './paths.js';
import { pushTo } from './values.js';
import type { KObject } from '../types.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod']);

/** What variants are decided from: an object's kind, namespace, name and file. */
export type Identified = Pick<KObject, 'kind' | 'namespace' | 'name'> & { readonly source: { readonly path: string } };

function identity(o: Identified): string {
  return `${WORKLOADS.has(o.kind) ? 'workload' : o.kind}\u0000${o.namespace ?? ''}\u0000${o.name}`;
}

/**
 * Units (files or folders) grouped into classes of equal identity sets, which are alternatives of each
 * other whatever their number (n copies of one file cost one class, not n² pairs). Two different classes
 * are alternatives when they share at least two identities and at least half of the smaller set.
 *
 * Decided when asked, by counting the smaller set's identities in the larger one, and remembered for sets
 * larger than SMALL_SET. The pairs of alternative classes are never listed: when every pair of n files is
 * alternative (n files that share two objects and add one each), listing them cost n² time and memory
 * whether or not anything asked. Time: one pass over the identities, then at most the smaller set per
 * question; memory: the identities plus one entry per question about two large sets.
 */
class UnitClasses {
  private readonly classOf = new Map<string, number>();
  /** Per class: its identities, as a set and as a list to count from. */
  private readonly sets: ReadonlySet<string>[] = [];
  private readonly lists: (readonly string[])[] = [];
  /** Answers about two classes larger than SMALL_SET: key smaller · count + larger. */
  private readonly answers = new Map<number, boolean>();

  constructor(idsOfUnit: ReadonlyMap<string, Set<string>>) {
    const bySignature = new Map<string, number>();
    for (const [unit, ids] of idsOfUnit) {
      const list = [...ids].sort();
      const signature = list.join('\u0001');
      let c = bySignature.get(signature);
      if (c === undefined) {
        c = this.sets.length;
        bySignature.set(signature, c);
        this.sets.push(ids);
        this.lists.push(list);
      }
      this.classOf.set(unit, c);
    }
  }

  /** Whether class b comes after class a in the order "smaller set first, then lower number". */
  private after(a: number, b: number): boolean {
    const sa = this.sets[a]?.size ?? 0;
    const sb = this.sets[b]?.size ?? 0;
    return sb > sa || (sb === sa && b > a);
  }

  /** The class of a unit; undefined for a unit without named objects. */
  of(unit: string): number | undefined {
    return this.classOf.get(unit);
  }

  /** The identities of a class. */
  identities(c: number): ReadonlySet<string> {
    return this.sets[c] ?? new Set();
  }

  /** Whether class a is an alternative of every class whose set contains `common`: a shares enough with it. */
  alternativeToAll(a: number, common: ReadonlySet<string>): boolean {
    const ids = this.lists[a] ?? [];
    return shares(ids, common, threshold(ids.length));
  }

  /** Whether two classes are alternatives (a class is its own alternative: its units define the same set). */
  alternatives(a: number | undefined, b: number | undefined): boolean {
    if (a === undefined || b === undefined) return false;
    if (a === b) return true;
    const [small, large] = this.after(a, b) ? [a, b] : [b, a];
    const ids = this.lists[small] ?? [];
    const decide = () => shares(ids, this.sets[large] ?? new Set(), threshold(ids.length));
    if (ids.length <= SMALL_SET) return decide();
    const key = small * this.sets.length + large;
    let answer = this.answers.get(key);
    if (answer === undefined) this.answers.set(key, (answer = decide()));
    return answer;
  }
}

/** Sets up to this size are compared again when asked again: as cheap as remembering the answer. */
const SMALL_SET = 8;

/** How many identities two sets share at least to be alternatives, the smaller of size `size`. */
function threshold(size: number): number {
  return Math.max(2, Math.ceil(size / 2));
}

/** Whether at least `threshold` of `ids` are in `other` (stops as soon as the answer is known). */
function shares(ids: readonly string[], other: ReadonlySet<string>, threshold: number): boolean {
  let count = 0;
  let left = ids.length;
  for (const id of ids) {
    if (other.has(id)) count++;
    left--;
    if (count >= threshold) return true;
    if (count + left < threshold) return false;
  }
  return false;
}

/**
 * The last few answers of `Variants.of` by the identities and files they were decided from: the engine
 * builds two graphs when it infers namespaces, and the language server lints again after every edit,
 * which rarely changes what any file defines.
 */
const recent: { key: string; variants: Variants }[] = [];
const RECENT = 2;

export class Variants {
  private readonly files: UnitClasses;
  private readonly folders: UnitClasses;

  /** `new Variants(objects)`, or an equal one decided before from the same identities in the same files. */
  static of(objects: readonly Identified[]): Variants {
    const key = objects
      .map((o) => `${o.source.path}\u0000${identity(o)}\u0000${o.name === '' ? '' : 'n'}`)
      .join('\u0001');
    const known = recent.find((r) => r.key === key);
    if (known !== undefined) return known.variants;
    const variants = new Variants(objects);
    recent.unshift({ key, variants });
    recent.length = Math.min(recent.length, RECENT);
    return variants;
  }

  constructor(objects: readonly Identified[]) {
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

  /** The identities of the named objects a file defines (empty for a file without any). */
  fileIdentities(file: string): ReadonlySet<string> {
    const c = this.files.of(file);
    return c === undefined ? new Set() : this.files.identities(c);
  }

  /**
   * Whether a file is an alternative of every file that defines at least the identities `common` (see
   * fileIdentities): it shares enough of them with any such file, whatever else either defines.
   */
  alternativeToAll(file: string, common: ReadonlySet<string>): boolean {
    const c = this.files.of(file);
    return c !== undefined && this.files.alternativeToAll(c, common);
  }
}

/** A file's name without its folder and its last extension, split into words (`route-reviews-v3`). */
function nameWords(file: string): string[] {
  const base = file.slice(file.lastIndexOf('/') + 1).replace(/\.[^.]*$/, '');
  return base.split(/[-_.]+/).filter((w) => w !== '');
}

/**
 * Whether two file names read as versions of one thing: they start with the same word, and what differs
 * after their common beginning and end holds a number (`route-reviews-v3` and `route-all-v1`, `job-2b`
 * and `job-7b`, `hubble-ui-auto` and `hubble-ui-128`). `app-config` and `cart` do not.
 */
export function versionedNames(a: string, b: string): boolean {
  return versionedWords(nameWords(a), nameWords(b));
}

/** versionedNames on the words of the two names. */
function versionedWords(wa: readonly string[], wb: readonly string[]): boolean {
  let head = 0;
  while (head < wa.length && head < wb.length && wa[head] === wb[head]) head++;
  if (head === 0) return false;
  let tail = 0;
  while (tail < wa.length - head && tail < wb.length - head && wa[wa.length - 1 - tail] === wb[wb.length - 1 - tail])
    tail++;
  // What differs between the common beginning and end, in either name, holds a number.
  for (const words of [wa, wb])
    for (let i = head; i < words.length - tail; i++) if (/\d/.test(words[i] ?? '')) return true;
  return false;
}

/** Names of more words than this are not indexed by nameKeys (hostile names would cost their square). */
const MAX_KEYED_WORDS = 16;

/**
 * Keys such that two names with the same first word that do NOT read as versions of one thing (see
 * versionedWords) share at least one: for each way to write the name as A·M·B with A of at least one word
 * and M without a digit, the pair (A, B). When versionedWords(a, b) is false for a common first word, the
 * common beginning and end it finds, with the middles between them, are such a split of both names. Two
 * names that share a key may still be versions (the key is a filter, not the answer). Undefined for names
 * of more than MAX_KEYED_WORDS words.
 */
export function nameKeys(words: readonly string[]): string[] | undefined {
  if (words.length === 0 || words.length > MAX_KEYED_WORDS) return undefined;
  const keys: string[] = [];
  for (let a = 1; a <= words.length; a++) {
    const head = words.slice(0, a).join('\u0000');
    for (let b = a; b <= words.length; b++) {
      keys.push(`${head}\u0001${words.slice(b).join('\u0000')}`);
      if (b < words.length && /\d/.test(words[b] ?? '')) break;
    }
  }
  return keys;
}

/**
 * Alternative versions of one object, offered side by side: a tutorial's routing steps
 * (`virtual-service-reviews-v3.yaml` next to `virtual-service-all-v1.yaml`), one Job per model size, a
 * Service in a NodePort version next to the bundle that defines it, a folder of tracing-enabled versions of
 * some Deployments of a bundle. Two definitions of one object in two related files are versions, not a
 * duplicate, when
 *
 * - both files are in one folder and their names read as versions of one thing (`versionedNames`), directly
 *   or through a third file of the folder that defines the object (`hubble-ui-auto` and `hubble-ui-std`,
 *   both versions of `hubble-ui-128`), or
 * - three or more files related to either define the object, and one of the two files adds nothing of its own (every
 *   object in it is defined in another related file): a file to apply instead of, or on top of, the others.
 *
 * Two files of one application that happen to define one object twice (a ConfigMap in its own file and
 * again beside the Deployment that reads it) have neither signal, and stay a duplicate.
 */
export class ObjectVersions {
  /** Each named object's definitions (the entry of its identity). */
  private readonly definitionsOf = new Map<KObject, Definitions>();
  /** Files every object of which is defined in another, related file. */
  private readonly overrides = new Set<string>();
  /** The words of each file's name (see nameWords), split once. */
  private readonly wordsOf = new Map<string, readonly string[]>();
  readonly words = (file: string): readonly string[] => {
    let words = this.wordsOf.get(file);
    if (words === undefined) this.wordsOf.set(file, (words = nameWords(file)));
    return words;
  };

  constructor(objects: readonly KObject[]) {
    /** "kind\0namespace\0name" → the files that define it. */
    const byId = new Map<string, Definitions>();
    const idsOf = new Map<string, Set<string>>();
    for (const o of objects) {
      if (o.name === '') continue;
      const file = o.source.path;
      const id = objectId(o);
      let definitions = byId.get(id);
      if (!definitions) byId.set(id, (definitions = new Definitions(this.words)));
      definitions.add(file);
      this.definitionsOf.set(o, definitions);
      let ids = idsOf.get(file);
      if (!ids) idsOf.set(file, (ids = new Set()));
      ids.add(id);
    }
    for (const [file, ids] of idsOf)
      if ([...ids].every((id) => byId.get(id)?.definedElsewhereNear(file) === true)) this.overrides.add(file);
  }

  /** Whether `a` and `b`, two definitions of one object, are alternative versions of it. */
  alternatives(a: KObject, b: KObject): boolean {
    const fa = a.source.path;
    const fb = b.source.path;
    if (fa === fb) return false;
    const definitions = this.definitionsOf.get(a);
    if (definitions === undefined) return false;
    if (
      directoryOf(fa) === directoryOf(fb) &&
      (versionedWords(this.words(fa), this.words(fb)) || definitions.versionedThrough(fa, fb))
    )
      return true;
    return (this.overrides.has(fa) || this.overrides.has(fb)) && definitions.nearEither(fa, fb, 3);
  }
}

/**
 * The files that define one object, indexed by folder so that the questions ObjectVersions asks visit the
 * related folders (the file's own, those above it and those below it), not every definition: n files of one
 * folder that repeat an object asked about all n for each of them.
 */
class Definitions {
  private readonly files = new Set<string>();
  private readonly byFolder = new FolderIndex<string>();
  /** folder and first word of the file name → the files directly in it with that first word. */
  private readonly byFirstWord = new Map<string, string[]>();

  constructor(private readonly words: (file: string) => readonly string[]) {}

  add(file: string): void {
    if (this.files.has(file)) return;
    this.files.add(file);
    this.byFolder.add(file, file);
    const word = this.words(file)[0];
    if (word === undefined) return;
    pushTo(this.byFirstWord, `${directoryOf(file)}\u0000${word}`, file);
  }

  /** Whether another file in a related folder (see relatedFiles) defines the object. */
  definedElsewhereNear(file: string): boolean {
    for (const f of this.byFolder.near(file)) if (f !== file) return true;
    return false;
  }

  /** Whether at least `count` files related to `a` or to `b` define the object. */
  nearEither(a: string, b: string, count: number): boolean {
    const seen = new Set<string>();
    for (const file of [a, b])
      for (const f of this.byFolder.near(file)) {
        seen.add(f);
        if (seen.size >= count) return true;
      }
    return false;
  }

  /**
   * Whether a third file of the folder of `a` and `b` defines the object and reads as a version of both
   * (`hubble-ui-auto` and `hubble-ui-std`, through `hubble-ui-128`). versionedNames needs a common first
   * word, so only the files that start with the first word of both are candidates.
   */
  versionedThrough(a: string, b: string): boolean {
    const wa = this.words(a);
    const wb = this.words(b);
    if (wa[0] === undefined || wa[0] !== wb[0]) return false;
    const candidates = this.byFirstWord.get(`${directoryOf(a)}\u0000${wa[0]}`) ?? [];
    return candidates.some((f) => versionedWords(wa, this.words(f)) && versionedWords(wb, this.words(f)));
  }
}

function objectId(o: KObject): string {
  return `${o.kind}\u0000${o.namespace ?? ''}\u0000${o.name}`;
}
