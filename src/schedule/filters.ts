/**
 * The cluster state of a simulation and kube-scheduler's PreFilter and Filter plugins, in the
 * default profile's order: NodeUnschedulable, NodeName, TaintToleration, NodeAffinity, NodePorts,
 * NodeResourcesFit, VolumeRestrictions, VolumeBinding, VolumeZone, PodTopologySpread,
 * InterPodAffinity. Reason strings are upstream's, verbatim.
 */
import type { Graph } from '../model/graph.js';
import { claimClass } from '../resolve/references.js';
import { matchesLabels } from '../resolve/selectors.js';
import type { Requirement, Selector } from '../resolve/selectors.js';
import { asArray, asString, get, isRecord, stringMap } from '../model/values.js';
import type { Path } from '../types.js';
import { ZONE_LABEL, wholeQuantity } from './cluster.js';
import type { ClusterProfile, NodeModel, StorageClassModel } from './cluster.js';
import { matchesNodeSelector, termMatches, untoleratedTaint } from './pods.js';
import type { AffinityTerm, HostPort, NodeSelectorTerm, PodModel, SpreadConstraint } from './pods.js';

export const REASON = {
  unschedulable: 'node(s) were unschedulable',
  nodeName: "node(s) didn't match the requested node name",
  nodeAffinity: "node(s) didn't match Pod's node affinity/selector",
  ports: "node(s) didn't have free ports for the requested pod ports",
  tooManyPods: 'Too many pods',
  rwop: 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode',
  bindConflict: "node(s) didn't find available persistent volumes to bind",
  volumeNodeConflict: 'node(s) had volume node affinity conflict',
  volumeZone: 'node(s) had no available volume zone',
  spread: "node(s) didn't match pod topology spread constraints",
  spreadLabel: "node(s) didn't match pod topology spread constraints (missing required label)",
  affinity: "node(s) didn't match pod affinity rules",
  antiAffinity: "node(s) didn't match pod anti-affinity rules",
  existingAntiAffinity: "node(s) didn't satisfy existing pods anti-affinity rules",
  unboundImmediate: 'pod has unbound immediate PersistentVolumeClaims',
  absentNodeAffinity: "node(s) didn't satisfy plugin(s) [NodeAffinity]",
} as const;

export function taintReason(key: string, value: string): string {
  return `node(s) had untolerated taint {${key}: ${value}}`;
}

/** A filter verdict: the reasons and whether preemption could help (Unschedulable vs …AndUnresolvable). */
export interface Status {
  reasons: readonly string[];
  resolvable: boolean;
  /** Which constraint of the pod spec failed, relative to the object (for findings). */
  path: Path | undefined;
  plugin: string;
}

export interface NodeState {
  /** Position in ClusterState.nodes. */
  index: number;
  node: NodeModel;
  pods: Set<PodModel>;
  cpu: number;
  memory: number;
  ephemeralStorage: number;
  scalars: Map<string, number>;
  nonZeroCpu: number;
  nonZeroMemory: number;
  ports: HostPort[];
}

/** A claim as resolved for one pod. */
export interface ResolvedClaim {
  key: string;
  name: string;
  path: Path;
  rwop: boolean;
  /** Bound to a PV whose node affinity / zone labels constrain nodes. */
  pv: Record<string, unknown> | undefined;
  /** Delayed binding (WaitForFirstConsumer). */
  delayed: { cls: StorageClassModel; static: boolean; spec: Record<string, unknown> } | undefined;
}

export interface PreFilterState {
  claims: ResolvedClaim[];
  rwopConflict: boolean;
  spread: {
    constraint: SpreadConstraint;
    selector: Selector;
    counts: Map<string, number>;
    min: number;
    self: number;
    /** The constraint's label on every node, and the statuses it returns (shared, never mutated). */
    column: readonly (string | undefined)[];
    skewStatus: Status;
    labelStatus: Status;
  }[];
  spreadKeys: string[];
  affinityCounts: PairCounts;
  antiAffinityCounts: PairCounts;
  existingAntiCounts: PairCounts;
  /** The topology keys of existingAntiCounts. */
  existingAntiKeys: string[];
  /** Nodes the NodeAffinity PreFilter narrowed to (matchFields metadata.name), or undefined for all. */
  nodeNames: ReadonlySet<string> | undefined;
}

