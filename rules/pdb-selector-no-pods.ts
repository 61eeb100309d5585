import {
  asNumber,
  asString,
  autoscalingOf,
  defineRule,
  formatSelector,
  get,
  listOf,
  namespaceLabel,
  objectLabel,
  parseLabelSelector,
  plural,
  podCount,
  reportNoMatch,
} from '../src/api.js';
import type { KObject } from '../src/api.js';

/** minAvailable / maxUnavailable as a pod count for a given number of replicas. */
function resolveBudget(value: unknown, replicas: number, roundUp: boolean): number | undefined {
  const n = asNumber(value);
  if (n !== undefined) return n;
  const s = asString(value);
  if (s === undefined || !/^\d+%$/.test(s)) return undefined;
  const exact = (Number(s.slice(0, -1)) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

function describeBudget(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string' ? String(value) : '?';
}

export default defineRule({
  id: 'pdb-selector-no-pods',
  category: 'wiring',
  severity: 'error',
  description: 'Require every PodDisruptionBudget to select pods, and to allow at least one eviction',
  rationale:
    'A PodDisruptionBudget whose selector matches no pod protects nothing: the application it was ' +
    'meant for is drained without limit. One that allows no eviction at all (minAvailable equal to ' +
    'the replicas, or maxUnavailable 0) blocks every node drain and cluster upgrade until someone ' +
    "deletes it. Selectors match pod-template labels in the budget's namespace; an empty selector " +
    'selects every pod there. The replica count is `spec.replicas`, or the `minReplicas` of a ' +
    'HorizontalPodAutoscaler of the input that scales the workload; workloads scaled by other ' +
    'autoscalers (a KEDA ScaledObject) and DaemonSets are not judged.',
  messages: {
    noPods:
      '{{pdb}} selects `{{selector}}`, but no pod template in {{namespace}} has these labels: ' +
      'it protects nothing{{why}}',
    noPodsElsewhere:
      '{{pdb}} selects `{{selector}}`, but no workload of the input in {{namespace}} has these labels; ' +
      'if another tool creates these pods, ignore this, otherwise it protects nothing',
    blocks:
      '{{pdb}} allows no disruption of {{workload}} ({{budget}} with {{replicas}}{{autoscaled}}): ' +
      'node drains and upgrades wait for it forever; allow at least one pod to be evicted',
  },
  check(ctx) {
    for (const pdb of ctx.graph.ofKind('PodDisruptionBudget', 'policy')) {
      const ns = pdb.namespace;
      if (ns === null) continue;
      const { selector } = parseLabelSelector(get(pdb.raw, 'spec', 'selector'));
      if (selector === undefined) continue;
      const selected = ctx.graph.selectPods(ns, selector);
      const data = { pdb: objectLabel(pdb), selector: formatSelector(selector), namespace: namespaceLabel(ns) };
      if (selected.length === 0 && selector.requirements.length > 0) {
        reportNoMatch(
          ctx,
          { object: pdb, path: ['spec', 'selector'], namespace: ns, selector },
          { evidence: 'noPods', elsewhere: 'noPodsElsewhere' },
          data,
        );
        continue;
      }
      const related = ctx.graph.selectPods(ns, selector, pdb);
      if (related.length > 0) checkBudget(pdb, related);
    }

    function checkBudget(pdb: KObject, selected: readonly KObject[]): void {
      const spec = get(pdb.raw, 'spec');
      const minAvailable = get(spec, 'minAvailable');
      const maxUnavailable = get(spec, 'maxUnavailable');
      // With an autoscaler the fewest pods there can be is its minReplicas, not spec.replicas.
      const counts = selected.map((w) => {
        const scaling = autoscalingOf(ctx.graph, w);
        return scaling.other ? undefined : (scaling.min?.replicas ?? podCount(w.kind, w.raw));
      });
      if (counts.some((c) => typeof c !== 'number')) return; // DaemonSets and unreadable counts: unknown total
      const replicas = (counts as number[]).reduce((a, b) => a + b, 0);
      if (replicas === 0) return;
      let blocked = false;
      let budget = '';
      if (minAvailable !== undefined) {
        const min = resolveBudget(minAvailable, replicas, true);
        blocked = min !== undefined && min >= replicas;
        budget = `minAvailable ${describeBudget(minAvailable)}`;
      } else if (maxUnavailable !== undefined) {
        // The disruption controller rounds percentages up for both fields: 10% of 3 pods is 1.
        const max = resolveBudget(maxUnavailable, replicas, true);
        blocked = max === 0;
        budget = `maxUnavailable ${describeBudget(maxUnavailable)}`;
      }
      if (!blocked) return;
      const path = minAvailable !== undefined ? ['spec', 'minAvailable'] : ['spec', 'maxUnavailable'];
      const hpas = selected.flatMap((w) => autoscalingOf(ctx.graph, w).min?.hpa ?? []);
      ctx.report({
        object: pdb,
        path,
        messageId: 'blocks',
        data: {
          pdb: objectLabel(pdb),
          workload: listOf(selected.map(objectLabel)),
          budget,
          replicas: plural(replicas, 'replica'),
          autoscaled: hpas.length > 0 ? ` at the minReplicas of ${listOf(hpas.map(objectLabel))}` : '',
        },
        related: selected.map((w) => {
          const hpa = autoscalingOf(ctx.graph, w).min?.hpa;
          return hpa
            ? {
                object: hpa,
                path: ['spec', 'minReplicas'],
                message: `${objectLabel(hpa)} scales ${objectLabel(w)} down to this`,
              }
            : { object: w, path: ['spec', 'replicas'], message: `replicas of ${objectLabel(w)}` };
        }),
        severity: 'warning',
      });
    }
  },
});
