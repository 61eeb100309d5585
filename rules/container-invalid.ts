import {
  asArray,
  asNumber,
  asRecord,
  asString,
  code,
  containerLabel,
  defineRule,
  dns1123LabelProblem,
  envVarNameProblem,
  isKustomizePatch,
  isRecord,
  looksLikePlaceholder,
  objectLabel,
  parseQuantity,
  portNameProblem,
  portNumberProblem,
  serverValue,
  versionAtLeast,
} from '../src/api.js';
import type { ContainerInfo, KObject, Path, RuleContext } from '../src/api.js';

type Ctx = RuleContext<MessageId>;
type MessageId =
  | 'name'
  | 'duplicateName'
  | 'portName'
  | 'duplicatePortName'
  | 'portNumber'
  | 'hostPortConflict'
  | 'hostNetworkPort'
  | 'envName'
  | 'valueFromNone'
  | 'valueFromMany'
  | 'valueFromWithValue'
  | 'envFromSources'
  | 'handlerNone'
  | 'handlerMany'
  | 'execCommand'
  | 'negative'
  | 'successThreshold'
  | 'probeGracePeriod'
  | 'readinessGracePeriod'
  | 'initForbidden'
  | 'restartPolicyApp'
  | 'restartPolicyInit'
  | 'resourceName'
  | 'quantityNegative'
  | 'quantityInteger'
  | 'requestAboveLimit'
  | 'requestNotLimit'
  | 'limitRequired'
  | 'hugePagesAlone'
  | 'hugePagesSize';

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'] as const;
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'] as const;
const PROBE_FIELDS = ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'];
const STANDARD_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** helper.IsNativeResource: no domain, or a `kubernetes.io/` one. */
function isNative(name: string): boolean {
  return !name.includes('/') || name.includes('kubernetes.io/');
}

/** The page size of `hugepages-<size>` in bytes. */
function hugePageSize(name: string): number | undefined {
  return name.startsWith('hugepages-') ? parseQuantity(name.slice('hugepages-'.length)) : undefined;
}

/** `64Mi` against `64M`: say that binary and decimal suffixes differ. */
function unitNote(request: unknown, limit: unknown): string {
  const suffix = (v: unknown) => (typeof v === 'string' ? (/([KMGTPE]i?)$/.exec(v)?.[1] ?? '') : '');
  const a = suffix(request);
  const b = suffix(limit);
  if (a === '' || b === '' || a === b || a.charAt(0) !== b.charAt(0)) return '';
  return ` (\`${a}\` is a power of 1024, \`${b}\` a power of 1000)`;
}

function checkNames(ctx: Ctx, object: KObject, containers: readonly ContainerInfo[]): void {
  // validateContainers, validateInitContainers, validateEphemeralContainers: app names first, then init
  // names against app and earlier init names, then ephemeral against all.
  const first = new Map<string, ContainerInfo>();
  const order = [
    ...containers.filter((c) => c.kind === 'app'),
    ...containers.filter((c) => c.kind === 'init' || c.kind === 'sidecar'),
    ...containers.filter((c) => c.kind === 'ephemeral'),
  ];
  for (const c of order) {
    if (c.name === '') continue;
    const problem = looksLikePlaceholder(c.name) ? undefined : dns1123LabelProblem(c.name);
    if (problem !== undefined)
      ctx.report({
        object,
        path: [...c.path, 'name'],
        messageId: 'name',
        data: { container: containerLabel(object, c), problem },
      });
    const other = first.get(c.name);
    if (other === undefined) {
      first.set(c.name, c);
      continue;
    }
    ctx.report({
      object,
      path: [...c.path, 'name'],
      messageId: 'duplicateName',
      data: { name: c.name, workload: objectLabel(object) },
      related: [{ object, path: [...other.path, 'name'], message: `the first container named ${code(c.name)}` }],
    });
  }
}

