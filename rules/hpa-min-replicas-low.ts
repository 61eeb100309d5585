import { asNumber, defineRule, get, objectLabel } from '../src/api.js';

export default defineRule({
  id: 'hpa-min-replicas-low',
  category: 'scheduling',
  severity: 'info',
  description: 'Report HorizontalPodAutoscalers that may scale down to a single replica',
  rationale:
    'An autoscaler with `minReplicas: 1` (the default when the field is unset) scales its workload down ' +
    'to one pod when load is low, and that pod is then a single point of failure: a restart, an eviction ' +
    'or a node drain leaves the workload with no ready pod. kube-score, kube-linter and Polaris all check ' +
    'this; kubewire reports it as an info, since a low floor is often chosen on purpose for cost. ' +
    'Autoscalers whose `maxReplicas` is 1 are not reported (they never run more than one pod anyway).',
  messages: {
    low:
      '{{hpa}} may scale down to {{min}}{{unset}}: at low load one restart, eviction or node drain leaves it ' +
      'with no ready pod; set `minReplicas: 2`',
  },
  check(ctx) {
    for (const hpa of ctx.graph.ofKind('HorizontalPodAutoscaler', 'autoscaling')) {
      // What the manifest writes: defaulting fills in minReplicas 1.
      const written = get(hpa.written, 'spec', 'minReplicas');
      const min = written === undefined || written === null ? 1 : asNumber(written);
      const max = asNumber(get(hpa.raw, 'spec', 'maxReplicas'));
      if (min === undefined || min >= 2 || min === 0 || (max !== undefined && max <= 1)) continue;
      ctx.report({
        object: hpa,
        path: written === undefined || written === null ? ['spec', 'maxReplicas'] : ['spec', 'minReplicas'],
        messageId: 'low',
        data: {
          hpa: objectLabel(hpa),
          min: 'a single replica',
          unset: written === undefined || written === null ? ' (minReplicas is unset and defaults to 1)' : '',
        },
      });
    }
  },
});
