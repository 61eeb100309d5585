import { defineRule, formatSelector, nameList, objectLabel, spreadsOwnPods, spreadTerms } from '../src/api.js';
import type { KObject, SpreadTerm } from '../src/api.js';

export default defineRule({
  id: 'spread-selector-mismatch',
  category: 'scheduling',
  severity: 'warning',
  description: "Require spread constraints and anti-affinity terms to select the workload's own pods",
  rationale:
    'A topologySpreadConstraint counts, per topology domain, the pods its `labelSelector` matches; a ' +
    'podAntiAffinity term keeps a pod away from the pods its selector matches. When the selector does not ' +
    "match the workload's own pods (a label renamed in the template but not in the term, a copied " +
    'manifest, a term that looks in another namespace) or is missing (a missing labelSelector matches no ' +
    'pod), the replicas are not spread at all, although the manifest says they are. A topology spread ' +
    'constraint is always reported then. An anti-affinity term may deliberately keep a workload away ' +
    'from *other* pods (a cache away from its database): it is reported only when it matches neither the ' +
    'own pods nor any pod template of the input in the namespaces it looks in. Terms with a ' +
    '`namespaceSelector` and unreadable selectors are given the benefit of the doubt.',
  messages: {
    spreadMismatch:
      'the topologySpreadConstraint on `{{key}}` of {{workload}} counts pods with `{{selector}}`, but its own ' +
      'pods carry {{labels}}: it does not spread them; make the labelSelector match the pod template labels',
    spreadMissing:
      'the topologySpreadConstraint on `{{key}}` of {{workload}} has no labelSelector, so it counts no pod ' +
      'and spreads nothing; add a labelSelector matching the pod template labels ({{labels}})',
    antiMismatch:
      'the {{strength}} podAntiAffinity term of {{workload}} avoids pods with `{{selector}}`{{where}}, but ' +
      'neither its own pods ({{labels}}) nor any pod template of the input match it: it keeps nothing ' +
      'apart; make the labelSelector match the pod template labels',
    antiNamespace:
      'the {{strength}} podAntiAffinity term of {{workload}} looks for pods in {{namespaces}} only, not in its ' +
      'own namespace `{{own}}`, and no pod there matches `{{selector}}`: it keeps nothing apart; list ' +
      '`{{own}}` in `namespaces` or remove the field',
    antiMissing:
      'the {{strength}} podAntiAffinity term of {{workload}} has no labelSelector, so it matches no pod and ' +
      'keeps nothing apart; add a labelSelector matching the pod template labels ({{labels}})',
  },
  check(ctx) {
    for (const workload of ctx.graph.withPodTemplates()) {
      const template = workload.podTemplate;
      if (template === undefined || workload.namespace === null) continue;
      const labels = Object.entries(template.labels).map(([k, v]) => `${k}=${v}`);
      const base = {
        workload: objectLabel(workload),
        labels: labels.length > 0 ? nameList(labels, 4) : 'no labels',
      };
      for (const term of spreadTerms(workload)) {
        if (spreadsOwnPods(workload, term)) continue;
        if (!term.selectorWritten) {
          ctx.report({
            object: workload,
            path: term.topologyKey !== undefined ? [...term.path, 'topologyKey'] : term.path,
            messageId: term.kind === 'topology-spread' ? 'spreadMissing' : 'antiMissing',
            data: { ...base, key: term.topologyKey ?? '', strength: term.strength },
          });
          continue;
        }
        const selector = term.selector;
        if (selector === undefined) continue;
        if (term.kind === 'topology-spread') {
          ctx.report({
            object: workload,
            path: [...term.path, 'labelSelector'],
            messageId: 'spreadMismatch',
            data: { ...base, key: term.topologyKey ?? '', selector: formatSelector(selector) },
          });
          continue;
        }
        if (matchesOtherPods(workload, term)) continue;
        const own = workload.namespace;
        const elsewhere = term.namespaces !== null && !term.namespaces.includes(own);
        ctx.report({
          object: workload,
          path: elsewhere ? [...term.path, 'namespaces'] : [...term.path, 'labelSelector'],
          messageId: elsewhere ? 'antiNamespace' : 'antiMismatch',
          data: {
            ...base,
            strength: term.strength,
            selector: formatSelector(selector),
            namespaces: nameList(term.namespaces ?? []),
            own,
            where: term.namespaces !== null && term.namespaces.length > 1 ? ` in ${nameList(term.namespaces)}` : '',
          },
        });
      }
    }

    /** Whether an anti-affinity term matches pods of other workloads of the input (a deliberate term). */
    function matchesOtherPods(workload: KObject, term: SpreadTerm): boolean {
      if (term.selector === undefined || term.namespaces === null) return true;
      const selector = term.selector;
      return term.namespaces.some((ns) =>
        ctx.graph.selectPods(ns, selector, workload).some((o) => o !== workload && o.kind !== 'PodTemplate'),
      );
    }
  },
});
