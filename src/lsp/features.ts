/**
 * What the editor asks about a position: hover, definition, references, symbols. Every answer reads
 * the edges the core resolved (references(), selectPods(), the port resolvers), never a copy of them.
 */
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import { rangeToPositions } from '../load/source.js';
import type { Graph } from '../model/graph.js';
import { podCount } from '../model/k8s.js';
import { locate } from '../model/locate.js';
import { code, containerLabel, objectLabel, plural, portLabel, portList, suggestion } from '../model/phrase.js';
import { asArray, asString, get, isRecord } from '../model/values.js';
import { explainNoMatch } from '../resolve/near-miss.js';
import { findContainerPort, resolveProbePort, selectingServices } from '../resolve/ports.js';
import { ingressBackends, references } from '../resolve/references.js';
import type { Reference } from '../resolve/references.js';
import { formatSelector, parseEqualitySelector, parseLabelSelector } from '../resolve/selectors.js';
import type { Selector } from '../resolve/selectors.js';
import type { ContainerInfo, ContainerPort, KObject, Path, Source } from '../types.js';

/** A place in a file: the source's path and 1-based positions (end exclusive). */
export interface Place {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface At {
  object: KObject;
  /** Path inside the object (without its basePath) of the deepest node at the offset. */
  path: (string | number)[];
  /** The offset is on a mapping key rather than its value. */
  onKey: boolean;
}

function contains(node: Node | null | undefined, offset: number): boolean {
  const r = node?.range;
  return r !== undefined && r !== null && offset >= r[0] && offset <= r[1];
}

function nodeAt(object: KObject): Node | null | undefined {
  let node = object.document.yaml().contents as Node | null;
  for (const segment of object.basePath) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      node = (pair?.value ?? null) as Node | null;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = (node.items[segment] ?? null) as Node | null;
    } else return null;
  }
  return node;
}

/** The object of a source at an offset, and the path inside it. */
export function objectAt(graph: Graph, source: Source, offset: number): At | undefined {
  for (const object of objectsOf(graph, source)) {
    let node = nodeAt(object);
    if (!contains(node, offset)) continue;
    const path: (string | number)[] = [];
    let onKey = false;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && (contains(p.key as Node | null, offset) || contains(p.value as Node | null, offset)),
        );
        if (!pair || !isScalar(pair.key)) break;
        path.push(String(pair.key.value));
        if (contains(pair.key, offset) && !contains(pair.value as Node | null, offset)) {
          onKey = true;
          break;
        }
        node = pair.value as Node | null;
      } else if (isSeq(node)) {
        const i = node.items.findIndex((item) => contains(item as Node | null, offset));
        if (i === -1) break;
        path.push(i);
        node = node.items[i] as Node | null;
      } else break;
    }
    return { object, path, onKey };
  }
  return undefined;
}

export function objectsOf(graph: Graph, source: Source): KObject[] {
  return graph.objects.filter((o) => o.source === source);
}

export function place(object: KObject, path: Path, key = false): Place {
  const located = locate(object.document, [...object.basePath, ...path], { key });
  return { file: object.source.path, ...rangeToPositions(object.source, located.range) };
}

/** Where an object is defined: its `metadata.name` (or its first line when it has none). */
export function definitionPlace(object: KObject): Place {
  return place(object, object.name === '' ? [] : ['metadata', 'name']);
}

function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && a.every((s, i) => String(s) === String(b[i]));
}

function startsWith(path: Path, prefix: Path): boolean {
  return prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));
}

function where(p: Place): string {
  return `\`${p.file}:${p.line}\``;
}

// ---------------------------------------------------------------------------------------------
// What is at a position

/** A reference by name whose field is at the path. */
function referenceAt(graph: Graph, at: At): Reference | undefined {
  return references(graph).find((r) => r.from === at.object && samePath(r.path, at.path));
}

interface SelectorAt {
  selector: Selector;
  namespace: string;
  /** Path of the selector field. */
  path: Path;
}

