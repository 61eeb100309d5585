/** Knowledge of built-in Kubernetes kinds: scope, pod templates, containers and ports. */
import type { ContainerInfo, ContainerPort, Path, PodTemplate } from '../types.js';
import { asArray, asNumber, asRecord, asString, get, isRecord, stringMap } from './values.js';

/** Split an apiVersion into group and version (`apps/v1` → apps, v1; `v1` → '', v1). */
export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** Built-in cluster-scoped kinds, by kind (their groups are all built-in). */
const CLUSTER_SCOPED = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterTrustBundle',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'DeviceClass',
  'FlowSchema',
  'IngressClass',
  'IPAddress',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'ResourceSlice',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectReview',
  'SelfSubjectRulesReview',
  'ServiceCIDR',
  'StorageClass',
  'StorageVersion',
  'StorageVersionMigration',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeAttributesClass',
]);

/** Groups whose kinds are built into Kubernetes (custom resources live elsewhere). */
const BUILTIN_GROUPS = new Set([
  '',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'apiregistration.k8s.io',
  'apps',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'coordination.k8s.io',
  'discovery.k8s.io',
  'events.k8s.io',
  'extensions',
  'flowcontrol.apiserver.k8s.io',
  'internal.apiserver.k8s.io',
  'networking.k8s.io',
  'node.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'resource.k8s.io',
  'scheduling.k8s.io',
  'storage.k8s.io',
  'storagemigration.k8s.io',
]);

export function isBuiltinGroup(group: string): boolean {
  return BUILTIN_GROUPS.has(group);
}

/**
 * Whether objects of this group/kind live in a namespace. Custom resources follow their CRD's
 * `spec.scope` when the input declares it (`crdScopes`: "group/kind" → namespaced); otherwise they are
 * taken as namespaced, the common case.
 */
export function isNamespaced(group: string, kind: string, crdScopes: ReadonlyMap<string, boolean>): boolean {
  if (BUILTIN_GROUPS.has(group)) return !CLUSTER_SCOPED.has(kind);
  return crdScopes.get(`${group}/${kind}`) ?? true;
}

/**
 * Documents that configure tools rather than describe cluster objects (kustomize, kubeadm, kind,
 * kubelet configuration…). They are recognised and left out of the graph.
 */
const CONFIG_GROUPS = [
  'kustomize.config.k8s.io',
  'kubeadm.k8s.io',
  'kind.x-k8s.io',
  'kubelet.config.k8s.io',
  'kubeproxy.config.k8s.io',
  'apiserver.config.k8s.io',
  'apiserver.k8s.io',
  'audit.k8s.io',
  'kubescheduler.config.k8s.io',
  'config.kubernetes.io',
  'k3d.io',
  'skaffold',
  'ctlptl.dev',
  // IstioOperator is input to `istioctl install`; the in-cluster operator was removed in Istio 1.24.
  'install.istio.io',
];

export function isToolConfig(group: string): boolean {
  // flowcontrol.apiserver.k8s.io and internal.apiserver.k8s.io are API groups, not configuration.
  if (BUILTIN_GROUPS.has(group)) return false;
  return CONFIG_GROUPS.some((g) => group === g || group.endsWith(`.${g}`) || group.startsWith(`${g}/`));
}

interface WorkloadShape {
  groups: readonly string[];
  /** Path from the object to the pod template (its metadata and spec); [] means the object is the pod. */
  template: readonly string[];
  longRunning: boolean;
}

const APPS = ['apps', 'extensions'];

const WORKLOADS: Record<string, WorkloadShape> = {
  Pod: { groups: [''], template: [], longRunning: true },
  // A PodTemplate describes pods for others to create; nothing runs from it directly.
  PodTemplate: { groups: [''], template: ['template'], longRunning: false },
  ReplicationController: { groups: [''], template: ['spec', 'template'], longRunning: true },
  Deployment: { groups: APPS, template: ['spec', 'template'], longRunning: true },
  ReplicaSet: { groups: APPS, template: ['spec', 'template'], longRunning: true },
  StatefulSet: { groups: ['apps'], template: ['spec', 'template'], longRunning: true },
  DaemonSet: { groups: APPS, template: ['spec', 'template'], longRunning: true },
  Job: { groups: ['batch'], template: ['spec', 'template'], longRunning: false },
  CronJob: { groups: ['batch'], template: ['spec', 'jobTemplate', 'spec', 'template'], longRunning: false },
};

/** Kinds whose replica count is a number the input sets (or an autoscaler does). */
export const REPLICATED_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'ReplicaSet',
  'ReplicationController',
]);

/** The kinds that run pods (a PodTemplate only describes them), in a fixed order. */
export const WORKLOAD_KINDS: readonly string[] = Object.keys(WORKLOADS).filter((k) => k !== 'PodTemplate');

