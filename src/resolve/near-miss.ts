/** Explaining why a selector matches nothing: the closest labels that exist. */
import type { Graph } from '../model/graph.js';
import { code, namespaceLabel, objectLabel } from '../model/phrase.js';
import { editDistance } from '../model/values.js';
import type { MessageData, RuleContext } from '../rule-types.js';
import type { KObject, Path } from '../types.js';
import { matchesLabels, selectsTemplate } from './selectors.js';
import type { Selector } from './selectors.js';
import { SYSTEM_NAMESPACES } from '../model/cluster.js';
import { isBuiltinGroup } from '../model/k8s.js';
import type { Severity } from '../types.js';

export interface NearMiss {
  /** What most likely went wrong, for the message (starts with a lower-case letter, no final stop). */
  explanation: string;
  /** The object the explanation points at. */
  object: KObject;
  path: readonly (string | number)[];
}

/** Label `key=value` (or `key?` for a generated label of unknown value) → objects, in input order. */
type LabelIndex = Map<string, KObject[]>;

function add(index: Map<string, KObject[]>, key: string, o: KObject): void {
  const list = index.get(key);
  if (list) {
    if (list[list.length - 1] !== o) list.push(o);
  } else index.set(key, [o]);
}

/** Above this many distinct values of one label key, close values are found through a deletion index. */
const SCAN_LIMIT = 500;
/** Deletions indexed per value: near misses up to this distance are found among many values. */
const INDEX_DEPTH = 2;

/** The strings obtained by deleting up to `depth` characters. */
function deletions(text: string, depth: number): Set<string> {
  const out = new Set([text]);
  let frontier = [text];
  for (let d = 0; d < depth; d++) {
    const next: string[] = [];
    for (const s of frontier)
      for (let i = 0; i < s.length; i++) {
        const v = s.slice(0, i) + s.slice(i + 1);
        if (!out.has(v)) {
          out.add(v);
          next.push(v);
        }
      }
    frontier = next;
  }
  return out;
}

/** Distinct strings, and the ones within an edit distance of a query (a symmetric-deletion index when many). */
class CloseStrings {
  private readonly all: string[] = [];
  private byDeletion: Map<string, string[]> | undefined;

  add(text: string): void {
    this.all.push(text);
  }

  /** The strings at distance 1..max from `query` (max ≤ 3), with their distance. */
  near(query: string, max: number): { text: string; distance: number }[] {
    let pool: Iterable<string> = this.all;
    if (this.all.length > SCAN_LIMIT) {
      if (this.byDeletion === undefined) {
        this.byDeletion = new Map();
        for (const text of this.all)
          for (const v of deletions(text, INDEX_DEPTH)) {
            const list = this.byDeletion.get(v);
            if (list) list.push(text);
            else this.byDeletion.set(v, [text]);
          }
      }
      const found = new Set<string>();
      for (const v of deletions(query, Math.min(max, INDEX_DEPTH)))
        for (const text of this.byDeletion.get(v) ?? []) found.add(text);
      pool = found;
    }
    const out: { text: string; distance: number }[] = [];
    for (const text of pool) {
      const distance = text === query ? 0 : editDistance(text, query, max);
      if (distance > 0 && distance <= max) out.push({ text, distance });
    }
    return out;
  }
}

/** The indexes of the near-miss search, built once per graph: every lookup is by label, never a scan. */
interface NearIndex {
  /** Pod-template labels of all namespaces (including generated labels). */
  templates: LabelIndex;
  /** Per namespace: the objects' own labels (of objects with a pod template). */
  own: Map<string, LabelIndex>;
  /** Per namespace: pod-template label key → its distinct values, and value → its distinct keys. */
  values: Map<string, Map<string, CloseStrings>>;
  keys: Map<string, Map<string, CloseStrings>>;
  /** Per namespace: template labels `key=value` → objects. */
  exact: Map<string, LabelIndex>;
}

