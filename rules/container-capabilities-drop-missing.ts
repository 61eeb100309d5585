import { code, defineRule, eachViolation, reportPodSecurity } from '../src/api.js';

export default defineRule({
  id: 'container-capabilities-drop-missing',
  category: 'security',
  severity: 'info',
  description: 'Require containers to drop all Linux capabilities',
  rationale:
    'The `restricted` Pod Security level requires `securityContext.capabilities.drop: [ALL]` on every ' +
    'container (control `capabilities_restricted`, Linux pods). Almost no manifest does it, so the rule ' +
    'reports every container only where `restricted` is asked for (a namespace label or `podSecurity: ' +
    'restricted`): an error where it is enforced, a warning otherwise. Elsewhere it reports, as an info, ' +
    'only containers that declare a `capabilities` block without dropping ALL, as kube-linter does: ' +
    'they thought about capabilities and missed the default set. `drop: [all]` in lower case is reported ' +
    'too: runtimes accept it, but admission compares case-sensitively and rejects it under `restricted`.',
  messages: {
    drop: '{{container}} declares capabilities but does not drop `ALL`{{pss}}; add `drop: [ALL]` and add back only what it needs',
    none: '{{container}} does not drop its capabilities{{pss}}; set `securityContext.capabilities.drop: [ALL]`',
    case: '{{container}} drops {{value}}: the container runtime drops every capability, but Pod Security admission compares case-sensitively and requires `ALL`{{pss}}; write `ALL`',
  },
  check(ctx) {
    eachViolation(ctx, ['capabilities_restricted'], (object, v, container) => {
      if (v.variant !== 'drop' && v.variant !== 'none' && v.variant !== 'case') return;
      const data = { container, value: code(v.value) };
      reportPodSecurity(ctx, object, v, v.variant, data, v.variant === 'drop' ? 'info' : undefined);
    });
  },
});
