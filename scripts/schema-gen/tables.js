// Hand-kept tables for what the typed models of @kubernetes/client-node do not say.
// Each table is small, documented, and checked by generate.js: an entry that matches nothing in any
// bundled version makes the generator fail, so that a stale entry cannot hide.
import { readFileSync } from 'node:fs';
import { URL, fileURLToPath } from 'node:url';

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
 * APIs removed from Kubernetes: derived from schemas/kubernetes/api-lifecycle.json, the hand-kept table
 * of removed and deprecated APIs (from the Kubernetes deprecation guide) that the validator
 * (src/schema/apis.ts) reads too: one source of truth. A package may keep the models of a removed API;
 * a kind listed there is never bundled as a kind of a version at or after its `removedIn`.
 * `replacement` is the apiVersion to migrate to.
 */
export const API_LIFECYCLE_FILE = fileURLToPath(new URL('../../schemas/kubernetes/api-lifecycle.json', import.meta.url));
export const REMOVED_APIS = JSON.parse(readFileSync(API_LIFECYCLE_FILE, 'utf8'))
  .apis.filter((a) => a.removedIn !== null)
  .map((a) => ({ apiVersion: a.apiVersion, kinds: [a.kind], removed: a.removedIn, replacement: a.replacement?.apiVersion ?? null }));

/**
 * Number formats for the 0.x packages (Kubernetes ≤ 1.30), whose models give no `format`: the
 * generator takes the format of the same model property from the 1.x/2.x packages (int32, int64,
 * double; date-time-micro for MicroTime; byte for base64 data). A `number` property found in no
 * newer package falls back to this: an integer (every number of the Kubernetes API is an integer
 * but for the JSONSchemaProps bounds, which the newer packages cover).
 */
export const FALLBACK_NUMBER = { type: 'integer' };
