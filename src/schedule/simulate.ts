/**
 * The dry run: pods in kube-scheduler's queue order (priority, then input order) through PreFilter,
 * Filter, Score and, when nothing fits, DefaultPreemption's dry run. Computed once per graph.
 *
 * Complexity: for P pods and N nodes, O(P·N) filter evaluations; the node-only filters (taints,
 * node affinity, unschedulable) are computed once per pod template and node. Topology spread and
 * inter-pod affinity counts go through a label index of placed pods, so each pod costs O(N + the
 * placed pods its selectors match), never all pairs of pods.
 */
import type { Graph } from '../model/graph.js';
import { asArray, get, isRecord, keepOne } from '../model/values.js';
import type { Path } from '../types.js';
import { clusterProfile } from './cluster.js';
import type { ClusterProfile } from './cluster.js';
import { ClusterState, dynamicFilter, preFilter, REASON, staticFilter } from './filters.js';
import type { NodeState, PreFilterState, ResolvedClaim, Status } from './filters.js';
import {
  fitErrorMessage,
  NO_VICTIMS,
  NOT_ELIGIBLE_NEVER,
  PREEMPTION_NOT_HELPFUL,
  preemptionMessage,
} from './message.js';
import { expandPods } from './pods.js';
import type { PodModel, PodSpecInfo } from './pods.js';
import { selectNode } from './score.js';

export interface PodPlacement {
  pod: PodModel;
  namespace: string;
  name: string;
  /** The node, or null when the pod cannot be placed. */
  node: string | null;
  /** kube-scheduler's FailedScheduling message, or null when placed. */
  message: string | null;
  /** Already bound (spec.nodeName). */
  bound: boolean;
  /** The plugin that rejected most nodes, and the field of the pod's object it points at. */
  blame: { plugin: string; path: Path } | undefined;
  /** Pods this one preempted to fit. */
  preempted: readonly string[];
}

export interface NodeSummary {
  name: string;
  zone: string | undefined;
  origin: string;
  /** Untainted (NoSchedule/NoExecute) and not cordoned: open to any pod. */
  open: boolean;
  allocatable: { cpu: number; memory: number; pods: number };
  requested: { cpu: number; memory: number; pods: number };
  pods: readonly string[];
}

export interface ScheduleResult {
  profile: ClusterProfile;
  /** Every pod of the run in queue order (bound pods first). */
  pods: readonly PodPlacement[];
  nodes: readonly NodeSummary[];
}

/** The dry-run schedule of a graph (computed once per graph). */
export function schedule(graph: Graph): ScheduleResult {
  return graph.memo('schedule:result', () => run(graph));
}

const NONE_PREEMPTED: readonly string[] = [];

function podKey(p: PodModel): string {
  return `${p.namespace}/${p.name}`;
}

function blamePath(pod: PodModel, status: Status): Path {
  const object = pod.object;
  const t = object.podTemplate;
  const specPath: Path = t?.specPath ?? ['spec'];
  const spec = t?.spec ?? {};
  switch (status.plugin) {
    case 'TaintToleration':
      return spec.tolerations !== undefined ? [...specPath, 'tolerations'] : specPath;
    case 'NodeAffinity':
      return spec.nodeSelector !== undefined
        ? [...specPath, 'nodeSelector']
        : isRecord(get(spec, 'affinity', 'nodeAffinity'))
          ? [...specPath, 'affinity', 'nodeAffinity']
          : specPath;
    case 'NodeResourcesFit': {
      const reason = status.reasons.find((r) => r.startsWith('Insufficient '));
      const resource = reason?.slice('Insufficient '.length);
      for (const c of t?.containers ?? []) {
        if (resource !== undefined && get(c.raw, 'resources', 'requests', resource) !== undefined)
          return [...c.path, 'resources', 'requests', resource];
        if (resource !== undefined && get(c.raw, 'resources', 'limits', resource) !== undefined)
          return [...c.path, 'resources', 'limits', resource];
      }
      return replicasPath(pod);
    }
    case 'NodePorts':
      for (const c of t?.containers ?? []) {
        const i = asArray(c.raw.ports).findIndex((p) => get(p, 'hostPort') !== undefined);
        if (i !== -1) return [...c.path, 'ports', i, 'hostPort'];
      }
      return replicasPath(pod);
    default:
      return status.path ?? replicasPath(pod);
  }
}