/** Counts per topology pair (key, value), without building pair strings on the hot path. */
export class PairCounts {
  private readonly byKey = new Map<string, Map<string, number>>();
  /** Number of distinct pairs. */
  size = 0;

  inc(key: string, value: string): void {
    let values = this.byKey.get(key);
    if (!values) this.byKey.set(key, (values = new Map<string, number>()));
    const current = values.get(value);
    if (current === undefined) this.size++;
    values.set(value, (current ?? 0) + 1);
  }

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }
}

export class ClusterState {
  readonly nodes: NodeState[];
  readonly byName = new Map<string, NodeState>();
  readonly placement = new Map<PodModel, NodeState>();
  private readonly byLabel = new Map<string, Map<string, Set<PodModel>>>();
  private readonly byNamespace = new Map<string, Set<PodModel>>();
  /**
   * Required anti-affinity terms of placed pods, indexed by one `key=value` their selector requires
   * (an incoming pod can only match terms indexed under one of its labels); others in `anyTerms`.
   */
  private readonly antiTermsByLabel = new Map<string, Set<{ pod: PodModel; term: AffinityTerm }>>();
  private readonly anyTerms = new Set<{ pod: PodModel; term: AffinityTerm }>();
  private readonly termEntries = new Map<
    PodModel,
    { key: string | undefined; entry: { pod: PodModel; term: AffinityTerm } }[]
  >();
  private readonly claimUsers = new Map<string, Set<PodModel>>();
  /** Claims bound during the run (delayed binding): key → the PV-like object they were bound to. */
  private readonly bindings = new Map<string, Record<string, unknown>>();
  private readonly takenVolumes = new Set<string>();
  private readonly namespaceLabels = new Map<string, Record<string, string>>();

  constructor(
    readonly profile: ClusterProfile,
    readonly graph: Graph,
  ) {
    this.nodes = profile.nodes.map((node, index) => ({
      index,
      node,
      pods: new Set(),
      cpu: 0,
      memory: 0,
      ephemeralStorage: 0,
      scalars: new Map(),
      nonZeroCpu: 0,
      nonZeroMemory: 0,
      ports: [],
    }));
    for (const n of this.nodes) this.byName.set(n.node.name, n);
    for (const ns of graph.ofKind('Namespace', ''))
      this.namespaceLabels.set(ns.name, { ...ns.labels, 'kubernetes.io/metadata.name': ns.name });
    for (const pv of graph.ofKind('PersistentVolume', '')) {
      const ref = get(pv.raw, 'spec', 'claimRef');
      if (isRecord(ref)) this.takenVolumes.add(pv.name);
    }
  }

  private readonly columns = new Map<string, (string | undefined)[]>();
  private readonly includedCache = new WeakMap<
    SpreadConstraint,
    Map<unknown, { nodes: Set<NodeState>; domains: string[] }>
  >();

  /** The value of one label on every node, by node index (node labels never change in a run). */
  column(key: string): readonly (string | undefined)[] {
    let col = this.columns.get(key);
    if (!col) this.columns.set(key, (col = this.nodes.map((n) => n.node.labels[key])));
    return col;
  }

  /**
   * The nodes a spread constraint counts on (they carry every key of the pod's hard constraints and
   * pass its node-inclusion policies) and their domains: static, so computed once per pod spec.
   */
  spreadNodes(
    pod: PodModel,
    c: SpreadConstraint,
    keys: readonly string[],
  ): { nodes: Set<NodeState>; domains: string[] } {
    let byInfo = this.includedCache.get(c);
    if (!byInfo) this.includedCache.set(c, (byInfo = new Map<unknown, { nodes: Set<NodeState>; domains: string[] }>()));
    const cached = byInfo.get(pod.info);
    if (cached) return cached;
    const nodes = new Set<NodeState>();
    const domains = new Set<string>();
    const cols = keys.map((k) => this.column(k));
    const own = this.column(c.topologyKey);
    for (const n of this.nodes) {
      if (cols.some((col) => col[n.index] === undefined)) continue;
      if (c.nodeAffinityPolicy !== 'Ignore' && !matchesNodeSelector(pod.info, n.node)) continue;
      if (
        c.nodeTaintsPolicy === 'Honor' &&
        untoleratedTaint(n.node.taints, pod.info.tolerations, (e) => e === 'NoSchedule' || e === 'NoExecute') !==
          undefined
      )
        continue;
      nodes.add(n);
      domains.add(own[n.index] ?? '');
    }
    const result = { nodes, domains: [...domains] };
    byInfo.set(pod.info, result);
    return result;
  }

