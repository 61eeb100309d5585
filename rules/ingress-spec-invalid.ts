import {
  asArray,
  asNumber,
  asRecord,
  asString,
  defineRule,
  dns1123SubdomainProblem,
  domainPrefixedPathProblem,
  isKustomizePatch,
  isRecord,
  looksLikePlaceholder,
  objectLabel,
  parseIp,
  pathSegmentProblem,
  portNameProblem,
  portNumberProblem,
  serverValue,
  wildcardSubdomainProblem,
} from '../src/api.js';
import type { KObject, Path, RuleContext } from '../src/api.js';

type MessageId =
  | 'noRulesNoBackend'
  | 'hostIp'
  | 'host'
  | 'pathsRequired'
  | 'pathAbsolute'
  | 'pathSequence'
  | 'pathSuffix'
  | 'backendBoth'
  | 'backendNone'
  | 'serviceNameEmpty'
  | 'serviceName'
  | 'portBoth'
  | 'portNone'
  | 'portName'
  | 'portNumber'
  | 'resourceField'
  | 'tlsHost'
  | 'tlsSecretName'
  | 'className'
  | 'classAnnotation'
  | 'controllerEmpty'
  | 'controller'
  | 'parametersField'
  | 'parametersNamespaceRequired'
  | 'parametersNamespaceForbidden';
type Ctx = RuleContext<MessageId>;

const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';
/** ValidateServiceName: NameIsDNS1035Label (the RelaxedServiceNameValidation gate, alpha in 1.34, is off). */
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** A host of a rule or a TLS entry: a DNS name, or a wildcard `*.name` (validateIngressRules, validateIngressTLS). */
function hostProblem(host: string): string | undefined {
  return host.includes('*') ? wildcardSubdomainProblem(host) : dns1123SubdomainProblem(host);
}

/** validateIngressTypedLocalObjectReference and validateIngressClassParametersReference: apiGroup, kind, name. */
function checkReference(ctx: Ctx, object: KObject, ref: Record<string, unknown>, at: Path): void {
  const group = asString(ref.apiGroup);
  if (group !== undefined && group !== '' && !looksLikePlaceholder(group)) {
    const problem = dns1123SubdomainProblem(group);
    if (problem !== undefined)
      ctx.report({
        object,
        path: [...at, 'apiGroup'],
        messageId: 'resourceField',
        data: { field: 'apiGroup', problem },
      });
  }
  for (const field of ['kind', 'name']) {
    const value = asString(ref[field]);
    if (value === undefined || looksLikePlaceholder(value)) continue;
    const problem = value === '' ? 'it must not be empty' : pathSegmentProblem(value);
    if (problem !== undefined)
      ctx.report({ object, path: [...at, field], messageId: 'resourceField', data: { field, problem } });
  }
}

/** validateIngressBackend: exactly one of `service` and `resource`; a service has a name and one port form. */
function checkBackend(ctx: Ctx, object: KObject, backend: unknown, at: Path): void {
  if (!isRecord(backend)) return;
  const service = asRecord(backend.service);
  const resource = asRecord(backend.resource);
  if (service !== undefined && resource !== undefined) {
    ctx.report({ object, path: [...at, 'resource'], key: true, messageId: 'backendBoth' });
    return;
  }
  if (resource !== undefined) {
    checkReference(ctx, object, resource, [...at, 'resource']);
    return;
  }
  if (service === undefined) {
    ctx.report({ object, path: at, key: true, messageId: 'backendNone' });
    return;
  }
  const name = asString(service.name);
  if (name === '') ctx.report({ object, path: [...at, 'service', 'name'], messageId: 'serviceNameEmpty' });
  else if (name !== undefined && !looksLikePlaceholder(name) && (name.length > 63 || !DNS1035_LABEL.test(name)))
    ctx.report({ object, path: [...at, 'service', 'name'], messageId: 'serviceName', data: { name } });
  const port = asRecord(service.port);
  const portName = asString(port?.name) ?? '';
  const portNumber = asNumber(port?.number) ?? 0;
  const portPath: Path = [...at, 'service', 'port'];
  if (portName !== '' && portNumber !== 0) ctx.report({ object, path: portPath, key: true, messageId: 'portBoth' });
  else if (portName !== '') {
    const problem = looksLikePlaceholder(portName) ? undefined : portNameProblem(portName);
    if (problem !== undefined)
      ctx.report({ object, path: [...portPath, 'name'], messageId: 'portName', data: { name: portName, problem } });
  } else if (portNumber !== 0) {
    const problem = portNumberProblem(portNumber);
    if (problem !== undefined)
      ctx.report({ object, path: [...portPath, 'number'], messageId: 'portNumber', data: { value: portNumber } });
  } else if (!(typeof port?.number === 'string' || typeof port?.name === 'number'))
    // A port of the wrong type is the schema's to report.
    ctx.report({
      object,
      path: port === undefined ? [...at, 'service'] : portPath,
      key: true,
      messageId: 'portNone',
    });
}