function replicasPath(pod: PodModel): Path {
  const raw = pod.object.raw;
  if (get(raw, 'spec', 'replicas') !== undefined) return ['spec', 'replicas'];
  if (pod.object.kind === 'Job' && get(raw, 'spec', 'parallelism') !== undefined) return ['spec', 'parallelism'];
  return ['metadata', 'name'];
}

interface Evaluation {
  feasible: NodeState[];
  statuses: Map<NodeState, Status>;
  absent: number;
}

function run(graph: Graph): ScheduleResult {
  const profile = clusterProfile(graph);
  const all = expandPods(graph, profile);
  const state = new ClusterState(profile, graph);
  const results = new Map<PodModel, PodPlacement>();
  const claimsOf = new Map<PodModel, readonly ResolvedClaim[]>();
  const staticCache = new Map<PodSpecInfo, (Status | undefined)[]>();
  const numAllNodes = state.nodes.length;
  const placedPerObject = new Map<unknown, number>();
  // Thousands of pods past a full cluster fail with one message and one blame: each is kept once (a message
  // built by concatenation is a chain of pieces until flattened; per pod, they were most of the result).
  const messages = new Map<string, string>();
  const blames = new Map<string, NonNullable<PodPlacement['blame']>>();
  const placed = (
    pod: PodModel,
    node: string | null,
    message: string | null,
    extra: Partial<PodPlacement> = {},
  ): void => {
    if (node !== null) placedPerObject.set(pod.object, (placedPerObject.get(pod.object) ?? 0) + 1);
    const blame = extra.blame;
    results.set(pod, {
      pod,
      namespace: pod.namespace,
      name: pod.name,
      node,
      message: message === null ? null : keepOne(messages, message, message),
      bound: false,
      preempted: NONE_PREEMPTED,
      ...extra,
      blame: blame === undefined ? undefined : keepOne(blames, JSON.stringify([blame.plugin, blame.path]), blame),
    });
  };

  const queue: PodModel[] = [];
  for (const pod of all) {
    if (pod.admissionError !== undefined) {
      placed(pod, null, pod.admissionError, {
        blame: { plugin: 'Priority', path: [...(pod.object.podTemplate?.specPath ?? ['spec']), 'priorityClassName'] },
      });
      continue;
    }
    const nodeName = pod.info.nodeName;
    if (nodeName !== undefined) {
      const n = state.byName.get(nodeName);
      if (n) {
        state.add(pod, n);
        placed(pod, nodeName, null, { bound: true });
      } else {
        placed(
          pod,
          null,
          `spec.nodeName names node "${nodeName}", which is not in the cluster: the pod stays Pending`,
          {
            bound: true,
            blame: { plugin: 'NodeName', path: [...(pod.object.podTemplate?.specPath ?? ['spec']), 'nodeName'] },
          },
        );
      }
      continue;
    }
    queue.push(pod);
  }
  queue.sort((a, b) => b.priority - a.priority || a.seq - b.seq);

  const treeOrder = zoneInterleavedOrder(state.nodes);
  let nextStart = 0;
  const evaluate = (pod: PodModel, pre: PreFilterState): Evaluation => {
    const feasible: NodeState[] = [];
    const statuses = new Map<NodeState, Status>();
    let cache = staticCache.get(pod.info);
    if (!cache) staticCache.set(pod.info, (cache = state.nodes.map((n) => staticFilter(pod, n.node))));
    const nodes = state.nodes;
    const info = pod.info;
    const simple =
      info.hostPorts.length === 0 &&
      pre.claims.length === 0 &&
      pre.spread.length === 0 &&
      info.affinity.length === 0 &&
      info.antiAffinity.length === 0 &&
      pre.existingAntiCounts.size === 0;
    // percentageOfNodesToScore: from a rotating start in the zone-interleaved node order, stop once
    // enough feasible nodes are found (all of them below 100 nodes).
    const candidates =
      pre.nodeNames === undefined ? nodes.length : nodes.filter((n) => pre.nodeNames?.has(n.node.name) === true).length;
    const absent = nodes.length - candidates;
    const wanted = numFeasibleNodesToFind(candidates);
    const start = nextStart;
    let processed = 0;
    for (let k = 0; k < nodes.length && feasible.length < wanted; k++) {
      const i = treeOrder[(start + k) % nodes.length] ?? 0;
      const n = nodes[i] as NodeState;
      if (pre.nodeNames !== undefined && !pre.nodeNames.has(n.node.name)) continue;
      processed++;
      const fixed = cache[i];
      if (fixed) {
        statuses.set(n, fixed);
        continue;
      }
      // Fast path for the common pod: only NodeResourcesFit depends on what is placed.
      if (simple) {
        const r = info.requests;
        const a = n.node.allocatable;
        if (
          n.pods.size + 1 <= n.node.pods &&
          (r.cpu === 0 || r.cpu <= a.cpu - n.cpu) &&
          (r.memory === 0 || r.memory <= a.memory - n.memory) &&
          (r.ephemeralStorage === 0 || r.ephemeralStorage <= a.ephemeralStorage - n.ephemeralStorage) &&
          r.scalars.size === 0
        ) {
          feasible.push(n);
          continue;
        }
      }
      const s = dynamicFilter(state, pod, n, pre);
      if (s) statuses.set(n, s);
      else feasible.push(n);
    }
    if (nodes.length > 0) nextStart = (start + processed) % nodes.length;
    return { feasible, statuses, absent };
  };

  /** Whether the pod fits a node in the current state (PreFilter recomputed). */
  const fitsOn = (pod: PodModel, n: NodeState): Status | 'fits' => {
    const pre = preFilter(state, pod);
    if ('error' in pre) return { reasons: [pre.error], resolvable: false, path: pre.path, plugin: 'PreFilter' };
    const s = staticFilter(pod, n.node) ?? dynamicFilter(state, pod, n, pre.state);
    return s ?? 'fits';
  };

  const importance = (a: PodModel, b: PodModel) => b.priority - a.priority || a.seq - b.seq;

  const failedOrdered = new Set<unknown>();
  let seq = all.length;
  let steps = 0;
  for (let qi = 0; qi < queue.length; qi++) {
    const pod = queue[qi] as PodModel;
    if (++steps > all.length * 4 + 100) {
      placed(pod, null, 'not scheduled: the dry run stopped after too many preemptions');
      continue;
    }
    const sts = pod.object.kind === 'StatefulSet' && get(pod.object.raw, 'spec', 'podManagementPolicy') !== 'Parallel';
    if (sts && failedOrdered.has(pod.object)) {
      results.delete(pod);
      continue;
    }
    const pre = preFilter(state, pod);
    if ('error' in pre) {
      const post =
        pod.preemptionPolicy === 'Never'
          ? `preemption: ${NOT_ELIGIBLE_NEVER}`
          : preemptionMessage(
              numAllNodes,
              state.nodes.map(() => [PREEMPTION_NOT_HELPFUL]),
            );
      placed(
        pod,
        null,
        fitErrorMessage({ numAllNodes, preFilterMsg: pre.error, nodeReasons: [], absent: undefined }, post),
        { blame: { plugin: 'VolumeBindingPreFilter', path: pre.path } },
      );
      if (sts) failedOrdered.add(pod.object);
      continue;
    }
    const ev = evaluate(pod, pre.state);
    const best = selectNode(pod, ev.feasible, state);
    if (best) {
      state.add(pod, best, pre.state.claims);
      claimsOf.set(pod, pre.state.claims);
      placed(pod, best.node.name, null);
      continue;
    }
    // Nothing fits: the diagnosis, then DefaultPreemption.
    const nodeReasons = [...ev.statuses.values()].map((s) => s.reasons);
    const absent = ev.absent > 0 ? { reasons: [REASON.absentNodeAffinity], count: ev.absent } : undefined;
    let post: string;
    let candidate: { node: NodeState; victims: PodModel[] } | undefined;
    if (pod.preemptionPolicy === 'Never') {
      post = `preemption: ${NOT_ELIGIBLE_NEVER}`;
    } else {
      const preemptionReasons: (readonly string[])[] = [];
      for (let i = 0; i < ev.absent; i++) preemptionReasons.push([PREEMPTION_NOT_HELPFUL]);
      for (const [n, status] of ev.statuses) {
        if (!status.resolvable) {
          preemptionReasons.push([PREEMPTION_NOT_HELPFUL]);
          continue;
        }
        const potential = [...n.pods].filter((p) => p.priority < pod.priority).sort(importance);
        if (potential.length === 0) {
          preemptionReasons.push([NO_VICTIMS]);
          continue;
        }
        for (const v of potential) state.remove(v);
        const fit = fitsOn(pod, n);
        if (fit !== 'fits') {
          preemptionReasons.push(fit.reasons);
          for (const v of potential) state.add(v, n, claimsOf.get(v));
          continue;
        }
        const victims: PodModel[] = [];
        for (const v of potential) {
          state.add(v, n, claimsOf.get(v));
          if (fitsOn(pod, n) !== 'fits') {
            state.remove(v);
            victims.push(v);
          }
        }
        for (const v of victims) state.add(v, n, claimsOf.get(v));
        const order =
          candidate === undefined
            ? -1
            : compareCandidates(victims, candidate.victims) || (n.node.name < candidate.node.node.name ? -1 : 1);
        const better = order < 0;
        if (better) candidate = { node: n, victims };
      }
      post = preemptionMessage(numAllNodes, preemptionReasons);
    }
    if (candidate) {
      for (const v of candidate.victims) {
        state.remove(v);
        if (typeof results.get(v)?.node === 'string')
          placedPerObject.set(v.object, (placedPerObject.get(v.object) ?? 1) - 1);
        results.delete(v);
        if (v.object.kind === 'Pod' || v.info.nodeName !== undefined) {
          // A bare or bound pod is deleted for good.
          placed(v, null, `Preempted by pod ${podKey(pod)} on node ${candidate.node.node.name}`, {
            bound: v.info.nodeName !== undefined,
          });
          continue;
        }
        // The victim's controller recreates it; it goes back to the queue behind pods of its priority.
        const again: PodModel = { ...v, seq: seq++ };
        let at = qi + 1;
        while (at < queue.length && (queue[at] as PodModel).priority >= again.priority) at++;
        queue.splice(at, 0, again);
      }
      state.add(pod, candidate.node, pre.state.claims);
      claimsOf.set(pod, pre.state.claims);
      placed(pod, candidate.node.node.name, null, { preempted: candidate.victims.map(podKey) });
      continue;
    }
    placed(pod, null, fitErrorMessage({ numAllNodes, preFilterMsg: undefined, nodeReasons, absent }, post), {
      blame: chooseBlame(pod, ev, (placedPerObject.get(pod.object) ?? 0) > 0),
    });
    if (sts) failedOrdered.add(pod.object);
  }

  const pods = [...results.values()].sort(
    (a, b) => Number(b.bound) - Number(a.bound) || b.pod.priority - a.pod.priority || a.pod.seq - b.pod.seq,
  );
  const nodes: NodeSummary[] = state.nodes.map((n) => ({
    name: n.node.name,
    zone: n.node.labels['topology.kubernetes.io/zone'],
    origin: n.node.origin,
    open: !n.node.unschedulable && !n.node.taints.some((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute'),
    allocatable: { cpu: n.node.allocatable.cpu, memory: n.node.allocatable.memory, pods: n.node.pods },
    requested: { cpu: n.cpu, memory: n.memory, pods: n.pods.size },
    pods: [...n.pods].sort((a, b) => a.seq - b.seq).map(podKey),
  }));
  return { profile, pods, nodes };
}

/**
 * numFeasibleNodesToFind with the default percentageOfNodesToScore (0 = adaptive): every node below
 * 100 nodes, else 50% minus 1% per 125 nodes, at least 5% and at least 100 nodes.
 */
export function numFeasibleNodesToFind(numAllNodes: number): number {
  if (numAllNodes < 100) return numAllNodes;
  const percentage = Math.max(5, 50 - Math.trunc(numAllNodes / 125));
  return Math.max(100, Math.trunc((numAllNodes * percentage) / 100));
}

/**
 * The scheduler cache's NodeTree order: zones (region and zone labels) in order of appearance, one node of
 * each in turn.
 */
function zoneInterleavedOrder(nodes: readonly NodeState[]): number[] {
  const zones = new Map<string, number[]>();
  for (const n of nodes) {
    const l = n.node.labels;
    const region = l['topology.kubernetes.io/region'] ?? l['failure-domain.beta.kubernetes.io/region'] ?? '';
    const zoneLabel = l['topology.kubernetes.io/zone'] ?? l['failure-domain.beta.kubernetes.io/zone'] ?? '';
    const zone = `${region}:\u0000:${zoneLabel}`;
    const list = zones.get(zone);
    if (list) list.push(n.index);
    else zones.set(zone, [n.index]);
  }
  const out: number[] = [];
  const lists = [...zones.values()];
  for (let round = 0; out.length < nodes.length; round++)
    for (const list of lists) if (round < list.length) out.push(list[round] ?? 0);
  return out;
}

/** pickOneNodeForPreemption, without PDBs: lowest highest-victim priority, then lowest sum, then fewest victims. */
function compareCandidates(a: readonly PodModel[], b: readonly PodModel[]): number {
  // A fold, not Math.max(...list): a spread of many pods overflows the stack.
  const top = (v: readonly PodModel[]) => v.reduce((max, p) => Math.max(max, p.priority), -Infinity);
  const sum = (v: readonly PodModel[]) => v.reduce((s, p) => s + p.priority, 0);
  return top(a) - top(b) || sum(a) - sum(b) || a.length - b.length;
}

function chooseBlame(pod: PodModel, ev: Evaluation, siblingPlaced: boolean): PodPlacement['blame'] {
  const byPlugin = new Map<string, { count: number; status: Status }>();
  for (const s of ev.statuses.values()) {
    const entry = byPlugin.get(s.plugin);
    if (entry) entry.count++;
    else byPlugin.set(s.plugin, { count: 1, status: s });
  }
  let top: { count: number; status: Status } | undefined;
  for (const e of byPlugin.values()) if (!top || e.count > top.count) top = e;
  if (!top) return { plugin: 'NodeAffinity', path: replicasPath(pod) };
  const capacity = ['NodeResourcesFit', 'NodePorts', 'PodTopologySpread', 'InterPodAffinity'].includes(
    top.status.plugin,
  );
  if (capacity && siblingPlaced && get(pod.object.raw, 'spec', 'replicas') !== undefined)
    return { plugin: top.status.plugin, path: ['spec', 'replicas'] };
  return { plugin: top.status.plugin, path: blamePath(pod, top.status) };
}

/**
 * The filter verdict of every node for one pod, against the cluster with only the bound pods
 * (`spec.nodeName`) placed: how upstream's plugin tests set up a node with existing pods. With
 * `pluginLevel`, every node goes through the filters even when a PreFilterResult narrowed the nodes
 * (upstream's plugin tests call Filter directly). Returns
 * node name → reasons ([] when the node fits), or the PreFilter failure message.
 */
export function filterVerdicts(
  graph: Graph,
  namespace: string,
  name: string,
  options: { pluginLevel?: boolean } = {},
): Map<string, readonly string[]> | string {
  const profile = clusterProfile(graph);
  const all = expandPods(graph, profile);
  const state = new ClusterState(profile, graph);
  for (const pod of all) {
    const n = pod.info.nodeName !== undefined ? state.byName.get(pod.info.nodeName) : undefined;
    if (n) state.add(pod, n);
  }
  const pod = all.find((p) => p.namespace === namespace && p.name === name);
  if (!pod) throw new Error(`no pod ${namespace}/${name}`);
  const pre = preFilter(state, pod);
  if ('error' in pre) return pre.error;
  const out = new Map<string, readonly string[]>();
  for (const n of state.nodes) {
    if (options.pluginLevel !== true && pre.state.nodeNames !== undefined && !pre.state.nodeNames.has(n.node.name)) {
      out.set(n.node.name, [REASON.absentNodeAffinity]);
      continue;
    }
    const s = staticFilter(pod, n.node) ?? dynamicFilter(state, pod, n, pre.state);
    out.set(n.node.name, s?.reasons ?? []);
  }
  return out;
}
