import { asArray, asNumber, asString, defineRule, get, objectLabel } from '../src/api.js';

export default defineRule({
  id: 'service-exposed',
  category: 'security',
  severity: 'info',
  description: 'Report NodePort Services, which open a port on every node of the cluster',
  rationale:
    'A NodePort Service opens its port on every node, on all of their addresses, past any Ingress or ' +
    'load balancer in front of the cluster; where nodes have public addresses or a permissive firewall, ' +
    'the application is reachable from outside without TLS or authentication. It is often a leftover of ' +
    'local testing (minikube, kind). LoadBalancer Services are not reported: exposing a Service through a ' +
    'cloud load balancer is what the type is for (kube-linter reports both by default; kube-score, like ' +
    'kubewire, only NodePort). It is an info: on bare-metal clusters NodePort is a normal way in.',
  messages: {
    nodePort:
      '{{service}} is of type NodePort{{ports}}: the port is open on every node of the cluster, bypassing any ' +
      'Ingress or load balancer; use type ClusterIP behind an Ingress (or LoadBalancer) unless the nodes ' +
      'are the intended way in',
  },
  check(ctx) {
    for (const service of ctx.graph.ofKind('Service', '')) {
      if (asString(get(service.raw, 'spec', 'type')) !== 'NodePort') continue;
      const nodePorts = asArray(get(service.raw, 'spec', 'ports')).flatMap((p) => {
        const n = asNumber(get(p, 'nodePort'));
        return n !== undefined ? [String(n)] : [];
      });
      ctx.report({
        object: service,
        path: ['spec', 'type'],
        messageId: 'nodePort',
        data: {
          service: objectLabel(service),
          ports:
            nodePorts.length > 0 ? ` (node ${nodePorts.length === 1 ? 'port' : 'ports'} ${nodePorts.join(', ')})` : '',
        },
      });
    }
  },
});
