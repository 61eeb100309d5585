/**
 * The cluster the dry-run scheduler places pods on: nodes, priority classes and storage classes.
 *
 * Sources, merged in this order: Node / PriorityClass / StorageClass objects of the linted input, then
 * the declaration (`cluster:` of .kubewire.yaml and `--cluster FILE`). When neither declares a single
 * node, the embedded DEFAULT_PROFILE serves (docs/scheduling.md describes it).
 *
 * Nodes come as Node objects (`status.allocatable`, falling back to `status.capacity`) or in the
 * compact form:
 *
 *   nodes:
 *     - namePrefix: worker      # or name:; with count > 1 the nodes are <prefix>-1 … <prefix>-<count>
 *       count: 3
 *       cpu: 3920m              # allocatable
 *       memory: 13624Mi
 *       pods: 110               # default 110
 *       ephemeralStorage: 88Gi  # default 88Gi
 *       resources: { nvidia.com/gpu: 1 }   # extended resources
 *       zone: [zone-a, zone-b, zone-c]     # one zone, or a list assigned round-robin
 *       labels: { disktype: ssd }
 *       taints: ["dedicated=db:NoSchedule", {key: k, value: v, effect: NoExecute}]
 *       unschedulable: false
 */
import { parseDocument } from 'yaml';
import type { ClusterDeclaration } from '../model/cluster.js';
import type { Graph } from '../model/graph.js';
import { parseQuantity } from '../model/quantity.js';
import { asArray, asNumber, asString, describeValue, get, isRecord, stringMap } from '../model/values.js';
import { documentData } from '../load/data.js';

export const ZONE_LABEL = 'topology.kubernetes.io/zone';

export interface Taint {
  key: string;
  value: string;
  effect: string;
}

/** Allocatable (or requested) resources: cpu in millicores, the others in bytes or units. */
export interface Resources {
  cpu: number;
  memory: number;
  ephemeralStorage: number;
  /** Extended resources and hugepages. */
  scalars: Map<string, number>;
}

export interface NodeModel {
  name: string;
  labels: Readonly<Record<string, string>>;
  taints: readonly Taint[];
  unschedulable: boolean;
  allocatable: Resources;
  /** Allowed pod count. */
  pods: number;
  origin: 'input' | 'declared' | 'default';
}

export interface PriorityClassModel {
  name: string;
  value: number;
  globalDefault: boolean;
  preemptionPolicy: string;
}

export interface StorageClassModel {
  name: string;
  provisioner: string;
  volumeBindingMode: 'Immediate' | 'WaitForFirstConsumer';
  isDefault: boolean;
  /** allowedTopologies as node selector terms (matchLabelExpressions), empty when unrestricted. */
  allowedTopologies: readonly { key: string; values: readonly string[] }[][];
}

export interface ClusterProfile {
  /** Sorted by name. */
  nodes: readonly NodeModel[];
  priorityClasses: ReadonlyMap<string, PriorityClassModel>;
  storageClasses: ReadonlyMap<string, StorageClassModel>;
  /** Where the nodes came from. */
  source: 'input' | 'declared' | 'input+declared' | 'default';
}

/**
 * The embedded default profile: a small production cluster. Three workers of 4 vCPU / 16 GiB in three
 * zones, with the allocatable figures left after typical kube/system reservations and eviction
 * thresholds (3920m cpu, 13624Mi memory), and one 2 vCPU / 8 GiB control-plane node with the usual
 * taint. A zonal, WaitForFirstConsumer default StorageClass `standard`.
 */