  nsLabels(namespace: string): Record<string, string> {
    return this.namespaceLabels.get(namespace) ?? { 'kubernetes.io/metadata.name': namespace };
  }

  add(pod: PodModel, state: NodeState, claims: readonly ResolvedClaim[] = []): void {
    this.placement.set(pod, state);
    state.pods.add(pod);
    const r = pod.info.requests;
    state.cpu += r.cpu;
    state.memory += r.memory;
    state.ephemeralStorage += r.ephemeralStorage;
    for (const [k, v] of r.scalars) state.scalars.set(k, (state.scalars.get(k) ?? 0) + v);
    state.nonZeroCpu += pod.info.nonZeroCpu;
    state.nonZeroMemory += pod.info.nonZeroMemory;
    state.ports.push(...pod.info.hostPorts);
    let index = this.byLabel.get(pod.namespace);
    if (!index) this.byLabel.set(pod.namespace, (index = new Map<string, Set<PodModel>>()));
    for (const [k, v] of Object.entries(pod.labels)) {
      const key = `${k}=${v}`;
      let set = index.get(key);
      if (!set) index.set(key, (set = new Set()));
      set.add(pod);
    }
    let nsSet = this.byNamespace.get(pod.namespace);
    if (!nsSet) this.byNamespace.set(pod.namespace, (nsSet = new Set()));
    nsSet.add(pod);
    if (pod.info.antiAffinity.length > 0) {
      const entries = pod.info.antiAffinity.map((term) => {
        const eq = term.selector.requirements.find((r) => r.operator === 'In' && r.values.length === 1);
        const key = eq ? `${eq.key}=${eq.values[0] ?? ''}` : undefined;
        const entry = { pod, term };
        if (key === undefined) this.anyTerms.add(entry);
        else {
          let set = this.antiTermsByLabel.get(key);
          if (!set) this.antiTermsByLabel.set(key, (set = new Set()));
          set.add(entry);
        }
        return { key, entry };
      });
      this.termEntries.set(pod, entries);
    }
    for (const c of claims) {
      let users = this.claimUsers.get(c.key);
      if (!users) this.claimUsers.set(c.key, (users = new Set()));
      users.add(pod);
      if (c.delayed && !this.bindings.has(c.key)) this.bindDelayed(c, state.node);
    }
  }

  remove(pod: PodModel): void {
    const state = this.placement.get(pod);
    if (!state) return;
    this.placement.delete(pod);
    state.pods.delete(pod);
    const r = pod.info.requests;
    state.cpu -= r.cpu;
    state.memory -= r.memory;
    state.ephemeralStorage -= r.ephemeralStorage;
    for (const [k, v] of r.scalars) state.scalars.set(k, (state.scalars.get(k) ?? 0) - v);
    state.nonZeroCpu -= pod.info.nonZeroCpu;
    state.nonZeroMemory -= pod.info.nonZeroMemory;
    for (const p of pod.info.hostPorts) {
      const i = state.ports.indexOf(p);
      if (i !== -1) state.ports.splice(i, 1);
    }
    const index = this.byLabel.get(pod.namespace);
    for (const [k, v] of Object.entries(pod.labels)) index?.get(`${k}=${v}`)?.delete(pod);
    this.byNamespace.get(pod.namespace)?.delete(pod);
    for (const { key, entry } of this.termEntries.get(pod) ?? []) {
      if (key === undefined) this.anyTerms.delete(entry);
      else this.antiTermsByLabel.get(key)?.delete(entry);
    }
    this.termEntries.delete(pod);
    for (const users of this.claimUsers.values()) users.delete(pod);
  }

