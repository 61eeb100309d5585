import {
  asArray,
  defineRule,
  get,
  isRecord,
  listOf,
  objectLabel,
  replicaFloor,
  servicesSelecting,
} from '../src/api.js';

export default defineRule({
  id: 'replicas-single',
  category: 'scheduling',
  severity: 'info',
  description: 'Report a Service whose pods come from a single replica',
  rationale:
    'A Service backed by one pod has no endpoint while that pod restarts, is evicted by a node drain or ' +
    'is replaced by a rollout that cannot surge: clients get connection errors. Only Deployments, ' +
    'ReplicaSets and StatefulSets that a Service of the input selects and no autoscaler scales are ' +
    'checked (kube-score semantics); `replicas: 0` (scaled down on purpose) is not reported. It is an ' +
    'info: development and single-instance components (a database without replication) run one replica ' +
    'on purpose.',
  messages: {
    single:
      '{{workload}} runs a single replica behind {{services}}: while it restarts, is evicted or is replaced, ' +
      'the Service has no endpoint and requests fail; run at least 2 replicas (or add a ' +
      'HorizontalPodAutoscaler with `minReplicas: 2`)',
  },
  check(ctx) {
    for (const workload of ctx.graph.withPodTemplates()) {
      const floor = replicaFloor(ctx.graph, workload);
      if (floor === undefined || floor.replicas !== 1 || floor.autoscaling.min !== undefined) continue;
      // Single-instance components on purpose: a StatefulSet (more replicas do not make a database highly
      // available), a pod mounting a claim (a ReadWriteOnce volume cannot be shared), a Recreate strategy.
      if (workload.kind === 'StatefulSet' || get(workload.raw, 'spec', 'strategy', 'type') === 'Recreate') continue;
      if (asArray(workload.podTemplate?.spec.volumes).some((v) => isRecord(get(v, 'persistentVolumeClaim')))) continue;
      const services = servicesSelecting(ctx.graph, workload);
      if (services.length === 0) continue;
      const written = get(workload.written, 'spec', 'replicas');
      ctx.report({
        object: workload,
        path: written !== undefined ? ['spec', 'replicas'] : ['metadata', 'name'],
        messageId: 'single',
        data: { workload: objectLabel(workload), services: listOf(services.map(objectLabel)) },
        related: services.map((s) => ({
          object: s,
          path: ['spec', 'selector'],
          message: `${objectLabel(s)} selects its pods`,
        })),
      });
    }
  },
});
