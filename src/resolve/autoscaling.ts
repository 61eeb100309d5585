/** Who sets a workload's replica count: the HorizontalPodAutoscalers (and other autoscalers) that scale it. */
import type { Graph } from '../model/graph.js';
import { asNumber, asString, get, isRecord } from '../model/values.js';
import type { KObject } from '../types.js';
import { references } from './references.js';

export interface Autoscaling {
  /** The lowest minReplicas among the HPAs of the input that scale the workload, and that HPA. */
  min: { replicas: number; hpa: KObject } | undefined;
  /** The highest maxReplicas among them. */
  max: number | undefined;
  /** Another autoscaler (a KEDA ScaledObject…) scales it: its replica count is unknown. */
  other: boolean;
}

interface Index {
  hpas: Map<number, { min: { replicas: number; hpa: KObject } | undefined; max: number | undefined }>;
  /** "namespace/name" of the workloads other autoscalers scale. */
  other: Set<string>;
}

function index(graph: Graph): Index {
  return graph.memo('autoscaling:index', () => {
    const hpas: Index['hpas'] = new Map();
    for (const ref of references(graph)) {
      if (ref.type !== 'scales' || ref.resolution.status !== 'found') continue;
      const min = asNumber(get(ref.from.raw, 'spec', 'minReplicas')) ?? 1;
      const max = asNumber(get(ref.from.raw, 'spec', 'maxReplicas'));
      for (const target of ref.resolution.objects) {
        const known = hpas.get(target.id) ?? { min: undefined, max: undefined };
        if (known.min === undefined || min < known.min.replicas) known.min = { replicas: min, hpa: ref.from };
        if (max !== undefined) known.max = Math.max(max, known.max ?? 0);
        hpas.set(target.id, known);
      }
    }
    const other = new Set<string>();
    for (const o of graph.objects) {
      if (o.kind === 'HorizontalPodAutoscaler') continue;
      const target = get(o.raw, 'spec', 'scaleTargetRef');
      const name = isRecord(target) ? asString(target.name) : undefined;
      if (name !== undefined) other.add(`${o.namespace ?? ''}/${name}`);
    }
    return { hpas, other };
  });
}

export function autoscalingOf(graph: Graph, workload: KObject): Autoscaling {
  const i = index(graph);
  const hpa = i.hpas.get(workload.id);
  return { min: hpa?.min, max: hpa?.max, other: i.other.has(`${workload.namespace ?? ''}/${workload.name}`) };
}
