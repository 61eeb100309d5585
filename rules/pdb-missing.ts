import {
  defineRule,
  floorReport,
  get,
  namespaceLabel,
  parseLabelSelector,
  replicaFloor,
  selectsTemplate,
} from '../src/api.js';

export default defineRule({
  id: 'pdb-missing',
  category: 'scheduling',
  severity: 'info',
  description: 'Report replicated workloads that no PodDisruptionBudget protects',
  rationale:
    'Node drains (cluster upgrades, autoscaler scale-downs, maintenance) evict pods through the eviction ' +
    'API, which respects PodDisruptionBudgets. Without one, a drain may evict every replica of a workload ' +
    'at once, and the service is down until they are rescheduled and ready. Only workloads with at least ' +
    'two replicas (or an HPA whose minReplicas is at least two) are checked: a budget for a single ' +
    'replica can only block drains. A budget counts when its selector, with real selector semantics, ' +
    "matches the workload's pod template in its namespace (kube-score requires a budget for any " +
    'Deployment, Polaris accepts any budget sharing one label). It is an info: many teams rely on ' +
    'replicas and readiness alone, and the input may not hold the budgets a platform adds.',
  messages: {
    missing:
      '{{workload}} runs {{replicas}}{{autoscaled}}, but no PodDisruptionBudget of {{namespace}} selects its ' +
      'pods: a node drain may evict them all at once; add a PodDisruptionBudget with `maxUnavailable: 1` ' +
      'and a selector matching its pod labels',
  },
  check(ctx) {
    for (const workload of ctx.graph.withPodTemplates()) {
      const template = workload.podTemplate;
      const ns = workload.namespace;
      if (template === undefined || ns === null) continue;
      const floor = replicaFloor(ctx.graph, workload);
      if (floor === undefined || floor.replicas < 2) continue;
      const covered = ctx.graph.inNamespace('PodDisruptionBudget', ns).some((pdb) => {
        const { selector } = parseLabelSelector(get(pdb.raw, 'spec', 'selector'));
        // An unreadable selector gets the benefit of the doubt.
        return selector === undefined || selectsTemplate(selector, template);
      });
      if (covered) continue;
      const { path, data, related } = floorReport(workload, floor);
      ctx.report({
        object: workload,
        path,
        messageId: 'missing',
        data: { ...data, namespace: namespaceLabel(ns) },
        related,
      });
    }
  },
});
