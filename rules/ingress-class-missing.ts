import { defineRule, nameList, referencesTo, reportMissing } from '../src/api.js';

export default defineRule({
  id: 'ingress-class-missing',
  category: 'wiring',
  severity: 'error',
  description: 'Require the IngressClass named by an Ingress to exist',
  rationale:
    'An Ingress whose `ingressClassName` names a class no controller serves is ignored by every ' +
    "controller: no address, no routes, no error. Ingress classes come with the cluster's " +
    'controllers, so the rule only judges when it knows them: from IngressClass objects in the input ' +
    'and `cluster.ingressClasses` in .kubewire.yaml. With neither, nothing is reported.',
  messages: {
    missing: '{{from}} asks for {{target}}, which {{known}}: no controller will serve this Ingress{{hint}}',
  },
  check(ctx) {
    const input = ctx.graph.ofKind('IngressClass');
    const declared = ctx.graph.cluster.ingressClasses;
    const names = [...new Set([...input.map((c) => c.name), ...declared.map((c) => c.name)])].sort();
    if (names.length === 0) return;
    const known = `is not among the known classes (${nameList(names, 5)})`;
    for (const ref of referencesTo(ctx.graph, 'uses-class', 'IngressClass')) {
      const r = ref.resolution;
      // Classes are declared in cluster.ingressClasses (which also says which one is the default), not cluster.objects.
      const data: Record<string, string> = { known };
      if (r.status === 'missing' && r.suggestion === undefined)
        data.hint = '; if the cluster has it, add it to cluster.ingressClasses in .kubewire.yaml';
      reportMissing(ctx, ref, 'missing', 'IngressClasses', data, declared.length > 0 ? 'error' : undefined);
    }
  },
});
