import {
  asArray,
  asNumber,
  asRecord,
  asString,
  defineRule,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  isKustomizePatch,
  isRecord,
  looksLikePlaceholder,
  objectLabel,
  portNameProblem,
  serverValue,
} from '../src/api.js';
import type { Path } from '../src/api.js';

type MessageId =
  | 'portsRequired'
  | 'portNameRequired'
  | 'portName'
  | 'portNameDuplicate'
  | 'portRange'
  | 'targetPortName'
  | 'portDuplicate'
  | 'nodePortClusterIP'
  | 'nodePortDuplicate'
  | 'nodePortRange'
  | 'externalNameRequired'
  | 'externalNameInvalid'
  | 'externalNameClusterIP'
  | 'headlessType'
  | 'trafficPolicyType'
  | 'healthCheckNodePort'
  | 'sourceRangesType'
  | 'affinityTimeout'
  | 'ipFamiliesTooMany'
  | 'ipFamiliesDuplicate'
  | 'ipFamiliesSingleStack'
  | 'allocateNodePortsType';

const DEFAULT_NODE_PORTS = { min: 30000, max: 32767 };

export default defineRule<MessageId>({
  id: 'service-spec-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report Service specs the API server rejects: ports, node ports, types, traffic policies, IP families',
  rationale:
    '`ValidateService` (pkg/apis/core/validation/validation.go) requires at least one port unless the ' +
    'Service is headless or an ExternalName; a name on every port when there are several, each a ' +
    'DNS-1123 label and unique; port numbers in 1–65535 and a `targetPort` that is a number or an IANA ' +
    'port name; each port/protocol pair once and each node port once; no `nodePort` on a ClusterIP ' +
    'Service; for `type: ExternalName` an `externalName` that is a DNS name and no cluster IP; no ' +
    '`clusterIP: None` on NodePort or LoadBalancer Services; `externalTrafficPolicy` only on NodePort and ' +
    'LoadBalancer Services, `healthCheckNodePort` only with a LoadBalancer and `Local` policy, ' +
    '`loadBalancerSourceRanges` and `allocateLoadBalancerNodePorts` only on LoadBalancers; ClientIP ' +
    'affinity timeouts in 1–86400 seconds; at most two distinct `ipFamilies`, and one with `SingleStack`. ' +
    'A node port outside 30000–32767 (the default `--service-node-port-range`) is a warning: clusters can ' +
    'configure another range.',
  messages: {
    portsRequired: '{{object}} has no ports: a Service other than a headless or ExternalName one needs at least one',
    portNameRequired:
      'port {{index}} of {{object}} has no name: when a Service has several ports, each needs a name; add `name:`',
    portName: 'port name `{{name}}` of {{object}} is not valid: {{problem}}',
    portNameDuplicate: 'port name `{{name}}` is used twice in {{object}}: rename one',
    portRange: '`{{field}}` {{value}} of {{object}} is out of range: it must be between 1 and 65535',
    targetPortName: '`targetPort` `{{name}}` of {{object}} is not a valid port name: {{problem}}',
    portDuplicate:
      '{{object}} exposes port {{port}}/{{protocol}} twice: each port and protocol may appear once; remove ' +
      'or change one',
    nodePortClusterIP:
      '{{object}} is of type ClusterIP, which takes no `nodePort`: remove it or use `type: NodePort` or `LoadBalancer`',
    nodePortDuplicate: 'node port {{port}}/{{protocol}} is used twice in {{object}}: use another node port',
    nodePortRange:
      'node port {{port}} of {{object}} is outside 30000–32767, the default node port range; unless the ' +
      'cluster sets another `--service-node-port-range`, the API server refuses it',
    externalNameRequired:
      '{{object}} is of type ExternalName but has no `externalName`: give the DNS name it points to',
    externalNameInvalid:
      '`externalName` `{{name}}` of {{object}} is not a DNS name: use a host name such as `db.example.com`',
    externalNameClusterIP: '{{object}} is of type ExternalName, which takes no `clusterIP`: remove it',
    headlessType:
      '`clusterIP: None` (headless) is not allowed on a {{type}} Service like {{object}}: remove it or use ' +
      '`type: ClusterIP`',
    trafficPolicyType:
      '`externalTrafficPolicy` of {{object}} may only be set on NodePort and LoadBalancer Services (this ' +
      'one is {{type}}): remove it',
    healthCheckNodePort:
      '`healthCheckNodePort` of {{object}} may only be set with `type: LoadBalancer` and ' +
      '`externalTrafficPolicy: Local`: remove it',
    sourceRangesType:
      '`loadBalancerSourceRanges` of {{object}} may only be set with `type: LoadBalancer` (this one is ' +
      '{{type}}): remove it',
    affinityTimeout:
      '`timeoutSeconds` of the ClientIP affinity of {{object}} is {{value}}: it must be between 1 and 86400',
    ipFamiliesTooMany: '{{object}} lists {{count}} `ipFamilies`: at most two (IPv4 and IPv6) are allowed',
    ipFamiliesDuplicate: '`ipFamilies` of {{object}} lists `{{family}}` twice: list each family once',
    ipFamiliesSingleStack:
      '{{object}} uses `ipFamilyPolicy: SingleStack` with two `ipFamilies`: keep one family or use `PreferDualStack`',
    allocateNodePortsType:
      '`allocateLoadBalancerNodePorts` of {{object}} may only be set with `type: LoadBalancer`: remove it',
  },
  check(ctx) {
    for (const object of ctx.graph.ofKind('Service', '')) {
      const spec = asRecord(serverValue(object, ['spec']));
      if (spec === undefined) continue;
      const label = objectLabel(object);
      const type = asString(spec.type) ?? 'ClusterIP';
      const clusterIP = asString(spec.clusterIP);
      const headless = clusterIP === 'None';
      const ports = asArray(spec.ports);
      const data = { object: label, type };
      // A kustomize patch is partial: its ports may be in the base.
      if (ports.length === 0 && !headless && type !== 'ExternalName' && !isKustomizePatch(ctx, object))
        ctx.report({
          object,
          path: spec.ports === undefined ? ['spec'] : ['spec', 'ports'],
          key: true,
          messageId: 'portsRequired',
          data,
        });
      const names = new Set<string>();
      const pairs = new Set<string>();
      const nodePorts = new Set<string>();
      ports.forEach((port, i) => {
        if (!isRecord(port)) return;
        const at: Path = ['spec', 'ports', i];
        const name = asString(port.name) ?? '';
        const protocol = asString(port.protocol) ?? 'TCP';
        if (name === '' && ports.length > 1)
          ctx.report({ object, path: at, messageId: 'portNameRequired', data: { ...data, index: i } });
        if (name !== '' && !looksLikePlaceholder(name)) {
          const problem = dns1123LabelProblem(name);
          if (problem !== undefined)
            ctx.report({ object, path: [...at, 'name'], messageId: 'portName', data: { ...data, name, problem } });
          else if (names.has(name))
            ctx.report({ object, path: [...at, 'name'], messageId: 'portNameDuplicate', data: { ...data, name } });
          names.add(name);
        }
        for (const field of ['port', 'targetPort', 'nodePort']) {
          const value = asNumber(port[field]);
          if (value === undefined || (field !== 'port' && value === 0)) continue;
          if (!Number.isInteger(value) || value < 1 || value > 65535)
            ctx.report({ object, path: [...at, field], messageId: 'portRange', data: { ...data, field, value } });
        }
        const target = asString(port.targetPort);
        if (target !== undefined && target !== '' && !/^\d+$/.test(target) && !looksLikePlaceholder(target)) {
          const problem = portNameProblem(target);
          if (problem !== undefined)
            ctx.report({
              object,
              path: [...at, 'targetPort'],
              messageId: 'targetPortName',
              data: { ...data, name: target, problem },
            });
        }
        const number = asNumber(port.port);
        if (number !== undefined) {
          const key = `${String(number)}/${protocol}`;
          if (pairs.has(key))
            ctx.report({
              object,
              path: [...at, 'port'],
              messageId: 'portDuplicate',
              data: { ...data, port: number, protocol },
            });
          pairs.add(key);
        }
        const nodePort = asNumber(port.nodePort);
        if (nodePort !== undefined && nodePort !== 0) {
          if (type === 'ClusterIP')
            ctx.report({ object, path: [...at, 'nodePort'], messageId: 'nodePortClusterIP', data });
          else {
            const key = `${String(nodePort)}/${protocol}`;
            if (nodePorts.has(key))
              ctx.report({
                object,
                path: [...at, 'nodePort'],
                messageId: 'nodePortDuplicate',
                data: { ...data, port: nodePort, protocol },
              });
            nodePorts.add(key);
            if (
              nodePort >= 1 &&
              nodePort <= 65535 &&
              (nodePort < DEFAULT_NODE_PORTS.min || nodePort > DEFAULT_NODE_PORTS.max)
            )
              ctx.report({
                object,
                path: [...at, 'nodePort'],
                messageId: 'nodePortRange',
                data: { ...data, port: nodePort },
                severity: 'warning',
              });
          }
        }
      });
      if (type === 'ExternalName') {
        const name = asString(spec.externalName);
        if (name === undefined || name === '')
          ctx.report({ object, path: ['spec', 'type'], messageId: 'externalNameRequired', data });
        else if (!looksLikePlaceholder(name)) {
          // ValidateService lower-cases and drops one trailing dot before IsDNS1123Subdomain.
          const host = name.toLowerCase().replace(/\.$/, '');
          if (dns1123SubdomainProblem(host) !== undefined)
            ctx.report({
              object,
              path: ['spec', 'externalName'],
              messageId: 'externalNameInvalid',
              data: { ...data, name },
            });
        }
        if (clusterIP !== undefined && clusterIP !== '')
          ctx.report({ object, path: ['spec', 'clusterIP'], messageId: 'externalNameClusterIP', data });
      }
      if (headless && (type === 'NodePort' || type === 'LoadBalancer'))
        ctx.report({ object, path: ['spec', 'clusterIP'], messageId: 'headlessType', data });
      const external = type === 'NodePort' || type === 'LoadBalancer';
      if (!external && typeof spec.externalTrafficPolicy === 'string' && spec.externalTrafficPolicy !== '')
        ctx.report({ object, path: ['spec', 'externalTrafficPolicy'], messageId: 'trafficPolicyType', data });
      const health = asNumber(spec.healthCheckNodePort);
      if (health !== undefined && health !== 0 && !(type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local'))
        ctx.report({ object, path: ['spec', 'healthCheckNodePort'], messageId: 'healthCheckNodePort', data });
      if (type !== 'LoadBalancer' && asArray(spec.loadBalancerSourceRanges).length > 0)
        ctx.report({
          object,
          path: ['spec', 'loadBalancerSourceRanges'],
          key: true,
          messageId: 'sourceRangesType',
          data,
        });
      if (type !== 'LoadBalancer' && typeof spec.allocateLoadBalancerNodePorts === 'boolean')
        ctx.report({
          object,
          path: ['spec', 'allocateLoadBalancerNodePorts'],
          messageId: 'allocateNodePortsType',
          data,
        });
      const timeout = asNumber(serverValue(object, ['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds']));
      if (spec.sessionAffinity === 'ClientIP' && timeout !== undefined && (timeout < 1 || timeout > 86400))
        ctx.report({
          object,
          path: ['spec', 'sessionAffinityConfig', 'clientIP', 'timeoutSeconds'],
          messageId: 'affinityTimeout',
          data: { ...data, value: timeout },
        });
      const families = asArray(spec.ipFamilies).filter((f): f is string => typeof f === 'string');
      if (families.length > 2)
        ctx.report({
          object,
          path: ['spec', 'ipFamilies'],
          key: true,
          messageId: 'ipFamiliesTooMany',
          data: { ...data, count: families.length },
        });
      families.forEach((family, i) => {
        if (families.indexOf(family) !== i)
          ctx.report({
            object,
            path: ['spec', 'ipFamilies', i],
            messageId: 'ipFamiliesDuplicate',
            data: { ...data, family },
          });
      });
      if (spec.ipFamilyPolicy === 'SingleStack' && new Set(families).size === 2)
        ctx.report({ object, path: ['spec', 'ipFamilyPolicy'], messageId: 'ipFamiliesSingleStack', data });
    }
  },
});
