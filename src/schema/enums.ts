/**
 * Enumerations of the Kubernetes API. The typed models the bundled schemas come from carry none (the
 * OpenAPI lists them only in descriptions), so this small hand-kept table adds the common ones, from
 * the API types (k8s.io/api) and their validation (pkg/apis/…/validation). Keyed like QUANTITY_FIELDS
 * of the generator: by model name without its version prefix, so that one entry covers every API
 * version of a type; a property applies where it is a string or a list of strings.
 *
 * Only closed sets are listed: values the API server rejects when they are anything else. An empty
 * string is accepted where defaulting replaces it (`imagePullPolicy: ""` becomes the default), that is
 * everywhere but in lists and in the required fields of NO_EMPTY.
 * test/schema-validate.test.ts checks that every entry matches a property of the newest schema.
 */
export const ENUMS: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  Container: {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  EphemeralContainer: {
    imagePullPolicy: ['Always', 'IfNotPresent', 'Never'],
    terminationMessagePolicy: ['File', 'FallbackToLogsOnError'],
  },
  ContainerPort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  ServicePort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  EndpointPort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  NetworkPolicyPort: { protocol: ['TCP', 'UDP', 'SCTP'] },
  PodSpec: {
    restartPolicy: ['Always', 'OnFailure', 'Never'],
    dnsPolicy: ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
    preemptionPolicy: ['PreemptLowerPriority', 'Never'],
  },
  PodOS: { name: ['linux', 'windows'] },
  ServiceSpec: {
    type: ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
    externalTrafficPolicy: ['Cluster', 'Local'],
    internalTrafficPolicy: ['Cluster', 'Local'],
    sessionAffinity: ['ClientIP', 'None'],
    ipFamilyPolicy: ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
    ipFamilies: ['IPv4', 'IPv6'],
  },
  DeploymentStrategy: { type: ['Recreate', 'RollingUpdate'] },
  DaemonSetUpdateStrategy: { type: ['RollingUpdate', 'OnDelete'] },
  StatefulSetUpdateStrategy: { type: ['RollingUpdate', 'OnDelete'] },
  StatefulSetSpec: { podManagementPolicy: ['OrderedReady', 'Parallel'] },
  CronJobSpec: { concurrencyPolicy: ['Allow', 'Forbid', 'Replace'] },
  JobSpec: { completionMode: ['NonIndexed', 'Indexed'] },
  PersistentVolumeClaimSpec: {
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
    volumeMode: ['Filesystem', 'Block'],
  },
  PersistentVolumeSpec: {
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
    volumeMode: ['Filesystem', 'Block'],
    persistentVolumeReclaimPolicy: ['Retain', 'Delete', 'Recycle'],
  },
  StorageClass: { reclaimPolicy: ['Retain', 'Delete'], volumeBindingMode: ['Immediate', 'WaitForFirstConsumer'] },
  HTTPIngressPath: { pathType: ['Exact', 'Prefix', 'ImplementationSpecific'] },
  HTTPGetAction: { scheme: ['HTTP', 'HTTPS'] },
  Toleration: { operator: ['', 'Exists', 'Equal'], effect: ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  Taint: { effect: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] },
  NodeSelectorRequirement: { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] },
  LabelSelectorRequirement: { operator: ['In', 'NotIn', 'Exists', 'DoesNotExist'] },
  TopologySpreadConstraint: {
    whenUnsatisfiable: ['DoNotSchedule', 'ScheduleAnyway'],
    nodeAffinityPolicy: ['Honor', 'Ignore'],
    nodeTaintsPolicy: ['Honor', 'Ignore'],
  },
  NetworkPolicySpec: { policyTypes: ['Ingress', 'Egress'] },
  SeccompProfile: { type: ['Unconfined', 'RuntimeDefault', 'Localhost'] },
  PodSecurityContext: { fsGroupChangePolicy: ['OnRootMismatch', 'Always'] },
  VolumeMount: { mountPropagation: ['None', 'HostToContainer', 'Bidirectional'] },
  HostPathVolumeSource: {
    type: ['', 'DirectoryOrCreate', 'Directory', 'FileOrCreate', 'File', 'Socket', 'CharDevice', 'BlockDevice'],
  },
  MetricSpec: { type: ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'] },
  MetricTarget: { type: ['Utilization', 'Value', 'AverageValue'] },
  HPAScalingPolicy: { type: ['Pods', 'Percent'] },
  HPAScalingRules: { selectPolicy: ['Max', 'Min', 'Disabled'] },
  PodDisruptionBudgetSpec: { unhealthyPodEvictionPolicy: ['IfHealthyBudget', 'AlwaysAllow'] },
  RoleRef: { kind: ['Role', 'ClusterRole'] },
  Subject: { kind: ['User', 'Group', 'ServiceAccount'] },
  LimitRangeItem: { type: ['Pod', 'Container', 'PersistentVolumeClaim'] },
  CustomResourceDefinitionSpec: { scope: ['Cluster', 'Namespaced'] },
};

/** Fields that have no default: an empty string is rejected. */
const NO_EMPTY = new Set([
  'Taint.effect',
  'RoleRef.kind',
  'Subject.kind',
  'MetricSpec.type',
  'MetricTarget.type',
  'HPAScalingPolicy.type',
  'NodeSelectorRequirement.operator',
  'LabelSelectorRequirement.operator',
  'CustomResourceDefinitionSpec.scope',
  'SeccompProfile.type',
  'LimitRangeItem.type',
]);

/** V1Deployment → Deployment, RbacV1Subject → Subject, V2beta2MetricSpec → MetricSpec (as the generator does). */
export function unversioned(model: string): string {
  const m = /^(?:[A-Z][a-z]+)*V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/.exec(model);
  return m ? model.slice(m[0].length) : model;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The definitions with the enumerations added (copies; the imported JSON is left alone). */
export function withEnums(definitions: Record<string, unknown>): {
  definitions: Record<string, unknown>;
  applied: Set<string>;
} {
  const out: Record<string, unknown> = { ...definitions };
  const applied = new Set<string>();
  for (const [name, definition] of Object.entries(definitions)) {
    const base = unversioned(name);
    const table = ENUMS[base];
    if (table === undefined || !isObject(definition) || !isObject(definition.properties)) continue;
    const properties: Json = { ...definition.properties };
    for (const [property, values] of Object.entries(table)) {
      const schema = properties[property];
      if (!isObject(schema)) continue;
      if (schema.type === 'string') {
        const empty = !NO_EMPTY.has(`${base}.${property}`) && !values.includes('');
        properties[property] = { ...schema, enum: empty ? ['', ...values] : [...values] };
        applied.add(`${base}.${property}`);
      } else if (schema.type === 'array' && isObject(schema.items) && schema.items.type === 'string') {
        properties[property] = { ...schema, items: { ...schema.items, enum: [...values] } };
        applied.add(`${base}.${property}`);
      }
    }
    out[name] = { ...definition, properties };
  }
  return { definitions: out, applied };
}
