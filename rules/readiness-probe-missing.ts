import {
  containerLabel,
  defineRule,
  listOf,
  objectLabel,
  portList,
  servicesSelecting,
  trafficTargets,
} from '../src/api.js';

export default defineRule({
  id: 'readiness-probe-missing',
  category: 'probes',
  severity: 'error',
  description: 'Require a readiness probe on containers of long-running pods that receive traffic',
  rationale:
    'Without a readiness probe a pod counts as ready the moment its containers start, so a Service ' +
    'sends it requests while the application is still starting, and a rolling update removes old pods ' +
    'before the new ones can serve: users see errors on every deploy. It is an error for a container a ' +
    'Service sends traffic to (the Service is named as the other end), and an info for a container ' +
    'that declares ports no Service of the input selects: readiness only decides which pods a Service ' +
    'sends requests to (and paces rollouts), so nothing in the input depends on it there, though a ' +
    'Service made elsewhere may. Init ' +
    'containers, sidecars, and the pods of Jobs, CronJobs and run-to-completion Pods are not checked.',
  messages: {
    selected:
      '{{container}} has no readinessProbe, but {{services}} {{sends}} it traffic: pods get requests before ' +
      'they are ready, during start-up and every rollout; add a readinessProbe (e.g. an httpGet on a health endpoint)',
    ports:
      '{{container}} declares ports ({{ports}}) but has no readinessProbe; no Service of the input selects it, ' +
      'but one created elsewhere would send it traffic before it is ready; add a readinessProbe if it serves requests',
  },
  check(ctx) {
    for (const workload of ctx.graph.withPodTemplates()) {
      const template = workload.podTemplate;
      if (template === undefined || !template.longRunning) continue;
      const services = servicesSelecting(ctx.graph, workload);
      const targets = trafficTargets(services, template);
      for (const container of template.containers) {
        if (
          container.kind !== 'app' ||
          (container.raw.readinessProbe !== undefined && container.raw.readinessProbe !== null)
        )
          continue;
        const path = container.name !== '' ? [...container.path, 'name'] : container.path;
        const data = { container: containerLabel(workload, container) };
        const via = targets.get(container);
        if (via !== undefined) {
          ctx.report({
            object: workload,
            path,
            messageId: 'selected',
            data: { ...data, services: listOf(via.map(objectLabel), 5), sends: via.length > 1 ? 'send' : 'sends' },
            related: via.map((s) => ({
              object: s,
              path: ['spec', 'selector'],
              message: `${objectLabel(s)} selects these pods`,
            })),
          });
        } else if (container.ports.length > 0) {
          ctx.report({
            object: workload,
            path,
            messageId: 'ports',
            data: { ...data, ports: portList(container.ports) },
            severity: 'info',
          });
        }
      }
    }
  },
});
