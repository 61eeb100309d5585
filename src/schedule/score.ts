/**
 * Scoring of feasible nodes with the default profile's weights: NodeResourcesFit (LeastAllocated,
 * cpu and memory weight 1) ×1, NodeResourcesBalancedAllocation ×1, TaintToleration
 * (PreferNoSchedule) ×3, NodeAffinity (preferred terms) ×2 and PodTopologySpread (the pod's
 * ScheduleAnyway constraints, or the cluster defaults: hostname maxSkew 3 and zone maxSkew 5 over the
 * pods of the same controller) ×2, with upstream's arithmetic. The highest total wins; ties go to the
 * node name that sorts first (upstream picks at random among them).
 */
import { matchesLabels } from '../resolve/selectors.js';
import type { Selector } from '../resolve/selectors.js';
import { spreadSelector } from './filters.js';
import type { ClusterState, NodeState } from './filters.js';
import { termMatches, untoleratedTaint } from './pods.js';
import type { PodModel } from './pods.js';

const MAX = 100;

function leastRequested(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX) / capacity);
}

export function leastAllocatedScore(pod: PodModel, n: NodeState): number {
  const cpu = leastRequested(n.nonZeroCpu + pod.info.nonZeroCpu, n.node.allocatable.cpu);
  const memory = leastRequested(n.nonZeroMemory + pod.info.nonZeroMemory, n.node.allocatable.memory);
  return Math.trunc((cpu + memory) / 2);
}

export function balancedAllocationScore(pod: PodModel, n: NodeState): number {
  const cpuAlloc = n.node.allocatable.cpu;
  const memAlloc = n.node.allocatable.memory;
  if (cpuAlloc === 0 || memAlloc === 0) return MAX;
  const cpu = Math.min(1, (n.cpu + pod.info.requests.cpu) / cpuAlloc);
  const memory = Math.min(1, (n.memory + pod.info.requests.memory) / memAlloc);
  return Math.trunc((1 - Math.abs((cpu - memory) / 2)) * MAX);
}

const HOSTNAME = 'kubernetes.io/hostname';

interface SoftConstraint {
  key: string;
  maxSkew: number;
  selector: Selector;
}

