import { defineRule, isKustomizePatch, isRecord, objectLabel } from '../src/api.js';

export default defineRule({
  id: 'pdb-unhealthy-eviction-policy',
  category: 'practice',
  severity: 'info',
  preset: 'all',
  description: 'Report PodDisruptionBudgets without unhealthyPodEvictionPolicy',
  rationale:
    'By default (`IfHealthyBudget`) a pod that is Running but not Ready can be evicted only while the ' +
    'budget is met, so an application stuck unready (a crash loop, a bad rollout) blocks node drains ' +
    'until someone deletes its pods by hand. `unhealthyPodEvictionPolicy: AlwaysAllow` (GA in 1.31) lets ' +
    'drains evict pods that are not ready anyway. kube-linter turned this check on by default in 2024, ' +
    'but which policy is right depends on whether the application can lose unready pods (a quorum ' +
    'store recovering may be unready and still need its data), and no PDB in the corpus sets the field: ' +
    'it is an opinion, on only in `kubewire:all`.',
  messages: {
    missing:
      '{{pdb}} sets no `unhealthyPodEvictionPolicy`: its pods that are running but not ready block node drains while the budget is not met; set `unhealthyPodEvictionPolicy: AlwaysAllow` unless unready pods must be kept',
  },
  check(ctx) {
    for (const pdb of ctx.graph.ofKind('PodDisruptionBudget', 'policy')) {
      const spec = pdb.raw.spec;
      if (!isRecord(spec) || spec.unhealthyPodEvictionPolicy !== undefined || isKustomizePatch(ctx, pdb)) continue;
      ctx.report({ object: pdb, path: ['spec'], key: true, messageId: 'missing', data: { pdb: objectLabel(pdb) } });
    }
  },
});