  /** Placed pods in the namespaces that may match a selector (narrowed through the label index). */
  candidates(namespace: string, selector: Selector): Iterable<PodModel> {
    const index = this.byLabel.get(namespace);
    if (!index) return [];
    let best: Set<PodModel> | undefined;
    for (const r of selector.requirements) {
      if (r.operator !== 'In' || r.values.length !== 1) continue;
      const set = index.get(`${r.key}=${r.values[0] ?? ''}`);
      if (!set) return [];
      if (best === undefined || set.size < best.size) best = set;
    }
    return best ?? this.byNamespace.get(namespace) ?? [];
  }

  namespacesWithPods(): string[] {
    return [...this.byNamespace.keys()];
  }

  /** Anti-affinity terms of placed pods that may match a pod's labels. */
  *antiAffinityTermsFor(pod: PodModel): Iterable<{ pod: PodModel; term: AffinityTerm }> {
    yield* this.anyTerms;
    for (const [k, v] of Object.entries(pod.labels)) {
      const set = this.antiTermsByLabel.get(`${k}=${v}`);
      if (set) yield* set;
    }
  }

  claimInUse(key: string, except: PodModel): boolean {
    for (const p of this.claimUsers.get(key) ?? []) if (p !== except) return true;
    return false;
  }

  binding(key: string): Record<string, unknown> | undefined {
    return this.bindings.get(key);
  }

  volumeTaken(name: string): boolean {
    return this.takenVolumes.has(name);
  }

  /**
   * A delayed claim binds when its first pod is placed: to a matching local PV, or to a new volume in the
   * node's zone.
   */
  private bindDelayed(claim: ResolvedClaim, node: NodeModel): void {
    const delayed = claim.delayed;
    if (!delayed) return;
    if (delayed.static) {
      const pv = findStaticVolume(this, delayed.cls.name, delayed.spec, node);
      if (pv) {
        this.takenVolumes.add(asString(get(pv, 'metadata', 'name')) ?? '');
        this.bindings.set(claim.key, pv);
      }
      return;
    }
    const zone = node.labels[ZONE_LABEL];
    const affinity =
      zone !== undefined
        ? {
            required: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE_LABEL, operator: 'In', values: [zone] }] }],
            },
          }
        : undefined;
    this.bindings.set(claim.key, {
      metadata: { name: `pvc-${claim.name}` },
      spec: affinity ? { nodeAffinity: affinity } : {},
    });
  }
}

function pvNodeTerms(pv: Record<string, unknown>): NodeSelectorTerm[] | undefined {
  const terms = get(pv, 'spec', 'nodeAffinity', 'required', 'nodeSelectorTerms');
  if (!Array.isArray(terms)) return undefined;
  return terms.map((t) => ({
    matchExpressions: asArray(get(t, 'matchExpressions')).map((e) => ({
      key: asString(get(e, 'key')) ?? '',
      operator: asString(get(e, 'operator')) ?? '',
      values: asArray(get(e, 'values')).map(String),
    })),
    matchFields: asArray(get(t, 'matchFields')).map((e) => ({
      key: asString(get(e, 'key')) ?? '',
      operator: asString(get(e, 'operator')) ?? '',
      values: asArray(get(e, 'values')).map(String),
    })),
  }));
}

function pvMatchesNode(pv: Record<string, unknown>, node: NodeModel): boolean {
  const terms = pvNodeTerms(pv);
  return terms === undefined || terms.some((t) => termMatches(t, node));
}

function accessModes(spec: unknown): string[] {
  return asArray(get(spec, 'accessModes')).map(String);
}

/** An available PV of a class that can hold the claim (and, given a node, is reachable from it). */
function findStaticVolume(
  state: ClusterState,
  className: string,
  claimSpec: Record<string, unknown>,
  node: NodeModel | undefined,
): Record<string, unknown> | undefined {
  const wanted = wholeQuantity(get(claimSpec, 'resources', 'requests', 'storage')) ?? 0;
  const modes = accessModes(claimSpec);
  for (const pv of state.graph.ofKind('PersistentVolume', '')) {
    if (state.volumeTaken(pv.name)) continue;
    const cls = asString(get(pv.raw, 'spec', 'storageClassName')) ?? '';
    if (cls !== className) continue;
    if ((wholeQuantity(get(pv.raw, 'spec', 'capacity', 'storage')) ?? 0) < wanted) continue;
    const pvModes = accessModes(pv.raw.spec);
    if (!modes.every((m) => pvModes.includes(m))) continue;
    if (node && !pvMatchesNode(pv.raw, node)) continue;
    return pv.raw;
  }
  return undefined;
}

