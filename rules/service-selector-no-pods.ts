import {
  defineRule,
  formatSelector,
  namespaceLabel,
  objectLabel,
  reportNoMatch,
  selectingServices,
} from '../src/api.js';

export default defineRule({
  id: 'service-selector-no-pods',
  category: 'wiring',
  severity: 'error',
  description: 'Require every Service selector to match the pods of some workload in its namespace',
  rationale:
    'A Service whose selector matches no pod has no endpoints: it applies cleanly and every request ' +
    'to it fails. The selector is matched, all labels at once, against the labels of pod templates ' +
    "(not the workload's own labels) in the Service's namespace, after namespace defaulting. It is " +
    'an error when something close exists (the same labels in another namespace, on the workload ' +
    'instead of its template, or one key or value off), a warning when the namespace has workloads ' +
    'but none matches, and an info when the pods may come from elsewhere (custom resources whose ' +
    'operators create pods, or no workloads in the input at all). A Service without a selector ' +
    '(manual Endpoints) and ExternalName Services are not checked.',
  messages: {
    noPods:
      '{{service}} selects `{{selector}}`, but no pod template in {{namespace}} has these labels: ' +
      'the Service has no endpoints and every request to it fails{{why}}',
    noPodsElsewhere:
      '{{service}} selects `{{selector}}`, but no workload of the input in {{namespace}} has these labels; ' +
      'if an operator or another tool creates these pods, ignore this, otherwise the Service has no endpoints',
  },
  check(ctx) {
    for (const { service, namespace: ns, selector } of selectingServices(ctx.graph)) {
      if (ctx.graph.selectPods(ns, selector).length > 0) continue;
      const data = { service: objectLabel(service), selector: formatSelector(selector), namespace: namespaceLabel(ns) };
      reportNoMatch(
        ctx,
        { object: service, path: ['spec', 'selector'], namespace: ns, selector },
        { evidence: 'noPods', elsewhere: 'noPodsElsewhere' },
        data,
      );
    }
  },
});
