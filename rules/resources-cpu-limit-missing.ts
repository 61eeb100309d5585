import { containerSets, defineRule, eachResourceContainer, quotaReport } from '../src/api.js';

export default defineRule({
  id: 'resources-cpu-limit-missing',
  category: 'resources',
  severity: 'error',
  description: 'Require a CPU limit where a ResourceQuota makes it mandatory',
  rationale:
    'Whether every container should have a CPU limit is disputed: a CPU limit throttles a container even ' +
    'when the node is idle, which hurts latency (kube-score #30 and #107 added a flag to skip it, and ' +
    'Checkov, kubescape and Polaris users ask to turn it off). So this rule does not ask for CPU limits in ' +
    'general. It reports only what breaks: a ResourceQuota without scopes that tracks `limits.cpu` makes ' +
    'admission reject every pod whose containers (init containers included) lack a CPU limit, unless a ' +
    'LimitRange of the namespace supplies a `default`.',
  messages: {
    quota:
      '{{container}} has no CPU limit, but {{quota}} tracks `limits.cpu` in its namespace: admission rejects the pod (must specify limits.cpu); set `resources.limits.cpu` or add a LimitRange `default`',
  },
  check(ctx) {
    eachResourceContainer(ctx.graph, (c) => {
      const quota = c.resources.mandatory.limits.cpu;
      if (quota === undefined || c.resources.defaults.limits.cpu !== undefined) return;
      if (!containerSets(c.container, 'limits', 'cpu')) ctx.report(quotaReport(c, quota, 'quota', {}));
    });
  },
});