function defaultClass(profile: ClusterProfile): StorageClassModel | undefined {
  return [...profile.storageClasses.values()].find((c) => c.isDefault);
}

const ZONE_KEYS = [
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
];

/** Resolve the claims of a pod (VolumeBinding PreFilter). Returns the PreFilter failure message, if any. */
function resolveClaims(
  state: ClusterState,
  pod: PodModel,
): { claims: ResolvedClaim[]; error: { message: string; path: Path } | undefined } {
  const claims: ResolvedClaim[] = [];
  for (const use of pod.info.claims) {
    const name = use.claimName.startsWith('\u0000ephemeral:')
      ? `${pod.name}-${use.claimName.slice('\u0000ephemeral:'.length)}`
      : use.claimName;
    const key = `${pod.namespace}/${name}`;
    const found = state.graph.find('PersistentVolumeClaim', pod.namespace, name)[0];
    let spec: Record<string, unknown>;
    let metadata: unknown;
    if (found) {
      spec = isRecord(found.raw.spec) ? found.raw.spec : {};
      metadata = found.raw.metadata;
    } else if (use.templateSpec) {
      spec = use.templateSpec;
      metadata = undefined;
    } else if (state.graph.isDeclared('PersistentVolumeClaim', pod.namespace, name)) {
      continue;
    } else {
      return { claims, error: { message: `persistentvolumeclaim "${name}" not found`, path: use.path } };
    }
    const rwop = accessModes(spec).includes('ReadWriteOncePod');
    const claim: ResolvedClaim = { key, name, path: use.path, rwop, pv: undefined, delayed: undefined };
    claims.push(claim);
    const bound = state.binding(key);
    if (bound) {
      claim.pv = bound;
      continue;
    }
    const volumeName = asString(spec.volumeName);
    const preBound = state.graph
      .ofKind('PersistentVolume', '')
      .find((pv) =>
        volumeName !== undefined
          ? pv.name === volumeName
          : asString(get(pv.raw, 'spec', 'claimRef', 'name')) === name &&
            (asString(get(pv.raw, 'spec', 'claimRef', 'namespace')) ?? 'default') === pod.namespace,
      );
    if (volumeName !== undefined || preBound) {
      claim.pv = preBound?.raw;
      continue;
    }
    const className = claimClass(spec, metadata);
    if (className === '') {
      // Static binding only: when the input defines volumes, one must fit.
      if (state.graph.ofKind('PersistentVolume', '').length === 0) continue;
      const pv = findStaticVolume(state, '', spec, undefined);
      if (!pv) return { claims, error: { message: REASON.unboundImmediate, path: use.path } };
      claim.pv = pv;
      continue;
    }
    const cls = className === undefined ? defaultClass(state.profile) : state.profile.storageClasses.get(className);
    if (!cls) {
      // A class the profile does not know: the default profile (or a cluster declared without its
      // classes) cannot tell, so dynamic provisioning is assumed; storage-class-missing judges names.
      if (className === undefined || state.profile.source === 'default' || state.profile.storageClasses.size === 0)
        continue;
      return { claims, error: { message: REASON.unboundImmediate, path: use.path } };
    }
    const isStatic = cls.provisioner === 'kubernetes.io/no-provisioner';
    if (cls.volumeBindingMode === 'WaitForFirstConsumer') {
      claim.delayed = { cls, static: isStatic, spec };
      continue;
    }
    if (isStatic) {
      const pv = findStaticVolume(state, cls.name, spec, undefined);
      if (!pv) return { claims, error: { message: REASON.unboundImmediate, path: use.path } };
      claim.pv = pv;
    }
  }
  return { claims, error: undefined };
}

function termNamespaces(term: AffinityTerm, owner: PodModel, state: ClusterState): string[] {
  if (term.namespaceSelector === undefined && term.namespaces.size === 0) return [owner.namespace];
  const out = new Set(term.namespaces);
  if (term.namespaceSelector)
    for (const ns of state.namespacesWithPods())
      if (matchesLabels(term.namespaceSelector, state.nsLabels(ns))) out.add(ns);
  return [...out];
}

