import { containerLabel, defineRule } from '../src/api.js';

export default defineRule({
  id: 'liveness-probe-missing',
  category: 'probes',
  severity: 'warning',
  description: 'Require a liveness probe on containers of long-running pods',
  rationale:
    'A container that deadlocks or hangs without exiting keeps its pod Running forever: nothing ' +
    'restarts it, and if it also has a readiness probe it silently drops out of its Service, reducing ' +
    'capacity until someone notices. A liveness probe lets the kubelet restart it. Make it cheaper and ' +
    'more tolerant than the readiness probe (a higher failureThreshold), so that a slow dependency ' +
    'makes pods unready rather than restarting them all. Init containers, sidecars, and the pods of ' +
    'Jobs, CronJobs and run-to-completion Pods are not checked.',
  messages: {
    missing:
      '{{container}} has no livenessProbe: if it hangs without exiting, nothing restarts it; ' +
      'add a livenessProbe (more tolerant than the readiness probe)',
  },
  check(ctx) {
    for (const workload of ctx.graph.objects) {
      const template = workload.podTemplate;
      if (template === undefined || !template.longRunning) continue;
      for (const container of template.containers) {
        if (
          container.kind !== 'app' ||
          (container.raw.livenessProbe !== undefined && container.raw.livenessProbe !== null)
        )
          continue;
        ctx.report({
          object: workload,
          path: container.name !== '' ? [...container.path, 'name'] : container.path,
          messageId: 'missing',
          data: { container: containerLabel(workload, container) },
        });
      }
    }
  },
});