/** Extract the pod template of a workload (possibly empty), or undefined for other kinds. */
export function extractPodTemplate(
  group: string,
  kind: string,
  name: string,
  raw: Record<string, unknown>,
): PodTemplate | undefined {
  const shape = WORKLOADS[kind];
  if (shape === undefined || !shape.groups.includes(group)) return undefined;
  // A template without a spec, or no template at all, still makes the workload: keep it in the graph
  // with whatever its template says (its labels), so that Services and budgets selecting it find it.
  // The schema check reports what is missing.
  const template = asRecord(shape.template.length === 0 ? raw : get(raw, ...shape.template)) ?? {};
  const spec = asRecord(template.spec) ?? {};
  const base: Path = shape.template;
  const specPath: Path = [...base, 'spec'];
  const templateLabels = stringMap(get(template, 'metadata', 'labels'));
  const labels: Record<string, string> = {};
  const generatedLabels: Record<string, readonly string[] | null> = {};
  const controllerLabels: Record<string, string> = {};
  if (kind === 'Job' && name !== '') {
    // The Job controller labels its pods with the Job's name (and a uid we cannot know).
    controllerLabels['job-name'] = name;
    controllerLabels['batch.kubernetes.io/job-name'] = name;
    generatedLabels['controller-uid'] = null;
    generatedLabels['batch.kubernetes.io/controller-uid'] = null;
  }
  if (kind === 'CronJob') {
    generatedLabels['job-name'] = null;
    generatedLabels['batch.kubernetes.io/job-name'] = null;
    generatedLabels['controller-uid'] = null;
    generatedLabels['batch.kubernetes.io/controller-uid'] = null;
  }
  if (kind === 'Deployment') generatedLabels['pod-template-hash'] = null;
  if (kind === 'StatefulSet' && name !== '') {
    const replicas = asNumber(get(raw, 'spec', 'replicas')) ?? 1;
    const count = Number.isInteger(replicas) && replicas >= 0 && replicas <= 10_000 ? replicas : 1;
    const ordinalStart = asNumber(get(raw, 'spec', 'ordinals', 'start')) ?? 0;
    const ordinals = Array.from({ length: count }, (_, i) => String(ordinalStart + i));
    generatedLabels['statefulset.kubernetes.io/pod-name'] = ordinals.map((o) => `${name}-${o}`);
    generatedLabels['apps.kubernetes.io/pod-index'] = ordinals;
    generatedLabels['controller-revision-hash'] = null;
  }
  if (kind === 'DaemonSet') {
    generatedLabels['controller-revision-hash'] = null;
    generatedLabels['pod-template-generation'] = null;
  }
  // Controller-generated keys win over the template's own value for the same key.
  for (const [key, value] of Object.entries(templateLabels))
    if (!Object.hasOwn(generatedLabels, key)) labels[key] = value;
  Object.assign(labels, controllerLabels);
  // SetDefaults_PodSpec: `Always` for every pod spec, Jobs included (whose validation then refuses it).
  const written = asString(spec.restartPolicy);
  const restartPolicy = written === undefined || written === '' ? 'Always' : written;
  const longRunning = shape.longRunning && (kind !== 'Pod' || restartPolicy === 'Always');
  return {
    path: base,
    specPath,
    labels,
    generatedLabels,
    spec,
    containers: extractContainers(spec, specPath),
    restartPolicy,
    longRunning,
  };
}

function extractContainers(spec: Record<string, unknown>, specPath: Path): ContainerInfo[] {
  const out: ContainerInfo[] = [];
  const lists: [string, ContainerInfo['kind']][] = [
    ['initContainers', 'init'],
    ['containers', 'app'],
    ['ephemeralContainers', 'ephemeral'],
  ];
  for (const [field, defaultKind] of lists) {
    asArray(spec[field]).forEach((entry, index) => {
      if (!isRecord(entry)) return;
      const path: Path = [...specPath, field, index];
      // An init container with restartPolicy Always is a sidecar: it keeps running beside the app.
      const kind = defaultKind === 'init' && entry.restartPolicy === 'Always' ? 'sidecar' : defaultKind;
      out.push({
        kind,
        index,
        path,
        name: asString(entry.name) ?? '',
        raw: entry,
        ports: extractPorts(entry.ports, [...path, 'ports']),
      });
    });
  }
  return out;
}

function extractPorts(value: unknown, path: Path): ContainerPort[] {
  const out: ContainerPort[] = [];
  asArray(value).forEach((entry, index) => {
    if (!isRecord(entry)) return;
    out.push({
      name: asString(entry.name),
      containerPort: portNumber(entry.containerPort),
      protocol: asString(entry.protocol) ?? 'TCP',
      path: [...path, index],
    });
  });
  return out;
}

/** A port number written as a number (or a numeric string, which some tools emit). */
export function portNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

