/**
 * The API server's defaulting, applied once to every object before any rule reads it: a rule sees an
 * object as the cluster would store it, so `targetPort: 0` means "the same as port" everywhere, as it
 * does for the API server. Follows the `SetDefaults_*` functions of kubernetes/kubernetes
 * (pkg/apis/core/v1, apps/v1, batch/v1, autoscaling/v2 and networking/v1 `defaults.go`) for the
 * fields kubewire reads; the manifest as written stays available (`KObject.written`) for the schema
 * checks, which judge what the author wrote.
 */
import { REPLICATED_KINDS } from './k8s.js';
import { isRecord } from './values.js';

type Json = Record<string, unknown>;
type Key = string | number;

/**
 * A record or array of the defaulted object, copied on write: reading shares the value as written, and
 * the first write makes a shallow copy of it and, through its parent, of the spine above it. So only what
 * leads to a defaulted field is copied (spec → template → spec → containers → the container → ports → the
 * port); everything else (env, volumes, metadata…) stays shared with the object as written, which is never
 * changed. A value reached twice through YAML aliases is copied once per place it is defaulted at.
 */
class Place {
  private copied = false;
  /** The same Place for the same key, so that a later write sees (and extends) an earlier copy. */
  private readonly children = new Map<Key, Place>();

  constructor(
    private current: Json | unknown[],
    private readonly attach: ((copy: Json | unknown[]) => void) | undefined,
  ) {}

  /** The value as it stands: the one written, or the copy once something was defaulted in it. */
  get value(): Json | unknown[] {
    return this.current;
  }

  get(key: Key): unknown {
    return (this.current as Record<Key, unknown>)[key];
  }

  set(key: Key, value: unknown): void {
    if (!this.copied) {
      this.current = Array.isArray(this.current) ? this.current.slice() : { ...this.current };
      this.copied = true;
      this.attach?.(this.current);
    }
    (this.current as Record<Key, unknown>)[key] = value;
  }

  setIfUnset(key: string, value: unknown): void {
    if (unset(this.get(key))) this.set(key, value);
  }

  /** The mapping at `key`, if it is one. */
  record(key: Key): Place | undefined {
    return this.child(key, isRecord);
  }

  /** The list at `key`, if it is one. */
  list(key: Key): Place | undefined {
    return this.child(key, Array.isArray);
  }