/** PodTopologySpread's Score and NormalizeScore for the feasible nodes, or undefined when it does not apply. */
export function spreadScores(state: ClusterState, pod: PodModel, feasible: readonly NodeState[]): number[] | undefined {
  let constraints: SoftConstraint[];
  const requireAll = pod.info.ownSpread;
  if (pod.info.ownSpread)
    constraints = pod.info.softSpread.map((c) => ({
      key: c.topologyKey,
      maxSkew: c.maxSkew,
      selector: spreadSelector(c, pod),
    }));
  else if (pod.controllerSelector)
    constraints = [
      { key: HOSTNAME, maxSkew: 3, selector: pod.controllerSelector },
      { key: 'topology.kubernetes.io/zone', maxSkew: 5, selector: pod.controllerSelector },
    ];
  else return undefined;
  if (constraints.length === 0) return undefined;
  const count = feasible.length;
  const cols = constraints.map((c) => state.column(c.key));
  const hasAll = (n: NodeState) => {
    for (const col of cols) if (col[n.index] === undefined) return false;
    return true;
  };
  const ignored = new Uint8Array(count);
  let ignoredCount = 0;
  if (requireAll) {
    for (let i = 0; i < count; i++) {
      if (!hasAll(feasible[i] as NodeState)) {
        ignored[i] = 1;
        ignoredCount++;
      }
    }
  }
  const raw = new Float64Array(count);
  for (const [ci, c] of constraints.entries()) {
    const col = cols[ci] ?? [];
    // Matching pods per node, through the label index (only the pods the selector can match).
    const perNode = new Map<NodeState, number>();
    for (const other of state.candidates(pod.namespace, c.selector)) {
      const n = state.placement.get(other);
      if (n && matchesLabels(c.selector, other.labels)) perNode.set(n, (perNode.get(n) ?? 0) + 1);
    }
    let weight: number;
    let perValue: Map<string, number> | undefined;
    if (c.key === HOSTNAME) {
      weight = Math.log(count - ignoredCount + 2);
    } else {
      perValue = new Map<string, number>();
      for (let i = 0; i < count; i++) {
        const v = col[(feasible[i] as NodeState).index];
        if (ignored[i] === 0 && v !== undefined) perValue.set(v, 0);
      }
      weight = Math.log(perValue.size + 2);
      for (const [n, cnt] of perNode) {
        if (requireAll && !hasAll(n)) continue;
        const v = col[n.index];
        if (v !== undefined && perValue.has(v)) perValue.set(v, (perValue.get(v) ?? 0) + cnt);
      }
    }
    for (let i = 0; i < count; i++) {
      if (ignored[i] === 1) continue;
      const n = feasible[i] as NodeState;
      const v = col[n.index];
      if (v === undefined) continue;
      const cnt = perValue === undefined ? (perNode.get(n) ?? 0) : (perValue.get(v) ?? 0);
      raw[i] = (raw[i] ?? 0) + cnt * weight + (c.maxSkew - 1);
    }
  }
  let min = Infinity;
  let max = 0;
  const rounded = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    const r = Math.round(raw[i] ?? 0);
    rounded[i] = r;
    if (ignored[i] === 1) continue;
    if (r < min) min = r;
    if (r > max) max = r;
  }
  for (let i = 0; i < count; i++)
    rounded[i] = ignored[i] === 1 ? 0 : max === 0 ? MAX : Math.trunc((MAX * (max + min - (rounded[i] ?? 0))) / max);
  return rounded;
}

/** Pick the best node among feasible ones. */
export function selectNode(pod: PodModel, feasible: readonly NodeState[], state?: ClusterState): NodeState | undefined {
  if (feasible.length <= 1) return feasible[0];
  const info = pod.info;
  let maxTaints = 0;
  let maxAffinity = 0;
  const taintCounts = new Array<number>(feasible.length).fill(0);
  const affinity = new Array<number>(feasible.length).fill(0);
  const preferred = info.preferredTerms.length > 0;
  for (let i = 0; i < feasible.length; i++) {
    const n = feasible[i] as NodeState;
    if (n.node.taints.length > 0) {
      for (const t of n.node.taints)
        if (
          t.effect === 'PreferNoSchedule' &&
          untoleratedTaint([t], info.tolerations, (e) => e === 'PreferNoSchedule') !== undefined
        )
          taintCounts[i] = (taintCounts[i] ?? 0) + 1;
      maxTaints = Math.max(maxTaints, taintCounts[i] ?? 0);
    }
    if (preferred) {
      for (const p of info.preferredTerms) if (termMatches(p.term, n.node)) affinity[i] = (affinity[i] ?? 0) + p.weight;
      maxAffinity = Math.max(maxAffinity, affinity[i] ?? 0);
    }
  }
  const spread = state ? spreadScores(state, pod, feasible) : undefined;
  let best: NodeState | undefined;
  let bestScore = -1;
  for (let i = 0; i < feasible.length; i++) {
    const n = feasible[i] as NodeState;
    const taint = maxTaints === 0 ? MAX : MAX - Math.trunc(((taintCounts[i] ?? 0) * MAX) / maxTaints);
    const aff = maxAffinity === 0 ? 0 : Math.trunc(((affinity[i] ?? 0) * MAX) / maxAffinity);
    const score =
      leastAllocatedScore(pod, n) + balancedAllocationScore(pod, n) + 3 * taint + 2 * aff + 2 * (spread?.[i] ?? 0);
    if (score > bestScore || (score === bestScore && best !== undefined && n.node.name < best.node.name)) {
      best = n;
      bestScore = score;
    }
  }
  return best;
}
