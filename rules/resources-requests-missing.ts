import { code, containerSets, defineRule, eachResourceContainer, quotaReport, resourcesAnchor } from '../src/api.js';
import type { ComputeResource } from '../src/api.js';

export default defineRule({
  id: 'resources-requests-missing',
  category: 'resources',
  severity: 'info',
  strictSeverity: 'warning',
  description: 'Require CPU and memory requests on containers of long-running pods',
  rationale:
    'The scheduler places pods by their requests. A container without a memory or CPU request reserves ' +
    'nothing: nodes get overcommitted, the pod is the first evicted under memory pressure (BestEffort or ' +
    'Burstable QoS), and autoscalers that work from requests cannot size it. A limit counts as a request ' +
    '(the API defaults the request to the limit), and so does a LimitRange of the namespace (in the input ' +
    'or declared in `cluster.objects`) with a `defaultRequest` or `default` for the resource. It is an ' +
    'error where a ResourceQuota of the namespace tracks `cpu`/`requests.cpu` or `memory`/`requests.memory` ' +
    'without scopes: admission then rejects every pod that lacks the request, init containers included. ' +
    'Elsewhere init containers and the pods of Jobs and CronJobs are not checked (they run briefly), and ' +
    'ephemeral containers cannot have resources.',
  messages: {
    missing:
      '{{container}} has no {{what}} request: the scheduler reserves nothing for it, nodes get overcommitted and it is among the first pods evicted; set `resources.requests` (or give namespace {{namespace}} a LimitRange with `defaultRequest`)',
    quota:
      '{{container}} has no {{resource}} request, but {{quota}} tracks `{{key}}` in its namespace: admission rejects the pod (must specify requests.{{resource}}); set `resources.requests.{{resource}}` or add a LimitRange with `defaultRequest`',
  },
  check(ctx) {
    eachResourceContainer(ctx.graph, (c) => {
      const missing: ComputeResource[] = [];
      for (const r of ['cpu', 'memory'] as const) {
        if (containerSets(c.container, 'requests', r) || c.resources.defaults.requests[r] !== undefined) continue;
        const quota = c.resources.mandatory.requests[r];
        if (quota !== undefined) ctx.report(quotaReport(c, quota, 'quota', { resource: r }));
        else missing.push(r);
      }
      if (missing.length === 0 || !c.template.longRunning || c.container.kind === 'init') return;
      ctx.report({
        object: c.object,
        ...resourcesAnchor(c.container),
        messageId: 'missing',
        data: {
          container: c.label,
          what: missing.length === 2 ? 'CPU or memory' : missing[0] === 'cpu' ? 'CPU' : 'memory',
          namespace: code(c.object.namespace ?? ''),
        },
      });
    });
  },
});
