/**
 * The pods of a run: workloads expanded the way their controllers create them, with what the
 * scheduler reads of each pod parsed once per pod template.
 */
import type { Graph } from '../model/graph.js';
import { REPLICATED_KINDS } from '../model/k8s.js';
import { parseEqualitySelector, parseLabelSelector, requirementMatches } from '../resolve/selectors.js';
import type { Selector } from '../resolve/selectors.js';
import { asArray, asNumber, asString, get, isRecord, stringMap } from '../model/values.js';
import type { KObject, Path, PodTemplate } from '../types.js';
import { isScalarResource, milliCpu, parseTaint, wholeQuantity } from './cluster.js';
import type { ClusterProfile, NodeModel, Taint } from './cluster.js';

export interface Toleration {
  key: string;
  operator: string;
  value: string;
  effect: string;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: string;
  values: readonly string[];
}

export interface NodeSelectorTerm {
  matchExpressions: readonly NodeSelectorRequirement[];
  matchFields: readonly NodeSelectorRequirement[];
}

/** Requests as the scheduler computes them (resource.PodRequests). */
export interface Requests {
  cpu: number;
  memory: number;
  ephemeralStorage: number;
  scalars: Map<string, number>;
}

export interface HostPort {
  port: number;
  protocol: string;
  ip: string;
}

export interface AffinityTerm {
  selector: Selector;
  /** Explicit namespaces; with no namespaceSelector and no namespaces, the pod's own. */
  namespaces: ReadonlySet<string>;
  namespaceSelector: Selector | undefined;
  topologyKey: string;
  path: Path;
}

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  selector: Selector;
  matchLabelKeys: readonly string[];
  minDomains: number;
  nodeAffinityPolicy: string;
  nodeTaintsPolicy: string;
  path: Path;
}

export interface ClaimUse {
  claimName: string;
  /** Path of the field naming the claim. */
  path: Path;
  /** The claim spec when the claim comes from a volumeClaimTemplate or an ephemeral volume. */
  templateSpec: Record<string, unknown> | undefined;
}

/** What the scheduler reads from a pod spec; shared by all pods of one template. */
export interface PodSpecInfo {
  requests: Requests;
  /** cpu/memory with the scheduler's defaults for containers without requests (100m, 200Mi). */
  nonZeroCpu: number;
  nonZeroMemory: number;
  tolerations: readonly Toleration[];
  nodeSelector: Readonly<Record<string, string>>;
  requiredTerms: readonly NodeSelectorTerm[] | undefined;
  preferredTerms: readonly { weight: number; term: NodeSelectorTerm }[];
  hostPorts: readonly HostPort[];
  claims: readonly ClaimUse[];
  spread: readonly SpreadConstraint[];
  /** ScheduleAnyway constraints (scoring only). */
  softSpread: readonly SpreadConstraint[];
  /** Whether the pod declares constraints (then the cluster's default constraints do not apply). */
  ownSpread: boolean;
  affinity: readonly AffinityTerm[];
  antiAffinity: readonly AffinityTerm[];
  preemptionPolicy: string | undefined;
  priorityClassName: string | undefined;
  nodeName: string | undefined;
  schedulingGated: boolean;
}

export interface PodModel {
  /** Queue order in the input. */
  seq: number;
  namespace: string;
  name: string;
  object: KObject;
  ordinal: number;
  labels: Readonly<Record<string, string>>;
  info: PodSpecInfo;
  priority: number;
  preemptionPolicy: string;
  /** The node a DaemonSet pod is pinned to. */
  pinnedNode: string | undefined;
  /** Set when the pod cannot even be created (unknown PriorityClass). */
  admissionError: string | undefined;
  /** The selector of the pod's controller (ReplicaSet, StatefulSet, …), for the default spreading. */
  controllerSelector: Selector | undefined;
}

