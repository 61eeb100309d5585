import { defineRule, namespaceLabel, objectLabel, referencesTo, relatedFiles, reportMissing } from '../src/api.js';
import type { KObject } from '../src/api.js';

export default defineRule({
  id: 'ingress-backend-missing',
  category: 'wiring',
  severity: 'error',
  description: "Require every Ingress backend to name a Service in the Ingress's namespace",
  rationale:
    'An Ingress routes to Services of its own namespace only. A backend naming a Service that does ' +
    'not exist there answers every request on that path with 503 (or 404 at the default backend), ' +
    'and the Ingress itself applies cleanly. Rules and `defaultBackend` are checked, in ' +
    '`networking.k8s.io/v1` form and the older `serviceName` form. Severity follows the evidence: a ' +
    'close name, or a Service of that name in another namespace, is an error, a Service missing ' +
    'among others the input defines there a warning, and otherwise an info that says how to declare it.',
  messages: {
    missing:
      'a backend of {{from}} routes to {{target}}, which is not defined{{where}}{{evidence}}: ' +
      'requests on this path fail with 503{{hint}}',
    otherNamespace:
      'a backend of {{from}} routes to {{target}}, which is not defined in {{namespace}} but in {{otherNamespace}}: ' +
      'an Ingress only routes to Services of its own namespace, so requests on this path fail with 503; ' +
      'move the Ingress or the Service, or add an ExternalName Service `{{name}}` in {{namespace}} ' +
      'pointing at `{{name}}.{{otherName}}.svc.cluster.local`',
  },
  check(ctx) {
    const byName = ctx.graph.memo('ingress-backend-missing:services-by-name', () => {
      const map = new Map<string, KObject[]>();
      for (const s of ctx.graph.ofKind('Service', '')) {
        const list = map.get(s.name);
        if (list) list.push(s);
        else map.set(s.name, [s]);
      }
      return map;
    });
    for (const ref of referencesTo(ctx.graph, 'routes-to', 'Service')) {
      if (ref.resolution.status !== 'missing') continue;
      const elsewhere = (byName.get(ref.target.name) ?? []).find(
        (s) => s.namespace !== ref.target.namespace && relatedFiles(ref.from.source.path, s.source.path),
      );
      if (elsewhere !== undefined && ref.resolution.suggestion === undefined) {
        ctx.report({
          object: ref.from,
          path: ref.path,
          messageId: 'otherNamespace',
          data: {
            from: objectLabel(ref.from),
            target: objectLabel({ kind: 'Service', name: ref.target.name, namespace: null }),
            name: ref.target.name,
            namespace: namespaceLabel(ref.target.namespace ?? ''),
            otherNamespace: namespaceLabel(elsewhere.namespace ?? ''),
            otherName: elsewhere.namespace ?? '',
          },
          related: [
            {
              object: elsewhere,
              path: elsewhere.namespaceExplicit ? ['metadata', 'namespace'] : ['metadata', 'name'],
              message: `${objectLabel(elsewhere)} is in ${namespaceLabel(elsewhere.namespace ?? '')}`,
            },
          ],
        });
        continue;
      }
      reportMissing(ctx, ref, 'missing', 'Services');
    }
  },
});
