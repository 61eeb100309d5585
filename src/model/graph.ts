/** All objects of one run, indexed once. */
import { selectsTemplate } from '../resolve/selectors.js';
import type { Selector } from '../resolve/selectors.js';
import type { KObject } from '../types.js';

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

export class Graph {
  readonly objects: readonly KObject[];
  private readonly byKind = new Map<string, KObject[]>();
  private readonly byName = new Map<string, KObject[]>();
  /** namespace → "key=value" → objects whose pod template carries that label. */
  private readonly byPodLabel = new Map<string, Map<string, KObject[]>>();
  /** namespace → objects with a pod template. */
  private readonly podTemplates = new Map<string, KObject[]>();
  private readonly memos = new Map<string, unknown>();

  constructor(objects: readonly KObject[]) {
    this.objects = objects;
    for (const o of objects) {
      push(this.byKind, o.kind, o);
      push(this.byName, nameKey(o.kind, o.namespace, o.name), o);
      const t = o.podTemplate;
      if (t === undefined || o.namespace === null) continue;
      push(this.podTemplates, o.namespace, o);
      let labelIndex = this.byPodLabel.get(o.namespace);
      if (!labelIndex) this.byPodLabel.set(o.namespace, (labelIndex = new Map<string, KObject[]>()));
      for (const [k, v] of Object.entries(t.labels)) push(labelIndex, `${k}=${v}`, o);
      for (const [k, values] of Object.entries(t.generatedLabels)) {
        if (values === null) push(labelIndex, `${k}?`, o);
        else for (const v of values) push(labelIndex, `${k}=${v}`, o);
      }
    }
  }

  /**
   * Compute a derived index once per graph (resolved edges shared by rules, the graph picture and the
   * scheduler). Keys are namespaced by the module that owns them.
   */
  memo<T>(key: string, compute: () => T): T {
    if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute();
    this.memos.set(key, value);
    return value;
  }

  /** Objects of a kind (any group), in input order. Pass a group to narrow. */
  ofKind(kind: string, group?: string): readonly KObject[] {
    const all = this.byKind.get(kind) ?? [];
    return group === undefined ? all : all.filter((o) => o.group === group);
  }

  /** Objects of a kind with a namespace and name (any group; several when the input repeats one). */
  find(kind: string, namespace: string | null, name: string): readonly KObject[] {
    return this.byName.get(nameKey(kind, namespace, name)) ?? [];
  }

  /** Objects with a pod template in a namespace. */
  podTemplatesIn(namespace: string): readonly KObject[] {
    return this.podTemplates.get(namespace) ?? [];
  }

  /**
   * The objects of a namespace whose pods the selector may match. Uses the label index: only the
   * objects carrying the selector's most selective equality label are checked.
   */
  selectPods(namespace: string, selector: Selector): KObject[] {
    const index = this.byPodLabel.get(namespace);
    if (!index) return [];
    let candidates: readonly KObject[] | undefined;
    for (const r of selector.requirements) {
      if (r.operator !== 'In') continue;
      const lists = r.values.map((v) => index.get(`${r.key}=${v}`) ?? []);
      const unknown = index.get(`${r.key}?`) ?? [];
      const merged = lists.length === 1 && unknown.length === 0 ? (lists[0] ?? []) : [...new Set([...lists.flat(), ...unknown])];
      if (candidates === undefined || merged.length < candidates.length) candidates = merged;
    }
    const pool = candidates ?? this.podTemplatesIn(namespace);
    return pool.filter((o) => o.podTemplate !== undefined && selectsTemplate(selector, o.podTemplate)).sort((a, b) => a.id - b.id);
  }
}

function nameKey(kind: string, namespace: string | null, name: string): string {
  return `${kind}\u0000${namespace ?? ''}\u0000${name}`;
}
