import { defineRule, eachViolation, reportPodSecurity } from '../src/api.js';

const WHAT: Record<string, string> = {
  hostNetwork: "share the node's network: they can bind any port of the node and reach what listens on its localhost",
  hostPID: "share the node's process namespace: they see every process of the node and can signal or trace them",
  hostIPC: "share the node's IPC namespace: they can read the shared memory of every process of the node",
};

export default defineRule({
  id: 'pod-host-namespace',
  category: 'security',
  severity: 'warning',
  description: "Disallow pods that share the node's network, process or IPC namespace",
  rationale:
    '`hostNetwork`, `hostPID` and `hostIPC` remove the isolation between the pod and the node. The Pod ' +
    'Security Standards forbid them from the `baseline` level up (control `hostNamespaces`). It is a ' +
    'warning, and an error in a namespace that enforces `baseline` or `restricted`. Node agents (CNI ' +
    'plugins, node exporters, kube-proxy) need them: a DaemonSet is an info unless its namespace or ' +
    '`podSecurity:` asks for `baseline`; suppress others per object.',
  messages: {
    hostNamespace:
      '{{subject}} sets `{{field}}: true`: its pods {{what}}{{pss}}; remove it unless this is a node agent',
  },
  check(ctx) {
    eachViolation(ctx, ['hostNamespaces'], (object, v, subject) => {
      reportPodSecurity(ctx, object, v, 'hostNamespace', { subject, field: v.value, what: WHAT[v.value] ?? '' });
    });
  },
});