function termMatchesPod(term: AffinityTerm, owner: PodModel, other: PodModel, state: ClusterState): boolean {
  const inNs =
    term.namespaceSelector === undefined && term.namespaces.size === 0
      ? other.namespace === owner.namespace
      : term.namespaces.has(other.namespace) ||
        (term.namespaceSelector !== undefined &&
          matchesLabels(term.namespaceSelector, state.nsLabels(other.namespace)));
  return inNs && matchesLabels(term.selector, other.labels);
}

/** The spread selector with matchLabelKeys merged in. */
export function spreadSelector(c: SpreadConstraint, pod: PodModel): Selector {
  if (c.matchLabelKeys.length === 0) return c.selector;
  const extra: Requirement[] = [];
  for (const key of c.matchLabelKeys) {
    const value = pod.labels[key];
    if (value !== undefined) extra.push({ key, operator: 'In', values: [value] });
  }
  return { requirements: [...c.selector.requirements, ...extra] };
}

export function nodeAffinityPreFilter(pod: PodModel): ReadonlySet<string> | undefined {
  if (pod.pinnedNode !== undefined) return new Set([pod.pinnedNode]);
  const terms = pod.info.requiredTerms;
  if (terms === undefined || terms.length === 0) return undefined;
  const names = new Set<string>();
  for (const term of terms) {
    const r = term.matchFields.find((f) => f.key === 'metadata.name' && f.operator === 'In');
    if (!r) return undefined;
    for (const v of r.values) names.add(v);
  }
  return names;
}

/** Run the PreFilter plugins. A string result is the PreFilter failure (UnschedulableAndUnresolvable). */
export function preFilter(
  state: ClusterState,
  pod: PodModel,
): { state: PreFilterState } | { error: string; path: Path } {
  const resolved = resolveClaims(state, pod);
  if (resolved.error) return { error: resolved.error.message, path: resolved.error.path };
  const rwopConflict = resolved.claims.some((c) => c.rwop && state.claimInUse(c.key, pod));

  // PodTopologySpread: counts per domain over eligible nodes.
  const spread: PreFilterState['spread'] = [];
  const keys = pod.info.spread.map((c) => c.topologyKey);
  if (pod.info.spread.length > 0) {
    for (const c of pod.info.spread) {
      const selector = spreadSelector(c, pod);
      const counts = new Map<string, number>();
      const { nodes: included, domains } = state.spreadNodes(pod, c, keys);
      for (const d of domains) counts.set(d, 0);
      const col = state.column(c.topologyKey);
      for (const other of state.candidates(pod.namespace, selector)) {
        const n = state.placement.get(other);
        if (!n || !included.has(n) || !matchesLabels(selector, other.labels)) continue;
        const v = col[n.index] ?? '';
        counts.set(v, (counts.get(v) ?? 0) + 1);
      }
      let min = counts.size === 0 ? 0 : Math.min(...counts.values());
      if (counts.size < c.minDomains) min = 0;
      spread.push({
        constraint: c,
        selector,
        counts,
        min,
        self: matchesLabels(selector, pod.labels) ? 1 : 0,
        column: col,
        skewStatus: { reasons: [REASON.spread], resolvable: true, path: c.path, plugin: 'PodTopologySpread' },
        labelStatus: { reasons: [REASON.spreadLabel], resolvable: false, path: c.path, plugin: 'PodTopologySpread' },
      });
    }
  }

  // InterPodAffinity.
  const existingAntiCounts = new PairCounts();
  const existingAntiKeys = new Set<string>();
  for (const { pod: other, term } of state.antiAffinityTermsFor(pod)) {
    const n = state.placement.get(other);
    if (!n) continue;
    const v = n.node.labels[term.topologyKey];
    if (v === undefined || !termMatchesPod(term, other, pod, state)) continue;
    existingAntiKeys.add(term.topologyKey);
    existingAntiCounts.inc(term.topologyKey, v);
  }
  const affinityCounts = new PairCounts();
  const antiAffinityCounts = new PairCounts();
  const first = pod.info.affinity[0];
  if (first) {
    const seen = new Set<PodModel>();
    for (const ns of termNamespaces(first, pod, state)) {
      for (const other of state.candidates(ns, first.selector)) {
        if (seen.has(other)) continue;
        seen.add(other);
        const n = state.placement.get(other);
        if (!n || !pod.info.affinity.every((t) => termMatchesPod(t, pod, other, state))) continue;
        for (const t of pod.info.affinity) {
          const v = n.node.labels[t.topologyKey];
          if (v !== undefined) affinityCounts.inc(t.topologyKey, v);
        }
      }
    }
  }
  for (const t of pod.info.antiAffinity) {
    for (const ns of termNamespaces(t, pod, state)) {
      for (const other of state.candidates(ns, t.selector)) {
        const n = state.placement.get(other);
        if (!n || !termMatchesPod(t, pod, other, state)) continue;
        const v = n.node.labels[t.topologyKey];
        if (v !== undefined) antiAffinityCounts.inc(t.topologyKey, v);
      }
    }
  }
  return {
    state: {
      claims: resolved.claims,
      rwopConflict,
      spread,
      spreadKeys: keys,
      affinityCounts,
      antiAffinityCounts,
      existingAntiCounts,
      existingAntiKeys: [...existingAntiKeys],
      nodeNames: nodeAffinityPreFilter(pod),
    },
  };
}

