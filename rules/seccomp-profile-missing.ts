import { code, defineRule, eachViolation, reportPodSecurity } from '../src/api.js';

export default defineRule({
  id: 'seccomp-profile-missing',
  category: 'security',
  severity: 'info',
  description: 'Require a seccomp profile (RuntimeDefault or Localhost) and disallow Unconfined',
  rationale:
    'Seccomp filters the system calls a container may make. An explicit `Unconfined` profile turns it off: ' +
    'the Pod Security `baseline` level forbids it (control `seccompProfile_baseline`), a warning, or an ' +
    'error where a namespace enforces it. The `restricted` level requires `RuntimeDefault` or `Localhost` ' +
    'on the pod or on every container (control `seccompProfile_restricted`, Linux pods). Leaving it unset ' +
    'is what 95% of manifests do, and kubelets started with `--seccomp-default` apply RuntimeDefault ' +
    'anyway, so an unset profile is reported only where `restricted` is asked for (a namespace label or ' +
    '`podSecurity: restricted`).',
  messages: {
    unconfined:
      '{{subject}} sets the seccomp profile `Unconfined`: every system call is allowed{{pss}}; use `RuntimeDefault`',
    annotation:
      'the annotation {{value}} of {{subject}} turns seccomp off{{pss}}; use `securityContext.seccompProfile.type: RuntimeDefault`',
    invalid: '{{subject}} sets the seccomp profile {{value}}{{pss}}; use `RuntimeDefault` or `Localhost`',
    missing:
      '{{subject}} has no seccomp profile, and neither has its pod{{pss}}; set `securityContext.seccompProfile.type: RuntimeDefault` on the pod',
  },
  check(ctx) {
    eachViolation(ctx, ['seccompProfile_baseline', 'seccompProfile_restricted'], (object, v, subject) => {
      const id =
        v.control === 'seccompProfile_baseline'
          ? v.variant === 'annotation'
            ? 'annotation'
            : 'unconfined'
          : v.implicit
            ? 'missing'
            : 'invalid';
      reportPodSecurity(ctx, object, v, id, { subject, value: code(v.value) });
    });
  },
});