function nearIndex(graph: Graph): NearIndex {
  return graph.memo('near-miss:index', () => {
    const index: NearIndex = {
      templates: new Map(),
      own: new Map(),
      values: new Map(),
      keys: new Map(),
      exact: new Map(),
    };
    const inner = <T>(map: Map<string, Map<string, T>>, key: string) => {
      let m = map.get(key);
      if (!m) map.set(key, (m = new Map<string, T>()));
      return m;
    };
    for (const o of graph.withPodTemplates()) {
      const t = o.podTemplate;
      if (t === undefined || o.namespace === null) continue;
      const ns = o.namespace;
      for (const [k, v] of Object.entries(t.labels)) {
        add(index.templates, `${k}=${v}`, o);
        add(inner(index.exact, ns), `${k}=${v}`, o);
        const values = inner(index.values, ns);
        let vs = values.get(k);
        if (!vs) values.set(k, (vs = new CloseStrings()));
        const keys = inner(index.keys, ns);
        let ks = keys.get(v);
        if (!ks) keys.set(v, (ks = new CloseStrings()));
        if ((index.exact.get(ns)?.get(`${k}=${v}`)?.length ?? 0) === 1) {
          vs.add(v);
          ks.add(k);
        }
      }
      for (const [k, values] of Object.entries(t.generatedLabels)) {
        if (values === null) add(index.templates, `${k}?`, o);
        else for (const v of values) add(index.templates, `${k}=${v}`, o);
      }
      for (const k of [...Object.keys(t.labels), ...Object.keys(t.generatedLabels)]) add(index.templates, `${k}:`, o);
      for (const [k, v] of Object.entries(o.labels)) {
        add(inner(index.own, ns), `${k}=${v}`, o);
        add(inner(index.own, ns), `${k}:`, o);
      }
    }
    return index;
  });
}

/** The fewest objects that can satisfy the selector's positive requirements, by the label index (sorted by id). */
function candidates(index: LabelIndex | undefined, selector: Selector, generated: boolean): KObject[] {
  let best: KObject[] | undefined;
  for (const r of selector.requirements) {
    let list: KObject[];
    if (r.operator === 'In') {
      const lists = r.values.map((v) => index?.get(`${r.key}=${v}`) ?? []);
      if (generated) lists.push(index?.get(`${r.key}?`) ?? []);
      list = lists.length === 1 ? (lists[0] ?? []) : [...new Set(lists.flat())].sort((a, b) => a.id - b.id);
    } else if (r.operator === 'Exists') list = index?.get(`${r.key}:`) ?? [];
    else continue;
    if (best === undefined || list.length < best.length) best = list;
  }
  return best ?? [];
}

/**
 * Why a selector in `namespace` selects no pod template: pods with these labels in another namespace,
 * a workload whose own labels (not its template's) match, or a template that misses by one label
 * with a close key or value. Undefined when nothing close exists. Every step looks up the label
 * indexes, so that many selectors against many workloads stay near-linear.
 */
export function explainNoMatch(
  graph: Graph,
  namespace: string,
  selector: Selector,
  from: KObject,
): NearMiss | undefined {
  const related = (o: KObject) => graph.related(from.source.path, o.source.path);
  const index = nearIndex(graph);
  // Only a selector that asks for some label can be said to match labels found elsewhere.
  const positive = selector.requirements.some((r) => r.operator === 'In' || r.operator === 'Exists');
  if (positive) {
    for (const o of candidates(index.templates, selector, true)) {
      if (o.podTemplate === undefined || o.namespace === null || o.namespace === namespace || !related(o)) continue;
      if (selectsTemplate(selector, o.podTemplate)) {
        return {
          explanation:
            `${objectLabel(o)} has these labels, but in ${namespaceLabel(o.namespace)}; ` +
            'a selector only matches pods of its own namespace',
          object: o,
          path: ['metadata', 'namespace'],
        };
      }
    }
    for (const o of candidates(index.own.get(namespace), selector, false)) {
      if (!related(o)) continue;
      if (matchesLabels(selector, o.labels) && o.podTemplate !== undefined) {
        return {
          explanation:
            `${objectLabel(o)} carries these labels on itself, but a selector matches the labels of its pod ` +
            `template (${code(`${o.podTemplate.path.join('.')}.metadata.labels`)}): move them there`,
          object: o,
          path: [...o.podTemplate.path, 'metadata', 'labels'],
        };
      }
    }
  }
  // A template that fails exactly one requirement, `key: wanted`, with a label close in key or in value.
  let best: { distance: number; id: number; order: number; near: NearMiss } | undefined;
  const exact = index.exact.get(namespace);
  for (const r of selector.requirements) {
    if (r.operator !== 'In' || r.values.length !== 1) continue;
    const wanted = r.values[0] ?? '';
    const limit = Math.max(1, Math.min(3, Math.floor((r.key.length + wanted.length) / 6)));
    const close = [
      ...(index.values
        .get(namespace)
        ?.get(r.key)
        ?.near(wanted, limit)
        .map((c) => ({ key: r.key, value: c.text, distance: c.distance })) ?? []),
      ...(index.keys
        .get(namespace)
        ?.get(wanted)
        ?.near(r.key, limit)
        .map((c) => ({ key: c.text, value: wanted, distance: c.distance })) ?? []),
    ];
    for (const c of close) {
      for (const o of exact?.get(`${c.key}=${c.value}`) ?? []) {
        const t = o.podTemplate;
        if (t === undefined || !related(o)) continue;
        const order = Object.keys(t.labels).indexOf(c.key);
        if (
          best !== undefined &&
          (best.distance < c.distance ||
            (best.distance === c.distance && (best.id < o.id || (best.id === o.id && best.order <= order))))
        )
          continue;
        const failing = selector.requirements.filter((q) => !selectsTemplate({ requirements: [q] }, t));
        if (failing.length !== 1 || failing[0] !== r) continue;
        best = {
          distance: c.distance,
          id: o.id,
          order,
          near: {
            explanation:
              `the pods of ${objectLabel(o)} have ${code(`${c.key}: ${c.value}`)} ` +
              `where the selector wants ${code(`${r.key}: ${wanted}`)}`,
            object: o,
            path: [...t.path, 'metadata', 'labels', c.key],
          },
        };
      }
    }
  }
  return best?.near;
}