export const DEFAULT_PROFILE: {
  nodes: readonly Record<string, unknown>[];
  storageClasses: readonly Record<string, unknown>[];
} = {
  nodes: [
    {
      name: 'control-plane',
      cpu: '1930m',
      memory: '5632Mi',
      ephemeralStorage: '44Gi',
      zone: 'zone-a',
      labels: {
        'node-role.kubernetes.io/control-plane': '',
        'node.kubernetes.io/instance-type': 'standard-2',
        'topology.kubernetes.io/region': 'region-1',
      },
      taints: ['node-role.kubernetes.io/control-plane:NoSchedule'],
    },
    {
      namePrefix: 'worker',
      count: 3,
      cpu: '3920m',
      memory: '13624Mi',
      ephemeralStorage: '88Gi',
      zone: ['zone-a', 'zone-b', 'zone-c'],
      labels: { 'node.kubernetes.io/instance-type': 'standard-4', 'topology.kubernetes.io/region': 'region-1' },
    },
  ],
  storageClasses: [
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
      provisioner: 'csi.kubewire.dev/zonal-disk',
      volumeBindingMode: 'WaitForFirstConsumer',
    },
  ],
};

/** PriorityClasses every cluster has. */
const BUILTIN_PRIORITY_CLASSES: readonly PriorityClassModel[] = [
  {
    name: 'system-cluster-critical',
    value: 2000000000,
    globalDefault: false,
    preemptionPolicy: 'PreemptLowerPriority',
  },
  { name: 'system-node-critical', value: 2000001000, globalDefault: false, preemptionPolicy: 'PreemptLowerPriority' },
];

function ceil(value: number | undefined): number | undefined {
  return value === undefined ? undefined : Math.ceil(value - 1e-9);
}

/** A cpu quantity in millicores (rounded up, as resource.Quantity.MilliValue does). */
export function milliCpu(value: unknown): number | undefined {
  const q = parseQuantity(value);
  return q === undefined ? undefined : ceil(q * 1000);
}

/** Any other quantity as a whole number (rounded up, as resource.Quantity.Value does). */
export function wholeQuantity(value: unknown): number | undefined {
  return ceil(parseQuantity(value));
}

const STANDARD = new Set(['cpu', 'memory', 'ephemeral-storage', 'pods', 'storage']);

/** Whether the scheduler tracks a resource name as a scalar (extended resources, hugepages). */
export function isScalarResource(name: string): boolean {
  if (STANDARD.has(name)) return false;
  // Extended resources (domain-qualified), prefixed native resources (kubernetes.io/…), hugepages.
  return name.includes('/') || name.startsWith('hugepages-') || name.startsWith('attachable-volumes-');
}

function resourcesFrom(list: unknown, fallback: Resources): { resources: Resources; pods: number | undefined } {
  const record = isRecord(list) ? list : {};
  const scalars = new Map<string, number>();
  for (const [k, v] of Object.entries(record)) {
    if (!isScalarResource(k)) continue;
    const n = wholeQuantity(v);
    if (n !== undefined) scalars.set(k, n);
  }
  return {
    resources: {
      cpu: milliCpu(record.cpu) ?? fallback.cpu,
      memory: wholeQuantity(record.memory) ?? fallback.memory,
      ephemeralStorage: wholeQuantity(record['ephemeral-storage']) ?? fallback.ephemeralStorage,
      scalars,
    },
    pods: wholeQuantity(record.pods),
  };
}

const DEFAULT_WORKER: Resources = {
  cpu: 3920,
  memory: 13624 * 2 ** 20,
  ephemeralStorage: 88 * 2 ** 30,
  scalars: new Map(),
};

/** Parse `key=value:Effect`, `key:Effect` or a taint object. */
export function parseTaint(value: unknown): Taint | undefined {
  if (isRecord(value)) {
    const key = asString(value.key);
    if (key === undefined) return undefined;
    return { key, value: asString(value.value) ?? '', effect: asString(value.effect) ?? '' };
  }
  if (typeof value !== 'string') return undefined;
  const m = /^([^=:]+)(?:=([^:]*))?:(NoSchedule|PreferNoSchedule|NoExecute)$/.exec(value.trim());
  if (!m) return undefined;
  return { key: m[1] ?? '', value: m[2] ?? '', effect: m[3] ?? '' };
}