const noScheduleOrExecute = (e: string) => e === 'NoSchedule' || e === 'NoExecute';
const UNSCHEDULABLE_TAINT = { key: 'node.kubernetes.io/unschedulable', value: '', effect: 'NoSchedule' };

/**
 * The node-only filters (NodeUnschedulable, TaintToleration, NodeAffinity): they depend on the pod spec and
 * the node alone.
 */
export function staticFilter(pod: PodModel, node: NodeModel): Status | undefined {
  const info = pod.info;
  const spec = ['spec'];
  if (
    node.unschedulable &&
    untoleratedTaint([UNSCHEDULABLE_TAINT], info.tolerations, noScheduleOrExecute) !== undefined
  ) {
    return { reasons: [REASON.unschedulable], resolvable: false, path: undefined, plugin: 'NodeUnschedulable' };
  }
  const taint = untoleratedTaint(node.taints, info.tolerations, noScheduleOrExecute);
  if (taint)
    return {
      reasons: [taintReason(taint.key, taint.value)],
      resolvable: false,
      path: [...spec, 'tolerations'],
      plugin: 'TaintToleration',
    };
  if (!matchesNodeSelector(info, node))
    return { reasons: [REASON.nodeAffinity], resolvable: false, path: [...spec, 'affinity'], plugin: 'NodeAffinity' };
  return undefined;
}

function portsConflict(want: readonly HostPort[], used: readonly HostPort[]): boolean {
  for (const w of want) {
    for (const u of used) {
      if (w.port !== u.port || w.protocol !== u.protocol) continue;
      if (w.ip === '0.0.0.0' || u.ip === '0.0.0.0' || w.ip === '' || u.ip === '' || w.ip === u.ip) return true;
    }
  }
  return false;
}

