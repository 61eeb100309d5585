import { containerLabel, defineRule, isIdleContainer, servicesSelecting, trafficTargets } from '../src/api.js';
import type { ContainerInfo } from '../src/api.js';

export default defineRule({
  id: 'liveness-probe-missing',
  category: 'probes',
  severity: 'warning',
  description: 'Require a liveness probe on containers of long-running pods that serve something',
  rationale:
    'A container that deadlocks or hangs without exiting keeps its pod Running forever: nothing ' +
    'restarts it, and if it also has a readiness probe it silently drops out of its Service, reducing ' +
    'capacity until someone notices. A liveness probe lets the kubelet restart it. Make it cheaper and ' +
    'more tolerant than the readiness probe (a higher failureThreshold), so that a slow dependency ' +
    'makes pods unready rather than restarting them all: a wrong liveness probe is itself a common ' +
    'cause of outages, and the kubelet restarts a process that crashes anyway. So the severity follows ' +
    'the evidence: a warning for a container that serves (a Service of the input sends it traffic, or ' +
    'it declares ports), an info for other containers (workers, load generators, helpers). Containers ' +
    'that only idle (`sleep`, `pause`, `tail -f /dev/null`, the pause image), init containers, ' +
    'sidecars, and the pods of Jobs, CronJobs and run-to-completion Pods are not checked.',
  messages: {
    missing:
      '{{container}} has no livenessProbe: if it hangs without exiting, nothing restarts it; ' +
      'add a livenessProbe (more tolerant than the readiness probe)',
  },
  check(ctx) {
    for (const workload of ctx.graph.withPodTemplates()) {
      const template = workload.podTemplate;
      if (template === undefined || !template.longRunning) continue;
      let served: Set<ContainerInfo> | undefined;
      for (const container of template.containers) {
        if (
          container.kind !== 'app' ||
          (container.raw.livenessProbe !== undefined && container.raw.livenessProbe !== null) ||
          isIdleContainer(container)
        )
          continue;
        served ??= new Set(trafficTargets(servicesSelecting(ctx.graph, workload), template).keys());
        const serves = container.ports.length > 0 || served.has(container);
        ctx.report({
          object: workload,
          path: container.name !== '' ? [...container.path, 'name'] : container.path,
          messageId: 'missing',
          data: { container: containerLabel(workload, container) },
          ...(serves ? {} : { severity: 'info' as const }),
        });
      }
    }
  },
});
