import { defineRule, floorReport, replicaFloor, spreadTerms } from '../src/api.js';

export default defineRule({
  id: 'replicas-no-spread',
  category: 'scheduling',
  severity: 'info',
  description: 'Report replicated workloads that neither pod anti-affinity nor a topology spread constraint spreads',
  rationale:
    'Replicas protect against the loss of a node only when they run on different nodes. Without a ' +
    'topologySpreadConstraint or a podAntiAffinity term, the scheduler spreads them only as a soft ' +
    'preference among its scores, and on a busy or small cluster several replicas, or all of them, can ' +
    'land on one node. Hence an info, not a warning: the default spreading often works. Workloads with ' +
    'at least two replicas (or an HPA whose minReplicas is at least two) are checked; topology spread ' +
    'constraints count as spreading (kube-linter reported them until 2024, kube-score still does), and so ' +
    'does any anti-affinity term, on any topology key. A term whose selector does not match the ' +
    "workload's own pods is `spread-selector-mismatch`'s finding, not this one's. Where a cluster is " +
    'declared, `replicas-single-node` and `replicas-single-zone` report the placement itself.',
  messages: {
    noSpread:
      '{{workload}} runs {{replicas}}{{autoscaled}} but nothing spreads them: the scheduler may put them on ' +
      'one node, and one node failure or drain stops them all; add a topologySpreadConstraint on ' +
      '`kubernetes.io/hostname` (and `topology.kubernetes.io/zone`) with a labelSelector matching its pods',
  },
  check(ctx) {
    for (const workload of ctx.graph.withPodTemplates()) {
      const floor = replicaFloor(ctx.graph, workload);
      if (floor === undefined || floor.replicas < 2 || spreadTerms(workload).length > 0) continue;
      const { path, data, related } = floorReport(workload, floor);
      ctx.report({ object: workload, path, messageId: 'noSpread', data, related });
    }
  },
});
