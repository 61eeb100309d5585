import { asString, code, defineRule, get, isBuiltinGroup, nameList, referencesTo, reportMissing } from '../src/api.js';
import type { Reference, RuleContext } from '../src/api.js';

/**
 * Prefixes of namespaces a platform creates: `kube-` is reserved by Kubernetes, `gke-` by GKE, `openshift-`
 * by OpenShift. Manifests use them, but never create them.
 */
const PLATFORM_PREFIXES = ['kube-', 'gke-', 'openshift-'];

/**
 * Why a namespace the input does not create is probably created outside it, or undefined. Either its name
 * has a platform prefix, or everything the input puts there is a custom resource of an operator the input
 * does not install (Argo CD's Applications in `argocd`): such a namespace comes with the operator.
 */
function createdElsewhere(ctx: RuleContext, namespace: string, refs: readonly Reference[]): string | undefined {
  const prefix = PLATFORM_PREFIXES.find((p) => namespace.startsWith(p));
  if (prefix !== undefined) return `the prefix ${code(prefix)} is reserved for namespaces the platform creates`;
  const installed = new Set(
    ctx.graph
      .ofKind('CustomResourceDefinition', '')
      .map(
        (crd) =>
          `${asString(get(crd.raw, 'spec', 'group')) ?? ''}/${asString(get(crd.raw, 'spec', 'names', 'kind')) ?? ''}`,
      ),
  );
  const objects = refs.map((r) => r.from);
  if (objects.length === 0 || objects.some((o) => isBuiltinGroup(o.group) || installed.has(`${o.group}/${o.kind}`)))
    return undefined;
  const kinds = [...new Set(objects.map((o) => o.kind))].sort();
  return `everything the input puts there is a custom resource (${nameList(kinds, 3)}) of an operator it does not install, and the operator's installation creates its namespace`;
}

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
    'and `kube-node-lease` always exist. A namespace the input does not create is an info, not a warning, ' +
    'when it is probably created outside the manifests: its name has a prefix a platform reserves for ' +
    'its own namespaces (`kube-`, `gke-`, `openshift-`), or everything the input puts there is a custom ' +
    "resource of an operator the input does not install (Argo CD's Applications in `argocd`), whose " +
    'installation creates it. A close name that exists (a typo) stays an error.',
  messages: {
    missing: '{{from}} is in namespace `{{name}}`, which {{known}}: applying it fails{{hint}}',
    elsewhere:
      '{{from}} is in namespace `{{name}}`, which the input does not create; {{why}}, so it is probably created ' +
      'outside these manifests; declare it in cluster.namespaces of .kubewire.yaml to have it checked',
  },
  check(ctx) {
    const input = ctx.graph.ofKind('Namespace', '');
    const declared = ctx.graph.cluster.namespaces;
    if (input.length === 0 && declared.length === 0) return;
    const refs = referencesTo(ctx.graph, 'in-namespace', 'Namespace');
    const byNamespace = new Map<string, Reference[]>();
    for (const ref of refs) {
      const list = byNamespace.get(ref.target.name);
      if (list === undefined) byNamespace.set(ref.target.name, [ref]);
      else list.push(ref);
    }
    const elsewhere = new Map<string, string | undefined>();
    for (const ref of refs) {
      const r = ref.resolution;
      if (r.status !== 'missing') continue;
      // Declared namespaces are the whole list; Namespace objects in unrelated files prove nothing.
      if (declared.length === 0 && !r.managed && r.suggestion === undefined) continue;
      if (r.suggestion === undefined && !elsewhere.has(ref.target.name))
        elsewhere.set(ref.target.name, createdElsewhere(ctx, ref.target.name, byNamespace.get(ref.target.name) ?? []));
      const why = r.suggestion === undefined ? elsewhere.get(ref.target.name) : undefined;
      if (why !== undefined && declared.length === 0) {
        reportMissing(ctx, ref, 'elsewhere', 'Namespaces', { why }, 'info');
        continue;
      }
      const names = [
        ...new Set([
          ...input.filter((n) => ctx.graph.related(n.source.path, ref.from.source.path)).map((n) => n.name),
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
