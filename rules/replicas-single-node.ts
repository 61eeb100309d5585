import { defineRule, objectLabel, schedule } from '../src/api.js';
import { fragilePlacements } from './replicas-single-zone.js';

export default defineRule({
  id: 'replicas-single-node',
  category: 'scheduling',
  severity: 'warning',
  description: 'Warn when every replica of a workload lands on one node of a multi-node cluster',
  rationale:
    'Replicas exist to survive the loss of a node. When the dry-run scheduler can place all replicas of a ' +
    'Deployment, ReplicaSet or StatefulSet only on a single node, although the cluster has others, one ' +
    'node drain or failure takes the whole workload down. It usually comes from a nodeSelector, node ' +
    'affinity or toleration that matches one node, or from the other nodes being full.',
  messages: {
    singleNode:
      'all {{count}} replicas of {{workload}} are placed on node `{{node}}` ({{why}}): one node failure or drain ' +
      'stops the workload; let them use other nodes and spread them with a topologySpreadConstraint on ' +
      'kubernetes.io/hostname',
  },
  check(ctx) {
    const result = schedule(ctx.graph);
    for (const f of fragilePlacements(result)) {
      if (f.nodes.size !== 1) continue;
      ctx.report({
        object: f.object,
        path: f.path,
        messageId: 'singleNode',
        data: { count: f.count, workload: objectLabel(f.object), node: [...f.nodes][0] ?? '', why: f.why },
      });
    }
  },
});
