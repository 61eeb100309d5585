import { code, defineRule, eachViolation, nameList, reportPodSecurity } from '../src/api.js';
import type { KObject, PodSecurityViolation } from '../src/api.js';

export default defineRule({
  id: 'container-capabilities-dangerous',
  category: 'security',
  severity: 'warning',
  description: 'Disallow adding Linux capabilities beyond the Pod Security baseline set',
  rationale:
    'The Pod Security Standards allow a container to add only `AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, ' +
    '`FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID` and ' +
    '`SYS_CHROOT` at the `baseline` level (control `capabilities_baseline`); anything else (`SYS_ADMIN`, ' +
    '`NET_ADMIN`, `NET_RAW`, `SYS_PTRACE`, `ALL`…) is a warning, and an error where a namespace enforces ' +
    '`baseline`. The `restricted` level allows only `NET_BIND_SERVICE` (control `capabilities_restricted`): ' +
    'adding another capability of the baseline set is an info unless `restricted` is asked for. Names are ' +
    'compared as admission compares them, without the `CAP_` prefix and case-sensitively.',
  messages: {
    dangerous:
      '{{container}} adds the capability {{capability}}, outside the Pod Security baseline set{{pss}}; remove it, or suppress this finding for a node agent that needs it',
    restricted:
      '{{container}} adds {{capability}}; only `NET_BIND_SERVICE` may be added{{pss}}; remove what the container does not need',
  },
  check(ctx) {
    // Restricted-only additions: one finding per container, at its first, naming them all.
    const restricted = new Map<
      string,
      { object: KObject; v: PodSecurityViolation; container: string; names: string[] }
    >();
    eachViolation(ctx, ['capabilities_baseline', 'capabilities_restricted'], (object, v, container) => {
      if (v.control === 'capabilities_baseline') {
        reportPodSecurity(ctx, object, v, 'dangerous', { container, capability: code(v.value) });
      } else if (v.variant === 'add') {
        const key = `${String(object.id)}:${container}`;
        const entry = restricted.get(key);
        if (entry !== undefined) entry.names.push(v.value);
        else restricted.set(key, { object, v, container, names: [v.value] });
      }
    });
    for (const { object, v, container, names } of restricted.values())
      reportPodSecurity(ctx, object, v, 'restricted', {
        container,
        capability: `${names.length === 1 ? 'the capability' : 'the capabilities'} ${nameList(names, 5)}`,
      });
  },
});