/** The labels the kubelet puts on every node it registers (the beta os/arch labels included). */
function baseLabels(name: string): Record<string, string> {
  return {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'beta.kubernetes.io/arch': 'amd64',
  };
}

/** A Node object as the scheduler sees it. */
export function nodeFromObject(raw: Record<string, unknown>, origin: NodeModel['origin']): NodeModel | undefined {
  const name = asString(get(raw, 'metadata', 'name'));
  if (name === undefined || name === '') return undefined;
  const status = get(raw, 'status');
  const list = isRecord(get(status, 'allocatable')) ? get(status, 'allocatable') : get(status, 'capacity');
  const { resources, pods } = resourcesFrom(list, DEFAULT_WORKER);
  return {
    name,
    labels: { ...baseLabels(name), ...stringMap(get(raw, 'metadata', 'labels')) },
    taints: asArray(get(raw, 'spec', 'taints'))
      .map(parseTaint)
      .filter((t): t is Taint => t !== undefined),
    unschedulable: get(raw, 'spec', 'unschedulable') === true,
    allocatable: resources,
    pods: pods ?? 110,
    origin,
  };
}

/** Expand one entry of the compact form into nodes. */
export function nodesFromCompact(entry: Record<string, unknown>, origin: NodeModel['origin']): NodeModel[] {
  if (entry.kind === 'Node') {
    const node = nodeFromObject(entry, origin);
    return node ? [node] : [];
  }
  const count = Math.max(0, Math.min(10_000, Math.floor(asNumber(entry.count) ?? 1)));
  const base = asString(entry.name) ?? asString(entry.namePrefix) ?? 'node';
  const prefixed = entry.namePrefix !== undefined && entry.name === undefined;
  const zones = Array.isArray(entry.zone) ? entry.zone.map(String) : typeof entry.zone === 'string' ? [entry.zone] : [];
  const resources: Record<string, unknown> = {
    ...(isRecord(entry.resources) ? entry.resources : {}),
    cpu: entry.cpu,
    memory: entry.memory,
    'ephemeral-storage': entry.ephemeralStorage,
  };
  const { resources: allocatable } = resourcesFrom(resources, DEFAULT_WORKER);
  const taints = asArray(entry.taints)
    .map(parseTaint)
    .filter((t): t is Taint => t !== undefined);
  const out: NodeModel[] = [];
  for (let i = 0; i < count; i++) {
    const name = prefixed || count > 1 ? `${base}-${i + 1}` : base;
    const labels: Record<string, string> = { ...baseLabels(name) };
    const zone = zones.length > 0 ? zones[i % zones.length] : undefined;
    if (zone !== undefined) labels[ZONE_LABEL] = zone;
    Object.assign(labels, stringMap(entry.labels));
    out.push({
      name,
      labels,
      taints,
      unschedulable: entry.unschedulable === true,
      allocatable: { ...allocatable, scalars: new Map(allocatable.scalars) },
      pods: Math.floor(asNumber(entry.pods) ?? 110),
      origin,
    });
  }
  return out;
}

function priorityClassFrom(raw: Record<string, unknown>): PriorityClassModel | undefined {
  const name = asString(get(raw, 'metadata', 'name')) ?? asString(raw.name);
  const value = asNumber(raw.value);
  if (name === undefined || value === undefined) return undefined;
  return {
    name,
    value,
    globalDefault: raw.globalDefault === true,
    preemptionPolicy: asString(raw.preemptionPolicy) ?? 'PreemptLowerPriority',
  };
}

