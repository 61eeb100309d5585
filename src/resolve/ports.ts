/** Ports: Service targetPorts and probe ports resolved against the containers of pod templates. */
import { isPortName, portNumber } from '../model/k8s.js';
import { closest } from '../model/paths.js';
import { isPlaceholder } from './references.js';
import type { Graph } from '../model/graph.js';
import { asArray, asString, get, isRecord } from '../model/values.js';
import type { ContainerInfo, ContainerPort, KObject, PodTemplate } from '../types.js';
import { parseEqualitySelector } from './selectors.js';
import type { Selector } from './selectors.js';

/** The declared port of a container a port reference names (by name or number), if any. */
export function findContainerPort(
  container: ContainerInfo,
  port: string | number,
  protocol?: string,
): ContainerPort | undefined {
  return container.ports.find(
    (p) =>
      (typeof port === 'number' ? p.containerPort === port : p.name === port) &&
      (protocol === undefined || p.protocol === protocol),
  );
}

export type ProbePortResolution =
  | { status: 'ok'; port: ContainerPort | undefined }
  | { status: 'named-missing'; name: string }
  | { status: 'numeric-undeclared'; port: number }
  | { status: 'quoted-number'; value: string }
  | { status: 'unknown' };

/**
 * Resolve the port of a probe handler the way the kubelet does: a name is looked up among the
 * container's own ports; a number needs no declaration, but one the pod declares nowhere while the
 * container declares others is likely a mistake. Numbers declared by another container of the pod
 * are fine: containers of a pod share one network namespace.
 */
export function resolveProbePort(template: PodTemplate, container: ContainerInfo, value: unknown): ProbePortResolution {
  if (typeof value === 'string' && !/^\d+$/.test(value)) {
    // A placeholder for a later substitution, or a malformed name (the schema check's business).
    if (isPlaceholder(value) || !isPortName(value)) return { status: 'unknown' };
    const port = findContainerPort(container, value);
    return port ? { status: 'ok', port } : { status: 'named-missing', name: value };
  }
  if (typeof value === 'string') return { status: 'quoted-number', value };
  const n = portNumber(value);
  if (n === undefined) return { status: 'unknown' };
  const own = findContainerPort(container, n);
  if (own) return { status: 'ok', port: own };
  if (container.ports.length === 0) return { status: 'ok', port: undefined };
  const elsewhere = template.containers.some((c) => c !== container && findContainerPort(c, n) !== undefined);
  return elsewhere ? { status: 'ok', port: undefined } : { status: 'numeric-undeclared', port: n };
}

/** A Service that gets automatic endpoints: it has a namespace, a non-empty selector and is not ExternalName. */
export interface SelectingService {
  service: KObject;
  namespace: string;
  selector: Selector;
}

/** The Services of the run that select pods (computed once per graph). */
export function selectingServices(graph: Graph): readonly SelectingService[] {
  return graph.memo('ports:selectingServices', () => {
    const out: SelectingService[] = [];
    for (const service of graph.ofKind('Service', '')) {
      if (service.namespace === null || asString(get(service.raw, 'spec', 'type')) === 'ExternalName') continue;
      const selector = parseEqualitySelector(get(service.raw, 'spec', 'selector'));
      if (selector === undefined || selector.requirements.length === 0) continue; // no automatic endpoints
      out.push({ service, namespace: service.namespace, selector });
    }
    return out;
  });
}

/** Services of the run and the workloads each selects (computed once per graph). */
function serviceSelections(graph: Graph): ReadonlyMap<number, KObject[]> {
  return graph.memo('ports:serviceSelections', () => {
    const byWorkload = new Map<number, KObject[]>();
    for (const { service, namespace, selector } of selectingServices(graph)) {
      for (const workload of graph.selectPods(namespace, selector, service)) {
        const list = byWorkload.get(workload.id);
        if (list) list.push(service);
        else byWorkload.set(workload.id, [service]);
      }
    }
    return byWorkload;
  });
}

/**
 * The Services (same namespace) whose selector matches the pods of a workload. Of several
 * definitions of one Service (variants of a manifest), only those closest to the workload count.
 */
export function servicesSelecting(graph: Graph, workload: KObject): readonly KObject[] {
  const services = serviceSelections(graph).get(workload.id) ?? [];
  const byName = new Map<string, KObject[]>();
  for (const s of services) byName.set(s.name, [...(byName.get(s.name) ?? []), s]);
  return byName.size === services.length
    ? services
    : [...byName.values()].flatMap((defs) => closest(defs, workload.source.path));
}

/**
 * The containers of a pod template a Service sends traffic to: those whose declared ports its
 * targetPorts name or number. `unresolved` is true when some targetPort matches no declared port
 * (a number the container listens on without declaring it, or a broken reference).
 */
export function servedContainers(
  service: KObject,
  template: PodTemplate,
): { containers: Set<ContainerInfo>; unresolved: boolean } {
  const containers = new Set<ContainerInfo>();
  let unresolved = false;
  const app = template.containers.filter((c) => c.kind === 'app' || c.kind === 'sidecar');
  for (const entry of asArray(get(service.raw, 'spec', 'ports'))) {
    if (!isRecord(entry)) continue;
    const protocol = asString(entry.protocol) ?? 'TCP';
    const target = entry.targetPort ?? entry.port;
    const port = typeof target === 'string' && !/^\d+$/.test(target) ? target : portNumber(target);
    if (port === undefined) continue;
    const hits = app.filter((c) => findContainerPort(c, port, protocol) !== undefined);
    if (hits.length === 0) unresolved = true;
    for (const c of hits) containers.add(c);
  }
  return { containers, unresolved };
}

/**
 * Which app containers of a template the Services send traffic to, and through which Services. When no
 * targetPort matches a declared port, a single-container pod is certainly the target; with several, we
 * cannot tell.
 */
export function trafficTargets(services: readonly KObject[], template: PodTemplate): Map<ContainerInfo, KObject[]> {
  const targets = new Map<ContainerInfo, KObject[]>();
  const app = template.containers.filter((c) => c.kind === 'app');
  for (const service of services) {
    const { containers, unresolved } = servedContainers(service, template);
    const hit = [...containers].filter((c) => c.kind === 'app');
    if (hit.length === 0 && unresolved && app.length === 1 && app[0]) hit.push(app[0]);
    for (const c of hit) targets.set(c, [...(targets.get(c) ?? []), service]);
  }
  return targets;
}
