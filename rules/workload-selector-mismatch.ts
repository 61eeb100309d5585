import {
  defineRule,
  formatSelector,
  get,
  nameList,
  objectLabel,
  parseEqualitySelector,
  parseLabelSelector,
  selectsTemplate,
} from '../src/api.js';
import type { KObject, Selector } from '../src/api.js';

const CONTROLLERS: Record<string, string[]> = {
  Deployment: ['apps', 'extensions'],
  ReplicaSet: ['apps', 'extensions'],
  StatefulSet: ['apps'],
  DaemonSet: ['apps', 'extensions'],
  ReplicationController: [''],
};

function selectorOf(o: KObject): Selector | undefined {
  const raw = get(o.raw, 'spec', 'selector');
  if (o.kind === 'ReplicationController') {
    // An empty selector defaults to the template's labels.
    const s = parseEqualitySelector(raw);
    return s && s.requirements.length > 0 ? s : undefined;
  }
  return parseLabelSelector(raw).selector;
}

export default defineRule({
  id: 'workload-selector-mismatch',
  category: 'wiring',
  severity: 'error',
  description: "Require a workload's selector to match its own pod template, and no other workload's pods",
  rationale:
    'A Deployment, ReplicaSet, StatefulSet, DaemonSet or ReplicationController finds its pods by ' +
    "`spec.selector`. When the selector does not match the template's labels the API server rejects " +
    'the object (`selector does not match template labels`). When it also matches the pods of ' +
    'another workload in the namespace, the two controllers fight over those pods: ReplicaSets adopt ' +
    "or delete each other's pods and rollouts behave erratically (a warning).",
  messages: {
    own:
      'the selector of {{workload}} (`{{selector}}`) does not match its own pod template labels ({{labels}}): ' +
      'the API server rejects it; make the template carry every selected label',
    overlap:
      'the selector of {{workload}} (`{{selector}}`) also matches the pods of {{other}}: Kubernetes does not ' +
      "prevent overlapping selectors, and the controllers may adopt, delete or miscount each other's pods; " +
      'make the selectors distinct',
  },
  check(ctx) {
    for (const workload of ctx.graph.objects) {
      const groups = CONTROLLERS[workload.kind];
      const template = workload.podTemplate;
      if (
        groups === undefined ||
        !groups.includes(workload.group) ||
        template === undefined ||
        workload.namespace === null
      )
        continue;
      const selector = selectorOf(workload);
      if (selector === undefined) continue;
      const data = { workload: objectLabel(workload), selector: formatSelector(selector) };
      if (!selectsTemplate(selector, template)) {
        const labels = nameList(
          Object.entries(template.labels).map(([k, v]) => `${k}=${v}`),
          5,
        );
        ctx.report({
          object: workload,
          path: ['spec', 'selector'],
          messageId: 'own',
          data: { ...data, labels },
          related: [
            { object: workload, path: [...template.path, 'metadata', 'labels'], message: 'the pod template labels' },
          ],
        });
        continue;
      }
      if (selector.requirements.length === 0) continue;
      for (const other of ctx.graph.selectPods(workload.namespace, selector, workload)) {
        if (other === workload || other.podTemplate === undefined || !other.podTemplate.longRunning) continue;
        // Another definition of the same object (reported by duplicate-object) is not another workload.
        if (other.kind === workload.kind && other.name === workload.name) continue;
        if (other.kind !== 'Pod' && CONTROLLERS[other.kind] === undefined) continue;
        ctx.report({
          object: workload,
          path: ['spec', 'selector'],
          messageId: 'overlap',
          data: { ...data, other: objectLabel(other) },
          related: [
            {
              object: other,
              path: [...other.podTemplate.path, 'metadata', 'labels'],
              message: `pod labels of ${objectLabel(other)}`,
            },
          ],
          severity: 'warning',
        });
      }
    }
  },
});
