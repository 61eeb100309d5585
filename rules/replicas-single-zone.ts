import { REPLICATED_KINDS, defineRule, nameList, objectLabel, schedule, ZONE_LABEL } from '../src/api.js';
import type { KObject, Path, ScheduleResult } from '../src/api.js';

export interface FragilePlacement {
  object: KObject;
  path: Path;
  count: number;
  nodes: Set<string>;
  zones: Set<string>;
  /** Why the other nodes were not used. */
  why: string;
}

/** Replicated workloads with two or more pods, all placed, on a cluster with more than one eligible node. */
export function fragilePlacements(result: ScheduleResult): FragilePlacement[] {
  const byObject = new Map<KObject, { nodes: string[]; failed: boolean }>();
  for (const p of result.pods) {
    const o = p.pod.object;
    if (!REPLICATED_KINDS.has(o.kind) || p.bound) continue;
    let entry = byObject.get(o);
    if (!entry) byObject.set(o, (entry = { nodes: [], failed: false }));
    if (p.node === null) entry.failed = true;
    else entry.nodes.push(p.node);
  }
  const zoneOf = new Map(result.nodes.map((n) => [n.name, n.zone]));
  const schedulable = result.nodes.filter((n) => n.open).length;
  const allZones = new Set(result.nodes.map((n) => n.zone).filter((z): z is string => z !== undefined));
  const out: FragilePlacement[] = [];
  for (const [object, entry] of byObject) {
    if (entry.failed || entry.nodes.length < 2 || schedulable < 2) continue;
    const nodes = new Set(entry.nodes);
    const zones = new Set(entry.nodes.map((n) => zoneOf.get(n) ?? ''));
    const spec = object.podTemplate?.spec ?? {};
    const why =
      spec.nodeSelector !== undefined
        ? 'its nodeSelector narrows the choice'
        : spec.affinity !== undefined
          ? 'its affinity narrows the choice'
          : 'the other nodes are excluded or full';
    out.push({
      object,
      path:
        object.raw.spec !== undefined && (object.raw.spec as Record<string, unknown>).replicas !== undefined
          ? ['spec', 'replicas']
          : ['metadata', 'name'],
      count: entry.nodes.length,
      nodes,
      zones: allZones.size > 1 ? zones : new Set(),
      why,
    });
  }
  return out;
}

export default defineRule({
  id: 'replicas-single-zone',
  category: 'scheduling',
  severity: 'warning',
  description: 'Warn when every replica of a workload lands in one zone of a multi-zone cluster',
  rationale:
    'A cluster spread over several zones survives the loss of one, but only for workloads whose replicas ' +
    'are spread too. When the dry-run scheduler places all replicas of a Deployment, ReplicaSet or ' +
    'StatefulSet on several nodes of a single zone, a zone outage stops the workload. A ' +
    '`topologySpreadConstraints` entry on `' +
    ZONE_LABEL +
    '` keeps them apart.',
  messages: {
    singleZone:
      'all {{count}} replicas of {{workload}} are placed in zone `{{zone}}` (nodes {{nodes}}) although the cluster ' +
      'spans {{zones}} zones: a zone outage stops the workload; spread them with a topologySpreadConstraint on ' +
      ZONE_LABEL,
  },
  check(ctx) {
    const result = schedule(ctx.graph);
    const zones = new Set(result.nodes.map((n) => n.zone).filter((z) => z !== undefined)).size;
    for (const f of fragilePlacements(result)) {
      if (f.nodes.size < 2 || f.zones.size !== 1) continue;
      const zone = [...f.zones][0] ?? '';
      if (zone === '') continue;
      ctx.report({
        object: f.object,
        path: f.path,
        messageId: 'singleZone',
        data: {
          count: f.count,
          workload: objectLabel(f.object),
          zone,
          nodes: nameList([...f.nodes].sort(), 5),
          zones,
        },
      });
    }
  },
});
