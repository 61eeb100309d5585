/**
 * The resolved wiring of a run as a picture-ready graph: objects as nodes, references and
 * selections as edges, broken references as edges to placeholder nodes carrying the missing name.
 */
import type { Graph } from '../model/graph.js';
import { get } from '../model/values.js';
import { WORKLOAD_KINDS } from '../model/k8s.js';
import type { KObject } from '../types.js';
import { references } from './references.js';
import type { EdgeType, Target } from './references.js';
import { selectingServices } from './ports.js';
import { formatSelector, parseLabelSelector } from './selectors.js';
import type { Selector } from './selectors.js';

export interface WiringNode {
  id: string;
  kind: string;
  namespace: string | null;
  name: string;
  /**
   * present: in the input; declared: in the configuration's cluster section (or built in); unknown:
   * not in the input, which says nothing about it (a StorageClass or IngressClass when the input and
   * the configuration name no class at all: they come with the cluster); missing: nowhere.
   */
  status: 'present' | 'declared' | 'unknown' | 'missing';
  file: string | null;
}

export interface WiringEdge {
  from: string;
  to: string;
  type: EdgeType | 'selects';
  label: string;
  broken: boolean;
}

export interface WiringGraph {
  nodes: WiringNode[];
  edges: WiringEdge[];
}

/** Kinds drawn even when nothing points at them. */
const ALWAYS_DRAWN = new Set(['Ingress', 'Service', ...WORKLOAD_KINDS]);

export function buildWiring(graph: Graph): WiringGraph {
  const nodes = new Map<string, WiringNode>();
  const edges: WiringEdge[] = [];
  const objectNode = (o: KObject): string => {
    const id = `n${o.id}`;
    if (!nodes.has(id))
      nodes.set(id, { id, kind: o.kind, namespace: o.namespace, name: o.name, status: 'present', file: o.source.path });
    return id;
  };
  // Placeholder ids are readable (Mermaid and DOT need plain identifiers) and unique: `app=my-app` and
  // `app=my.app` read the same once sanitized, so the second gets a numbered suffix.
  const placeholderIds = new Map<string, string>();
  const placeholder = (target: Target, status: 'declared' | 'unknown' | 'missing'): string => {
    const identity = `${status}\u0000${target.kind}\u0000${target.namespace ?? ''}\u0000${target.name}`;
    const known = placeholderIds.get(identity);
    if (known !== undefined) return known;
    const base = `${status.charAt(0)}_${target.kind}_${target.namespace ?? ''}_${target.name}`.replace(
      /[^A-Za-z0-9_]/g,
      '_',
    );
    let id = base;
    for (let n = 2; nodes.has(id); n++) id = `${base}_${n}`;
    placeholderIds.set(identity, id);
    nodes.set(id, { id, kind: target.kind, namespace: target.namespace, name: target.name, status, file: null });
    return id;
  };

  for (const o of graph.objects) if (ALWAYS_DRAWN.has(o.kind)) objectNode(o);

  // Classes come with the cluster: when neither the input nor the configuration names any, a class
  // reference is no evidence of a broken link (the class rules stay silent too).
  const knowsClasses = (kind: string): boolean =>
    kind === 'StorageClass'
      ? graph.ofKind('StorageClass').length > 0 || graph.cluster.storageClasses.length > 0
      : kind === 'IngressClass'
        ? graph.ofKind('IngressClass').length > 0 || graph.cluster.ingressClasses.length > 0
        : true;

  for (const ref of references(graph)) {
    if (ref.type === 'in-namespace') continue;
    const from = objectNode(ref.from);
    const r = ref.resolution;
    if (r.status === 'found') {
      for (const target of r.objects)
        edges.push({ from, to: objectNode(target), type: ref.type, label: ref.via, broken: false });
    } else {
      const status =
        r.status === 'declared'
          ? 'declared'
          : ref.type === 'uses-class' && !knowsClasses(ref.target.kind)
            ? 'unknown'
            : 'missing';
      const broken = status === 'missing' && !ref.optional;
      edges.push({
        from,
        to: placeholder(ref.target, status),
        type: ref.type,
        label: ref.optional ? `${ref.via} (optional)` : ref.via,
        broken,
      });
    }
  }

  const selecting: [KObject, Selector | undefined][] = [];
  for (const s of selectingServices(graph)) selecting.push([s.service, s.selector]);
  for (const p of graph.ofKind('PodDisruptionBudget', 'policy'))
    selecting.push([p, parseLabelSelector(get(p.raw, 'spec', 'selector')).selector]);
  for (const n of graph.ofKind('NetworkPolicy', 'networking.k8s.io'))
    selecting.push([n, parseLabelSelector(get(n.raw, 'spec', 'podSelector') ?? {}).selector]);
  for (const [object, selector] of selecting) {
    if (selector === undefined || object.namespace === null) continue;
    if (selector.requirements.length === 0 && object.kind === 'Service') continue;
    const from = objectNode(object);
    const selected = graph.selectPods(object.namespace, selector, object);
    for (const w of selected)
      edges.push({ from, to: objectNode(w), type: 'selects', label: formatSelector(selector), broken: false });
    if (selected.length === 0 && graph.selectPods(object.namespace, selector).length === 0) {
      const id = placeholder({ kind: 'Pods', namespace: object.namespace, name: formatSelector(selector) }, 'missing');
      edges.push({ from, to: id, type: 'selects', label: 'selects nothing', broken: true });
    }
  }
  return { nodes: [...nodes.values()], edges };
}
