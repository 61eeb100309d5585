import { asArray, asRecord, containerLabel, defineRule, eachViolation, reportPodSecurity } from '../src/api.js';

export default defineRule({
  id: 'container-privilege-escalation',
  category: 'security',
  severity: 'info',
  description: 'Require allowPrivilegeEscalation: false, and reject it beside privileged or CAP_SYS_ADMIN',
  rationale:
    'Unless `allowPrivilegeEscalation` is false, a process can gain more privileges than its parent ' +
    '(setuid binaries, file capabilities). The `restricted` Pod Security level requires it false on every ' +
    'container of Linux pods (control `allowPrivilegeEscalation`). An explicit `true` is an info, a warning ' +
    'under `podSecurity: restricted`, an error where a namespace enforces `restricted`; leaving it unset ' +
    '(86% of the corpus) is reported only where `restricted` is asked for. Separately, the API server ' +
    'rejects a container that sets it false together with `privileged: true` or an added `CAP_SYS_ADMIN`: ' +
    'that is always an error.',
  messages: {
    allowed: '{{subject}} sets `allowPrivilegeEscalation: true`{{pss}}; set it to false',
    unset: '{{subject}} does not set `allowPrivilegeEscalation: false`{{pss}}; set it',
    conflict:
      '{{subject}} sets `allowPrivilegeEscalation: false` together with {{other}}: the API server rejects the pod; remove one of the two',
  },
  check(ctx) {
    eachViolation(ctx, ['allowPrivilegeEscalation'], (object, v, subject) => {
      reportPodSecurity(ctx, object, v, v.implicit ? 'unset' : 'allowed', { subject });
    });
    for (const object of ctx.graph.withPodTemplates()) {
      for (const container of object.podTemplate?.containers ?? []) {
        const sc = asRecord(container.raw.securityContext);
        if (sc?.allowPrivilegeEscalation !== false) continue;
        const caps = asArray(asRecord(sc.capabilities)?.add);
        const other =
          sc.privileged === true
            ? '`privileged: true`'
            : caps.includes('CAP_SYS_ADMIN')
              ? 'the added capability `CAP_SYS_ADMIN`'
              : undefined;
        if (other === undefined) continue;
        ctx.report({
          object,
          path: [...container.path, 'securityContext', 'allowPrivilegeEscalation'],
          messageId: 'conflict',
          severity: 'error',
          data: {
            subject: containerLabel(object, container),
            other,
          },
        });
      }
    }
  },
});
