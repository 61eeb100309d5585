import { defineRule, referencesTo, reportMissing } from '../src/api.js';

export default defineRule({
  id: 'ingress-class-missing',
  category: 'wiring',
  severity: 'error',
  description: 'Require the IngressClass named by an Ingress to exist',
  rationale:
    'An Ingress whose `ingressClassName` names a class no controller serves is ignored by every ' +
    'controller: no address, no routes, no error. Ingress classes come with the cluster\'s ' +
    'controllers, so the rule only judges when it knows them: from IngressClass objects in the input ' +
    'and `cluster.ingressClasses` in .kubewire.yaml. With neither, nothing is reported.',
  messages: {
    missing: '{{from}} asks for IngressClass `{{name}}`, which {{known}}: no controller will serve this Ingress{{hint}}',
  },
  check(ctx) {
    const input = ctx.graph.ofKind('IngressClass');
    const declared = ctx.graph.cluster.ingressClasses;
    const names = [...new Set([...input.map((c) => c.name), ...declared.map((c) => c.name)])].sort();
    if (names.length === 0) return;
    const known = `is not among the known classes (${names.map((n) => `\`${n}\``).join(', ')})`;
    for (const ref of referencesTo(ctx.graph, 'uses-class', 'IngressClass')) {
      reportMissing(ctx, ref, 'missing', 'IngressClasses', { known }, declared.length > 0 ? 'error' : undefined);
    }
  },
});
