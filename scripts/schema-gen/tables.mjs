// Hand-kept tables for what the typed models of @kubernetes/client-node do not say.
// Each table is small, documented, and checked by generate.mjs: an entry that matches nothing in any
// bundled version makes the generator fail, so that a stale entry cannot hide.

/**
 * Quantity fields (io.k8s.apimachinery.pkg.api.resource.Quantity). The models type them as plain
 * `string` (or maps/arrays of strings), but the API accepts a JSON number as well (`cpu: 1`,
 * `memory: 256000`), and a string must have quantity syntax (`500m`, `1Gi`, `1e3`).
 *
 * Keyed by the model name without its version prefix (`V1ResourceRequirements` → `ResourceRequirements`,
 * `V1beta2DeviceCapacity` → `DeviceCapacity`), so that one entry covers every API version of a type.
 * An entry applies where the property is a string, a map of strings or an array of strings; it is
 * ignored where a version types the property otherwise (e.g. BasicDevice.capacity is a map of
 * DeviceCapacity objects since resource.k8s.io/v1beta1).
 *
 * Source: the `$ref: Quantity` properties of the Kubernetes OpenAPI (api/openapi-spec/swagger.json),
 * releases 1.28–1.36.
 */
export const QUANTITY_FIELDS = {
  // core/v1
  ContainerStatus: ['allocatedResources'],
  EmptyDirVolumeSource: ['sizeLimit'],
  LimitRangeItem: ['default', 'defaultRequest', 'max', 'maxLimitRequestRatio', 'min'],
  NodeStatus: ['allocatable', 'capacity'],
  PersistentVolumeClaimStatus: ['allocatedResources', 'capacity'],
  PersistentVolumeSpec: ['capacity'],
  PodSpec: ['overhead'],
  PodStatus: ['allocatedResources'],
  ResourceFieldSelector: ['divisor'],
  ResourceQuotaSpec: ['hard'],
  ResourceQuotaStatus: ['hard', 'used'],
  ResourceRequirements: ['limits', 'requests'],
  VolumeResourceRequirements: ['limits', 'requests'],
  // node.k8s.io
  Overhead: ['podFixed'],
  // storage.k8s.io
  CSIStorageCapacity: ['capacity', 'maximumVolumeSize'],
  // autoscaling/v2
  HPAScalingRules: ['tolerance'],
  MetricTarget: ['averageValue', 'value'],
  MetricValueStatus: ['averageValue', 'value'],
  // resource.k8s.io (dynamic resource allocation), all versions
  BasicDevice: ['capacity'],
  CapacityRequestPolicy: ['default', 'validValues'],
  CapacityRequestPolicyRange: ['max', 'min', 'step'],
  CapacityRequirements: ['requests'],
  Counter: ['value'],
  DeviceCapacity: ['value'],
  DeviceRequestAllocationResult: ['consumedCapacity'],
  NodeAllocatableResourceClaimStatus: ['resources'],
  NodeAllocatableResourceMapping: ['allocationMultiplier'],
  NamedResourcesAttribute: ['quantity'],
};

/**
 * Kinds that are never created from a manifest: they exist only as subresources (Scale, Eviction,
 * TokenRequest, Binding of a pod) or are read-only (ComponentStatus). The generator lists as
 * top-level kinds only request bodies of a `create` endpoint on a collection path (no `{name}` in
 * the path), which already leaves these out; this table is the documented guard that drops them
 * should a package ever expose such an endpoint.
 */
export const NOT_CREATABLE_KINDS = ['ComponentStatus', 'Eviction', 'Scale', 'TokenRequest'];

/**
 * APIs removed from Kubernetes, after the deprecation guide
 * (kubernetes.io/docs/reference/using-api/deprecation-guide/, "Removed APIs by release").
 * A package may keep the models of a removed API; a kind listed here is never bundled as a kind of
 * a version at or after `removed`. `replacement` is the apiVersion to migrate to.
 */
