import { defineRule, eachViolation, reportPodSecurity } from '../src/api.js';

export default defineRule({
  id: 'host-port',
  category: 'security',
  severity: 'warning',
  description: 'Disallow container ports bound to a port of the node (hostPort)',
  rationale:
    'A `hostPort` opens a port on the node itself, bypassing NetworkPolicies that only see pod traffic, ' +
    'and two pods with the same hostPort cannot run on one node, so replicas beyond the node count stay ' +
    'Pending. The Pod Security Standards forbid any non-zero hostPort from the `baseline` level up ' +
    '(control `hostPorts`). It is a warning, and an error where a namespace enforces `baseline`. ' +
    'Node agents (DaemonSets) are infos unless their namespace or `podSecurity:` asks for `baseline`; ' +
    'ingress controllers on bare metal use it on purpose: suppress those per object.',
  messages: {
    hostPort:
      '{{container}} binds port {{port}} of the node (`hostPort`): it bypasses NetworkPolicies and only one such pod fits per node{{pss}}; expose it through a Service instead',
  },
  check(ctx) {
    eachViolation(ctx, ['hostPorts'], (object, v, container) => {
      reportPodSecurity(ctx, object, v, 'hostPort', { container, port: v.value });
    });
  },
});