function resourceList(value: unknown): Map<string, number> {
  const out = new Map<string, number>();
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    const n = k === 'cpu' ? milliCpu(v) : wholeQuantity(v);
    if (n !== undefined && (k === 'cpu' || k === 'memory' || k === 'ephemeral-storage' || isScalarResource(k)))
      out.set(k, n);
  }
  return out;
}

/** A container's requests after API defaulting: a limit without a request becomes the request. */
function containerRequests(container: Record<string, unknown>): Map<string, number> {
  const requests = resourceList(get(container, 'resources', 'requests'));
  for (const [k, v] of resourceList(get(container, 'resources', 'limits'))) if (!requests.has(k)) requests.set(k, v);
  return requests;
}

function add(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
}

function maxInto(into: Map<string, number>, from: ReadonlyMap<string, number>): void {
  for (const [k, v] of from) into.set(k, Math.max(into.get(k) ?? 0, v));
}

/**
 * resource.PodRequests: max(sum of app containers + sidecars, each init container + the sidecars
 * started before it) + overhead; pod-level requests (spec.resources) win where set. With `nonZero`,
 * a container without a cpu or memory request counts as 100m / 200Mi (scoring only).
 */
export function podRequests(spec: Record<string, unknown>, nonZero = false): Map<string, number> {
  const reqs = new Map<string, number>();
  const withDefaults = (r: Map<string, number>) => {
    if (!nonZero) return r;
    const out = new Map(r);
    if (!out.has('cpu')) out.set('cpu', 100);
    if (!out.has('memory')) out.set('memory', 200 * 2 ** 20);
    return out;
  };
  for (const c of asArray(spec.containers)) if (isRecord(c)) add(reqs, withDefaults(containerRequests(c)));
  const restartable = new Map<string, number>();
  const initMax = new Map<string, number>();
  for (const c of asArray(spec.initContainers)) {
    if (!isRecord(c)) continue;
    const r = withDefaults(containerRequests(c));
    if (c.restartPolicy === 'Always') {
      add(reqs, r);
      add(restartable, r);
      maxInto(initMax, restartable);
    } else {
      const tmp = new Map(r);
      add(tmp, restartable);
      maxInto(initMax, tmp);
    }
  }
  maxInto(reqs, initMax);
  const podLevel = resourceList(get(spec, 'resources', 'requests'));
  for (const k of ['cpu', 'memory']) {
    const v = podLevel.get(k);
    if (v !== undefined) reqs.set(k, v);
  }
  add(reqs, resourceList(spec.overhead));
  return reqs;
}

function toRequests(map: Map<string, number>): Requests {
  const scalars = new Map<string, number>();
  for (const [k, v] of map) if (isScalarResource(k) && v > 0) scalars.set(k, v);
  return {
    cpu: map.get('cpu') ?? 0,
    memory: map.get('memory') ?? 0,
    ephemeralStorage: map.get('ephemeral-storage') ?? 0,
    scalars,
  };
}

function requirement(value: unknown): NodeSelectorRequirement | undefined {
  const key = asString(get(value, 'key'));
  const operator = asString(get(value, 'operator'));
  if (key === undefined || operator === undefined) return undefined;
  return { key, operator, values: asArray(get(value, 'values')).map(String) };
}

function nodeSelectorTerm(value: unknown): NodeSelectorTerm {
  return {
    matchExpressions: asArray(get(value, 'matchExpressions'))
      .map(requirement)
      .filter((r): r is NodeSelectorRequirement => r !== undefined),
    matchFields: asArray(get(value, 'matchFields'))
      .map(requirement)
      .filter((r): r is NodeSelectorRequirement => r !== undefined),
  };
}

