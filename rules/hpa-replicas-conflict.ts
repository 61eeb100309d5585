import {
  REPLICATED_KINDS,
  asNumber,
  code,
  defineRule,
  get,
  listOf,
  objectLabel,
  pushTo,
  references,
} from '../src/api.js';
import type { KObject, Reference } from '../src/api.js';

export default defineRule({
  id: 'hpa-replicas-conflict',
  category: 'wiring',
  severity: 'warning',
  description: 'Disallow `spec.replicas` on a workload that a HorizontalPodAutoscaler scales',
  rationale:
    'A HorizontalPodAutoscaler owns the replica count of its target. When the manifest also writes ' +
    '`spec.replicas`, every `kubectl apply` (or GitOps sync) sets the count back to that number: a ' +
    'workload scaled up under load drops to the manifest value until the autoscaler notices, and one ' +
    'scaled down jumps back up. The HPA is matched to its target by kind, namespace and name, as ' +
    '`hpa-target-missing` does, and only in related files (one application). A workload without ' +
    '`spec.replicas` is not reported (the API server defaults it to 1 only when the object is created), ' +
    'nor one scaled by another autoscaler such as a KEDA ScaledObject, which the input does not show the ' +
    'same way. Autoscalers with one identity in alternative variants are versions of one object: it is ' +
    'named once, with the replica range of each version.',
  messages: {
    conflict:
      '{{workload}} sets `replicas: {{replicas}}`, but {{hpa}} {{verb}} it ({{range}}): every apply resets ' +
      'the replica count to {{replicas}} until the autoscaler corrects it; remove `spec.replicas` and let ' +
      'the autoscaler own it',
  },
  check(ctx) {
    // One finding per workload, naming every autoscaler of related files that scales it.
    const byWorkload = new Map<KObject, Reference[]>();
    for (const ref of references(ctx.graph)) {
      if (ref.type !== 'scales' || ref.resolution.status !== 'found' || !REPLICATED_KINDS.has(ref.target.kind))
        continue;
      for (const workload of ref.resolution.objects) {
        if (!ctx.graph.related(ref.from.source.path, workload.source.path)) continue;
        pushTo(byWorkload, workload, ref);
      }
    }
    for (const [workload, refs] of byWorkload) {
      // What the manifest writes, not what defaulting filled in.
      const written = get(workload.written, 'spec', 'replicas');
      if (written === undefined || written === null) continue;
      // Two autoscalers with one identity are versions of one object (variants, or a file and its copy):
      // only one can exist in a cluster, so it is named once, with each version's range.
      const byIdentity = new Map<string, { label: string; ranges: string[] }>();
      for (const ref of refs) {
        const min = asNumber(get(ref.from.raw, 'spec', 'minReplicas')) ?? 1;
        const max = asNumber(get(ref.from.raw, 'spec', 'maxReplicas'));
        const range = `minReplicas ${String(min)}${max !== undefined ? `, maxReplicas ${String(max)}` : ''}`;
        const identity = `${ref.from.kind}/${ref.from.namespace ?? ''}/${ref.from.name}`;
        const entry = byIdentity.get(identity) ?? { label: objectLabel(ref.from), ranges: [] };
        if (!entry.ranges.includes(range)) entry.ranges.push(range);
        byIdentity.set(identity, entry);
      }
      const autoscalers = [...byIdentity.values()];
      ctx.report({
        object: workload,
        path: ['spec', 'replicas'],
        messageId: 'conflict',
        data: {
          workload: objectLabel(workload),
          replicas: typeof written === 'number' || typeof written === 'string' ? String(written) : '?',
          hpa: listOf(autoscalers.map((a) => a.label)),
          verb: autoscalers.length === 1 ? 'scales' : 'scale',
          range: autoscalers.map((a) => a.ranges.join(' or ')).join('; '),
        },
        related: refs.map((ref) => ({
          object: ref.from,
          path: ref.path,
          message: `${objectLabel(ref.from)} scales ${code(workload.name)}`,
        })),
      });
    }
  },
});