/** validateHTTPIngressPath: the path syntax each pathType requires. */
function checkPath(ctx: Ctx, object: KObject, entry: Record<string, unknown>, at: Path): void {
  const type = asString(entry.pathType);
  const path = asString(entry.path) ?? '';
  const data = { path, type: type ?? '' };
  if (looksLikePlaceholder(path)) return;
  if (type === 'Exact' || type === 'Prefix') {
    if (!path.startsWith('/'))
      ctx.report({
        object,
        path: entry.path === undefined ? [...at, 'pathType'] : [...at, 'path'],
        messageId: 'pathAbsolute',
        data,
      });
    for (const sequence of INVALID_SEQUENCES)
      if (path.includes(sequence))
        ctx.report({ object, path: [...at, 'path'], messageId: 'pathSequence', data: { ...data, sequence } });
    for (const suffix of INVALID_SUFFIXES)
      if (path.endsWith(suffix))
        ctx.report({ object, path: [...at, 'path'], messageId: 'pathSuffix', data: { ...data, suffix } });
  } else if (type === 'ImplementationSpecific' && path !== '' && !path.startsWith('/'))
    ctx.report({ object, path: [...at, 'path'], messageId: 'pathAbsolute', data });
}

function checkIngress(ctx: Ctx, object: KObject): void {
  const spec = asRecord(serverValue(object, ['spec']));
  const rules = asArray(spec?.rules);
  if (rules.length === 0 && !isRecord(spec?.defaultBackend) && !isKustomizePatch(ctx, object))
    ctx.report({
      object,
      path: spec === undefined ? [] : ['spec'],
      key: true,
      messageId: 'noRulesNoBackend',
      data: { object: objectLabel(object) },
    });
  if (spec === undefined) return;
  checkBackend(ctx, object, spec.defaultBackend, ['spec', 'defaultBackend']);
  rules.forEach((rule, i) => {
    if (!isRecord(rule)) return;
    const at: Path = ['spec', 'rules', i];
    const host = asString(rule.host) ?? '';
    if (host !== '' && !looksLikePlaceholder(host)) {
      if (parseIp(host, true) !== undefined)
        ctx.report({ object, path: [...at, 'host'], messageId: 'hostIp', data: { host } });
      else {
        const problem = hostProblem(host);
        if (problem !== undefined)
          ctx.report({ object, path: [...at, 'host'], messageId: 'host', data: { host, problem } });
      }
    }
    const http = rule.http;
    if (!isRecord(http)) return;
    const paths = asArray(http.paths);
    if (paths.length === 0)
      ctx.report({
        object,
        path: http.paths === undefined ? [...at, 'http'] : [...at, 'http', 'paths'],
        key: true,
        messageId: 'pathsRequired',
      });
    paths.forEach((entry, j) => {
      if (!isRecord(entry)) return;
      const pathAt: Path = [...at, 'http', 'paths', j];
      checkPath(ctx, object, entry, pathAt);
      checkBackend(ctx, object, entry.backend, [...pathAt, 'backend']);
    });
  });
  asArray(spec.tls).forEach((tls, i) => {
    if (!isRecord(tls)) return;
    asArray(tls.hosts).forEach((host, j) => {
      if (typeof host !== 'string' || looksLikePlaceholder(host)) return;
      const problem = host === '' ? 'it must not be empty' : hostProblem(host);
      if (problem !== undefined)
        ctx.report({ object, path: ['spec', 'tls', i, 'hosts', j], messageId: 'tlsHost', data: { host, problem } });
    });
    const secret = asString(tls.secretName);
    if (secret !== undefined && secret !== '' && !looksLikePlaceholder(secret)) {
      const problem = dns1123SubdomainProblem(secret);
      if (problem !== undefined)
        ctx.report({
          object,
          path: ['spec', 'tls', i, 'secretName'],
          messageId: 'tlsSecretName',
          data: { name: secret, problem },
        });
    }
  });
  const className = asString(spec.ingressClassName);
  if (className !== undefined && !looksLikePlaceholder(className)) {
    const problem = className === '' ? 'it must not be empty' : dns1123SubdomainProblem(className);
    if (problem !== undefined)
      ctx.report({
        object,
        path: ['spec', 'ingressClassName'],
        messageId: 'className',
        data: { name: className, problem },
      });
    const annotation = asString(serverValue(object, ['metadata', 'annotations', CLASS_ANNOTATION]));
    if (annotation !== undefined && annotation !== className && !looksLikePlaceholder(annotation))
      ctx.report({
        object,
        path: ['metadata', 'annotations', CLASS_ANNOTATION],
        messageId: 'classAnnotation',
        data: { annotation, name: className },
        related: [{ object, path: ['spec', 'ingressClassName'], message: `\`ingressClassName\` is \`${className}\`` }],
      });
  }
}