function affinityTerms(value: unknown, basePath: Path, weighted: boolean): AffinityTerm[] {
  const out: AffinityTerm[] = [];
  asArray(value).forEach((entry, i) => {
    const term = weighted ? get(entry, 'podAffinityTerm') : entry;
    if (!isRecord(term)) return;
    const parsed = parseLabelSelector(term.labelSelector);
    // A term without a labelSelector matches no pod.
    const selector =
      term.labelSelector === undefined || term.labelSelector === null
        ? { requirements: [{ key: '\u0000none', operator: 'Exists' as const, values: [] }] }
        : parsed.selector;
    if (selector === undefined) return;
    const nsSelector =
      term.namespaceSelector === undefined || term.namespaceSelector === null
        ? undefined
        : parseLabelSelector(term.namespaceSelector).selector;
    out.push({
      selector,
      namespaces: new Set(asArray(term.namespaces).map(String)),
      namespaceSelector: nsSelector,
      topologyKey: asString(term.topologyKey) ?? '',
      path: [...basePath, i],
    });
  });
  return out;
}

/** Parse what the scheduler reads from a pod spec. */
export function podSpecInfo(spec: Record<string, unknown>, specPath: Path): PodSpecInfo {
  const requests = podRequests(spec);
  const nonZero = podRequests(spec, true);
  const hostPorts: HostPort[] = [];
  for (const field of ['initContainers', 'containers']) {
    for (const c of asArray(spec[field])) {
      if (!isRecord(c) || (field === 'initContainers' && c.restartPolicy !== 'Always')) continue;
      for (const p of asArray(c.ports)) {
        const port = asNumber(get(p, 'hostPort'));
        if (port === undefined || port <= 0) continue;
        hostPorts.push({
          port,
          protocol: asString(get(p, 'protocol')) ?? 'TCP',
          ip: asString(get(p, 'hostIP')) ?? '0.0.0.0',
        });
      }
    }
  }
  const claims: ClaimUse[] = [];
  asArray(spec.volumes).forEach((v, i) => {
    const claimName = asString(get(v, 'persistentVolumeClaim', 'claimName'));
    if (claimName !== undefined)
      claims.push({
        claimName,
        path: [...specPath, 'volumes', i, 'persistentVolumeClaim', 'claimName'],
        templateSpec: undefined,
      });
    const eph = get(v, 'ephemeral', 'volumeClaimTemplate', 'spec');
    if (isRecord(eph))
      claims.push({
        claimName: `\u0000ephemeral:${asString(get(v, 'name')) ?? i}`,
        path: [...specPath, 'volumes', i, 'ephemeral'],
        templateSpec: eph,
      });
  });
  const required = get(
    spec,
    'affinity',
    'nodeAffinity',
    'requiredDuringSchedulingIgnoredDuringExecution',
    'nodeSelectorTerms',
  );
  const preferred = asArray(
    get(spec, 'affinity', 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution'),
  ).map((p) => ({
    weight: asNumber(get(p, 'weight')) ?? 0,
    term: nodeSelectorTerm(get(p, 'preference')),
  }));
  const spread: SpreadConstraint[] = [];
  const softSpread: SpreadConstraint[] = [];
  asArray(spec.topologySpreadConstraints).forEach((c, i) => {
    if (!isRecord(c)) return;
    const into = c.whenUnsatisfiable === 'ScheduleAnyway' ? softSpread : spread;
    const selector =
      c.labelSelector === undefined || c.labelSelector === null
        ? { requirements: [{ key: '\u0000none', operator: 'Exists' as const, values: [] }] }
        : parseLabelSelector(c.labelSelector).selector;
    if (selector === undefined) return;
    into.push({
      maxSkew: asNumber(c.maxSkew) ?? 1,
      topologyKey: asString(c.topologyKey) ?? '',
      selector,
      matchLabelKeys: asArray(c.matchLabelKeys).map(String),
      minDomains: asNumber(c.minDomains) ?? 1,
      nodeAffinityPolicy: asString(c.nodeAffinityPolicy) ?? 'Honor',
      nodeTaintsPolicy: asString(c.nodeTaintsPolicy) ?? 'Ignore',
      path: [...specPath, 'topologySpreadConstraints', i],
    });
  });
  return {
    requests: toRequests(requests),
    nonZeroCpu: nonZero.get('cpu') ?? 0,
    nonZeroMemory: nonZero.get('memory') ?? 0,
    tolerations: withDefaultTolerations(
      asArray(spec.tolerations)
        .filter(isRecord)
        .map((t) => ({
          key: asString(t.key) ?? '',
          operator: asString(t.operator) ?? 'Equal',
          value: asString(t.value) ?? '',
          effect: asString(t.effect) ?? '',
        })),
    ),
    nodeSelector: stringMap(spec.nodeSelector),
    requiredTerms: Array.isArray(required) ? required.map(nodeSelectorTerm) : undefined,
    preferredTerms: preferred,
    hostPorts,
    claims,
    spread,
    softSpread,
    ownSpread: asArray(spec.topologySpreadConstraints).length > 0,
    affinity: affinityTerms(
      get(spec, 'affinity', 'podAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'),
      [...specPath, 'affinity', 'podAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'],
      false,
    ),
    antiAffinity: affinityTerms(
      get(spec, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'),
      [...specPath, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution'],
      false,
    ),
    preemptionPolicy: asString(spec.preemptionPolicy),
    priorityClassName: asString(spec.priorityClassName),
    nodeName: asString(spec.nodeName),
    schedulingGated: asArray(spec.schedulingGates).length > 0,
  };
}

/**
 * The DefaultTolerationSeconds admission plugin gives every pod NoExecute tolerations for
 * `node.kubernetes.io/not-ready` and `…/unreachable` unless it tolerates them already (their
 * NoSchedule variants still keep new pods off such nodes).
 */
function withDefaultTolerations(tolerations: Toleration[]): Toleration[] {
  const out = [...tolerations];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    const taint = { key, value: '', effect: 'NoExecute' };
    if (!tolerations.some((t) => tolerates(t, taint)))
      out.push({ key, operator: 'Exists', value: '', effect: 'NoExecute' });
  }
  return out;
}

/** v1.Toleration.ToleratesTaint. */
export function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect !== '' && t.effect !== taint.effect) return false;
  if (t.key !== '' && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (t.operator === 'Equal' || t.operator === '') return t.value === taint.value;
  return false;
}

/** The first taint with one of the effects that no toleration tolerates. */
export function untoleratedTaint(
  taints: readonly Taint[],
  tolerations: readonly Toleration[],
  effects: (effect: string) => boolean,
): Taint | undefined {
  return taints.find((taint) => effects(taint.effect) && !tolerations.some((t) => tolerates(t, taint)));
}

/** The tolerations the DaemonSet controller adds to its pods. */
const DAEMONSET_TOLERATIONS: readonly Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', value: '', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', value: '', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', value: '', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', value: '', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', value: '', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', value: '', effect: 'NoSchedule' },
];