/** The pod selector the path is inside: a Service's, a workload's, a PDB's or a NetworkPolicy's. */
function selectorAt(at: At): SelectorAt | undefined {
  const o = at.object;
  if (o.namespace === null) return undefined;
  const candidates: [Path, () => Selector | undefined][] = [];
  if (o.kind === 'Service' && o.group === '')
    candidates.push([['spec', 'selector'], () => parseEqualitySelector(get(o.raw, 'spec', 'selector'))]);
  else if (o.kind === 'NetworkPolicy')
    candidates.push([
      ['spec', 'podSelector'],
      () => parseLabelSelector(get(o.raw, 'spec', 'podSelector') ?? {}).selector,
    ]);
  else if (o.kind === 'PodDisruptionBudget' || (o.podTemplate !== undefined && o.kind !== 'Pod'))
    candidates.push([['spec', 'selector'], () => parseLabelSelector(get(o.raw, 'spec', 'selector')).selector]);
  for (const [path, read] of candidates) {
    if (!startsWith(at.path, path)) continue;
    const selector = read();
    if (selector !== undefined && selector.requirements.length > 0) return { selector, namespace: o.namespace, path };
  }
  return undefined;
}

/** The containers and declared ports a Service port (its targetPort, or its port) reaches. */
function servicePortTargets(
  graph: Graph,
  service: KObject,
  entry: Record<string, unknown>,
): { workload: KObject; container: ContainerInfo; port: ContainerPort }[] {
  const selector = parseEqualitySelector(get(service.raw, 'spec', 'selector'));
  if (selector === undefined || selector.requirements.length === 0 || service.namespace === null) return [];
  const target = entry.targetPort ?? entry.port;
  const value = typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : target;
  if (typeof value !== 'string' && typeof value !== 'number') return [];
  const protocol = asString(entry.protocol) ?? 'TCP';
  const out = [];
  for (const workload of graph.selectPods(service.namespace, selector, service)) {
    for (const container of workload.podTemplate?.containers ?? []) {
      if (container.kind !== 'app' && container.kind !== 'sidecar') continue;
      const port = findContainerPort(container, value, protocol);
      if (port) out.push({ workload, container, port });
    }
  }
  return out;
}

/** The Service port entry an Ingress backend port names (by number or name). */
function backendServicePort(
  graph: Graph,
  ingress: KObject,
  at: At,
): { service: KObject; index: number; entry: Record<string, unknown> } | { missing: string } | undefined {
  const backend = ingressBackends(ingress).find((b) => b.port !== undefined && samePath(b.port.path, at.path));
  if (!backend?.port || ingress.namespace === null) return undefined;
  const service = graph.find('Service', ingress.namespace, backend.service)[0];
  if (!service) return { missing: `Service ${code(backend.service)} is not in the input` };
  const value = backend.port.value;
  const entries = asArray(get(service.raw, 'spec', 'ports'));
  const index = entries.findIndex((e) =>
    typeof value === 'number' ? get(e, 'port') === value : asString(get(e, 'name')) === value,
  );
  const entry = entries[index];
  if (!isRecord(entry)) return { missing: `${objectLabel(service)} has no port ${code(value)}` };
  return { service, index, entry };
}

interface ProbeAt {
  container: ContainerInfo;
  value: unknown;
}

function probePortAt(at: At): ProbeAt | undefined {
  const template = at.object.podTemplate;
  if (!template) return undefined;
  for (const container of template.containers) {
    if (!startsWith(at.path, container.path)) continue;
    const rest = at.path.slice(container.path.length);
    if (
      rest.length === 3 &&
      ['readinessProbe', 'livenessProbe', 'startupProbe'].includes(String(rest[0])) &&
      ['httpGet', 'tcpSocket', 'grpc'].includes(String(rest[1])) &&
      rest[2] === 'port'
    )
      return { container, value: get(container.raw, ...rest) };
  }
  return undefined;
}

