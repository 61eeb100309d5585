import { defineRule, referencesTo, reportMissing } from '../src/api.js';

export default defineRule({
  id: 'priority-class-missing',
  category: 'wiring',
  severity: 'error',
  description: 'Require every priorityClassName to name a PriorityClass that exists',
  rationale:
    'The Priority admission plugin rejects a pod whose `priorityClassName` names no PriorityClass: a ' +
    'Deployment, StatefulSet or Job then creates no pod at all, and only the events of its ReplicaSet or ' +
    'Job say why (`no PriorityClass with name … was found`). Classes are looked up among the ' +
    'PriorityClass objects of the input, `cluster.priorityClasses` and `cluster.objects` of ' +
    '`.kubewire.yaml`, and the two classes every cluster has (`system-cluster-critical`, ' +
    '`system-node-critical`). Classes are usually created by the platform, not the application, so the ' +
    'severity follows the evidence: a close name (a typo) is an error, a missing name among other ' +
    'PriorityClasses of related files a warning, and a name the input says nothing about an info. ' +
    'Pods without a priorityClassName are never reported: requiring a class (Polaris ' +
    '`priorityClassNotSet`) fires on almost every workload.',
  messages: {
    missing:
      '{{from}} uses PriorityClass `{{name}}`, which is not defined{{evidence}}: admission rejects its pods ' +
      '(no PriorityClass with name {{name}} was found){{hint}}',
  },
  check(ctx) {
    for (const ref of referencesTo(ctx.graph, 'uses-class', 'PriorityClass')) {
      reportMissing(ctx, ref, 'missing', 'PriorityClasses');
    }
  },
});
