import {
  asArray,
  autoscalingOf,
  code,
  defineRule,
  get,
  listOf,
  objectLabel,
  plural,
  podCount,
  referencesTo,
} from '../src/api.js';
import type { KObject, Reference } from '../src/api.js';

interface Use {
  ref: Reference;
  /** Pods of the workload that mount the claim at once ('per-node' for DaemonSets). */
  pods: number | 'per-node';
}

function describePods(pods: number | 'per-node'): string {
  return pods === 'per-node' ? 'one pod per node' : plural(pods, 'pod');
}

export default defineRule({
  id: 'rwo-claim-shared',
  category: 'wiring',
  severity: 'error',
  description: 'Disallow single-node claims (ReadWriteOnce, ReadWriteOncePod) mounted by several pods',
  rationale:
    'A ReadWriteOncePod claim can be used by one pod only: every other pod that mounts it stays ' +
    'Pending (an error). A ReadWriteOnce claim attaches to one node, so every pod that mounts it must ' +
    'run on that node: replicas cannot spread across nodes or zones, DaemonSet pods on other nodes ' +
    'fail with Multi-Attach errors, and pods that land elsewhere never start (a warning). The pod ' +
    'count is `replicas` (or the maximum of an HPA that scales the workload), `parallelism` for Jobs, ' +
    'and one per node for DaemonSets. Give each replica its own claim (a StatefulSet ' +
    '`volumeClaimTemplate`) or use ReadWriteMany storage.',
  messages: {
    rwop:
      '{{from}} mounts ReadWriteOncePod claim {{claim}} with {{pods}} in all ({{users}}): only one pod can use it, ' +
      'the others stay Pending; give each pod its own claim (a StatefulSet volumeClaimTemplate)',
    rwo:
      '{{from}} mounts ReadWriteOnce claim {{claim}} with {{pods}} in all ({{users}}): the volume attaches to one ' +
      'node, so every pod must run there and pods placed elsewhere never start; use a StatefulSet ' +
      'volumeClaimTemplate or ReadWriteMany storage',
  },
  check(ctx) {
    // Pods that run side by side. Run-to-completion pods (Jobs, CronJobs, one-off Pods) usually run
    // before or after the others (a loader, then a server), so only their own parallelism counts.
    const uses = new Map<KObject, Use[]>();
    const seen = new Set<string>();
    for (const ref of referencesTo(ctx.graph, 'claims', 'PersistentVolumeClaim')) {
      if (ref.resolution.status !== 'found') continue;
      const count = podCount(ref.from.kind, ref.from.raw);
      if (count === undefined) continue;
      const pods = count === 'per-node' ? count : Math.max(count, autoscalingOf(ctx.graph, ref.from).max ?? 0);
      const longRunning = ref.from.podTemplate?.longRunning ?? false;
      for (const claim of ref.resolution.objects) {
        // Several definitions of one workload (variants of a manifest) are one workload.
        const from = ref.from;
        const identity = [claim.id, from.kind, from.namespace ?? '', from.name, ref.target.name].join('\u0000');
        if (seen.has(identity)) continue;
        seen.add(identity);
        if (!longRunning) {
          if (pods === 'per-node' || pods > 1) uses.set(claim, [...(uses.get(claim) ?? []), { ref, pods }]);
          continue;
        }
        uses.set(claim, [...(uses.get(claim) ?? []), { ref, pods }]);
      }
    }
    for (const [claim, list] of uses) {
      const accessModes = asArray(get(claim.raw, 'spec', 'accessModes'));
      if (accessModes.includes('ReadWriteMany') || accessModes.includes('ReadOnlyMany')) continue;
      const rwop = accessModes.includes('ReadWriteOncePod');
      if (!rwop && !accessModes.includes('ReadWriteOnce')) continue;
      const perNode = list.some((u) => u.pods === 'per-node');
      const total = list.reduce((n, u) => n + (u.pods === 'per-node' ? 2 : u.pods), 0);
      if (!perNode && total <= 1) continue;
      const users = listOf(
        list.map((u) => `${objectLabel(u.ref.from)}: ${describePods(u.pods)}`),
        5,
      );
      for (const u of list) {
        if (u.pods === 0) continue;
        ctx.report({
          object: u.ref.from,
          path: u.ref.path,
          messageId: rwop ? 'rwop' : 'rwo',
          data: {
            from: objectLabel(u.ref.from),
            claim: code(claim.name),
            pods: perNode ? 'one pod per node' : describePods(total),
            users,
          },
          related: [{ object: claim, path: ['spec', 'accessModes'], message: `access modes of ${objectLabel(claim)}` }],
          severity: rwop ? 'error' : 'warning',
        });
      }
    }
  },
});