function checkIngressClass(ctx: Ctx, object: KObject): void {
  const spec = asRecord(serverValue(object, ['spec']));
  if (spec === undefined) return;
  const controller = asString(spec.controller);
  if (controller === '') ctx.report({ object, path: ['spec', 'controller'], messageId: 'controllerEmpty' });
  else if (controller !== undefined && !looksLikePlaceholder(controller)) {
    const problem =
      controller.length > 250 ? 'it must be at most 250 characters' : domainPrefixedPathProblem(controller);
    if (problem !== undefined)
      ctx.report({ object, path: ['spec', 'controller'], messageId: 'controller', data: { controller, problem } });
  }
  const params = asRecord(spec.parameters);
  if (params === undefined) return;
  const at: Path = ['spec', 'parameters'];
  checkReference(ctx, object, params, at);
  // SetDefaults_IngressClass: an unset scope is Cluster.
  const scope = asString(params.scope) ?? 'Cluster';
  const namespace = params.namespace;
  if (scope === 'Namespace') {
    if (namespace === undefined || namespace === null)
      ctx.report({ object, path: [...at, 'scope'], messageId: 'parametersNamespaceRequired' });
    else if (typeof namespace === 'string' && !looksLikePlaceholder(namespace)) {
      const problem = namespace === '' ? 'it must not be empty' : dns1123SubdomainProblem(namespace);
      if (problem !== undefined)
        ctx.report({
          object,
          path: [...at, 'namespace'],
          messageId: 'parametersField',
          data: { field: 'namespace', problem },
        });
    }
  } else if (scope === 'Cluster' && namespace !== undefined && namespace !== null)
    ctx.report({ object, path: [...at, 'namespace'], key: true, messageId: 'parametersNamespaceForbidden' });
}

