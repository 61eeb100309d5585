/**
 * The oracle of test/defaults.test.ts: src/model/defaults.ts as it was before it copied on write, when it
 * `structuredClone`d every object it defaulted and changed the clone in place. Kept verbatim (but for
 * this comment and the import path), so that the copy-on-write version can be held to exactly the values
 * it gave.
 */
import { asArray, get, isRecord } from '../src/model/values.js';

type Json = Record<string, unknown>;

/** Whether a field is unset in the server's sense: absent, null, or the zero value of its type. */
function unset(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === 0;
}

function setIfUnset(target: Json, key: string, value: unknown): void {
  if (unset(target[key])) target[key] = value;
}

/** SetDefaults_Probe and SetDefaults_HTTPGetAction. */
function defaultProbe(probe: unknown): void {
  if (!isRecord(probe)) return;
  setIfUnset(probe, 'timeoutSeconds', 1);
  setIfUnset(probe, 'periodSeconds', 10);
  setIfUnset(probe, 'successThreshold', 1);
  setIfUnset(probe, 'failureThreshold', 3);
  const http = probe.httpGet;
  if (isRecord(http)) {
    setIfUnset(http, 'path', '/');
    setIfUnset(http, 'scheme', 'HTTP');
  }
}

/** SetDefaults_ContainerPort, SetDefaults_Probe, and the host ports of host-network pods (SetDefaults_Pod). */
function defaultContainer(container: unknown, hostNetwork: boolean): void {
  if (!isRecord(container)) return;
  for (const port of asArray(container.ports)) {
    if (!isRecord(port)) continue;
    setIfUnset(port, 'protocol', 'TCP');
    if (hostNetwork && unset(port.hostPort) && typeof port.containerPort === 'number')
      port.hostPort = port.containerPort;
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(container[probe]);
}

/** SetDefaults_PodSpec (the fields rules read) and the containers of the pod. */
function defaultPodSpec(spec: unknown): void {
  if (!isRecord(spec)) return;
  // A Job's or CronJob's template gets `Always` too, which their validation then refuses (pod-spec-invalid).
  setIfUnset(spec, 'restartPolicy', 'Always');
  setIfUnset(spec, 'dnsPolicy', 'ClusterFirst');
  setIfUnset(spec, 'schedulerName', 'default-scheduler');
  const hostNetwork = spec.hostNetwork === true;
  for (const field of ['initContainers', 'containers', 'ephemeralContainers'])
    for (const c of asArray(spec[field])) defaultContainer(c, hostNetwork);
}

/** Path from an object to its pod template, by kind (the same shapes as model/k8s). */
const TEMPLATE_PATHS: Record<string, readonly string[]> = {
  Pod: [],
  PodTemplate: ['template'],
  ReplicationController: ['spec', 'template'],
  Deployment: ['spec', 'template'],
  ReplicaSet: ['spec', 'template'],
  StatefulSet: ['spec', 'template'],
  DaemonSet: ['spec', 'template'],
  Job: ['spec', 'template'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template'],
};

const REPLICATED = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);

/** SetDefaults_Service: type, session affinity, and per port the protocol and the targetPort. */
function defaultService(spec: unknown): void {
  if (!isRecord(spec)) return;
  setIfUnset(spec, 'type', 'ClusterIP');
  setIfUnset(spec, 'sessionAffinity', 'None');
  for (const port of asArray(spec.ports)) {
    if (!isRecord(port)) continue;
    setIfUnset(port, 'protocol', 'TCP');
    // `targetPort: 0` and `targetPort: ""` mean "the same as port", exactly like an absent one.
    if (unset(port.targetPort) && port.port !== undefined && port.port !== null) port.targetPort = port.port;
  }
}

/**
 * The object as the API server stores it. Returns `raw` itself for kinds without defaults of interest;
 * otherwise a copy, never changing `raw`. Values of the wrong type are left as written.
 */
export function withServerDefaultsByClone(group: string, kind: string, raw: Json): Json {
  const builtinWorkload = TEMPLATE_PATHS[kind] !== undefined && ['', 'apps', 'extensions', 'batch'].includes(group);
  const relevant =
    builtinWorkload ||
    (group === '' && (kind === 'Service' || kind === 'Secret')) ||
    (group === 'autoscaling' && kind === 'HorizontalPodAutoscaler');
  if (!relevant) return raw;
  const out = structuredClone(raw);
  const spec = out.spec;
  if (kind === 'Service') defaultService(spec);
  else if (kind === 'Secret') setIfUnset(out, 'type', 'Opaque');
  else if (kind === 'HorizontalPodAutoscaler') {
    if (isRecord(spec) && (spec.minReplicas === undefined || spec.minReplicas === null)) spec.minReplicas = 1;
  } else {
    const path = TEMPLATE_PATHS[kind] ?? [];
    const template = path.length === 0 ? out : get(out, ...path);
    if (isRecord(template)) defaultPodSpec(template.spec);
    if (isRecord(spec) && REPLICATED.has(kind) && (spec.replicas === undefined || spec.replicas === null))
      spec.replicas = 1;
    if (kind === 'StatefulSet' && isRecord(spec)) setIfUnset(spec, 'podManagementPolicy', 'OrderedReady');
    if (kind === 'Job' && isRecord(spec)) {
      // SetDefaults_Job: both unset → one pod, once.
      const none = (v: unknown) => v === undefined || v === null;
      if (none(spec.completions) && none(spec.parallelism)) {
        spec.completions = 1;
        spec.parallelism = 1;
      }
      if (none(spec.parallelism)) spec.parallelism = 1;
      if (none(spec.backoffLimit)) spec.backoffLimit = 6;
    }
    if (kind === 'ReplicationController' && isRecord(spec) && isRecord(template)) {
      // SetDefaults_ReplicationController: an empty selector (and empty labels) take the template's labels.
      const labels = get(template, 'metadata', 'labels');
      if (isRecord(labels)) {
        const selector = spec.selector;
        if (!isRecord(selector) || Object.keys(selector).length === 0) spec.selector = { ...labels };
        const metadata = out.metadata;
        if (isRecord(metadata) && (!isRecord(metadata.labels) || Object.keys(metadata.labels).length === 0))
          metadata.labels = { ...labels };
      }
    }
  }
  return out;
}