/** Whether a namespace holds custom resources, whose operators may create the pods a selector wants. */
export function hasCustomResources(graph: Graph, namespace: string): boolean {
  const namespaces = graph.memo(
    'near-miss:custom-resource-namespaces',
    () => new Set(graph.objects.filter((o) => !isBuiltinGroup(o.group)).map((o) => o.namespace)),
  );
  return namespaces.has(namespace);
}

export interface NoMatchVerdict {
  severity: Severity;
  near: NearMiss | undefined;
  /** The input shows how this namespace's pods are made, so a miss is meaningful. */
  evidence: boolean;
}

/**
 * How sure "this selector matches nothing" is: an error when something close exists, a warning when
 * related files of the input define workloads in the namespace (and no custom resources whose
 * operators could create pods), an info otherwise.
 */
export function judgeNoMatch(graph: Graph, namespace: string, selector: Selector, from: KObject): NoMatchVerdict {
  const near = explainNoMatch(graph, namespace, selector, from);
  if (near !== undefined) return { severity: 'error', near, evidence: true };
  const evidence =
    !SYSTEM_NAMESPACES.has(namespace) &&
    hasRelatedTemplates(graph, namespace, from) &&
    !hasCustomResources(graph, namespace);
  return { severity: evidence ? 'warning' : 'info', near: undefined, evidence };
}

/**
 * Whether a namespace has pod templates in files related to an object's file, a memo of the graph per
 * namespace and file (not folder: variants, Graph.related, are decided per file), so that every later
 * reader of an answer is told what computing it read.
 */
function hasRelatedTemplates(graph: Graph, namespace: string, from: KObject): boolean {
  return graph.memo(
    `near-miss:related:${namespace}\u0000${from.source.path}`,
    () => graph.relatedIn(graph.podTemplatesIn(namespace), from.source.path).length > 0,
  );
}

/**
 * Report a selector that matches no pod, at the severity judgeNoMatch gives: `why` in the data is the
 * near miss (": …"), nothing, or `elsewhereWhy` when the input holds no evidence.
 */
export function reportNoMatch<M extends string>(
  ctx: RuleContext<M>,
  target: { object: KObject; path: Path; namespace: string; selector: Selector },
  messageIds: { evidence: M; elsewhere: M },
  data: MessageData,
  elsewhereWhy = '',
): void {
  const verdict = judgeNoMatch(ctx.graph, target.namespace, target.selector, target.object);
  const near = verdict.near;
  ctx.report({
    object: target.object,
    path: target.path,
    messageId: verdict.evidence ? messageIds.evidence : messageIds.elsewhere,
    data: { ...data, why: near ? `: ${near.explanation}` : verdict.evidence ? '' : elsewhereWhy },
    related: near ? [{ object: near.object, path: near.path, message: near.explanation }] : [],
    severity: verdict.severity,
  });
}
