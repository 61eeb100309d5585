import { code, defineRule, nameList, objectLabel, plural, podCount, schedule } from '../src/api.js';
import type { NodeModel, PodPlacement } from '../src/api.js';

/**
 * Failures that depend on everything else the cluster runs (capacity, host ports, spreading,
 * affinity). On the assumed default profile they prove nothing: a repository of samples put on one
 * imagined small cluster fills it up. There only a pod that fits no empty node is reported.
 */
const CONTINGENT = new Set([
  'NodeResourcesFit',
  'NodePorts',
  'PodTopologySpread',
  'InterPodAffinity',
  'VolumeRestrictions',
]);

/**
 * Whether a pod's requests exceed the allocatable resources of every node, empty: 'core' when cpu,
 * memory or ephemeral storage do, 'extended' when only extended resources (GPUs…) do, which node
 * types the default profile cannot know.
 */
function fitsNoEmptyNode(placement: PodPlacement, nodes: readonly NodeModel[]): 'core' | 'extended' | false {
  const r = placement.pod.info.requests;
  const core = nodes.every(
    (n) =>
      r.cpu > n.allocatable.cpu ||
      r.memory > n.allocatable.memory ||
      r.ephemeralStorage > n.allocatable.ephemeralStorage,
  );
  if (core) return 'core';
  const any = nodes.every((n) => [...r.scalars].some(([k, v]) => v > (n.allocatable.scalars.get(k) ?? 0)));
  return any ? 'extended' : false;
}

/** Failures that do not depend on the nodes (a missing claim, an unknown PriorityClass). */
const CERTAIN = new Set(['VolumeBindingPreFilter', 'Priority', 'NodeName']);

export default defineRule({
  id: 'pod-unschedulable',
  category: 'scheduling',
  severity: 'error',
  description: 'Require every pod of the input to fit on the declared cluster, as kube-scheduler would place it',
  rationale:
    "kubewire expands the workloads into pods and places them, in kube-scheduler's queue order and with " +
    'its filters (taints, node affinity, host ports, resource requests, volumes, topology spread and ' +
    'inter-pod affinity), onto the cluster declared in `.kubewire.yaml` or `--cluster FILE`, or onto an ' +
    'embedded small production cluster. A pod that fits nowhere stays Pending; the finding carries the ' +
    'message kube-scheduler would put in its FailedScheduling event, at the field that blocks it. ' +
    'Findings are errors on a declared cluster; on the default profile, which cannot know your nodes ' +
    '(their labels, taints or sizes), they are infos; failures that depend on what else runs there (capacity, host ' +
    'ports, spreading, affinity) are only reported on the default profile for a pod that fits no ' +
    'empty node. A claim that does not ' +
    'exist is left to `pvc-ref-missing`, and a PriorityClass that does not exist to ' +
    '`priority-class-missing`, so that one cause gives one finding.',
  messages: {
    unschedulable: '{{subject}} cannot be scheduled on {{cluster}}{{consequence}}: {{message}}',
  },
  check(ctx) {
    const result = schedule(ctx.graph);
    const groups = new Map<string, PodPlacement[]>();
    for (const p of result.pods) {
      if (p.message === null) continue;
      // One cause, one finding: a claim that does not exist is pvc-ref-missing's, with its evidence.
      if (p.blame?.plugin === 'VolumeBindingPreFilter' && /persistentvolumeclaim ".*" not found/.test(p.message))
        continue;
      // An unknown PriorityClass is priority-class-missing's, with the evidence of the input.
      if (p.blame?.plugin === 'Priority') continue;
      // Pods of one object whose messages differ only by the pod's own name are one finding.
      const own = new RegExp(`"${p.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`, 'g');
      const key = `${String(p.pod.object.id)}\u0000${p.message.replace(own, '""')}`;
      const list = groups.get(key);
      if (list) list.push(p);
      else groups.set(key, [p]);
    }
    const assumed = result.profile.source === 'default';
    const nodes = plural(result.nodes.length, 'node');
    const cluster = assumed
      ? `the default cluster profile (${nodes}; declare yours with \`cluster.nodes\` or --cluster)`
      : `the declared cluster (${nodes})`;
    for (const list of groups.values()) {
      const first = list[0];
      if (!first) continue;
      const tooBig =
        assumed && first.blame?.plugin === 'NodeResourcesFit' ? fitsNoEmptyNode(first, result.profile.nodes) : false;
      if (assumed && CONTINGENT.has(first.blame?.plugin ?? '') && tooBig === false) continue;
      const simulated = result.pods.filter((p) => p.pod.object === first.pod.object);
      const wanted = podCount(first.pod.object.kind, first.pod.object.raw);
      // The scheduler simulates one pod more than the cluster can hold; the replicas past it fail the same way.
      const beyond =
        first.pod.object.kind !== 'StatefulSet' &&
        typeof wanted === 'number' &&
        wanted > simulated.length &&
        list.includes(simulated[simulated.length - 1] ?? first)
          ? wanted - simulated.length
          : 0;
      const total = simulated.length + (typeof wanted === 'number' && beyond > 0 ? beyond : 0);
      const names = list.map((p) => p.name);
      const failing = list.length + beyond;
      const workload = objectLabel(first.pod.object);
      const subject =
        first.pod.object.kind === 'Pod'
          ? workload
          : failing === 1
            ? `pod ${code(names[0] ?? '')} of ${workload}${total > 1 ? ` (1 of ${String(total)})` : ''}`
            : `${String(failing)} of ${String(total)} pods of ${workload} (${
                beyond === 0
                  ? nameList(names)
                  : `${names.slice(0, 3).map(code).join(', ')} and ${String(failing - Math.min(3, names.length))} more`
              })`;
      const consequence =
        first.pod.object.kind === 'StatefulSet' && typeof wanted === 'number' && wanted > total
          ? `, so its ${plural(wanted - total, 'later pod')} ${wanted - total === 1 ? 'is' : 'are'} never created`
          : '';
      ctx.report({
        object: first.pod.object,
        path: first.blame?.path ?? ['metadata', 'name'],
        messageId: 'unschedulable',
        data: { subject, cluster, consequence, message: first.message ?? '' },
        // On the assumed default profile a finding is a hint, not a proof: the node labels, taints and sizes
        // of the real cluster are unknown to it (a pod bigger than its 4-CPU nodes fits a 32-CPU node).
        ...(assumed && !CERTAIN.has(first.blame?.plugin ?? '') ? { severity: 'info' } : {}),
      });
    }
  },
});
