import { asString, code, containerLabel, defineRule, movingImages } from '../src/api.js';

export default defineRule({
  id: 'image-pull-policy-stale',
  category: 'practice',
  severity: 'info',
  description: 'Report a moving image tag combined with imagePullPolicy IfNotPresent or Never',
  rationale:
    'With a moving tag (`latest` or none) and `imagePullPolicy: IfNotPresent` or `Never`, a node that ' +
    'already has the tag keeps running its old copy while new nodes pull the new one: pods of one ' +
    'Deployment run different code and a new push never reaches the old nodes. Peers require ' +
    '`imagePullPolicy: Always` on every container, which is disputed (kube-score #48; the ' +
    'opentelemetry-helm-charts maintainers keep IfNotPresent in #1022) and fires on 94% of the corpus; ' +
    'this rule reports only the stale combination. A fixed tag or a digest with IfNotPresent is fine, and ' +
    'so is the default policy (Always for a moving tag).',
  messages: {
    stale:
      '{{container}} pulls the moving image {{image}} with `imagePullPolicy: {{policy}}`: nodes that already have it keep running their old copy; pin a version tag, or use `Always`',
  },
  check(ctx) {
    for (const { object, container, text } of movingImages(ctx.graph, ctx.sources)) {
      const policy = asString(container.raw.imagePullPolicy);
      if (policy !== 'IfNotPresent' && policy !== 'Never') continue;
      ctx.report({
        object,
        path: [...container.path, 'imagePullPolicy'],
        messageId: 'stale',
        data: {
          image: code(text),
          policy,
          container: containerLabel(object, container),
        },
      });
    }
  },
});