function storageClassFrom(raw: Record<string, unknown>): StorageClassModel | undefined {
  const name = asString(get(raw, 'metadata', 'name'));
  if (name === undefined) return undefined;
  const annotations = stringMap(get(raw, 'metadata', 'annotations'));
  const isDefault =
    annotations['storageclass.kubernetes.io/is-default-class'] === 'true' ||
    annotations['storageclass.beta.kubernetes.io/is-default-class'] === 'true';
  const allowedTopologies = asArray(raw.allowedTopologies).map((term) =>
    asArray(get(term, 'matchLabelExpressions')).map((e) => ({
      key: asString(get(e, 'key')) ?? '',
      values: asArray(get(e, 'values')).map(String),
    })),
  );
  return {
    name,
    provisioner: asString(raw.provisioner) ?? '',
    volumeBindingMode: raw.volumeBindingMode === 'WaitForFirstConsumer' ? 'WaitForFirstConsumer' : 'Immediate',
    isDefault,
    allowedTopologies,
  };
}

/** The cluster of a run (computed once per graph). */
export function clusterProfile(graph: Graph): ClusterProfile {
  return graph.memo('schedule:profile', () => buildProfile(graph));
}

function buildProfile(graph: Graph): ClusterProfile {
  const declared: ClusterDeclaration = graph.cluster;
  const byName = new Map<string, NodeModel>();
  let fromInput = false;
  let fromDeclared = false;
  for (const o of graph.ofKind('Node', '')) {
    const node = nodeFromObject(o.raw, 'input');
    if (node && !byName.has(node.name)) {
      byName.set(node.name, node);
      fromInput = true;
    }
  }
  for (const entry of declared.nodes ?? []) {
    for (const node of nodesFromCompact(entry, 'declared')) {
      if (byName.has(node.name)) continue;
      byName.set(node.name, node);
      fromDeclared = true;
    }
  }
  const useDefault = byName.size === 0;
  if (useDefault)
    for (const entry of DEFAULT_PROFILE.nodes)
      for (const node of nodesFromCompact(entry, 'default')) byName.set(node.name, node);
  const nodes = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  const priorityClasses = new Map<string, PriorityClassModel>();
  for (const c of BUILTIN_PRIORITY_CLASSES) priorityClasses.set(c.name, c);
  for (const raw of declared.priorityClasses ?? []) {
    const c = priorityClassFrom(raw);
    if (c) priorityClasses.set(c.name, c);
  }
  for (const o of graph.ofKind('PriorityClass', 'scheduling.k8s.io')) {
    const c = priorityClassFrom(o.raw);
    if (c) priorityClasses.set(c.name, c);
  }

  const storageClasses = new Map<string, StorageClassModel>();
  const hasDeclaredClasses =
    declared.storageClasses.length > 0 ||
    (declared.storageClassObjects ?? []).length > 0 ||
    graph.ofKind('StorageClass', 'storage.k8s.io').length > 0;
  if (!hasDeclaredClasses)
    for (const raw of DEFAULT_PROFILE.storageClasses) {
      const c = storageClassFrom(raw);
      if (c) storageClasses.set(c.name, c);
    }
  for (const c of declared.storageClasses) {
    storageClasses.set(c.name, {
      name: c.name,
      provisioner: 'declared',
      volumeBindingMode: 'Immediate',
      isDefault: c.default,
      allowedTopologies: [],
    });
  }
  for (const raw of declared.storageClassObjects ?? []) {
    const c = storageClassFrom(raw);
    if (c) storageClasses.set(c.name, c);
  }
  for (const o of graph.ofKind('StorageClass', 'storage.k8s.io')) {
    const c = storageClassFrom(o.raw);
    if (c) storageClasses.set(c.name, c);
  }
  const source = useDefault
    ? 'default'
    : fromInput && fromDeclared
      ? 'input+declared'
      : fromInput
        ? 'input'
        : 'declared';
  return { nodes, priorityClasses, storageClasses, source };
}

export interface ClusterFileResult {
  cluster: Pick<ClusterDeclaration, 'nodes' | 'priorityClasses' | 'storageClassObjects'>;
  errors: string[];
}