/** The workloads a selector selects, each with its pod count. */
function describeSelection(graph: Graph, at: At, s: SelectorAt): string {
  const selected = graph.selectPods(s.namespace, s.selector, at.object).filter((o) => o !== at.object);
  const head = `**Selector** \`${formatSelector(s.selector)}\` in namespace \`${s.namespace}\``;
  if (selected.length === 0) {
    const near = explainNoMatch(graph, s.namespace, s.selector, at.object);
    const why = near ? `: ${near.explanation} (${where(place(near.object, near.path))})` : '.';
    return `${head}\n\nMatches no pods of the input${why}`;
  }
  const lines = selected.map((o) => {
    const count = podCount(o.kind, o.raw);
    const pods = count === undefined ? '' : count === 'per-node' ? ' (one pod per node)' : ` (${plural(count, 'pod')})`;
    return `- ${objectLabel(o)}${pods}: ${where(definitionPlace(o))}`;
  });
  return `${head}\n\nMatches the pods of ${plural(selected.length, 'workload')}:\n${lines.join('\n')}`;
}

function describeReference(ref: Reference): string {
  const label = objectLabel(ref.target);
  const head = `**${label}** (${ref.via}${ref.optional ? ', optional' : ''})`;
  const r = ref.resolution;
  if (r.status === 'found')
    return `${head}\n\nDefined in ${r.objects.map((o) => where(definitionPlace(o))).join(', ')}`;
  if (r.status === 'declared') return `${head}\n\nNot in the input; declared to exist in the cluster.`;
  return `${head}\n\nNot defined in the input${r.suggestion !== undefined ? suggestion(r.suggestion) : '.'}`;
}

function describePortTargets(targets: ReturnType<typeof servicePortTargets>, what: string): string {
  if (targets.length === 0) return `${what} reaches no declared container port of the selected pods.`;
  return `${what} resolves to:\n${targets
    .map((t) => `- port \`${portLabel(t.port)}\` of ${containerLabel(t.workload, t.container)}`)
    .join('\n')}`;
}

/** Markdown for a hover at the position, or undefined when kubewire has nothing to say there. */
export function hover(graph: Graph, at: At): string | undefined {
  const ref = referenceAt(graph, at);
  if (ref) return describeReference(ref);
  const o = at.object;
  if (o.kind === 'Service' && at.path[0] === 'spec' && at.path[1] === 'ports' && typeof at.path[2] === 'number') {
    const entry = get(o.raw, 'spec', 'ports', at.path[2]);
    if (isRecord(entry) && (at.path[3] === 'targetPort' || at.path[3] === 'port'))
      return describePortTargets(servicePortTargets(graph, o, entry), `Port ${code(String(entry.port))}`);
  }
  if (o.kind === 'Ingress') {
    const hit = backendServicePort(graph, o, at);
    if (hit && 'missing' in hit) return hit.missing;
    if (hit)
      return describePortTargets(
        servicePortTargets(graph, hit.service, hit.entry),
        `${objectLabel(hit.service)} port ${code(String(hit.entry.port))}`,
      );
  }
  const probe = probePortAt(at);
  if (probe && o.podTemplate) {
    const r = resolveProbePort(o.podTemplate, probe.container, probe.value);
    const who = containerLabel(o, probe.container);
    switch (r.status) {
      case 'ok':
        return r.port
          ? `Resolves to port \`${portLabel(r.port)}\` of ${who}`
          : `Port ${code(String(probe.value))}: not declared by ${who}, which is allowed for a number`;
      case 'named-missing':
        return `${who} declares no port named ${code(r.name)} (its ports: ${portList(probe.container.ports)})`;
      case 'numeric-undeclared':
        return `No container of ${objectLabel(o)} declares port ${r.port}`;
      default:
        return undefined;
    }
  }
  const selector = selectorAt(at);
  if (selector) return describeSelection(graph, at, selector);
  if (samePath(at.path, ['metadata', 'name'])) return describeUses(graph, o);
  return undefined;
}

function describeUses(graph: Graph, object: KObject): string {
  const uses = usesOf(graph, object);
  const head = `**${objectLabel(object)}**`;
  if (uses.length === 0) return `${head}\n\nNothing in the input refers to it.`;
  return `${head}\n\nUsed by:\n${uses.map((u) => `- ${u.text}: ${where(u.place)}`).join('\n')}`;
}

