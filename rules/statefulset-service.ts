import { asString, defineRule, get, objectLabel, referencesTo, reportMissing } from '../src/api.js';

export default defineRule({
  id: 'statefulset-service',
  category: 'wiring',
  severity: 'error',
  description: 'Require the serviceName of a StatefulSet to be a headless Service in its namespace',
  rationale:
    'A StatefulSet gives its pods stable DNS names (`web-0.<serviceName>`) through the governing ' +
    'Service named by `serviceName`. When that Service does not exist the pods run but the names do ' +
    'not resolve, so peers that find each other by name (databases, consensus clusters) never form; ' +
    'when it exists but is not headless (`clusterIP: None`), the per-pod records are not published.',
  messages: {
    missing:
      '{{from}} is governed by {{target}}, which is not defined{{where}}{{evidence}}: ' +
      "the pods' DNS names ({{pod}}.{{name}}) will not resolve{{hint}}",
    notHeadless:
      "{{from}} is governed by {{service}}, which is not headless: the pods' DNS names ({{pod}}.{{name}}) " +
      'do not resolve; set `clusterIP: None`',
  },
  check(ctx) {
    for (const ref of referencesTo(ctx.graph, 'governs', 'Service')) {
      const pod = `${ref.from.name}-0`;
      reportMissing(ctx, ref, 'missing', 'Services', { pod });
      if (ref.resolution.status !== 'found') continue;
      for (const service of ref.resolution.objects) {
        if (asString(get(service.raw, 'spec', 'clusterIP')) === 'None') continue;
        ctx.report({
          object: ref.from,
          path: ref.path,
          messageId: 'notHeadless',
          data: { from: objectLabel(ref.from), service: objectLabel(service), pod, name: ref.target.name },
          related: [{ object: service, path: ['spec'], message: `${objectLabel(service)} has a cluster IP` }],
          severity: 'warning',
        });
      }
    }
  },
});
