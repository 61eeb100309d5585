import { defineRule, nameList, referencesTo, relatedFiles, reportMissing } from '../src/api.js';

export default defineRule({
  id: 'namespace-missing',
  category: 'wiring',
  severity: 'error',
  description: 'Require objects to live in a namespace the input creates or the cluster declares',
  rationale:
    'Applying an object to a namespace that does not exist fails (`namespaces "…" not found`), and ' +
    'with a typo in one file of many the rest of the application comes up without it. The rule ' +
    'judges only when namespaces are known: when the input creates Namespace objects, or ' +
    '`cluster.namespaces` in .kubewire.yaml declares them. `default`, `kube-system`, `kube-public` ' +
    'and `kube-node-lease` always exist.',
  messages: {
    missing: '{{from}} is in namespace `{{name}}`, which {{known}}: applying it fails{{hint}}',
  },
  check(ctx) {
    const input = ctx.graph.ofKind('Namespace', '');
    const declared = ctx.graph.cluster.namespaces;
    if (input.length === 0 && declared.length === 0) return;
    for (const ref of referencesTo(ctx.graph, 'in-namespace', 'Namespace')) {
      const r = ref.resolution;
      if (r.status !== 'missing') continue;
      // Declared namespaces are the whole list; Namespace objects in unrelated files prove nothing.
      if (declared.length === 0 && !r.managed && r.suggestion === undefined) continue;
      const names = [
        ...new Set([
          ...input.filter((n) => relatedFiles(n.source.path, ref.from.source.path)).map((n) => n.name),
          ...declared,
        ]),
      ].sort();
      const known =
        'is neither created by the input nor declared' + (names.length > 0 ? ` (known: ${nameList(names, 5)})` : '');
      const data: Record<string, string> = { known };
      // The declared namespaces are the cluster's whole list: a missing one belongs there, not in cluster.objects.
      if (declared.length > 0 && r.suggestion === undefined)
        data.hint = '; if the cluster has it, add it to cluster.namespaces in .kubewire.yaml';
      reportMissing(
        ctx,
        ref,
        'missing',
        'Namespaces',
        data,
        declared.length > 0 || r.suggestion !== undefined ? 'error' : 'warning',
      );
    }
  },
});
