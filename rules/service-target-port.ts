import {
  asArray,
  asString,
  closestMatch,
  code,
  containerName,
  defineRule,
  findContainerPort,
  get,
  isPlaceholder,
  isPortName,
  isRecord,
  objectLabel,
  portList,
  references,
  selectingServices,
  suggestion,
} from '../src/api.js';
import type { ContainerInfo, KObject } from '../src/api.js';

function declared(containers: readonly ContainerInfo[]): string {
  const ports = containers.flatMap((c) => c.ports);
  return ports.length > 0 ? `its ports: ${portList(ports)}` : 'its containers declare no ports';
}

/** 8080 vs 8081, 8080 vs 8090: numbers of the same length that differ in one digit. */
function oneDigitOff(a: number, b: number): boolean {
  const x = String(a);
  const y = String(b);
  if (x.length !== y.length) return false;
  let diff = 0;
  for (let i = 0; i < x.length; i++) if (x.charAt(i) !== y.charAt(i)) diff++;
  return diff === 1;
}

export default defineRule({
  id: 'service-target-port',
  category: 'wiring',
  severity: 'error',
  description: 'Require every Service targetPort to reach a port of the pods it selects',
  rationale:
    'A Service forwards to `targetPort` (by default the same number as `port`) on each selected pod. ' +
    'A named targetPort must be the name of a container port of every selected pod, with the same ' +
    'protocol; otherwise those pods are left out of the endpoints and the Service sends them nothing ' +
    '(an error). A numeric targetPort works even when the container does not declare it, so a number ' +
    'no container declares, while the pod declares others, is a warning: usually a typo or a stale ' +
    'port (an info when the number appears in the command, args or env of a container, or in the data ' +
    'of a ConfigMap the pod reads, which says the application listens there). Pods that declare no ports at all are not checked for numbers, and pods that run to ' +
    'completion (Jobs labelled like the application) are not checked when the Service also selects ' +
    'long-running pods.',
  messages: {
    namedMissing:
      '{{service}} targets port {{port}}, but no container of {{workload}} names a port {{port}} ' +
      '({{declared}}): those pods get no traffic from this Service{{hint}}',
    protocol:
      '{{service}} targets port {{port}} over {{protocol}}, but {{workload}} declares it for {{other}}: ' +
      'the traffic never arrives; make the protocols agree',
    numberUndeclared:
      '{{service}} targets port {{port}}, but no container of {{workload}} declares it ({{declared}}): ' +
      'if the application listens there, declare it, otherwise requests fail{{hint}}',
  },
  check(ctx) {
    for (const { service, namespace: ns, selector } of selectingServices(ctx.graph)) {
      const selected = ctx.graph.selectPods(ns, selector, service);
      // Pods that run to completion (a migration Job labelled like the app, as Helm charts often do)
      // are not what a Service is for: when it also selects long-running pods, only those are checked.
      const longRunning = selected.filter((w) => w.podTemplate?.longRunning === true);
      const workloads = longRunning.length > 0 ? longRunning : selected;
      asArray(get(service.raw, 'spec', 'ports')).forEach((entry, i) => {
        if (!isRecord(entry)) return;
        // The server defaults an unset targetPort (absent, 0 or "") to the port: point at what the author wrote.
        const asWritten = get(service.written, 'spec', 'ports', i, 'targetPort');
        const written = asWritten !== undefined && asWritten !== null && asWritten !== 0 && asWritten !== '';
        const target = entry.targetPort ?? entry.port;
        const path = ['spec', 'ports', i, written ? 'targetPort' : 'port'];
        const protocol = asString(entry.protocol) ?? 'TCP';
        const value = typeof target === 'string' && /^\d+$/.test(target) ? Number(target) : target;
        if (typeof value !== 'number' && (typeof value !== 'string' || isPlaceholder(value) || !isPortName(value)))
          return;
        for (const workload of workloads) check(service, workload, value, protocol, path);
      });
    }

    function check(
      service: KObject,
      workload: KObject,
      port: string | number,
      protocol: string,
      path: (string | number)[],
    ): void {
      const template = workload.podTemplate;
      if (template === undefined) return;
      const containers = template.containers.filter((c) => c.kind === 'app' || c.kind === 'sidecar');
      // A template that lists no containers (no spec at all) says nothing about ports: the schema check reports it.
      if (containers.length === 0) return;
      if (containers.some((c) => findContainerPort(c, port, protocol) !== undefined)) return;
      const data = {
        service: objectLabel(service),
        workload: objectLabel(workload),
        port: code(port),
        protocol,
        declared: declared(containers),
      };
      const firstWithPorts = containers.find((c) => c.ports.length > 0);
      const related = firstWithPorts
        ? [
            {
              object: workload,
              path: [...firstWithPorts.path, 'ports'],
              message: `ports of ${containerName(firstWithPorts)}`,
            },
          ]
        : [];
      const otherProtocol = containers
        .flatMap((c) => c.ports)
        .find((p) => (typeof port === 'number' ? p.containerPort === port : p.name === port));
      if (otherProtocol !== undefined) {
        ctx.report({
          object: service,
          path,
          messageId: 'protocol',
          data: { ...data, other: otherProtocol.protocol },
          related: [{ object: workload, path: otherProtocol.path, message: 'the container port' }],
        });
        return;
      }
      if (typeof port === 'string') {
        const guess = closestMatch(
          port,
          containers.flatMap((c) => c.ports.flatMap((p) => (p.name !== undefined ? [p.name] : []))),
        );
        ctx.report({
          object: service,
          path,
          messageId: 'namedMissing',
          data: { ...data, hint: guess !== undefined ? suggestion(guess) : '; name one of their ports' },
          related,
          ...(guess !== undefined ? { suggestion: { value: guess } } : {}),
        });
        return;
      }
      const numbers = containers.flatMap((c) =>
        c.ports.flatMap((p) => (p.containerPort !== undefined ? [p.containerPort] : [])),
      );
      if (numbers.length === 0) return; // the pod declares no ports: nothing to compare with
      // A close number the Service already targets through another of its ports is no typo (4317 and 5317).
      const targeted = new Set(
        asArray(get(service.raw, 'spec', 'ports')).map((e) => (isRecord(e) ? Number(e.targetPort ?? e.port) : NaN)),
      );
      const close = numbers.find((n) => !targeted.has(n) && (Math.abs(n - port) <= 1 || oneDigitOff(n, port)));
      // The number in a container's command, args or env (`--port=18080`), or in the data of a ConfigMap the
      // pod reads (`endpoint: 0.0.0.0:5317` in a collector's configuration), says the application listens
      // there: the port is only undeclared, and a close declared number is a coincidence, not the intent.
      const number = new RegExp(`(^|[^0-9])${String(port)}([^0-9]|$)`);
      const configMaps = references(ctx.graph)
        .filter((r) => r.from === workload && r.target.kind === 'ConfigMap' && r.resolution.status === 'found')
        .flatMap((r) => (r.resolution.status === 'found' ? r.resolution.objects : []));
      const mentioned =
        containers.some((c) => number.test(JSON.stringify([c.raw.command, c.raw.args, c.raw.env]))) ||
        configMaps.some((m) => number.test(JSON.stringify(m.raw.data ?? null)));
      ctx.report({
        object: service,
        path,
        messageId: 'numberUndeclared',
        data: { ...data, hint: mentioned ? '' : suggestion(close) },
        related,
        ...(!mentioned && close !== undefined ? { suggestion: { value: close } } : {}),
        severity: mentioned ? 'info' : 'warning',
      });
    }
  },
});