function checkPorts(ctx: Ctx, object: KObject, c: ContainerInfo, raw: Record<string, unknown>): void {
  const names = new Map<string, number>();
  asArray(raw.ports).forEach((port, i) => {
    if (!isRecord(port)) return;
    const at: Path = [...c.path, 'ports', i];
    const name = asString(port.name);
    if (name !== undefined && name !== '' && !looksLikePlaceholder(name)) {
      const problem = portNameProblem(name);
      if (problem !== undefined)
        ctx.report({
          object,
          path: [...at, 'name'],
          messageId: 'portName',
          data: { name, container: containerLabel(object, c), problem },
        });
      else if (names.has(name))
        ctx.report({
          object,
          path: [...at, 'name'],
          messageId: 'duplicatePortName',
          data: { name, container: containerLabel(object, c) },
          related: [
            {
              object,
              path: [...c.path, 'ports', names.get(name) ?? 0, 'name'],
              message: 'the first port with this name',
            },
          ],
        });
      else names.set(name, i);
    }
    for (const field of ['containerPort', 'hostPort']) {
      const value = asNumber(port[field]);
      if (value === undefined || (field === 'hostPort' && value === 0)) continue;
      const problem = portNumberProblem(value);
      if (problem !== undefined)
        ctx.report({
          object,
          path: [...at, field],
          messageId: 'portNumber',
          data: { field, value, container: containerLabel(object, c), problem },
        });
    }
  });
}

function checkHostPorts(ctx: Ctx, object: KObject, containers: readonly ContainerInfo[], spec: unknown): void {
  // checkHostPortConflicts over the app containers (init containers run one by one: each on its own);
  // validatePodHostNetworkDeps: with hostNetwork, hostPort must equal containerPort (0 allowed in templates).
  const hostNetwork = get(spec, 'hostNetwork') === true;
  const seen = new Map<string, Path>();
  for (const c of containers) {
    if (c.kind === 'ephemeral') continue;
    const local = new Map<string, Path>();
    const raw = asRecord(serverValue(object, c.path)) ?? {};
    asArray(raw.ports).forEach((port, i) => {
      if (!isRecord(port)) return;
      const at: Path = [...c.path, 'ports', i, 'hostPort'];
      const hostPort = asNumber(port.hostPort) ?? 0;
      const containerPort = asNumber(port.containerPort);
      if (hostNetwork && c.kind === 'app' && (object.kind === 'Pod' || hostPort !== 0) && hostPort !== containerPort) {
        ctx.report({
          object,
          path: hostPort === 0 ? [...c.path, 'ports', i, 'containerPort'] : at,
          messageId: 'hostNetworkPort',
          data: { container: containerLabel(object, c), hostPort, containerPort: containerPort ?? 0 },
        });
      }
      if (hostPort === 0) return;
      const key = `${asString(port.protocol) ?? 'TCP'}/${asString(port.hostIP) ?? ''}/${String(hostPort)}`;
      const pool = c.kind === 'app' ? seen : local;
      const first = pool.get(key);
      if (first !== undefined)
        ctx.report({
          object,
          path: at,
          messageId: 'hostPortConflict',
          data: { port: hostPort, key, workload: objectLabel(object) },
          related: [{ object, path: first, message: 'the first use of this host port' }],
        });
      else pool.set(key, at);
    });
  }
}