  /** The places of the list's items that are mappings. */
  records(): Place[] {
    const out: Place[] = [];
    for (let i = 0; i < (this.current as unknown[]).length; i++) {
      const item = this.record(i);
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  private child(key: Key, accepts: (value: unknown) => boolean): Place | undefined {
    let place = this.children.get(key);
    if (place === undefined) {
      const value = this.get(key);
      if (!accepts(value)) return undefined;
      place = new Place(value as Json | unknown[], (copy) => {
        this.set(key, copy);
      });
      this.children.set(key, place);
    }
    return accepts(place.value) ? place : undefined;
  }
}

/** Whether a field is unset in the server's sense: absent, null, or the zero value of its type. */
function unset(value: unknown): boolean {
  return value === undefined || value === null || value === '' || value === 0;
}

/** SetDefaults_Probe and SetDefaults_HTTPGetAction. */
function defaultProbe(probe: Place | undefined): void {
  if (probe === undefined) return;
  probe.setIfUnset('timeoutSeconds', 1);
  probe.setIfUnset('periodSeconds', 10);
  probe.setIfUnset('successThreshold', 1);
  probe.setIfUnset('failureThreshold', 3);
  const http = probe.record('httpGet');
  if (http !== undefined) {
    http.setIfUnset('path', '/');
    http.setIfUnset('scheme', 'HTTP');
  }
}

/** SetDefaults_ContainerPort, SetDefaults_Probe, and the host ports of host-network pods (SetDefaults_Pod). */
function defaultContainer(container: Place, hostNetwork: boolean): void {
  for (const port of container.list('ports')?.records() ?? []) {
    port.setIfUnset('protocol', 'TCP');
    const containerPort = port.get('containerPort');
    if (hostNetwork && unset(port.get('hostPort')) && typeof containerPort === 'number')
      port.set('hostPort', containerPort);
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) defaultProbe(container.record(probe));
}

/** SetDefaults_PodSpec (the fields rules read) and the containers of the pod. */
function defaultPodSpec(spec: Place | undefined): void {
  if (spec === undefined) return;
  // A Job's or CronJob's template gets `Always` too, which their validation then refuses (pod-spec-invalid).
  spec.setIfUnset('restartPolicy', 'Always');
  spec.setIfUnset('dnsPolicy', 'ClusterFirst');
  spec.setIfUnset('schedulerName', 'default-scheduler');
  const hostNetwork = spec.get('hostNetwork') === true;
  for (const field of ['initContainers', 'containers', 'ephemeralContainers'])
    for (const c of spec.list(field)?.records() ?? []) defaultContainer(c, hostNetwork);
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

/** SetDefaults_Service: type, session affinity, and per port the protocol and the targetPort. */
function defaultService(spec: Place | undefined): void {
  if (spec === undefined) return;
  spec.setIfUnset('type', 'ClusterIP');
  spec.setIfUnset('sessionAffinity', 'None');
  for (const port of spec.list('ports')?.records() ?? []) {
    port.setIfUnset('protocol', 'TCP');
    // `targetPort: 0` and `targetPort: ""` mean "the same as port", exactly like an absent one.
    const value = port.get('port');
    if (unset(port.get('targetPort')) && value !== undefined && value !== null) port.set('targetPort', value);
  }
}

/**
 * The object as the API server stores it. Returns `raw` itself when nothing is defaulted in it (kinds
 * without defaults of interest, or every defaulted field already set); otherwise a copy of the parts that
 * lead to defaulted fields, sharing the rest with `raw`, which is never changed. Values of the wrong type
 * are left as written.
 */
export function withServerDefaults(group: string, kind: string, raw: Json): Json {
  const builtinWorkload = TEMPLATE_PATHS[kind] !== undefined && ['', 'apps', 'extensions', 'batch'].includes(group);
  const relevant =
    builtinWorkload ||
    (group === '' && (kind === 'Service' || kind === 'Secret')) ||
    (group === 'autoscaling' && kind === 'HorizontalPodAutoscaler');
  if (!relevant) return raw;
  const out = new Place(raw, undefined);
  const spec = out.record('spec');
  const none = (v: unknown) => v === undefined || v === null;
  if (kind === 'Service') defaultService(spec);
  else if (kind === 'Secret') out.setIfUnset('type', 'Opaque');
  else if (kind === 'HorizontalPodAutoscaler') {
    if (spec !== undefined && none(spec.get('minReplicas'))) spec.set('minReplicas', 1);
  } else {
    let template: Place | undefined = out;
    for (const key of TEMPLATE_PATHS[kind] ?? []) template = template?.record(key);
    defaultPodSpec(template?.record('spec'));
    if (spec !== undefined && REPLICATED_KINDS.has(kind) && none(spec.get('replicas'))) spec.set('replicas', 1);
    if (kind === 'StatefulSet') spec?.setIfUnset('podManagementPolicy', 'OrderedReady');
    if (kind === 'Job' && spec !== undefined) {
      // SetDefaults_Job: both unset → one pod, once.
      if (none(spec.get('completions')) && none(spec.get('parallelism'))) {
        spec.set('completions', 1);
        spec.set('parallelism', 1);
      }
      if (none(spec.get('parallelism'))) spec.set('parallelism', 1);
      if (none(spec.get('backoffLimit'))) spec.set('backoffLimit', 6);
    }
    if (kind === 'ReplicationController' && spec !== undefined && template !== undefined) {
      // SetDefaults_ReplicationController: an empty selector (and empty labels) take the template's labels.
      const labels = template.record('metadata')?.get('labels');
      if (isRecord(labels)) {
        const selector = spec.get('selector');
        if (!isRecord(selector) || Object.keys(selector).length === 0) spec.set('selector', { ...labels });
        const metadata = out.record('metadata');
        const own = metadata?.get('labels');
        if (metadata !== undefined && (!isRecord(own) || Object.keys(own).length === 0))
          metadata.set('labels', { ...labels });
      }
    }
  }
  return out.value as Json;
}
