import { defineRule, eachViolation, reportPodSecurity } from '../src/api.js';

export default defineRule({
  id: 'container-privileged',
  category: 'security',
  severity: 'warning',
  description: 'Disallow privileged containers',
  rationale:
    "A privileged container has every Linux capability and access to all of the node's devices: whoever " +
    'controls it controls the node. The Pod Security Standards forbid it from the `baseline` level up ' +
    '(control `privileged`). It is a warning, and an error in a namespace that enforces `baseline` or ' +
    '`restricted` (label `pod-security.kubernetes.io/enforce`), where admission rejects the pod. CNI, ' +
    'CSI and node agents legitimately run privileged: a DaemonSet is an info unless its namespace or ' +
    '`podSecurity:` asks for `baseline`; suppress others per object. Init, sidecar and ' +
    'ephemeral containers are checked like the others, as admission does.',
  messages: {
    privileged:
      '{{container}} runs privileged: it has every capability and all host devices, so whoever controls it controls the node{{pss}}; remove `privileged: true` and add only the capabilities it needs',
  },
  check(ctx) {
    eachViolation(ctx, ['privileged'], (object, v, container) => {
      reportPodSecurity(ctx, object, v, 'privileged', { container });
    });
  },
});