/**
 * Read a `--cluster FILE`: YAML documents holding Node, PriorityClass and StorageClass objects (also
 * inside a `kind: List`), and/or a mapping in the compact form (`nodes:`, `priorityClasses:`,
 * `storageClasses:`), optionally under a `cluster:` key.
 */
export function parseClusterFile(text: string): ClusterFileResult {
  const nodes: Record<string, unknown>[] = [];
  const priorityClasses: Record<string, unknown>[] = [];
  const storageClassObjects: Record<string, unknown>[] = [];
  const errors: string[] = [];
  const docs = text.split(/^---[ \t]*$/m);
  const take = (value: unknown, where: string) => {
    if (!isRecord(value)) {
      errors.push(
        `${where}: expected a mapping (Node, PriorityClass or StorageClass objects, or nodes:), got ${describeValue(value)}`,
      );
      return;
    }
    const kind = asString(value.kind);
    if (kind === 'List' || kind?.endsWith('List') === true) {
      for (const item of asArray(value.items)) take(item, where);
      return;
    }
    if (kind === 'Node') nodes.push(value);
    else if (kind === 'PriorityClass') priorityClasses.push(value);
    else if (kind === 'StorageClass') storageClassObjects.push(value);
    else if (kind === undefined) {
      const body = isRecord(value.cluster) ? value.cluster : value;
      let used = false;
      if (Array.isArray(body.nodes) && body.nodes.length === 0)
        errors.push(
          `${where}: \`nodes\` is an empty list; declare at least one node (or leave the cluster out to use the default profile)`,
        );
      for (const n of asArray(body.nodes)) {
        used = true;
        if (isRecord(n)) nodes.push(n);
        else errors.push(`${where}: a node must be a mapping`);
      }
      for (const p of asArray(body.priorityClasses)) {
        used = true;
        if (isRecord(p)) priorityClasses.push(p);
      }
      for (const s of asArray(body.storageClasses)) {
        used = true;
        if (isRecord(s))
          storageClassObjects.push(
            isRecord(s.metadata)
              ? s
              : {
                  kind: 'StorageClass',
                  metadata: {
                    name: s.name,
                    annotations: s.default === true ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {},
                  },
                  provisioner: s.provisioner ?? 'declared',
                  volumeBindingMode: s.volumeBindingMode,
                },
          );
      }
      if (!used && !(Array.isArray(body.nodes) && body.nodes.length === 0))
        errors.push(`${where}: expected Node, PriorityClass or StorageClass objects, or a mapping with nodes:`);
    }
  };
  docs.forEach((doc, i) => {
    if (doc.trim() === '') return;
    const parsed = parseDocument(doc);
    if (parsed.errors.length > 0) {
      errors.push(`document ${i + 1}: ${parsed.errors[0]?.message ?? 'invalid YAML'}`);
      return;
    }
    const data = documentData(parsed, 100_000);
    if (!data.ok) errors.push(`document ${i + 1}: ${data.message}`);
    else if (data.value !== null && data.value !== undefined) take(data.value, `document ${i + 1}`);
  });
  if (errors.length === 0 && docs.every((doc) => doc.trim() === ''))
    errors.push('the file is empty; declare nodes (`nodes:` with a list of nodes, or Node objects)');
  return { cluster: { nodes, priorityClasses, storageClassObjects }, errors };
}

/** Merge a cluster file into a declaration; the file's nodes come first. */
export function mergeCluster(base: ClusterDeclaration, extra: ClusterFileResult['cluster']): ClusterDeclaration {
  return {
    ...base,
    nodes: [...(extra.nodes ?? []), ...(base.nodes ?? [])],
    priorityClasses: [...(base.priorityClasses ?? []), ...(extra.priorityClasses ?? [])],
    storageClassObjects: [...(base.storageClassObjects ?? []), ...(extra.storageClassObjects ?? [])],
  };
}