/** Everything that points at an object: references by name and selectors that match its pods. */
function usesOf(graph: Graph, object: KObject): { text: string; place: Place }[] {
  const out: { text: string; place: Place }[] = [];
  for (const r of references(graph)) {
    if (r.type === 'in-namespace' && object.kind !== 'Namespace') continue;
    if (r.resolution.status === 'found' && r.resolution.objects.includes(object))
      out.push({ text: `${objectLabel(r.from)} (${r.via})`, place: place(r.from, r.path) });
  }
  if (object.podTemplate !== undefined && object.namespace !== null) {
    const selecting: [KObject, Path, Selector | undefined][] = selectingServices(graph).map((s) => [
      s.service,
      ['spec', 'selector'],
      s.selector,
    ]);
    for (const p of graph.ofKind('PodDisruptionBudget'))
      selecting.push([p, ['spec', 'selector'], parseLabelSelector(get(p.raw, 'spec', 'selector')).selector]);
    for (const n of graph.ofKind('NetworkPolicy'))
      selecting.push([n, ['spec', 'podSelector'], parseLabelSelector(get(n.raw, 'spec', 'podSelector')).selector]);
    for (const [from, path, selector] of selecting) {
      if (selector === undefined || selector.requirements.length === 0 || from.namespace !== object.namespace) continue;
      if (graph.selectPods(object.namespace, selector, from).includes(object))
        out.push({ text: `${objectLabel(from)} (selector)`, place: place(from, path) });
    }
  }
  return out;
}

/** Where the thing at the position is defined. */
export function definition(graph: Graph, at: At): Place[] {
  const ref = referenceAt(graph, at);
  if (ref) return ref.resolution.status === 'found' ? ref.resolution.objects.map(definitionPlace) : [];
  const o = at.object;
  const portPlaces = (targets: ReturnType<typeof servicePortTargets>) =>
    targets.map((t) => place(t.workload, t.port.path));
  if (o.kind === 'Service' && at.path[0] === 'spec' && at.path[1] === 'ports' && typeof at.path[2] === 'number') {
    const entry = get(o.raw, 'spec', 'ports', at.path[2]);
    if (isRecord(entry) && (at.path[3] === 'targetPort' || at.path[3] === 'port'))
      return portPlaces(servicePortTargets(graph, o, entry));
  }
  if (o.kind === 'Ingress') {
    const hit = backendServicePort(graph, o, at);
    if (hit && !('missing' in hit)) return [place(hit.service, ['spec', 'ports', hit.index])];
  }
  const probe = probePortAt(at);
  if (probe && o.podTemplate) {
    const r = resolveProbePort(o.podTemplate, probe.container, probe.value);
    return r.status === 'ok' && r.port ? [place(o, r.port.path)] : [];
  }
  const selector = selectorAt(at);
  if (selector)
    return graph
      .selectPods(selector.namespace, selector.selector, o)
      .filter((w) => w !== o && w.podTemplate !== undefined)
      .map((w) => place(w, [...(w.podTemplate?.path ?? []), 'metadata', 'labels']));
  return [];
}

/** Who uses the object at the position (and, when asked, its own definition). */
export function referencesOf(graph: Graph, at: At, includeDeclaration: boolean): Place[] {
  const uses = usesOf(graph, at.object).map((u) => u.place);
  return includeDeclaration ? [definitionPlace(at.object), ...uses] : uses;
}

export interface ObjectSymbol {
  name: string;
  kind: string;
  range: Place;
  selection: Place;
}

/** One symbol per object: `Kind namespace/name`. */
export function symbols(graph: Graph, source: Source): ObjectSymbol[] {
  return objectsOf(graph, source).map((o) => {
    const node = nodeAt(o);
    const r = node?.range;
    const range: Place = r ? { file: source.path, ...rangeToPositions(source, [r[0], r[1]]) } : place(o, []);
    const name = o.name === '' ? '(unnamed)' : o.namespace !== null ? `${o.namespace}/${o.name}` : o.name;
    return { name: `${o.kind} ${name}`, kind: o.kind, range, selection: definitionPlace(o) };
  });
}
