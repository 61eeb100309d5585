import {
  closestMatch,
  code,
  containerLabel,
  containerName,
  defineRule,
  findContainerPort,
  isRecord,
  portList,
  resolveProbePort,
  suggestion,
} from '../src/api.js';
import type { ContainerInfo } from '../src/api.js';

const PROBES = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const;
const HANDLERS = ['httpGet', 'tcpSocket', 'grpc'] as const;

const EFFECT: Record<(typeof PROBES)[number], string> = {
  livenessProbe: 'the probe always fails and the kubelet restarts the container over and over',
  readinessProbe: 'the probe always fails and the pod never becomes ready',
  startupProbe: 'the probe always fails and the container is killed before it can start',
};

function declared(container: ContainerInfo): string {
  return container.ports.length === 0 ? 'it declares no ports' : `its ports: ${portList(container.ports)}`;
}

export default defineRule({
  id: 'probe-port-unresolved',
  category: 'probes',
  severity: 'error',
  description: 'Require probe ports to name or number a port the container declares',
  rationale:
    'The kubelet resolves a named probe port (`port: http`) among the ports of the probed container ' +
    'only; when none has that name the probe fails every time, so a liveness probe restarts the ' +
    'container forever and a readiness probe keeps the pod out of every Service. A port written as a ' +
    'quoted number is rejected by the API server (a string port must be a port name, which has a letter), ' +
    'and a gRPC probe takes a number only. A numeric port needs no declaration, but one that no ' +
    'container of the pod declares, while the probed container declares others, is usually a typo or ' +
    'a stale port; since the input cannot prove it, it is an info that asks to declare the port. ' +
    'A container that declares no ports at all is not checked for numbers. Every probe handler connects ' +
    'over TCP, so a probe on a port the pod declares only for UDP (or SCTP) always fails.',
  messages: {
    namedMissing:
      'the {{probe}} of {{container}} uses port `{{port}}`, but the container has no port named `{{port}}` ' +
      '({{declared}}): {{effect}}{{hint}}',
    quotedNumber:
      'the {{probe}} of {{container}} writes its port as the string "{{port}}", which the API server rejects ' +
      '(a port written as a string must be a port name, and names contain a letter): write `{{port}}` without quotes',
    grpcNamed:
      'the {{probe}} of {{container}} uses the port name `{{port}}`, but a grpc probe takes a port number only ' +
      'and the API server rejects a name: write {{number}}',
    notTcp:
      'the {{probe}} of {{container}} connects over TCP, but the container declares port {{port}} only for {{protocol}}: {{effect}}; probe a TCP port, or declare this one for TCP too',
    numericUndeclared:
      'the {{probe}} of {{container}} probes port `{{port}}`, which no container of the pod declares ({{declared}}): ' +
      'if the application listens there, declare it, otherwise the probe fails',
  },
  check(ctx) {
    for (const workload of ctx.graph.withPodTemplates()) {
      const template = workload.podTemplate;
      if (template === undefined) continue;
      for (const container of template.containers) {
        for (const probe of PROBES) {
          const spec = container.raw[probe];
          if (!isRecord(spec)) continue;
          for (const handler of HANDLERS) {
            const h = spec[handler];
            if (!isRecord(h) || h.port === undefined) continue;
            const result = resolveProbePort(template, container, h.port);
            const path = [...container.path, probe, handler, 'port'];
            const data = {
              probe,
              container: containerLabel(workload, container),
              declared: declared(container),
            };
            if (
              handler === 'grpc' &&
              (result.status === 'ok' || result.status === 'named-missing') &&
              typeof h.port === 'string'
            ) {
              // GRPCAction.port is an int32: a name is rejected even when the container declares it.
              const number = result.status === 'ok' ? result.port?.containerPort : undefined;
              ctx.report({
                object: workload,
                path,
                messageId: 'grpcNamed',
                data: { ...data, port: h.port, number: number !== undefined ? code(number) : 'the port number' },
              });
            } else if (result.status === 'ok' && result.port !== undefined && result.port.protocol !== 'TCP') {
              // Every handler (HTTP, TCP, gRPC) connects over TCP; a port declared only for UDP or SCTP answers nothing.
              const declaredPort = result.port;
              const number = declaredPort.containerPort;
              const tcpToo =
                number !== undefined &&
                template.containers.some((c) => findContainerPort(c, number, 'TCP') !== undefined);
              if (tcpToo) continue;
              ctx.report({
                object: workload,
                path,
                messageId: 'notTcp',
                data: {
                  ...data,
                  port:
                    typeof h.port === 'string'
                      ? `${code(h.port)}${number !== undefined ? ` (${String(number)})` : ''}`
                      : code(number ?? String(declaredPort.name)),
                  protocol: declaredPort.protocol,
                  effect: EFFECT[probe],
                },
                related: [{ object: workload, path: declaredPort.path, message: 'the container port' }],
              });
            } else if (result.status === 'named-missing') {
              const names = container.ports.flatMap((p) => (p.name !== undefined ? [p.name] : []));
              const guess = closestMatch(result.name, names);
              // Containers share the pod's network, but names are looked up in the probed container only.
              const owner = template.containers.find(
                (c) => c !== container && c.ports.some((p) => p.name === result.name),
              );
              const ownerPort = owner?.ports.find((p) => p.name === result.name)?.containerPort;
              const hint =
                guess !== undefined
                  ? suggestion(guess)
                  : owner !== undefined
                    ? `; ${code(result.name)} is a port of ${containerName(owner)}, and a probe looks names up ` +
                      'in its own container only' +
                      (ownerPort !== undefined ? `: write its number, ${code(ownerPort)}` : '')
                    : '; name one of its ports, or write the port number';
              ctx.report({
                object: workload,
                path,
                messageId: 'namedMissing',
                data: { ...data, port: result.name, effect: EFFECT[probe], hint },
                ...(guess !== undefined ? { suggestion: { value: guess } } : {}),
                related:
                  container.ports.length > 0
                    ? [
                        {
                          object: workload,
                          path: [...container.path, 'ports'],
                          message: `ports of ${containerName(container)}`,
                        },
                      ]
                    : [],
              });
            } else if (result.status === 'quoted-number') {
              ctx.report({ object: workload, path, messageId: 'quotedNumber', data: { ...data, port: result.value } });
            } else if (result.status === 'numeric-undeclared') {
              ctx.report({
                object: workload,
                path,
                messageId: 'numericUndeclared',
                data: { ...data, port: result.port },
                related: [
                  {
                    object: workload,
                    path: [...container.path, 'ports'],
                    message: `ports of ${containerName(container)}`,
                  },
                ],
                severity: 'info',
              });
            }
          }
        }
      }
    }
  },
});
