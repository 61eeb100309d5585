/**
 * What a namespace does to pods without requests or limits: LimitRange defaults fill them in at admission,
 * and a ResourceQuota on CPU or memory makes them mandatory (admission rejects a pod that lacks them).
 */
import type { Graph } from '../model/graph.js';
import { asArray, asRecord, asString, get, isRecord } from '../model/values.js';
import { containerLabel, objectLabel } from '../model/phrase.js';
import type { MessageData, ReportDescriptor } from '../rule-types.js';
import type { ContainerInfo, KObject, Path, PodTemplate } from '../types.js';

export type ComputeResource = 'cpu' | 'memory';
export type ResourceField = 'requests' | 'limits';

export interface NamespaceResources {
  /** LimitRange objects of the input supplying a default, by field and resource. */
  defaults: Record<ResourceField, Record<ComputeResource, KObject | 'declared' | undefined>>;
  /** ResourceQuotas (without scopes) that make a field mandatory, by field and resource. */
  mandatory: Record<ResourceField, Record<ComputeResource, { quota: KObject; key: string } | undefined>>;
}

/** LimitRange and ResourceQuota effects in a namespace (memoised per graph). */
export function namespaceResources(graph: Graph, namespace: string): NamespaceResources {
  return graph.memo(`resources:${namespace}`, () => {
    const result: NamespaceResources = {
      defaults: { requests: { cpu: undefined, memory: undefined }, limits: { cpu: undefined, memory: undefined } },
      mandatory: { requests: { cpu: undefined, memory: undefined }, limits: { cpu: undefined, memory: undefined } },
    };
    // A LimitRange declared in `cluster.objects` exists, but its content is unknown: assume it supplies defaults.
    const declared = graph.declaredNames('LimitRange', namespace).length > 0;
    for (const field of ['requests', 'limits'] as const)
      for (const r of ['cpu', 'memory'] as const) if (declared) result.defaults[field][r] = 'declared';
    for (const range of graph.inNamespace('LimitRange', namespace)) {
      for (const item of asArray(get(range.raw, 'spec', 'limits'))) {
        if (!isRecord(item) || (asString(item.type) ?? 'Container') !== 'Container') continue;
        const defaultLimit = asRecord(item.default) ?? {};
        const defaultRequest = asRecord(item.defaultRequest) ?? {};
        for (const r of ['cpu', 'memory'] as const) {
          // A default limit also becomes the request of a container that sets neither.
          if (defaultLimit[r] !== undefined) result.defaults.limits[r] ??= range;
          if (defaultRequest[r] !== undefined || defaultLimit[r] !== undefined) result.defaults.requests[r] ??= range;
        }
      }
    }
    for (const quota of graph.inNamespace('ResourceQuota', namespace)) {
      const spec = asRecord(quota.raw.spec);
      // Scoped quotas apply to some pods only (BestEffort, a PriorityClass…): they prove nothing about this one.
      if (spec === undefined || spec.scopes !== undefined || spec.scopeSelector !== undefined) continue;
      const hard = asRecord(spec.hard) ?? {};
      for (const r of ['cpu', 'memory'] as const) {
        for (const key of [r, `requests.${r}`])
          if (hard[key] !== undefined) result.mandatory.requests[r] ??= { quota, key };
        if (hard[`limits.${r}`] !== undefined) result.mandatory.limits[r] ??= { quota, key: `limits.${r}` };
      }
    }
    return result;
  });
}

/** Whether a container sets a resource in a field (a limit also sets the request it defaults). */
export function containerSets(container: ContainerInfo, field: ResourceField, resource: ComputeResource): boolean {
  const value = (f: ResourceField) => get(container.raw, 'resources', f, resource);
  const set = (v: unknown) => v !== undefined && v !== null && v !== '';
  return set(value(field)) || (field === 'requests' && set(value('limits')));
}

/** Where to point for a container's missing resource: its `resources` key, else its name. */
export function resourcesAnchor(container: ContainerInfo): { path: Path; key: boolean } {
  if (container.raw.resources !== undefined) return { path: [...container.path, 'resources'], key: true };
  return { path: typeof container.raw.name === 'string' ? [...container.path, 'name'] : container.path, key: false };
}

/** A container that can have resources (not ephemeral), with its namespace's resource policy. */
export interface ResourceContainer {
  object: KObject;
  template: PodTemplate;
  container: ContainerInfo;
  resources: NamespaceResources;
  /** `container \`x\` of Deployment \`y\`` (init and sidecar containers say so). */
  label: string;
}

/** Every container of every pod template that may set resources. */
export function eachResourceContainer(graph: Graph, visit: (c: ResourceContainer) => void): void {
  for (const object of graph.withPodTemplates()) {
    const template = object.podTemplate;
    if (template === undefined || object.namespace === null) continue;
    const resources = namespaceResources(graph, object.namespace);
    for (const container of template.containers) {
      if (container.kind === 'ephemeral') continue;
      const label = containerLabel(object, container);
      visit({ object, template, container, resources, label });
    }
  }
}

/** The report of a container that a ResourceQuota makes admission reject: an error, the quota related. */
export function quotaReport<M extends string>(
  c: ResourceContainer,
  q: { quota: KObject; key: string },
  messageId: M,
  data: MessageData,
): ReportDescriptor<M> {
  return {
    object: c.object,
    ...resourcesAnchor(c.container),
    messageId,
    severity: 'error',
    data: { ...data, container: c.label, quota: objectLabel(q.quota), key: q.key },
    related: [{ object: q.quota, path: ['spec', 'hard', q.key], message: `${objectLabel(q.quota)} tracks ${q.key}` }],
  };
}