export const REMOVED_APIS = [
  // v1.16
  { apiVersion: 'extensions/v1beta1', kinds: ['DaemonSet', 'Deployment', 'ReplicaSet'], removed: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['NetworkPolicy'], removed: '1.16', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['PodSecurityPolicy'], removed: '1.16', replacement: 'policy/v1beta1' },
  { apiVersion: 'apps/v1beta1', kinds: ['ControllerRevision', 'Deployment', 'ReplicaSet', 'StatefulSet'], removed: '1.16', replacement: 'apps/v1' },
  { apiVersion: 'apps/v1beta2', kinds: ['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet'], removed: '1.16', replacement: 'apps/v1' },
  // v1.22
  { apiVersion: 'admissionregistration.k8s.io/v1beta1', kinds: ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'], removed: '1.22', replacement: 'admissionregistration.k8s.io/v1' },
  { apiVersion: 'apiextensions.k8s.io/v1beta1', kinds: ['CustomResourceDefinition'], removed: '1.22', replacement: 'apiextensions.k8s.io/v1' },
  { apiVersion: 'apiregistration.k8s.io/v1beta1', kinds: ['APIService'], removed: '1.22', replacement: 'apiregistration.k8s.io/v1' },
  { apiVersion: 'authentication.k8s.io/v1beta1', kinds: ['TokenReview'], removed: '1.22', replacement: 'authentication.k8s.io/v1' },
  { apiVersion: 'authorization.k8s.io/v1beta1', kinds: ['LocalSubjectAccessReview', 'SelfSubjectAccessReview', 'SelfSubjectRulesReview', 'SubjectAccessReview'], removed: '1.22', replacement: 'authorization.k8s.io/v1' },
  { apiVersion: 'certificates.k8s.io/v1beta1', kinds: ['CertificateSigningRequest'], removed: '1.22', replacement: 'certificates.k8s.io/v1' },
  { apiVersion: 'coordination.k8s.io/v1beta1', kinds: ['Lease'], removed: '1.22', replacement: 'coordination.k8s.io/v1' },
  { apiVersion: 'extensions/v1beta1', kinds: ['Ingress'], removed: '1.22', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'networking.k8s.io/v1beta1', kinds: ['Ingress', 'IngressClass'], removed: '1.22', replacement: 'networking.k8s.io/v1' },
  { apiVersion: 'rbac.authorization.k8s.io/v1beta1', kinds: ['ClusterRole', 'ClusterRoleBinding', 'Role', 'RoleBinding'], removed: '1.22', replacement: 'rbac.authorization.k8s.io/v1' },
  { apiVersion: 'scheduling.k8s.io/v1beta1', kinds: ['PriorityClass'], removed: '1.22', replacement: 'scheduling.k8s.io/v1' },
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIDriver', 'CSINode', 'StorageClass', 'VolumeAttachment'], removed: '1.22', replacement: 'storage.k8s.io/v1' },
  // v1.25
  { apiVersion: 'batch/v1beta1', kinds: ['CronJob'], removed: '1.25', replacement: 'batch/v1' },
  { apiVersion: 'discovery.k8s.io/v1beta1', kinds: ['EndpointSlice'], removed: '1.25', replacement: 'discovery.k8s.io/v1' },
  { apiVersion: 'events.k8s.io/v1beta1', kinds: ['Event'], removed: '1.25', replacement: 'events.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta1', kinds: ['HorizontalPodAutoscaler'], removed: '1.25', replacement: 'autoscaling/v2' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodDisruptionBudget'], removed: '1.25', replacement: 'policy/v1' },
  { apiVersion: 'policy/v1beta1', kinds: ['PodSecurityPolicy'], removed: '1.25', replacement: null },
  { apiVersion: 'node.k8s.io/v1beta1', kinds: ['RuntimeClass'], removed: '1.25', replacement: 'node.k8s.io/v1' },
  // v1.26
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta1', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], removed: '1.26', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  { apiVersion: 'autoscaling/v2beta2', kinds: ['HorizontalPodAutoscaler'], removed: '1.26', replacement: 'autoscaling/v2' },
  // v1.27
  { apiVersion: 'storage.k8s.io/v1beta1', kinds: ['CSIStorageCapacity'], removed: '1.27', replacement: 'storage.k8s.io/v1' },
  // v1.29
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta2', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], removed: '1.29', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
  // v1.32
  { apiVersion: 'flowcontrol.apiserver.k8s.io/v1beta3', kinds: ['FlowSchema', 'PriorityLevelConfiguration'], removed: '1.32', replacement: 'flowcontrol.apiserver.k8s.io/v1' },
];

/**
 * Number formats for the 0.x packages (Kubernetes ≤ 1.30), whose models give no `format`: the
 * generator takes the format of the same model property from the 1.x/2.x packages (int32, int64,
 * double; date-time-micro for MicroTime; byte for base64 data). A `number` property found in no
 * newer package falls back to this: an integer (every number of the Kubernetes API is an integer
 * but for the JSONSchemaProps bounds, which the newer packages cover).
 */
export const FALLBACK_NUMBER = { type: 'integer' };