/** A short deterministic hash for generated label values. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(36).padStart(7, '0').slice(0, 10);
}

function fixedLabels(object: KObject, template: PodTemplate): Record<string, string> {
  const labels: Record<string, string> = { ...template.labels };
  const id = hash(`${object.kind}/${object.namespace ?? ''}/${object.name}`);
  for (const [k, values] of Object.entries(template.generatedLabels)) {
    if (values !== null) continue;
    labels[k] = k.endsWith('controller-uid')
      ? `uid-${id}`
      : k === 'pod-template-generation'
        ? '1'
        : k.endsWith('job-name')
          ? `${object.name}-${id}`
          : id;
  }
  return labels;
}

/** Whether a node matches a pod's nodeSelector and required node affinity. */
export function matchesNodeSelector(
  info: Pick<PodSpecInfo, 'nodeSelector' | 'requiredTerms'>,
  node: NodeModel,
): boolean {
  for (const [k, v] of Object.entries(info.nodeSelector)) if (node.labels[k] !== v) return false;
  if (info.requiredTerms === undefined) return true;
  return info.requiredTerms.some((term) => termMatches(term, node));
}

export function termMatches(term: NodeSelectorTerm, node: NodeModel): boolean {
  if (term.matchExpressions.length === 0 && term.matchFields.length === 0) return false;
  return (
    term.matchExpressions.every((r) => nodeRequirementMatches(r, node.labels[r.key])) &&
    term.matchFields.every((r) => r.key === 'metadata.name' && nodeRequirementMatches(r, node.name))
  );
}

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

