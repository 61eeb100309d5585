import {
  REPLICATED_KINDS,
  WORKLOAD_KINDS,
  asString,
  defineRule,
  get,
  objectLabel,
  references,
  reportMissing,
} from '../src/api.js';

export default defineRule({
  id: 'hpa-target-missing',
  category: 'wiring',
  severity: 'error',
  description: 'Require every HorizontalPodAutoscaler to target a scalable workload that exists',
  rationale:
    'An HPA whose `scaleTargetRef` names a workload that does not exist (a typo, or the right name ' +
    'with the wrong kind) scales nothing and only reports `FailedGetScale` in its events, so the ' +
    'workload runs at a fixed size under load. DaemonSets, Jobs and CronJobs have no scale ' +
    "subresource. The target is looked up by kind and name in the HPA's namespace; custom kinds are " +
    'checked only when their CustomResourceDefinition is in the input.',
  messages: {
    missing: '{{from}} scales {{target}}, which is not defined{{where}}{{evidence}}: nothing is autoscaled{{hint}}',
    wrongKind:
      '{{from}} scales {{target}}, which is not defined, but {{other}} is: nothing is autoscaled; ' +
      'set `kind: {{actual}}` in its scaleTargetRef',
    notScalable:
      '{{from}} scales {{target}}, which cannot be scaled (a {{kind}} has no scale subresource): ' +
      'nothing is autoscaled; remove the autoscaler or point it at a Deployment or StatefulSet',
  },
  check(ctx) {
    const customKinds = new Set(
      ctx.graph.ofKind('CustomResourceDefinition').map((crd) => asString(get(crd.raw, 'spec', 'names', 'kind'))),
    );
    for (const ref of references(ctx.graph)) {
      if (ref.type !== 'scales') continue;
      const kind = ref.target.kind;
      if (!WORKLOAD_KINDS.includes(kind) && !customKinds.has(kind)) continue;
      const from = objectLabel(ref.from);
      if (ref.resolution.status === 'found') {
        for (const target of ref.resolution.objects) {
          if (WORKLOAD_KINDS.includes(kind) && !REPLICATED_KINDS.has(kind)) {
            ctx.report({
              object: ref.from,
              path: ['spec', 'scaleTargetRef', 'kind'],
              messageId: 'notScalable',
              data: { from, target: objectLabel(target), kind },
            });
          }
        }
        continue;
      }
      if (ref.resolution.status !== 'missing') continue;
      const other = WORKLOAD_KINDS.filter((k) => k !== kind).flatMap((k) =>
        ctx.graph.find(k, ref.target.namespace, ref.target.name),
      )[0];
      if (other !== undefined) {
        ctx.report({
          object: ref.from,
          path: ['spec', 'scaleTargetRef', 'kind'],
          messageId: 'wrongKind',
          data: {
            from,
            target: objectLabel({ kind, name: ref.target.name, namespace: null }),
            other: objectLabel({ kind: other.kind, name: other.name, namespace: null }),
            actual: other.kind,
          },
          related: [{ object: other, path: ['metadata', 'name'], message: `${objectLabel(other)} is defined here` }],
        });
        continue;
      }
      reportMissing(ctx, ref, 'missing', `${kind}s`);
    }
  },
});
