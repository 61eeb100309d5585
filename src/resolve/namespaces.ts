/**
 * Whether objects that set no namespace belong with the one namespace their related files name
 * (load/namespaces.ts proposes it): only the wiring can show it. An object is moved when it, or an
 * object of its folder, is wired across the two: a name it references exists only in that namespace,
 * its Service selects only pods there, or an object there references it by name or selects its pods.
 */
import { directoryOf } from '../model/paths.js';
import type { Graph } from '../model/graph.js';
import type { KObject } from '../types.js';
import { selectingServices } from './ports.js';
import { references } from './references.js';

export function confirmInferences(graph: Graph, inferable: ReadonlyMap<number, string>): Map<number, string> {
  const proven = new Set<string>();
  const prove = (o: KObject) => proven.add(directoryOf(o.source.path));
  const candidate = (o: KObject) => (o.namespaceSource === 'default' ? inferable.get(o.id) : undefined);
  const named = (o: KObject) => o.namespaceSource === 'explicit' || o.namespaceSource === 'kustomization';
  for (const ref of references(graph)) {
    if (ref.resolution.status === 'found') continue;
    const from = ref.from;
    const x = candidate(from);
    if (
      x !== undefined &&
      ref.target.namespace === 'default' &&
      graph.find(ref.target.kind, x, ref.target.name).length > 0
    )
      prove(from);
    if (named(from) && ref.target.namespace === from.namespace && ref.target.namespace !== null) {
      for (const o of graph.find(ref.target.kind, 'default', ref.target.name))
        if (candidate(o) === from.namespace) prove(o);
    }
  }
  for (const { service, namespace, selector } of selectingServices(graph)) {
    const x = candidate(service);
    if (x !== undefined && graph.selectPods(namespace, selector).length === 0) {
      if (graph.selectPods(x, selector).some((o) => named(o))) prove(service);
    }
    if (named(service) && graph.selectPods(namespace, selector).length === 0) {
      for (const o of graph.selectPods('default', selector)) if (candidate(o) === namespace) prove(o);
    }
  }
  const out = new Map<number, string>();
  if (proven.size === 0) return out;
  for (const o of graph.objects) {
    const x = candidate(o);
    if (x !== undefined && proven.has(directoryOf(o.source.path))) out.set(o.id, x);
  }
  return out;
}