function nodeRequirementMatches(r: NodeSelectorRequirement, value: string | undefined): boolean {
  // An invalid value makes the whole selector fail to parse: it matches nothing (labels.NewRequirement).
  if ((r.operator === 'In' || r.operator === 'NotIn') && r.values.some((v) => v.length > 63 || !LABEL_VALUE.test(v)))
    return false;
  switch (r.operator) {
    case 'In':
    case 'NotIn':
    case 'Exists':
    case 'DoesNotExist':
      return requirementMatches({ key: r.key, operator: r.operator, values: r.values }, value);
    case 'Gt':
    case 'Lt': {
      if (value === undefined || r.values.length !== 1 || !/^-?\d+$/.test(value) || !/^-?\d+$/.test(r.values[0] ?? ''))
        return false;
      const a = Number(value);
      const b = Number(r.values[0]);
      return r.operator === 'Gt' ? a > b : a < b;
    }
    default:
      return false;
  }
}

function replicaCount(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? Math.min(value, 100_000) : fallback;
}

/** Every pod of the run, in input order (not yet sorted by priority). */
export function expandPods(graph: Graph, profile: ClusterProfile): PodModel[] {
  const out: PodModel[] = [];
  // Replicas past what the whole cluster could ever hold are unschedulable for the same reason as the
  // first one that does not fit: simulate one more pod than the cluster's pod capacity, not a billion.
  const limit = profile.nodes.reduce((n, node) => n + node.pods, 0) + 1;
  const replicas = (value: unknown) => Math.min(replicaCount(value, 1), limit);
  const globalDefault = [...profile.priorityClasses.values()]
    .filter((c) => c.globalDefault)
    .sort((a, b) => b.value - a.value)[0];
  const infos = new Map<KObject, PodSpecInfo>();
  let seq = 0;
  for (const object of graph.withPodTemplates()) {
    const template = object.podTemplate;
    if (template === undefined || object.namespace === null || object.kind === 'PodTemplate' || object.name === '')
      continue;
    // A kustomize patch restates part of a workload of its base: it creates no pods of its own.
    if (graph.isPatch(object.source.path)) continue;
    const spec = template.spec;
    let info = infos.get(object);
    if (!info) infos.set(object, (info = podSpecInfo(spec, template.specPath)));
    const baseInfo = info;
    const labels = fixedLabels(object, template);
    const className = baseInfo.priorityClassName;
    const cls = className !== undefined ? profile.priorityClasses.get(className) : globalDefault;
    const admissionError =
      className !== undefined && cls === undefined ? `no PriorityClass with name ${className} was found` : undefined;
    const priority = cls?.value ?? 0;
    const preemptionPolicy = baseInfo.preemptionPolicy ?? cls?.preemptionPolicy ?? 'PreemptLowerPriority';
    const controllerSelector = controllerSelectorOf(object, labels);
    const push = (
      name: string,
      ordinal: number,
      podLabels: Record<string, string>,
      podInfo: PodSpecInfo,
      pinnedNode?: string,
    ) => {
      out.push({
        seq: seq++,
        namespace: object.namespace ?? 'default',
        name,
        object,
        ordinal,
        labels: podLabels,
        info: podInfo,
        priority,
        preemptionPolicy,
        pinnedNode,
        admissionError: admissionError === undefined ? undefined : `pods "${name}" is forbidden: ${admissionError}`,
        controllerSelector,
      });
    };
    const raw = object.raw;
    switch (object.kind) {
      case 'Pod':
        push(object.name, 0, labels, baseInfo);
        break;
      case 'Deployment':
      case 'ReplicaSet':
      case 'ReplicationController': {
        const n = replicas(get(raw, 'spec', 'replicas'));
        for (let i = 0; i < n; i++) push(`${object.name}-${i}`, i, labels, baseInfo);
        break;
      }
      case 'StatefulSet': {
        const n = replicas(get(raw, 'spec', 'replicas'));
        const start = asNumber(get(raw, 'spec', 'ordinals', 'start')) ?? 0;
        const templates = asArray(get(raw, 'spec', 'volumeClaimTemplates'));
        const templateNames = new Set(templates.map((t) => asString(get(t, 'metadata', 'name'))));
        for (let i = 0; i < n; i++) {
          const ordinal = start + i;
          const name = `${object.name}-${ordinal}`;
          const podLabels = {
            ...labels,
            'statefulset.kubernetes.io/pod-name': name,
            'apps.kubernetes.io/pod-index': String(ordinal),
          };
          // Claims from volumeClaimTemplates: <template>-<pod>, created by the controller.
          const claims: ClaimUse[] = baseInfo.claims.filter((c) => !templateNames.has(volumeNameOf(spec, c)));
          templates.forEach((t, j) => {
            const tname = asString(get(t, 'metadata', 'name'));
            if (tname === undefined) return;
            claims.push({
              claimName: `${tname}-${name}`,
              path: ['spec', 'volumeClaimTemplates', j],
              templateSpec: isRecord(get(t, 'spec')) ? (get(t, 'spec') as Record<string, unknown>) : {},
            });
          });
          push(name, ordinal, podLabels, templates.length > 0 ? { ...baseInfo, claims } : baseInfo);
        }
        break;
      }
      case 'DaemonSet': {
        const dsInfo: PodSpecInfo = { ...baseInfo, tolerations: [...baseInfo.tolerations, ...DAEMONSET_TOLERATIONS] };
        for (const node of profile.nodes) {
          if (!matchesNodeSelector(dsInfo, node)) continue;
          if (
            untoleratedTaint(node.taints, dsInfo.tolerations, (e) => e === 'NoSchedule' || e === 'NoExecute') !==
            undefined
          )
            continue;
          push(`${object.name}-${node.name}`, 0, labels, dsInfo, node.name);
        }
        break;
      }
      case 'Job':
      case 'CronJob': {
        const jobSpec = object.kind === 'Job' ? get(raw, 'spec') : get(raw, 'spec', 'jobTemplate', 'spec');
        if (get(raw, 'spec', 'suspend') === true) break;
        const parallelism = replicas(get(jobSpec, 'parallelism'));
        const completions = get(jobSpec, 'completions');
        const n =
          typeof completions === 'number' && Number.isInteger(completions) && completions >= 0
            ? Math.min(parallelism, completions)
            : parallelism;
        for (let i = 0; i < n; i++) push(`${object.name}-${i}`, i, labels, baseInfo);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/**
 * The selector the default topology spreading counts with (helper.DefaultSelector): the selector of
 * the ReplicaSet (a Deployment's, plus its pod-template-hash), ReplicationController or StatefulSet
 * that owns the pod. Services selecting the pod are not taken into account.
 */
function controllerSelectorOf(object: KObject, labels: Readonly<Record<string, string>>): Selector | undefined {
  if (!REPLICATED_KINDS.has(object.kind)) return undefined;
  const raw = get(object.raw, 'spec', 'selector');
  const parsed =
    object.kind === 'ReplicationController'
      ? parseEqualitySelector(raw ?? get(object.raw, 'spec', 'template', 'metadata', 'labels'))
      : parseLabelSelector(raw).selector;
  if (!parsed || parsed.requirements.length === 0) return undefined;
  const hash = labels['pod-template-hash'];
  return object.kind === 'Deployment' && hash !== undefined
    ? { requirements: [...parsed.requirements, { key: 'pod-template-hash', operator: 'In', values: [hash] }] }
    : parsed;
}

function volumeNameOf(spec: Record<string, unknown>, claim: ClaimUse): string | undefined {
  const index = claim.path[claim.path.length - 3];
  return typeof index === 'number' ? asString(get(spec, 'volumes', index, 'name')) : undefined;
}

export { parseTaint };