/** The current apiVersion of common built-in kinds, for suggestions. */
export const PREFERRED_API_VERSION: Readonly<Record<string, string>> = {
  Binding: 'v1',
  ConfigMap: 'v1',
  Endpoints: 'v1',
  Event: 'v1',
  LimitRange: 'v1',
  Namespace: 'v1',
  Node: 'v1',
  PersistentVolume: 'v1',
  PersistentVolumeClaim: 'v1',
  Pod: 'v1',
  PodTemplate: 'v1',
  ReplicationController: 'v1',
  ResourceQuota: 'v1',
  Secret: 'v1',
  Service: 'v1',
  ServiceAccount: 'v1',
  ControllerRevision: 'apps/v1',
  DaemonSet: 'apps/v1',
  Deployment: 'apps/v1',
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  HorizontalPodAutoscaler: 'autoscaling/v2',
  CronJob: 'batch/v1',
  Job: 'batch/v1',
  Ingress: 'networking.k8s.io/v1',
  IngressClass: 'networking.k8s.io/v1',
  NetworkPolicy: 'networking.k8s.io/v1',
  PodDisruptionBudget: 'policy/v1',
  ClusterRole: 'rbac.authorization.k8s.io/v1',
  ClusterRoleBinding: 'rbac.authorization.k8s.io/v1',
  Role: 'rbac.authorization.k8s.io/v1',
  RoleBinding: 'rbac.authorization.k8s.io/v1',
  PriorityClass: 'scheduling.k8s.io/v1',
  CSIDriver: 'storage.k8s.io/v1',
  StorageClass: 'storage.k8s.io/v1',
  VolumeAttachment: 'storage.k8s.io/v1',
  CustomResourceDefinition: 'apiextensions.k8s.io/v1',
  MutatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
  ValidatingWebhookConfiguration: 'admissionregistration.k8s.io/v1',
  RuntimeClass: 'node.k8s.io/v1',
  Lease: 'coordination.k8s.io/v1',
  EndpointSlice: 'discovery.k8s.io/v1',
};

/** The controllers that keep their pods running (the API server requires `restartPolicy: Always` of them). */
export const CONTROLLER_KINDS: ReadonlySet<string> = new Set([
  'Deployment',
  'ReplicaSet',
  'StatefulSet',
  'DaemonSet',
  'ReplicationController',
]);

/**
 * How many pods a workload runs at once: `replicas` (default 1) for ReplicaSets, Deployments,
 * ReplicationControllers and StatefulSets, `parallelism` for Jobs and CronJobs, 1 for a Pod, and
 * 'per-node' for a DaemonSet. Undefined for other kinds or unreadable values.
 */
export function podCount(kind: string, raw: Record<string, unknown>): number | 'per-node' | undefined {
  const int = (value: unknown, fallback: number) =>
    value === undefined || value === null
      ? fallback
      : Number.isInteger(value) && (value as number) >= 0
        ? (value as number)
        : undefined;
  switch (kind) {
    case 'Pod':
      return 1;
    case 'Deployment':
    case 'ReplicaSet':
    case 'ReplicationController':
    case 'StatefulSet':
      return int(get(raw, 'spec', 'replicas'), 1);
    case 'DaemonSet':
      return 'per-node';
    case 'Job':
      return int(get(raw, 'spec', 'parallelism'), 1);
    case 'CronJob':
      return int(get(raw, 'spec', 'jobTemplate', 'spec', 'parallelism'), 1);
    default:
      return undefined;
  }
}

/**
 * Whether a string is a valid port name (IANA_SVC_NAME: at most 15 lower-case letters, digits and
 * single inner hyphens, with at least one letter). Invalid names are the schema check's business;
 * wiring rules leave them alone rather than report a broken link on top.
 */
export function isPortName(value: string): boolean {
  return (
    value.length <= 15 && /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(value) && /[a-z]/.test(value) && !value.includes('--')
  );
}

/**
 * Whether a container only idles: its command is a sleep, a pause or a `tail -f /dev/null` (debug and
 * teaching pods, placeholders), or its image is the pause image. Such a container serves nothing and
 * has nothing to probe.
 */
export function isIdleContainer(container: { readonly raw: Record<string, unknown> }): boolean {
  const image = typeof container.raw.image === 'string' ? container.raw.image : '';
  if (/(^|\/)pause(:|@|$)/.test(image)) return true;
  const words = [...asArray(container.raw.command), ...asArray(container.raw.args)]
    .filter((w): w is string => typeof w === 'string')
    .join(' ')
    .trim();
  if (words === '') return false;
  // `sh -c "sleep infinity"`, `/bin/sleep 3600`, `pause`, `tail -f /dev/null`, `while true; do sleep 30; done`.
  const script = words.replace(/^(\/bin\/|\/usr\/bin\/)?(ba|da)?sh\s+-c\s+/, '').replace(/^["']|["']$/g, '');
  return (
    /^(exec\s+)?(\/[\w/]*\/)?sleep\s+(infinity|inf|\d+[smhd]?)\s*;?$/.test(script) ||
    /^(\/[\w/]*\/)?pause$/.test(script) ||
    /^(exec\s+)?tail\s+-f\s+\/dev\/null\s*;?$/.test(script) ||
    /^while\s+(true|:);?\s*do\s+sleep\s+\S+;?\s*done\s*;?$/.test(script)
  );
}
