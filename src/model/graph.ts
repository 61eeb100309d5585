/** All objects of one run, indexed once. */
import { closest, relatedFiles } from './paths.js';
import { ObjectVersions, Variants } from './variants.js';
import { Locality } from './locality.js';
import { FirstDefinitions } from './first-definitions.js';
import { normalizePath } from '../schema/kustomize.js';
import { selectsTemplate } from '../resolve/selectors.js';
import type { Selector } from '../resolve/selectors.js';
import type { KObject } from '../types.js';
import {
  BUILTIN_CLUSTER_ROLES,
  BUILTIN_NAMESPACES,
  BUILTIN_PRIORITY_CLASSES,
  BUILTIN_ROLES,
  EMPTY_CLUSTER,
} from './cluster.js';
import { asString, get, pushTo } from './values.js';
import type { ClusterDeclaration } from './cluster.js';

/** What exists besides the input's objects. */
export interface External {
  cluster: ClusterDeclaration;
  /** Objects the input's kustomizations generate: present in every namespace. */
  generated: readonly { kind: string; name: string }[];
  /** Files a kustomization of the input applies as patches (normalized paths). */
  patches?: ReadonlySet<string>;
}

/**
 * What a computation over the graph read, as tokens (see Graph.track): `kind:<Kind>` for the objects of a
 * kind, PODS for every object with a pod template, IDENTITIES for the kinds, namespaces and names of all
 * objects by file (what variants and related files are decided from), ALL for anything else.
 */
export const PODS = '*pods';
export const IDENTITIES = '*identities';
export const ALL = '*all';

export class Graph {
  private readonly all: readonly KObject[];
  /** Where reads are recorded while a rule runs (the language server's incremental lint), else undefined. */
  private reads: Set<string> | undefined;
  /** The reads of each memo's computation, replayed to every later reader of the memo. */
  private readonly memoReads = new Map<string, ReadonlySet<string>>();
  private readonly byKind = new Map<string, KObject[]>();
  private readonly byName = new Map<string, KObject[]>();
  private readonly byKindNamespace = new Map<string, KObject[]>();
  /** "kind\0namespace" → declared names; namespace '*' for generated objects without one. */
  private readonly declared = new Map<string, Set<string>>();
  readonly cluster: ClusterDeclaration;
  /** namespace → "key=value" → objects whose pod template carries that label. */
  private readonly byPodLabel = new Map<string, Map<string, KObject[]>>();
  /** namespace → objects with a pod template. */
  private readonly podTemplates = new Map<string, KObject[]>();
  private readonly pods: readonly KObject[];
  private readonly memos = new Map<string, unknown>();
  private readonly variants: Variants;
  private readonly localities = new WeakMap<readonly KObject[], Locality<KObject>>();
  /** namespace and selector → the objects it selects (many objects often share one selector). */
  private readonly selections = new Map<string, readonly KObject[]>();
  private readonly patches: ReadonlySet<string>;
  /** File → whether it is a patch (asked for every object by several rules). */
  private readonly patchFiles = new Map<string, boolean>();

  constructor(objects: readonly KObject[], external: External = { cluster: EMPTY_CLUSTER, generated: [] }) {
    this.all = objects;
    this.pods = objects.filter((o) => o.podTemplate !== undefined);
    this.cluster = external.cluster;
    this.patches = external.patches ?? new Set();
    // Patches restate parts of their base's objects: they say nothing about variants.
    this.variants = Variants.of(
      this.patches.size === 0 ? objects : objects.filter((o) => !this.isPatch(o.source.path)),
    );
    const declare = (kind: string, namespace: string | null, name: string) => {
      const key = `${kind}\u0000${namespace ?? ''}`;
      const set = this.declared.get(key);
      if (set) set.add(name);
      else this.declared.set(key, new Set([name]));
    };
    for (const n of [...BUILTIN_NAMESPACES, ...external.cluster.namespaces]) declare('Namespace', null, n);
    for (const c of external.cluster.storageClasses) declare('StorageClass', null, c.name);
    for (const c of external.cluster.ingressClasses) declare('IngressClass', null, c.name);
    for (const r of BUILTIN_CLUSTER_ROLES) declare('ClusterRole', null, r);
    for (const r of BUILTIN_ROLES) declare('Role', r.namespace, r.name);
    for (const c of BUILTIN_PRIORITY_CLASSES) declare('PriorityClass', null, c);
    // `cluster.priorityClasses`: the compact `{name, value}` form or PriorityClass objects.
    for (const c of external.cluster.priorityClasses ?? []) {
      const name = asString(c.name) ?? asString(get(c, 'metadata', 'name'));
      if (name !== undefined) declare('PriorityClass', null, name);
    }
    for (const o of external.cluster.objects) declare(o.kind, o.namespace, o.name);
    for (const o of external.generated) declare(o.kind, '*', o.name);
    for (const o of objects) {
      pushTo(this.byKind, o.kind, o);
      pushTo(this.byName, nameKey(o.kind, o.namespace, o.name), o);
      pushTo(this.byKindNamespace, `${o.kind}\u0000${o.namespace ?? ''}`, o);
      const t = o.podTemplate;
      if (t === undefined || o.namespace === null) continue;
      pushTo(this.podTemplates, o.namespace, o);
      let labelIndex = this.byPodLabel.get(o.namespace);
      if (!labelIndex) this.byPodLabel.set(o.namespace, (labelIndex = new Map<string, KObject[]>()));
      for (const [k, v] of Object.entries(t.labels)) pushTo(labelIndex, `${k}=${v}`, o);
      for (const [k, values] of Object.entries(t.generatedLabels)) {
        if (values === null) pushTo(labelIndex, `${k}?`, o);
        else for (const v of values) pushTo(labelIndex, `${k}=${v}`, o);
      }
    }
  }

