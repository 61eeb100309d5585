/**
 * Availability of replicated workloads: how many pods a workload runs at the least, and the terms that
 * spread them (pod anti-affinity, topology spread constraints), with whether each one applies to the
 * workload's own pods.
 */
import type { Graph } from '../model/graph.js';
import { REPLICATED_KINDS, podCount } from '../model/k8s.js';
import { objectLabel, plural } from '../model/phrase.js';
import type { RelatedDescriptor } from '../rule-types.js';
import { asArray, asString, get, isRecord } from '../model/values.js';
import type { KObject, Path } from '../types.js';
import { autoscalingOf } from './autoscaling.js';
import type { Autoscaling } from './autoscaling.js';
import { parseLabelSelector, selectsTemplate } from './selectors.js';
import type { Selector } from './selectors.js';

export interface ReplicaFloor {
  /** The fewest pods the workload runs: `spec.replicas`, or the lowest minReplicas of its HPAs. */
  replicas: number;
  autoscaling: Autoscaling;
}

/**
 * The fewest pods a replicated workload runs, or undefined when it cannot be known: another autoscaler
 * (a KEDA ScaledObject) scales it, the count is not a number, or the kind has no replica count.
 */
export function replicaFloor(graph: Graph, workload: KObject): ReplicaFloor | undefined {
  if (!REPLICATED_KINDS.has(workload.kind) || workload.podTemplate === undefined) return undefined;
  const autoscaling = autoscalingOf(graph, workload);
  if (autoscaling.other) return undefined;
  const count = autoscaling.min?.replicas ?? podCount(workload.kind, workload.raw);
  return typeof count === 'number' ? { replicas: count, autoscaling } : undefined;
}

/**
 * The shared parts of a finding about a workload's replica floor: where it points (`spec.replicas`, or the
 * name when an autoscaler decides), the phrased `workload`, `replicas` and `autoscaled` data, and the
 * autoscaler's minReplicas as related location.
 */
export function floorReport(
  workload: KObject,
  floor: ReplicaFloor,
): { path: Path; data: { workload: string; replicas: string; autoscaled: string }; related: RelatedDescriptor[] } {
  const hpa = floor.autoscaling.min?.hpa;
  return {
    path: hpa !== undefined ? ['metadata', 'name'] : ['spec', 'replicas'],
    data: {
      workload: objectLabel(workload),
      replicas: plural(floor.replicas, 'replica'),
      autoscaled: hpa !== undefined ? ` at least (the minReplicas of ${objectLabel(hpa)})` : '',
    },
    related:
      hpa !== undefined
        ? [{ object: hpa, path: ['spec', 'minReplicas'], message: `minReplicas of ${objectLabel(hpa)}` }]
        : [],
  };
}

/** One term that spreads pods: a pod anti-affinity term or a topology spread constraint. */
export interface SpreadTerm {
  kind: 'anti-affinity' | 'topology-spread';
  /** `required` or `preferred` for anti-affinity terms, the `whenUnsatisfiable` value for constraints. */
  strength: string;
  /** Path of the term relative to the object. */
  path: Path;
  topologyKey: string | undefined;
  /** The parsed labelSelector; undefined when it is missing or unreadable (see `selectorWritten`). */
  selector: Selector | undefined;
  /** Whether a labelSelector is written at all (a missing one matches no pod). */
  selectorWritten: boolean;
  /**
   * The namespaces an anti-affinity term looks in: null for "unknown" (a namespaceSelector), otherwise
   * the list (the pod's own namespace when the term names none).
   */
  namespaces: readonly string[] | null;
}

/** Every spreading term of a workload's pod template. */
export function spreadTerms(workload: KObject): SpreadTerm[] {
  const template = workload.podTemplate;
  if (template === undefined) return [];
  const out: SpreadTerm[] = [];
  const own = workload.namespace ?? 'default';
  const base = [...template.specPath, 'affinity', 'podAntiAffinity'];
  const anti = get(template.spec, 'affinity', 'podAntiAffinity');
  const term = (raw: unknown, path: Path, strength: string) => {
    if (!isRecord(raw)) return;
    const selectorWritten = raw.labelSelector !== undefined && raw.labelSelector !== null;
    const names = asArray(raw.namespaces).flatMap((n) => (typeof n === 'string' ? [n] : []));
    const namespaceSelector = raw.namespaceSelector;
    out.push({
      kind: 'anti-affinity',
      strength,
      path,
      topologyKey: asString(raw.topologyKey),
      selector: parseLabelSelector(raw.labelSelector).selector,
      selectorWritten,
      // An empty namespaceSelector means every namespace; another one depends on labels we may not know.
      namespaces:
        isRecord(namespaceSelector) && Object.keys(namespaceSelector).length === 0
          ? null
          : namespaceSelector !== undefined && namespaceSelector !== null
            ? null
            : names.length > 0
              ? names
              : [own],
    });
  };
  asArray(get(anti, 'requiredDuringSchedulingIgnoredDuringExecution')).forEach((t, i) => {
    term(t, [...base, 'requiredDuringSchedulingIgnoredDuringExecution', i], 'required');
  });
  asArray(get(anti, 'preferredDuringSchedulingIgnoredDuringExecution')).forEach((t, i) => {
    term(
      get(t, 'podAffinityTerm'),
      [...base, 'preferredDuringSchedulingIgnoredDuringExecution', i, 'podAffinityTerm'],
      'preferred',
    );
  });
  asArray(template.spec.topologySpreadConstraints).forEach((c, i) => {
    if (!isRecord(c)) return;
    const selectorWritten = c.labelSelector !== undefined && c.labelSelector !== null;
    out.push({
      kind: 'topology-spread',
      strength: asString(c.whenUnsatisfiable) ?? 'DoNotSchedule',
      path: [...template.specPath, 'topologySpreadConstraints', i],
      topologyKey: asString(c.topologyKey),
      selector: parseLabelSelector(c.labelSelector).selector,
      selectorWritten,
      namespaces: [own],
    });
  });
  return out;
}

/**
 * Whether a term applies to the workload's own pods: its selector matches their labels and it looks in
 * their namespace. Unreadable selectors and namespace selectors get the benefit of the doubt.
 */
export function spreadsOwnPods(workload: KObject, term: SpreadTerm): boolean {
  const template = workload.podTemplate;
  if (template === undefined) return true;
  if (!term.selectorWritten) return false; // a missing labelSelector matches no pod
  if (term.selector === undefined) return true;
  if (term.namespaces !== null && !term.namespaces.includes(workload.namespace ?? 'default')) return false;
  return selectsTemplate(term.selector, template);
}