function get(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

/** An env var name, or an envFrom prefix (which the server checks as a name too). */
function checkEnvName(
  ctx: Ctx,
  object: KObject,
  c: ContainerInfo,
  name: string | undefined,
  path: Path,
  relaxed: boolean,
): void {
  if (name === undefined || name === '') return;
  const problem = envVarNameProblem(name, relaxed);
  if (problem !== undefined)
    ctx.report({
      object,
      path,
      messageId: 'envName',
      data: { name, container: containerLabel(object, c), problem, version: ctx.kubernetesVersion },
    });
}

function checkEnv(ctx: Ctx, object: KObject, c: ContainerInfo, raw: Record<string, unknown>, partial: boolean): void {
  const relaxed = versionAtLeast(ctx.kubernetesVersion, 1, 32);
  asArray(raw.env).forEach((env, i) => {
    if (!isRecord(env)) return;
    const at: Path = [...c.path, 'env', i];
    const name = asString(env.name);
    checkEnvName(ctx, object, c, name, [...at, 'name'], relaxed);
    const valueFrom = asRecord(env.valueFrom);
    if (valueFrom === undefined) return;
    const sources = ['fieldRef', 'resourceFieldRef', 'configMapKeyRef', 'secretKeyRef'].filter((k) =>
      present(valueFrom[k]),
    );
    const data = {
      name: name ?? '',
      container: containerLabel(object, c),
      sources: sources.map((s) => code(s)).join(' and '),
    };
    if (sources.length === 0) ctx.report({ object, path: [...at, 'valueFrom'], messageId: 'valueFromNone', data });
    else if (typeof env.value === 'string' && env.value !== '')
      ctx.report({ object, path: [...at, 'value'], messageId: 'valueFromWithValue', data });
    else if (sources.length > 1)
      ctx.report({ object, path: [...at, 'valueFrom', sources[1] ?? ''], messageId: 'valueFromMany', data });
  });
  asArray(raw.envFrom).forEach((source, i) => {
    if (!isRecord(source)) return;
    const at: Path = [...c.path, 'envFrom', i];
    checkEnvName(ctx, object, c, asString(source.prefix), [...at, 'prefix'], relaxed);
    const count = ['configMapRef', 'secretRef'].filter((k) => present(source[k])).length;
    if (count > 1 || (count === 0 && !partial))
      ctx.report({
        object,
        path: count === 0 ? at : [...at, 'secretRef'],
        messageId: 'envFromSources',
        data: { container: containerLabel(object, c), count },
      });
  });
}

function checkHandler(
  ctx: Ctx,
  object: KObject,
  c: ContainerInfo,
  handler: Record<string, unknown>,
  at: Path,
  what: string,
  kinds: readonly string[],
  partial: boolean,
): void {
  const set = kinds.filter((k) => present(handler[k]));
  const data = {
    what,
    container: containerLabel(object, c),
    kinds: kinds.map((k) => code(k)).join(', '),
    set: set.join(' and '),
  };
  if (set.length === 0) {
    if (!partial) ctx.report({ object, path: at, key: true, messageId: 'handlerNone', data });
    return;
  }
  if (set.length > 1) ctx.report({ object, path: [...at, set[1] ?? ''], key: true, messageId: 'handlerMany', data });
  const exec = asRecord(handler.exec);
  if (set[0] === 'exec' && exec !== undefined && asArray(exec.command).length === 0)
    ctx.report({ object, path: [...at, 'exec'], key: true, messageId: 'execCommand', data });
}

function checkProbes(
  ctx: Ctx,
  object: KObject,
  c: ContainerInfo,
  raw: Record<string, unknown>,
  partial: boolean,
): void {
  const plainInit = c.kind === 'init';
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle']) {
    const value = asRecord(raw[probe]);
    if (value === undefined) continue;
    const at: Path = [...c.path, probe];
    if (plainInit) {
      // validateInitContainers: probes and lifecycle only for restartable (sidecar) init containers.
      ctx.report({
        object,
        path: at,
        key: true,
        messageId: 'initForbidden',
        data: { field: probe, container: containerLabel(object, c) },
      });
      continue;
    }
    if (c.kind === 'ephemeral') continue;
    if (probe === 'lifecycle') {
      for (const hook of ['postStart', 'preStop']) {
        const handler = asRecord(value[hook]);
        if (handler !== undefined)
          checkHandler(ctx, object, c, handler, [...at, hook], `lifecycle.${hook}`, LIFECYCLE_HANDLERS, partial);
      }
      continue;
    }
    checkHandler(ctx, object, c, value, at, probe, PROBE_HANDLERS, partial);
    for (const field of PROBE_FIELDS) {
      const n = asNumber(value[field]);
      if (n !== undefined && n < 0)
        ctx.report({
          object,
          path: [...at, field],
          messageId: 'negative',
          data: { field: `${probe}.${field}`, value: n, container: containerLabel(object, c) },
        });
    }
    const success = asNumber(value.successThreshold);
    // Defaulting turns 0 into 1, so only another positive value is rejected.
    if (probe !== 'readinessProbe' && success !== undefined && success > 1)
      ctx.report({
        object,
        path: [...at, 'successThreshold'],
        messageId: 'successThreshold',
        data: { probe, value: success, container: containerLabel(object, c) },
      });
    const grace = asNumber(value.terminationGracePeriodSeconds);
    if (grace !== undefined) {
      if (probe === 'readinessProbe')
        ctx.report({
          object,
          path: [...at, 'terminationGracePeriodSeconds'],
          key: true,
          messageId: 'readinessGracePeriod',
          data: { container: containerLabel(object, c) },
        });
      else if (grace <= 0)
        ctx.report({
          object,
          path: [...at, 'terminationGracePeriodSeconds'],
          messageId: 'probeGracePeriod',
          data: { probe, value: grace, container: containerLabel(object, c) },
        });
    }
  }
}

