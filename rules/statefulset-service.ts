import {
  asString,
  autoscalingOf,
  defineRule,
  get,
  objectLabel,
  podCount,
  referencesTo,
  reportMissing,
} from '../src/api.js';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export default defineRule({
  id: 'statefulset-service',
  category: 'wiring',
  severity: 'error',
  description: 'Require the serviceName of a StatefulSet to be a headless Service in its namespace',
  rationale:
    'A StatefulSet gives its pods stable DNS names (`web-0.<serviceName>`) through the governing ' +
    'Service named by `serviceName`. When that Service does not exist the pods run but the names do ' +
    'not resolve, so peers that find each other by name (databases, consensus clusters) never form; ' +
    'when it exists but is not headless (`clusterIP: None`), the per-pod records are not published: a ' +
    'warning when something depends on per-pod identity (more than one replica, an autoscaler, or a ' +
    'pod DNS name such as `web-0.web` written in the input), otherwise an info (a single-replica ' +
    'database reached through its cluster IP does not use the per-pod names).',
  messages: {
    missing:
      '{{from}} is governed by {{target}}, which is not defined{{where}}{{evidence}}: ' +
      "the pods' DNS names ({{pod}}.{{name}}) will not resolve{{hint}}",
    notHeadless:
      "{{from}} is governed by {{service}}, which is not headless: the pods' DNS names ({{pod}}.{{name}}) " +
      'do not resolve; set `clusterIP: None`',
  },
  check(ctx) {
    /** Whether anything of the input names a pod of the StatefulSet by its DNS name (`web-0.web`). */
    const podDnsUsed = (name: string, service: string) => {
      const pattern = new RegExp(`\\b${escape(name)}-(\\d+|\\$\\(?\\w+\\)?)\\.${escape(service)}\\b`);
      return ctx.sources.some((s) => pattern.test(s.text));
    };
    for (const ref of referencesTo(ctx.graph, 'governs', 'Service')) {
      const pod = `${ref.from.name}-0`;
      reportMissing(ctx, ref, 'missing', 'Services', { pod });
      if (ref.resolution.status !== 'found') continue;
      for (const service of ref.resolution.objects) {
        if (asString(get(service.raw, 'spec', 'clusterIP')) === 'None') continue;
        // Per-pod names matter when there are several pods, or something addresses one of them by name.
        const replicas = podCount(ref.from.kind, ref.from.raw);
        const scaling = autoscalingOf(ctx.graph, ref.from);
        const identity =
          (typeof replicas === 'number' && replicas > 1) ||
          (scaling.max ?? 0) > 1 ||
          scaling.other ||
          podDnsUsed(ref.from.name, ref.target.name);
        ctx.report({
          object: ref.from,
          path: ref.path,
          messageId: 'notHeadless',
          data: { from: objectLabel(ref.from), service: objectLabel(service), pod, name: ref.target.name },
          related: [{ object: service, path: ['spec'], message: `${objectLabel(service)} has a cluster IP` }],
          severity: identity ? 'warning' : 'info',
        });
      }
    }
  },
});
