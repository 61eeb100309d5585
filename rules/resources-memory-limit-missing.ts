import { code, containerSets, defineRule, eachResourceContainer, quotaReport, resourcesAnchor } from '../src/api.js';

export default defineRule({
  id: 'resources-memory-limit-missing',
  category: 'resources',
  severity: 'info',
  strictSeverity: 'warning',
  description: 'Require a memory limit on containers of long-running pods',
  rationale:
    'Memory is not compressible: a container without a memory limit can grow until the node runs out, and ' +
    'then the kernel kills processes of other pods too. With a limit, only the offending container is ' +
    'OOM-killed and restarted. A LimitRange of the namespace (input or `cluster.objects`) with a `default` ' +
    'memory satisfies the rule. It is an error where a ResourceQuota without scopes tracks `limits.memory`: ' +
    'admission rejects pods without the limit, init containers included. Elsewhere init containers and the ' +
    'pods of Jobs and CronJobs are not checked. CPU limits are a separate, disputed matter: see ' +
    '`resources-cpu-limit-missing`.',
  messages: {
    missing:
      '{{container}} has no memory limit: it can use all the memory of its node, and the kernel then kills processes of other pods; set `resources.limits.memory` (or give namespace {{namespace}} a LimitRange with a `default`)',
    quota:
      '{{container}} has no memory limit, but {{quota}} tracks `limits.memory` in its namespace: admission rejects the pod (must specify limits.memory); set `resources.limits.memory` or add a LimitRange `default`',
  },
  check(ctx) {
    eachResourceContainer(ctx.graph, (c) => {
      if (c.resources.defaults.limits.memory !== undefined || containerSets(c.container, 'limits', 'memory')) return;
      const quota = c.resources.mandatory.limits.memory;
      if (quota !== undefined) ctx.report(quotaReport(c, quota, 'quota', {}));
      else if (c.template.longRunning && c.container.kind !== 'init')
        ctx.report({
          object: c.object,
          ...resourcesAnchor(c.container),
          messageId: 'missing',
          data: { container: c.label, namespace: code(c.object.namespace ?? '') },
        });
    });
  },
});
