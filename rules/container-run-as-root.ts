import { defineRule, eachViolation, reportPodSecurity } from '../src/api.js';

export default defineRule({
  id: 'container-run-as-root',
  category: 'security',
  severity: 'info',
  description: 'Require containers to run as a non-root user',
  rationale:
    'A process running as root in a container is root on the node if it escapes. The `restricted` Pod ' +
    'Security level requires `runAsNonRoot: true` on the pod or every container (control `runAsNonRoot`) ' +
    'and forbids `runAsUser: 0` (control `runAsUser`, since 1.23); since 1.35 both are waived for pods ' +
    'with `hostUsers: false` (user namespaces). Explicit root (`runAsUser: 0`, `runAsNonRoot: false`) is ' +
    'an info, a warning under `podSecurity: restricted`, an error where a namespace enforces ' +
    '`restricted`. A container that merely leaves `runAsNonRoot` unset (83% of the corpus) is reported ' +
    "only where `restricted` is asked for: the image's own USER is unknowable from the manifest. The " +
    'rule does not ask for a UID above 10000, a disputed convention.',
  messages: {
    user: '{{subject}} runs as root (`runAsUser: 0`){{pss}}; run as a non-zero UID and set `runAsNonRoot: true`',
    nonRootFalse: '{{subject}} sets `runAsNonRoot: false`{{pss}}; set it to true and run as a non-zero UID',
    missing:
      '{{subject}} may run as root: neither it nor its pod sets `runAsNonRoot: true`{{pss}}; set it (and `runAsUser` to a non-zero UID if the image runs as root)',
  },
  check(ctx) {
    eachViolation(ctx, ['runAsNonRoot', 'runAsUser'], (object, v, subject) => {
      const id = v.control === 'runAsUser' ? 'user' : v.implicit ? 'missing' : 'nonRootFalse';
      reportPodSecurity(ctx, object, v, id, { subject });
    });
  },
});
