import {
  asArray,
  asNumber,
  asString,
  closest,
  closestMatch,
  defineRule,
  get,
  ingressBackends,
  isPlaceholder,
  isPortName,
  objectLabel,
  code,
  portList,
  suggestion,
} from '../src/api.js';

export default defineRule({
  id: 'ingress-backend-port',
  category: 'wiring',
  severity: 'error',
  description: 'Require every Ingress backend port to be a port of its Service',
  rationale:
    "An Ingress backend names a port of the Service (`port.number` is the Service's `port`, not the " +
    "container's targetPort; `port.name` is the name of a Service port). A port the Service does not " +
    'expose makes the controller drop the route or answer 503, while everything applies cleanly. ' +
    'Only backends whose Service is in the input are checked; a port number of an ExternalName ' +
    'Service is not, as controllers use it as given.',
  messages: {
    number:
      '{{ingress}} routes to port {{port}} of {{service}}, which exposes {{exposes}}: ' +
      'requests on this path fail{{hint}}',
    name:
      '{{ingress}} routes to port {{port}} of {{service}}, which has no port named {{port}} ' +
      '(its ports: {{ports}}): requests on this path fail{{hint}}',
  },
  check(ctx) {
    for (const ingress of ctx.graph.ofKind('Ingress')) {
      if (ingress.namespace === null) continue;
      for (const backend of ingressBackends(ingress)) {
        const port = backend.port;
        if (
          port === undefined ||
          (typeof port.value === 'string' &&
            (isPlaceholder(port.value) || (!/^\d+$/.test(port.value) && !isPortName(port.value))))
        )
          continue;
        // Of several definitions of the Service (variants of one sample), the ones closest to the Ingress.
        for (const service of closest(
          ctx.graph.find('Service', ingress.namespace, backend.service),
          ingress.source.path,
        )) {
          const entries = asArray(get(service.raw, 'spec', 'ports'));
          const numbers = entries.flatMap((e) => {
            const n = asNumber(get(e, 'port'));
            return n !== undefined ? [n] : [];
          });
          const names = entries.flatMap((e) => {
            const n = asString(get(e, 'name'));
            return n !== undefined ? [n] : [];
          });
          const value = typeof port.value === 'string' && /^\d+$/.test(port.value) ? Number(port.value) : port.value;
          // Controllers send traffic for an ExternalName Service to the external host on the number
          // the Ingress gives, whatever ports the Service lists (often none).
          if (typeof value === 'number' && asString(get(service.raw, 'spec', 'type')) === 'ExternalName') continue;
          const ok = typeof value === 'number' ? numbers.includes(value) : names.includes(value);
          if (ok) continue;
          const list = portList(
            entries.map((e) => ({
              name: asString(get(e, 'name')),
              containerPort: asNumber(get(e, 'port')),
              protocol: asString(get(e, 'protocol')) ?? 'TCP',
            })),
          );
          let hint = '';
          let guess: string | number | undefined;
          if (typeof value === 'number') {
            const byTarget = entries.find((e) => get(e, 'targetPort') === value);
            const servicePort = asNumber(get(byTarget, 'port'));
            if (byTarget !== undefined && servicePort !== undefined)
              hint =
                `; ${code(value)} is the targetPort of Service port ${code(servicePort)}, ` +
                `and an Ingress names the Service port: write ${code(servicePort)}`;
            else if (numbers.length === 1) hint = suggestion((guess = numbers[0]));
          } else hint = suggestion((guess = closestMatch(value, names)));
          if (hint === '')
            hint = entries.length === 0 ? '; give the Service the port' : "; route to one of the Service's ports";
          ctx.report({
            object: ingress,
            path: port.path,
            messageId: typeof value === 'number' ? 'number' : 'name',
            data: {
              ingress: objectLabel(ingress),
              service: objectLabel(service),
              port: code(value),
              ports: list,
              exposes: entries.length === 0 ? 'no ports' : `only ${list}`,
              hint,
            },
            related: [{ object: service, path: ['spec', 'ports'], message: `ports of ${objectLabel(service)}` }],
            ...(guess !== undefined ? { suggestion: { value: guess } } : {}),
          });
        }
      }
    }
  },
});
