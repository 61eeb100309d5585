import { defineRule, reportSchemaIssues } from '../src/api.js';

export default defineRule({
  id: 'api-removed',
  category: 'schema',
  severity: 'error',
  description: 'Report objects whose apiVersion the targeted Kubernetes version no longer serves',
  rationale:
    'Kubernetes removes beta APIs a few releases after their replacement ships (`extensions/v1beta1` ' +
    'Deployments in 1.16, `networking.k8s.io/v1beta1` Ingress in 1.22, `batch/v1beta1` CronJob and ' +
    '`policy/v1beta1` PodDisruptionBudget in 1.25, `autoscaling/v2beta2` in 1.26, flowcontrol ' +
    '`v1beta3` in 1.32…): applying such a manifest fails with `no matches for kind`. The table comes ' +
    'from the Kubernetes deprecation guide and is exact for every version. Where the replacement ' +
    'has the same fields, the object is also validated against it, so that its other mistakes show ' +
    'up now rather than after the migration.',
  messages: {
    removed:
      '`{{apiVersion}}` {{kind}} was removed in Kubernetes {{removedIn}} (target: {{version}}){{replacement}}{{note}}',
    gone:
      '`{{apiVersion}}` {{kind}} is not served by Kubernetes {{version}} ' +
      '(the bundled schemas have it up to {{last}}){{alternative}}',
  },
  check(ctx) {
    reportSchemaIssues(ctx, 'api-removed');
  },
});
