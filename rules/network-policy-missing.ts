import {
  asArray,
  defineRule,
  get,
  isRecord,
  listOf,
  namespaceLabel,
  objectLabel,
  parseLabelSelector,
  selectsTemplate,
} from '../src/api.js';
import type { KObject, Path } from '../src/api.js';

/** Policy kinds of CNI plugins and the admin policy API: they may select pods in ways not judged here. */
const OTHER_POLICY_KINDS = [
  'CiliumNetworkPolicy',
  'CiliumClusterwideNetworkPolicy',
  'GlobalNetworkPolicy',
  'AdminNetworkPolicy',
  'BaselineAdminNetworkPolicy',
  'AuthorizationPolicy',
];

/** The directions a NetworkPolicy isolates: `policyTypes`, or Ingress plus Egress when it has egress rules. */
function policyTypes(policy: KObject): Set<string> {
  const written = get(policy.raw, 'spec', 'policyTypes');
  if (Array.isArray(written)) return new Set(asArray(written).flatMap((t) => (typeof t === 'string' ? [t] : [])));
  const types = new Set(['Ingress']);
  if (get(policy.raw, 'spec', 'egress') !== undefined) types.add('Egress');
  return types;
}

export default defineRule({
  id: 'network-policy-missing',
  category: 'security',
  severity: 'info',
  description: 'Report pods that no NetworkPolicy isolates, where the input uses NetworkPolicies',
  rationale:
    'Pods accept connections from every pod of the cluster until a NetworkPolicy of their namespace ' +
    'selects them for Ingress. In a namespace whose other pods are isolated, a workload that no policy ' +
    'selects is usually one that was forgotten: a compromised pod anywhere can reach it. Selection follows ' +
    'the API: a policy selects the pods of its own namespace that its `podSelector` matches, an empty ' +
    '`podSelector: {}` selects them all (the usual default-deny policy, whatever its rules), and a policy ' +
    'isolates the directions of its `policyTypes` (Ingress, plus Egress when it has egress rules, when ' +
    'unset). Policies need no rules to isolate. The rule speaks only where the input shows NetworkPolicies ' +
    'are used (related files define policies isolating ingress, in its namespace or another one), and ' +
    'says nothing otherwise: many clusters enforce isolation with tools outside the manifests. It is an ' +
    'info: teams often isolate only their risky pods on purpose (on the corpus, both pods it reported sat ' +
    'beside a policy that isolates only untrusted sandbox pods). Egress is not required. Pods on the host network (NetworkPolicies do ' +
    'not apply to them), and inputs holding CNI-specific or admin policies (Cilium, Calico, ' +
    'AdminNetworkPolicy, Istio AuthorizationPolicy), which kubewire does not evaluate, are not reported.',
  messages: {
    none:
      'no NetworkPolicy of {{namespace}} selects the pods of {{workload}}, although other pods there are ' +
      'isolated (by {{policies}}): any pod of the cluster can connect to them; extend a policy podSelector to its labels, or ' +
      'add a default-deny policy (`podSelector: {}`)',
    noneHere:
      'no NetworkPolicy isolates the pods of {{workload}}: {{namespace}} isolates no pod, although related ' +
      'files isolate pods in {{others}}, so any pod of the cluster can connect to them; add NetworkPolicies ' +
      'to {{namespace}} (at least a default-deny `podSelector: {}`)',
    egressOnly:
      'only egress policies ({{policies}}) select the pods of {{workload}}: their ingress is not isolated and ' +
      'any pod of the cluster can connect to them; add `Ingress` to a policy that selects them, or a ' +
      'default-deny ingress policy',
  },
  check(ctx) {
    const policies = ctx.graph.ofKind('NetworkPolicy', 'networking.k8s.io');
    if (policies.length === 0) return;
    const others = OTHER_POLICY_KINDS.flatMap((k) => ctx.graph.ofKind(k));
    for (const workload of ctx.graph.withPodTemplates()) {
      const template = workload.podTemplate;
      const ns = workload.namespace;
      if (template === undefined || ns === null || workload.kind === 'PodTemplate') continue;
      if (template.spec.hostNetwork === true) continue;
      const near = (o: KObject) => ctx.graph.related(workload.source.path, o.source.path);
      if (others.some(near)) continue;
      const related = policies.filter(near);
      if (related.length === 0) continue;
      const here = ctx.graph.inNamespace('NetworkPolicy', ns).filter((p) => p.group === 'networking.k8s.io');
      const selecting = here.filter((p) => {
        const { selector } = parseLabelSelector(get(p.raw, 'spec', 'podSelector') ?? {});
        return selector === undefined || selectsTemplate(selector, template);
      });
      if (selecting.some((p) => policyTypes(p).has('Ingress'))) continue;
      const labelsPath: Path = isRecord(get(workload.raw, ...template.path, 'metadata', 'labels'))
        ? [...template.path, 'metadata', 'labels']
        : ['metadata', 'name'];
      const base = { workload: objectLabel(workload), namespace: namespaceLabel(ns) };
      if (selecting.length > 0) {
        ctx.report({
          object: workload,
          path: labelsPath,
          messageId: 'egressOnly',
          data: { ...base, policies: listOf(selecting.map(objectLabel)) },
          related: selecting.map((p) => ({ object: p, path: ['spec', 'podSelector'], message: 'egress only' })),
        });
        continue;
      }
      // Evidence: policies of related files that isolate ingress, here or in other namespaces.
      const isolating = related.filter((p) => policyTypes(p).has('Ingress'));
      const relatedHere = isolating.filter((p) => p.namespace === ns);
      if (relatedHere.length > 0) {
        ctx.report({
          object: workload,
          path: labelsPath,
          messageId: 'none',
          data: { ...base, policies: listOf(relatedHere.map(objectLabel)) },
          related: relatedHere.slice(0, 3).map((p) => ({
            object: p,
            path: ['spec', 'podSelector'],
            message: `${objectLabel(p)} selects other pods`,
          })),
        });
        continue;
      }
      const namespaces = [...new Set(isolating.map((p) => p.namespace ?? ''))].sort();
      if (namespaces.length === 0) continue;
      ctx.report({
        object: workload,
        path: labelsPath,
        messageId: 'noneHere',
        data: { ...base, others: listOf(namespaces.map((n) => namespaceLabel(n))) },
      });
    }
  },
});