function checkRestartPolicy(ctx: Ctx, object: KObject, c: ContainerInfo, raw: Record<string, unknown>): void {
  const policy = raw.restartPolicy;
  if (typeof policy !== 'string') return;
  if (c.kind === 'app')
    ctx.report({
      object,
      path: [...c.path, 'restartPolicy'],
      key: true,
      messageId: 'restartPolicyApp',
      data: { container: containerLabel(object, c) },
    });
  else if ((c.kind === 'init' || c.kind === 'sidecar') && policy !== 'Always')
    ctx.report({
      object,
      path: [...c.path, 'restartPolicy'],
      messageId: 'restartPolicyInit',
      data: { container: containerLabel(object, c), value: policy },
    });
}

function checkResources(
  ctx: Ctx,
  object: KObject,
  c: ContainerInfo,
  raw: Record<string, unknown>,
  partial: boolean,
): void {
  const resources = asRecord(raw.resources);
  if (resources === undefined || c.kind === 'ephemeral') return;
  const limits = asRecord(resources.limits) ?? {};
  const requests = asRecord(resources.requests) ?? {};
  const at: Path = [...c.path, 'resources'];
  // Set by checkEntry (a closure: kept in an object so that the type checker does not narrow them).
  const seen: { cpuOrMemory: boolean; hugePages: Path | undefined } = { cpuOrMemory: false, hugePages: undefined };
  const checkEntry = (kind: 'limits' | 'requests', name: string, value: unknown): number | undefined => {
    const path: Path = [...at, kind, name];
    const data = { kind, name, container: containerLabel(object, c) };
    // validateContainerResourceName
    if (!name.includes('/')) {
      if (!STANDARD_RESOURCES.has(name) && !name.startsWith('hugepages-')) {
        ctx.report({ object, path, key: true, messageId: 'resourceName', data });
        return undefined;
      }
    }
    if (name === 'cpu' || name === 'memory') seen.cpuOrMemory = true;
    const quantity = parseQuantity(value);
    if (quantity === undefined) return undefined; // not a quantity: schema-invalid reports it
    if (quantity < 0)
      ctx.report({ object, path, messageId: 'quantityNegative', data: { ...data, value: String(value) } });
    else if (!isNative(name) && !Number.isInteger(quantity))
      ctx.report({ object, path, messageId: 'quantityInteger', data: { ...data, value: String(value) } });
    const page = hugePageSize(name);
    if (page !== undefined) {
      seen.hugePages ??= path;
      if (page > 0 && quantity % page !== 0)
        ctx.report({
          object,
          path,
          messageId: 'hugePagesSize',
          data: { ...data, value: String(value), page: name.slice('hugepages-'.length) },
        });
    }
    return quantity;
  };
  for (const [name, value] of Object.entries(limits)) checkEntry('limits', name, value);
  for (const [name, value] of Object.entries(requests)) {
    const request = checkEntry('requests', name, value);
    const overcommit = isNative(name) && !name.startsWith('hugepages-');
    const data = {
      name,
      container: containerLabel(object, c),
      request: String(value),
      limit: String(limits[name]),
      note: unitNote(value, limits[name]),
    };
    const path: Path = [...at, 'requests', name];
    if (Object.hasOwn(limits, name)) {
      const limit = parseQuantity(limits[name]);
      if (request === undefined || limit === undefined) continue;
      const related = [{ object, path: [...at, 'limits', name], message: `the ${name} limit` }];
      if (!overcommit && request !== limit) ctx.report({ object, path, messageId: 'requestNotLimit', data, related });
      else if (request > limit) ctx.report({ object, path, messageId: 'requestAboveLimit', data, related });
    } else if (!overcommit && !partial) {
      ctx.report({ object, path, messageId: 'limitRequired', data });
    }
  }
  if (seen.hugePages !== undefined && !seen.cpuOrMemory && !partial)
    ctx.report({
      object,
      path: seen.hugePages,
      key: true,
      messageId: 'hugePagesAlone',
      data: { container: containerLabel(object, c) },
    });
}