/** The filters that depend on what is already placed. */
export function dynamicFilter(
  state: ClusterState,
  pod: PodModel,
  n: NodeState,
  pre: PreFilterState,
): Status | undefined {
  const info = pod.info;
  const node = n.node;
  // NodePorts
  if (info.hostPorts.length > 0 && portsConflict(info.hostPorts, n.ports))
    return { reasons: [REASON.ports], resolvable: true, path: undefined, plugin: 'NodePorts' };
  // NodeResourcesFit (reasons are collected only when something is short: this runs for every node)
  const r = info.requests;
  const tooMany = n.pods.size + 1 > node.pods;
  const cpu = r.cpu > 0 && r.cpu > node.allocatable.cpu - n.cpu;
  const memory = r.memory > 0 && r.memory > node.allocatable.memory - n.memory;
  const ephemeral =
    r.ephemeralStorage > 0 && r.ephemeralStorage > node.allocatable.ephemeralStorage - n.ephemeralStorage;
  let scalarShort = false;
  if (r.scalars.size > 0)
    for (const [k, v] of r.scalars)
      if (v > (node.allocatable.scalars.get(k) ?? 0) - (n.scalars.get(k) ?? 0)) scalarShort = true;
  if (tooMany || cpu || memory || ephemeral || scalarShort) {
    const reasons: string[] = [];
    if (tooMany) reasons.push(REASON.tooManyPods);
    if (cpu) reasons.push('Insufficient cpu');
    if (memory) reasons.push('Insufficient memory');
    if (ephemeral) reasons.push('Insufficient ephemeral-storage');
    for (const [k, v] of r.scalars)
      if (v > (node.allocatable.scalars.get(k) ?? 0) - (n.scalars.get(k) ?? 0)) reasons.push(`Insufficient ${k}`);
    return { reasons, resolvable: true, path: ['resources'], plugin: 'NodeResourcesFit' };
  }
  // VolumeRestrictions
  if (pre.rwopConflict)
    return {
      reasons: [REASON.rwop],
      resolvable: true,
      path: pre.claims.find((c) => c.rwop)?.path,
      plugin: 'VolumeRestrictions',
    };
  // VolumeBinding
  if (pre.claims.length > 0) {
    let bind: ResolvedClaim | undefined;
    let conflict: ResolvedClaim | undefined;
    for (const c of pre.claims) {
      if (c.pv && !pvMatchesNode(c.pv, node)) conflict ??= c;
      const d = c.delayed;
      if (d) {
        if (
          d.static
            ? !findStaticVolume(state, d.cls.name, d.spec, node)
            : d.cls.allowedTopologies.length > 0 &&
              !d.cls.allowedTopologies.some((term) =>
                term.every((e) => e.values.includes(node.labels[e.key] ?? '\u0000')),
              )
        )
          bind ??= c;
      }
    }
    if (bind || conflict) {
      const rs = [...(bind ? [REASON.bindConflict] : []), ...(conflict ? [REASON.volumeNodeConflict] : [])];
      return { reasons: rs, resolvable: false, path: (bind ?? conflict)?.path, plugin: 'VolumeBinding' };
    }
    // VolumeZone
    if (ZONE_KEYS.some((k) => node.labels[k] !== undefined)) {
      for (const c of pre.claims) {
        if (!c.pv) continue;
        const labels = stringMap(get(c.pv, 'metadata', 'labels'));
        for (const k of ZONE_KEYS) {
          const v = labels[k];
          if (v === undefined) continue;
          if (!v.split('__').includes(node.labels[k] ?? '\u0000'))
            return { reasons: [REASON.volumeZone], resolvable: false, path: c.path, plugin: 'VolumeZone' };
        }
      }
    }
  }
  // PodTopologySpread
  for (const s of pre.spread) {
    const v = s.column[n.index];
    if (v === undefined) return s.labelStatus;
    const skew = (s.counts.get(v) ?? 0) + s.self - s.min;
    if (skew > s.constraint.maxSkew) return s.skewStatus;
  }
  // InterPodAffinity
  if (info.affinity.length > 0) {
    let podsExist = true;
    let missingLabel = false;
    for (const t of info.affinity) {
      const v = state.column(t.topologyKey)[n.index];
      if (v === undefined) {
        missingLabel = true;
        break;
      }
      if (pre.affinityCounts.get(t.topologyKey, v) <= 0) podsExist = false;
    }
    const firstPod = pre.affinityCounts.size === 0 && info.affinity.every((t) => termMatchesPod(t, pod, pod, state));
    if (missingLabel || (!podsExist && !firstPod))
      return {
        reasons: [REASON.affinity],
        resolvable: false,
        path: info.affinity[0]?.path,
        plugin: 'InterPodAffinity',
      };
  }
  for (const t of info.antiAffinity) {
    const v = state.column(t.topologyKey)[n.index];
    if (v !== undefined && pre.antiAffinityCounts.get(t.topologyKey, v) > 0)
      return { reasons: [REASON.antiAffinity], resolvable: true, path: t.path, plugin: 'InterPodAffinity' };
  }
  if (pre.existingAntiCounts.size > 0) {
    for (const k of pre.existingAntiKeys) {
      const v = state.column(k)[n.index];
      if (v !== undefined && pre.existingAntiCounts.get(k, v) > 0)
        return {
          reasons: [REASON.existingAntiAffinity],
          resolvable: true,
          path: undefined,
          plugin: 'InterPodAffinity',
        };
    }
  }
  return undefined;
}
