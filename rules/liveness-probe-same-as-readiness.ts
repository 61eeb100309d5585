import { containerLabel, deepEqual, defineRule, findContainerPort, isRecord } from '../src/api.js';
import type { ContainerInfo } from '../src/api.js';

/** The kubelet's defaults, applied before comparing, so that written-out defaults compare equal. */
const DEFAULTS: Record<string, number> = {
  initialDelaySeconds: 0,
  periodSeconds: 10,
  timeoutSeconds: 1,
  successThreshold: 1,
  failureThreshold: 3,
};

/** A named port as the number the container declares for it, so that `port: http` equals `port: 8080`. */
function portValue(container: ContainerInfo, port: unknown): unknown {
  if (typeof port !== 'string' || /^\d+$/.test(port)) return port;
  return findContainerPort(container, port)?.containerPort ?? port;
}

function normalize(probe: Record<string, unknown>, container: ContainerInfo): Record<string, unknown> {
  const out: Record<string, unknown> = { ...DEFAULTS, ...probe };
  const http = out.httpGet;
  if (isRecord(http)) out.httpGet = { path: '/', scheme: 'HTTP', ...http, port: portValue(container, http.port) };
  const tcp = out.tcpSocket;
  if (isRecord(tcp)) out.tcpSocket = { ...tcp, port: portValue(container, tcp.port) };
  return out;
}

export default defineRule({
  id: 'liveness-probe-same-as-readiness',
  category: 'probes',
  severity: 'warning',
  description: 'Disallow a liveness probe identical to the readiness probe',
  rationale:
    'When the liveness probe is the readiness probe with the same timings, a container is restarted ' +
    'at the very moment it stops being ready. A slow database or a burst of load then restarts every ' +
    'replica at once instead of shedding traffic until it recovers, turning a brown-out into an outage. ' +
    'Give the liveness probe a higher failureThreshold (or a cheaper endpoint that checks only the ' +
    'process itself). Defaults are applied before comparing, so spelled-out defaults count as equal.',
  messages: {
    same:
      'the livenessProbe of {{container}} is identical to its readinessProbe: the container is restarted ' +
      'exactly when it stops being ready, so a slow dependency restarts every replica; ' +
      'give the livenessProbe a higher failureThreshold or a lighter check',
  },
  check(ctx) {
    for (const workload of ctx.graph.withPodTemplates()) {
      const template = workload.podTemplate;
      if (template === undefined) continue;
      for (const container of template.containers) {
        const liveness = container.raw.livenessProbe;
        const readiness = container.raw.readinessProbe;
        if (!isRecord(liveness) || !isRecord(readiness)) continue;
        if (!deepEqual(normalize(liveness, container), normalize(readiness, container))) continue;
        ctx.report({
          object: workload,
          path: [...container.path, 'livenessProbe'],
          messageId: 'same',
          data: { container: containerLabel(workload, container) },
          related: [
            { object: workload, path: [...container.path, 'readinessProbe'], message: 'the identical readinessProbe' },
          ],
        });
      }
    }
  },
});