export default defineRule<MessageId>({
  id: 'container-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report container fields the API server rejects: names, ports, env, probes, resources',
  rationale:
    "The API server validates every container of a pod (and of a workload's pod template) beyond its schema " +
    '(`validateContainers`, `validateInitContainers`, `validateContainerCommon` in ' +
    'pkg/apis/core/validation/validation.go): container names are DNS-1123 labels unique across init, ' +
    'sidecar and app containers; port names are IANA service names of at most 15 characters, unique in the ' +
    'container, and port numbers lie in 1–65535; two containers may not claim the same host port, and with ' +
    '`hostNetwork` a hostPort must equal its containerPort; env names follow the rules of the targeted ' +
    'version (printable ASCII but `=` from 1.32 on) and a `valueFrom` names exactly one source, without a ' +
    '`value`; a probe or lifecycle hook has exactly one handler, non-negative timings, `successThreshold` 1 ' +
    'for liveness and startup probes, and no `terminationGracePeriodSeconds` on a readiness probe; plain init ' +
    'containers take no probes or lifecycle hooks; `restartPolicy` is only for init containers, and only ' +
    '`Always`; resource names are standard or domain-qualified, quantities non-negative, requests at most ' +
    'their limit, extended resources and hugepages integer with requests equal to limits, hugepages in whole ' +
    "pages and never alone. Each problem is reported at the field, with the server's reason; the whole object " +
    'is rejected by `kubectl apply`. Values are read as the API server decodes them (see `yaml-decode`). What ' +
    'the schema already reports (types, required fields, enumerations) is left to `schema-invalid`.',
  messages: {
    name: 'the name of {{container}} is not valid: {{problem}}',
    duplicateName:
      'two containers of {{workload}} are named `{{name}}`: names must be unique across init, sidecar and ' +
      'app containers (the API server reports "Duplicate value"); rename one',
    portName: 'port name `{{name}}` of {{container}} is not valid: {{problem}}',
    duplicatePortName:
      'port name `{{name}}` is used twice in {{container}}: port names must be unique in a container; rename one',
    portNumber: '`{{field}}` {{value}} of {{container}} is out of range: {{problem}}',
    hostPortConflict:
      'host port {{port}} (`{{key}}`) is claimed twice in {{workload}}: a host port can be bound once per ' +
      'node; use another port or drop one',
    hostNetworkPort:
      '{{container}} runs with `hostNetwork: true`, so its hostPort ({{hostPort}}) must equal its ' +
      'containerPort ({{containerPort}}): set them equal or remove hostPort',
    envName: 'env name `{{name}}` of {{container}} is not valid for Kubernetes {{version}}: {{problem}}',
    valueFromNone:
      '`valueFrom` of env `{{name}}` in {{container}} names no source: give one of `fieldRef`, ' +
      '`resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`',
    valueFromMany:
      '`valueFrom` of env `{{name}}` in {{container}} names {{sources}}: it must name exactly one source; keep one',
    valueFromWithValue:
      'env `{{name}}` of {{container}} has both `value` and `valueFrom`: the API server rejects ' +
      '`valueFrom` when `value` is not empty; keep one',
    envFromSources:
      'an `envFrom` entry of {{container}} must name exactly one of `configMapRef` or `secretRef` (it ' +
      'names {{count}}); split it into one entry per source',
    handlerNone: '{{what}} of {{container}} has no handler: give exactly one of {{kinds}}',
    handlerMany: '{{what}} of {{container}} has {{set}} handlers: it may have only one of {{kinds}}; keep one',
    execCommand: '`exec` of {{what}} in {{container}} has no `command`: give the command to run',
    negative: '`{{field}}` of {{container}} is {{value}}: it must not be negative',
    successThreshold:
      '`successThreshold` of the {{probe}} of {{container}} is {{value}}, but it must be 1 for liveness ' +
      'and startup probes: remove it or set 1',
    probeGracePeriod:
      '`terminationGracePeriodSeconds` of the {{probe}} of {{container}} is {{value}}: it must be greater than 0',
    readinessGracePeriod:
      'the readinessProbe of {{container}} sets `terminationGracePeriodSeconds`, which readiness probes ' +
      'may not set (a failing readiness probe never kills the container): remove it',
    initForbidden:
      '{{container}} is an init container without `restartPolicy: Always`, which may not have a ' +
      '`{{field}}`: remove it, or make the container a sidecar with `restartPolicy: Always`',
    restartPolicyApp:
      "{{container}} sets `restartPolicy`, which only init containers may set: remove it (the pod's " +
      '`restartPolicy` applies)',
    restartPolicyInit:
      '`restartPolicy` of {{container}} is `{{value}}`, but the only value an init container accepts is ' +
      '`Always` (a sidecar): remove it or set `Always`',
    resourceName:
      '`{{name}}` in `{{kind}}` of {{container}} is not a container resource: use `cpu`, `memory`, ' +
      '`ephemeral-storage`, `hugepages-<size>` or a domain-qualified extended resource such as ' +
      '`nvidia.com/gpu`',
    quantityNegative: '`{{kind}}.{{name}}` of {{container}} is {{value}}: a quantity must not be negative',
    quantityInteger:
      '`{{kind}}.{{name}}` of {{container}} is {{value}}, but extended resources are counted in whole ' +
      'units: use an integer',
    requestAboveLimit:
      'the {{name}} request of {{container}} ({{request}}) is above its limit ({{limit}}){{note}}: a ' +
      'request must be at most the limit; lower the request or raise the limit',
    requestNotLimit:
      'the {{name}} request of {{container}} ({{request}}) differs from its limit ({{limit}}): {{name}} ' +
      'cannot be overcommitted, so request and limit must be equal',
    limitRequired:
      '{{container}} requests `{{name}}` without a limit: {{name}} cannot be overcommitted, so its limit ' +
      'must be set (equal to the request)',
    hugePagesAlone:
      '{{container}} requests hugepages without `cpu` or `memory`: hugepages require a cpu or memory request or limit',
    hugePagesSize: '`{{kind}}.{{name}}` of {{container}} is {{value}}, which is not a whole number of {{page}} pages',
  },
  check(ctx) {
    for (const object of ctx.graph.withPodTemplates()) {
      const template = object.podTemplate;
      if (template === undefined) continue;
      checkNames(ctx, object, template.containers);
      // A kustomize patch is partial: what it leaves out (a handler, a limit, hostPort) is in its base.
      const partial = isKustomizePatch(ctx, object);
      for (const c of template.containers) {
        const raw = asRecord(serverValue(object, c.path));
        if (raw === undefined) continue;
        checkPorts(ctx, object, c, raw);
        checkEnv(ctx, object, c, raw, partial);
        checkProbes(ctx, object, c, raw, partial);
        checkRestartPolicy(ctx, object, c, raw);
        checkResources(ctx, object, c, raw, partial);
      }
      if (!partial) checkHostPorts(ctx, object, template.containers, serverValue(object, template.specPath));
    }
  },
});