export default defineRule<MessageId>({
  id: 'ingress-spec-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report Ingress and IngressClass specs the API server rejects: paths, backends, hosts, TLS, classes',
  rationale:
    '`ValidateIngressCreate` and `ValidateIngressClass` (pkg/apis/networking/validation/validation.go) ' +
    'require rules or a default backend; hosts that are DNS names, not IP addresses, with a wildcard only as ' +
    'the whole first label (`*.example.com`); at least one path under `http`; for `pathType: Exact` and ' +
    '`Prefix` an absolute path without `//`, `/./`, `/../`, `%2f` and not ending in `/..` or `/.` (and an ' +
    'absolute path, if any, for `ImplementationSpecific`); backends with exactly one of `service` and ' +
    '`resource`, a Service name that is a DNS-1035 label, and exactly one of `port.name` (an IANA port ' +
    'name) and `port.number` (1–65535); TLS hosts and Secret names that are DNS names; an ' +
    '`ingressClassName` that is a DNS subdomain and agrees with the `kubernetes.io/ingress.class` ' +
    'annotation when both are set. IngressClasses need a domain-prefixed `controller` of at most 250 ' +
    'characters, and parameters with a namespace exactly when their scope is `Namespace`. Only ' +
    '`networking.k8s.io/v1` is checked (older Ingress versions are removed: see `api-removed`).',
  messages: {
    noRulesNoBackend:
      '{{object}} has neither `rules` nor `defaultBackend`: the API server requires one of them; add a rule ' +
      'or a default backend',
    hostIp: 'host `{{host}}` is an IP address: an Ingress host must be a DNS name; remove `host` to match any address',
    host: 'host `{{host}}` is not valid: {{problem}}',
    pathsRequired: '`http` has no `paths`: give at least one path, or remove `http`',
    pathAbsolute: 'path `{{path}}` is not absolute: with `pathType: {{type}}` it must start with `/`',
    pathSequence: 'path `{{path}}` contains `{{sequence}}`, which `pathType: {{type}}` refuses: normalize the path',
    pathSuffix:
      'path `{{path}}` ends with `{{suffix}}`, which `pathType: {{type}}` refuses: remove it or use ' +
      '`ImplementationSpecific`',
    backendBoth: 'a backend may name a `service` or a `resource`, not both: remove one',
    backendNone: 'the backend names neither a `service` nor a `resource`: add `service: {name, port}`',
    serviceNameEmpty: '`service.name` of the backend is empty: name the Service to route to',
    serviceName:
      'Service name `{{name}}` is not valid: a Service name is lowercase letters, digits and `-`, starts ' +
      'with a letter, and has at most 63 characters (a DNS-1035 label)',
    portBoth: 'the backend port has both `name` and `number`: keep one',
    portNone: 'the backend Service has no port: give `port.number` or `port.name`',
    portName: 'backend port name `{{name}}` is not valid: {{problem}}',
    portNumber: 'backend port number {{value}} is out of range: it must be between 1 and 65535',
    resourceField: '`{{field}}` is not valid: {{problem}}',
    tlsHost: 'TLS host `{{host}}` is not valid: {{problem}}',
    tlsSecretName: 'TLS `secretName` `{{name}}` is not a valid Secret name: {{problem}}',
    className: '`ingressClassName` `{{name}}` is not valid: {{problem}}',
    classAnnotation:
      'annotation `kubernetes.io/ingress.class: {{annotation}}` disagrees with `ingressClassName: {{name}}`: ' +
      'the API server refuses both set to different classes; remove the deprecated annotation',
    controllerEmpty: '`controller` is empty: name the controller, such as `k8s.io/ingress-nginx`',
    controller: '`controller` `{{controller}}` is not valid: {{problem}}',
    parametersField: '`parameters.{{field}}` is not valid: {{problem}}',
    parametersNamespaceRequired:
      '`parameters.scope` is `Namespace`, so `parameters.namespace` is required: add the namespace of the ' +
      'parameters object',
    parametersNamespaceForbidden:
      '`parameters.namespace` is set, but `parameters.scope` is `Cluster` (the default): remove it or set ' +
      '`scope: Namespace`',
  },
  check(ctx) {
    for (const object of ctx.graph.objects) {
      if (object.group !== 'networking.k8s.io' || object.apiVersion !== 'networking.k8s.io/v1') continue;
      if (object.kind === 'Ingress') checkIngress(ctx, object);
      else if (object.kind === 'IngressClass') checkIngressClass(ctx, object);
    }
  },
});