  /** Every object, in input order. */
  get objects(): readonly KObject[] {
    this.reads?.add(ALL);
    return this.all;
  }

  /**
   * Record into `reads` what the graph is asked until the next call (undefined: stop recording). Every way
   * to an object of the graph goes through a method or the `objects` of the graph, each of which records
   * what its answer depends on: what a rule has read tells which edits can change its findings.
   */
  track(reads: Set<string> | undefined): void {
    this.reads = reads;
  }

  /** Record a read (for what the graph cannot see: the sources a rule reads, through its context). */
  noteRead(token: string): void {
    this.reads?.add(token);
  }

  /**
   * Whether two files belong to one application: related (one's folder contains the other's, see
   * model/paths) and not alternative variants of each other (see model/variants). Every closed-world
   * inference and every cross-file link uses this locality.
   */
  related(a: string, b: string): boolean {
    this.reads?.add(IDENTITIES);
    return relatedFiles(a, b) && !this.variants.alternatives(a, b);
  }

  /**
   * The objects of a list in files related to `file` (see related()), in list order. Lists of the graph's
   * indexes (find(), inNamespace(), podTemplatesIn()…) are indexed once by folder and variant class, so
   * that asking for every object of a list does not compare all pairs.
   */
  relatedIn(objects: readonly KObject[], file: string): KObject[] {
    this.reads?.add(IDENTITIES);
    if (objects.length <= 16) return objects.filter((o) => this.related(file, o.source.path));
    let locality = this.localities.get(objects);
    if (!locality) this.localities.set(objects, (locality = new Locality(objects, this.variants)));
    return locality.related(file);
  }

  /** Whether a kustomization of the input applies the file as a patch (its objects are partial). */
  isPatch(file: string): boolean {
    if (this.patches.size === 0) return false;
    let patch = this.patchFiles.get(file);
    if (patch === undefined) this.patchFiles.set(file, (patch = this.patches.has(normalizePath(file))));
    return patch;
  }

  /**
   * Whether two definitions of one object, in two files of one folder, are alternative versions of it
   * offered side by side rather than a duplicate (see ObjectVersions in model/variants).
   */
  versionsOfOneObject(a: KObject, b: KObject): boolean {
    this.reads?.add(IDENTITIES);
    return this.objectVersions().alternatives(a, b);
  }

  /**
   * A new search for the first definition each definition of one object repeats (duplicate-object): add
   * the definitions in order, asking find() before each (see model/first-definitions).
   */
  firstDefinitions(): FirstDefinitions {
    this.reads?.add(IDENTITIES);
    return new FirstDefinitions(this.variants, this.objectVersions());
  }

  private objectVersions(): ObjectVersions {
    return this.memo(
      'variants:versions',
      () => new ObjectVersions(this.all.filter((o) => !this.isPatch(o.source.path))),
    );
  }

  /**
   * Compute a derived index once per graph (resolved edges shared by rules, the graph picture and the
   * scheduler). Keys are namespaced by the module that owns them.
   */
  memo<T>(key: string, compute: () => T): T {
    const outer = this.reads;
    if (this.memos.has(key)) {
      if (outer !== undefined) for (const read of this.memoReads.get(key) ?? []) outer.add(read);
      return this.memos.get(key) as T;
    }
    const reads = new Set<string>();
    this.reads = reads;
    let value: T;
    try {
      value = compute();
    } finally {
      this.reads = outer;
      if (outer !== undefined) for (const read of reads) outer.add(read);
    }
    this.memos.set(key, value);
    this.memoReads.set(key, reads);
    return value;
  }

