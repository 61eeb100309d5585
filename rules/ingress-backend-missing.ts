import { defineRule, referencesTo, reportMissing } from '../src/api.js';

export default defineRule({
  id: 'ingress-backend-missing',
  category: 'wiring',
  severity: 'error',
  description: 'Require every Ingress backend to name a Service in the Ingress\'s namespace',
  rationale:
    'An Ingress routes to Services of its own namespace only. A backend naming a Service that does ' +
    'not exist there answers every request on that path with 503 (or 404 at the default backend), ' +
    'and the Ingress itself applies cleanly. Rules and `defaultBackend` are checked, in ' +
    '`networking.k8s.io/v1` form and the older `serviceName` form. Severity follows the evidence: a ' +
    'close name is an error, a Service missing among others the input defines there a warning, and ' +
    'otherwise an info that says how to declare it.',
  messages: {
    missing: 'a backend of {{from}} routes to Service `{{name}}`, which is not defined{{where}}{{evidence}}: requests on this path fail with 503{{hint}}',
  },
  check(ctx) {
    for (const ref of referencesTo(ctx.graph, 'routes-to', 'Service')) reportMissing(ctx, ref, 'missing', 'Services');
  },
});
