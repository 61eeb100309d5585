import { code, defineRule, objectLabel } from '../src/api.js';

export default defineRule({
  id: 'namespace-mismatch',
  category: 'wiring',
  severity: 'error',
  description: 'Disallow a metadata.namespace that differs from the namespace the input is applied to',
  rationale:
    'With `kubectl apply -n NAME` (kubewire: `--namespace NAME`, or `namespace:` in .kubewire.yaml), ' +
    'objects that set no namespace land in NAME, but an object whose `metadata.namespace` names another ' +
    'namespace is refused: "the namespace from the provided object does not match the namespace sent on ' +
    'the request". The rest of the input is applied without it. Objects a kustomization moves with its ' +
    '`namespace:` are not affected (kustomize rewrites their namespace before kubectl sees them), and ' +
    'cluster-scoped objects have no namespace. Without a namespace option the rule is silent.',
  messages: {
    mismatch:
      '{{object}} sets namespace {{own}}, but the input is applied to namespace {{option}} ({{how}}): kubectl ' +
      'refuses the object (the namespace of the object does not match the namespace of the request); ' +
      'remove `metadata.namespace`, or apply this file without the namespace option',
  },
  check(ctx) {
    const option = ctx.namespace;
    if (option === undefined) return;
    for (const object of ctx.graph.objects) {
      if (object.namespaceSource !== 'explicit' || object.namespace === null || object.namespace === option) continue;
      ctx.report({
        object,
        path: ['metadata', 'namespace'],
        messageId: 'mismatch',
        data: {
          object: objectLabel(object),
          own: code(object.namespace),
          option: code(option),
          how: '`--namespace`, or `namespace:` in .kubewire.yaml, as `kubectl apply -n`',
        },
      });
    }
  },
});