  /** Objects of a kind (any group), in input order. Pass a group to narrow. */
  ofKind(kind: string, group?: string): readonly KObject[] {
    this.reads?.add(`kind:${kind}`);
    const all = this.byKind.get(kind) ?? [];
    return group === undefined ? all : all.filter((o) => o.group === group);
  }

  /** Objects of a kind with a namespace and name (any group; several when the input repeats one). */
  find(kind: string, namespace: string | null, name: string): readonly KObject[] {
    this.reads?.add(`kind:${kind}`);
    return this.byName.get(nameKey(kind, namespace, name)) ?? [];
  }

  /** Objects of a kind in a namespace (null for cluster-scoped kinds), in input order. */
  inNamespace(kind: string, namespace: string | null): readonly KObject[] {
    this.reads?.add(`kind:${kind}`);
    return this.byKindNamespace.get(`${kind}\u0000${namespace ?? ''}`) ?? [];
  }

  /**
   * Whether an object is declared to exist outside the input: in the configuration's `cluster:`
   * section, generated by a kustomization of the input, or built into every cluster (the `default`
   * namespace, `cluster-admin`, `system:` roles).
   */
  isDeclared(kind: string, namespace: string | null, name: string): boolean {
    if ((kind === 'ClusterRole' || kind === 'Role') && name.startsWith('system:')) return true;
    return (
      (this.declared.get(`${kind}\u0000${namespace ?? ''}`)?.has(name) ?? false) ||
      (this.declared.get(`${kind}\u0000*`)?.has(name) ?? false)
    );
  }

  /** Names declared to exist for a kind in a namespace (for suggestions). */
  declaredNames(kind: string, namespace: string | null): string[] {
    return [
      ...(this.declared.get(`${kind}\u0000${namespace ?? ''}`) ?? []),
      ...(this.declared.get(`${kind}\u0000*`) ?? []),
    ];
  }

  /** Every object with a pod template (workloads, pods, pod templates), in input order. */
  withPodTemplates(): readonly KObject[] {
    this.reads?.add(PODS);
    return this.pods;
  }

  /** Objects with a pod template in a namespace. */
  podTemplatesIn(namespace: string): readonly KObject[] {
    this.reads?.add(PODS);
    return this.podTemplates.get(namespace) ?? [];
  }

  /**
   * The objects of a namespace whose pods the selector may match. With `near`, only those defined in
   * files related to it (one's directory contains the other's): in a repository of independent
   * samples, a Service of one sample does not send traffic to the pods of another. Uses the label index: only the
   * objects carrying the selector's most selective equality label are checked.
   */
  selectPods(namespace: string, selector: Selector, near?: KObject): readonly KObject[] {
    this.reads?.add(PODS);
    if (near !== undefined) return this.selectPodsUncached(namespace, selector, near);
    const key = `${namespace}\u0000${JSON.stringify(selector.requirements)}`;
    let selected = this.selections.get(key);
    if (selected === undefined) this.selections.set(key, (selected = this.selectPodsUncached(namespace, selector)));
    return selected;
  }

  private selectPodsUncached(namespace: string, selector: Selector, near?: KObject): readonly KObject[] {
    const index = this.byPodLabel.get(namespace);
    if (!index) return [];
    let candidates: readonly KObject[] | undefined;
    for (const r of selector.requirements) {
      if (r.operator !== 'In') continue;
      const lists = r.values.map((v) => index.get(`${r.key}=${v}`) ?? []);
      const unknown = index.get(`${r.key}?`) ?? [];
      const merged =
        lists.length === 1 && unknown.length === 0 ? (lists[0] ?? []) : [...new Set([...lists.flat(), ...unknown])];
      if (candidates === undefined || merged.length < candidates.length) candidates = merged;
    }
    const pool = candidates ?? this.podTemplatesIn(namespace);
    const selects = (o: KObject) => o.podTemplate !== undefined && selectsTemplate(selector, o.podTemplate);
    if (near === undefined) return pool.filter(selects).sort((a, b) => a.id - b.id);
    // Related files only (looked up, not compared with each), and of several definitions of one workload the closest ones.
    const byIdentity = new Map<string, KObject[]>();
    for (const o of this.relatedIn(pool, near.source.path)) {
      if (selects(o)) pushTo(byIdentity, nameKey(o.kind, o.namespace, o.name), o);
    }
    return [...byIdentity.values()].flatMap((defs) => closest(defs, near.source.path)).sort((a, b) => a.id - b.id);
  }
}

function nameKey(kind: string, namespace: string | null, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}
