import {
  parseIp,
  asArray,
  asNumber,
  asRecord,
  asString,
  code,
  defineRule,
  dns1123LabelProblem,
  isKustomizePatch,
  isRecord,
  objectLabel,
  requirementProblem,
  serverValue,
  CONTROLLER_KINDS,
  serverPodSpec,
} from '../src/api.js';
import type { KObject, Path, RuleContext } from '../src/api.js';

type MessageId =
  | 'restartPolicyAlways'
  | 'restartPolicyJob'
  | 'restartPolicyJobDefault'
  | 'restartPolicyFailurePolicy'
  | 'activeDeadlineForbidden'
  | 'activeDeadlineRange'
  | 'dnsLabel'
  | 'dnsNoneConfig'
  | 'dnsNameservers'
  | 'dnsNameserverIp'
  | 'dnsSearches'
  | 'containersEmpty'
  | 'ephemeralForbidden'
  | 'tolerationKeyEmpty'
  | 'tolerationSeconds'
  | 'tolerationExistsValue'
  | 'spreadMaxSkew'
  | 'spreadMinDomains'
  | 'spreadMinDomainsPolicy'
  | 'spreadDuplicate'
  | 'selectorValuesRequired'
  | 'selectorValuesForbidden'
  | 'selectorValuesSingle'
  | 'nodeSelectorTerms'
  | 'affinityWeight'
  | 'schedulingGateDuplicate';
type Ctx = RuleContext<MessageId>;

const JOBS = new Set(['Job', 'CronJob']);
const MAX_INT32 = 2 ** 31 - 1;
function checkRequirements(ctx: Ctx, object: KObject, requirements: unknown, at: Path, node: boolean): void {
  asArray(requirements).forEach((r, i) => {
    if (!isRecord(r)) return;
    const operator = asString(r.operator);
    const values = asArray(r.values);
    const path: Path = [...at, i];
    const data = { operator: operator ?? '', key: asString(r.key) ?? '' };
    const problem = requirementProblem(operator, values.length, node);
    if (problem !== undefined)
      ctx.report({
        object,
        path: [...path, problem.field],
        key: problem.field === 'values',
        messageId: problem.messageId,
        data,
      });
  });
}

function checkAffinity(ctx: Ctx, object: KObject, spec: Record<string, unknown>, specPath: Path): void {
  const affinity = asRecord(spec.affinity);
  if (affinity === undefined) return;
  const nodeAffinity = asRecord(affinity.nodeAffinity);
  if (nodeAffinity !== undefined) {
    const at: Path = [...specPath, 'affinity', 'nodeAffinity'];
    const required = asRecord(nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution);
    if (required !== undefined) {
      const terms = asArray(required.nodeSelectorTerms);
      const reqPath: Path = [...at, 'requiredDuringSchedulingIgnoredDuringExecution'];
      if (terms.length === 0)
        ctx.report({ object, path: reqPath, key: true, messageId: 'nodeSelectorTerms', data: {} });
      terms.forEach((term, t) => {
        checkRequirements(
          ctx,
          object,
          get(term, 'matchExpressions'),
          [...reqPath, 'nodeSelectorTerms', t, 'matchExpressions'],
          true,
        );
      });
    }
    asArray(nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, t) => {
      const termPath: Path = [...at, 'preferredDuringSchedulingIgnoredDuringExecution', t];
      checkWeight(ctx, object, term, termPath);
      checkRequirements(
        ctx,
        object,
        get(get(term, 'preference'), 'matchExpressions'),
        [...termPath, 'preference', 'matchExpressions'],
        true,
      );
    });
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const podAffinity = asRecord(affinity[kind]);
    if (podAffinity === undefined) continue;
    const at: Path = [...specPath, 'affinity', kind];
    asArray(podAffinity.requiredDuringSchedulingIgnoredDuringExecution).forEach((term, t) => {
      const termPath: Path = [...at, 'requiredDuringSchedulingIgnoredDuringExecution', t];
      checkRequirements(
        ctx,
        object,
        get(get(term, 'labelSelector'), 'matchExpressions'),
        [...termPath, 'labelSelector', 'matchExpressions'],
        false,
      );
    });
    asArray(podAffinity.preferredDuringSchedulingIgnoredDuringExecution).forEach((term, t) => {
      const termPath: Path = [...at, 'preferredDuringSchedulingIgnoredDuringExecution', t];
      checkWeight(ctx, object, term, termPath);
      const selector = get(get(term, 'podAffinityTerm'), 'labelSelector');
      checkRequirements(
        ctx,
        object,
        get(selector, 'matchExpressions'),
        [...termPath, 'podAffinityTerm', 'labelSelector', 'matchExpressions'],
        false,
      );
    });
  }
}

function checkWeight(ctx: Ctx, object: KObject, term: unknown, at: Path): void {
  const weight = asNumber(get(term, 'weight'));
  if (weight !== undefined && (weight < 1 || weight > 100))
    ctx.report({ object, path: [...at, 'weight'], messageId: 'affinityWeight', data: { value: weight } });
}

function get(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

function checkRestartPolicy(
  ctx: Ctx,
  object: KObject,
  spec: Record<string, unknown>,
  specPath: Path,
  partial: boolean,
): void {
  const policy = asString(spec.restartPolicy);
  const at: Path = [...specPath, 'restartPolicy'];
  const data = { object: objectLabel(object), kind: object.kind, value: policy ?? '' };
  if (CONTROLLER_KINDS.has(object.kind)) {
    if (policy !== undefined && policy !== '' && policy !== 'Always')
      ctx.report({ object, path: at, messageId: 'restartPolicyAlways', data });
    if (spec.activeDeadlineSeconds !== undefined && spec.activeDeadlineSeconds !== null)
      ctx.report({
        object,
        path: [...specPath, 'activeDeadlineSeconds'],
        key: true,
        messageId: 'activeDeadlineForbidden',
        data,
      });
    return;
  }
  if (!JOBS.has(object.kind)) return;
  // A pod template's restartPolicy defaults to Always, which the Job validation then refuses.
  if (policy === undefined || policy === '') {
    if (!partial) ctx.report({ object, path: specPath, key: true, messageId: 'restartPolicyJobDefault', data });
  } else if (policy !== 'OnFailure' && policy !== 'Never')
    ctx.report({ object, path: at, messageId: 'restartPolicyJob', data });
  else {
    const jobSpecPath = object.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec'] : ['spec'];
    if (policy !== 'Never' && isRecord(serverValue(object, [...jobSpecPath, 'podFailurePolicy'])))
      ctx.report({ object, path: at, messageId: 'restartPolicyFailurePolicy', data });
  }
}

function checkDns(ctx: Ctx, object: KObject, spec: Record<string, unknown>, specPath: Path, partial: boolean): void {
  for (const field of ['hostname', 'subdomain']) {
    const value = asString(spec[field]);
    if (value === undefined || value === '') continue;
    const problem = dns1123LabelProblem(value);
    if (problem !== undefined)
      ctx.report({ object, path: [...specPath, field], messageId: 'dnsLabel', data: { field, value, problem } });
  }
  const config = asRecord(spec.dnsConfig);
  const nameservers = asArray(config?.nameservers);
  if (spec.dnsPolicy === 'None' && nameservers.length === 0 && !partial)
    ctx.report({
      object,
      path: config === undefined ? [...specPath, 'dnsPolicy'] : [...specPath, 'dnsConfig'],
      key: config !== undefined,
      messageId: 'dnsNoneConfig',
      data: {},
    });
  if (config === undefined) return;
  if (nameservers.length > 3)
    ctx.report({
      object,
      path: [...specPath, 'dnsConfig', 'nameservers'],
      key: true,
      messageId: 'dnsNameservers',
      data: { count: nameservers.length },
    });
  nameservers.forEach((ns, i) => {
    if (typeof ns === 'string' && parseIp(ns) === undefined)
      ctx.report({
        object,
        path: [...specPath, 'dnsConfig', 'nameservers', i],
        messageId: 'dnsNameserverIp',
        data: { value: ns },
      });
  });
  const searches = asArray(config.searches).filter((s): s is string => typeof s === 'string');
  if (searches.length > 32 || searches.join(' ').length > 2048)
    ctx.report({
      object,
      path: [...specPath, 'dnsConfig', 'searches'],
      key: true,
      messageId: 'dnsSearches',
      data: { count: searches.length, length: searches.join(' ').length },
    });
}

function checkTolerations(ctx: Ctx, object: KObject, spec: Record<string, unknown>, specPath: Path): void {
  asArray(spec.tolerations).forEach((t, i) => {
    if (!isRecord(t)) return;
    const at: Path = [...specPath, 'tolerations', i];
    const key = asString(t.key) ?? '';
    const operator = asString(t.operator) ?? '';
    const value = asString(t.value) ?? '';
    if (key === '' && operator !== 'Exists')
      ctx.report({
        object,
        path: t.operator === undefined ? at : [...at, 'operator'],
        messageId: 'tolerationKeyEmpty',
        data: {},
      });
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute')
      ctx.report({
        object,
        path: t.effect === undefined ? [...at, 'tolerationSeconds'] : [...at, 'effect'],
        key: t.effect === undefined,
        messageId: 'tolerationSeconds',
        data: { effect: asString(t.effect) ?? '' },
      });
    if (operator === 'Exists' && value !== '')
      ctx.report({ object, path: [...at, 'value'], messageId: 'tolerationExistsValue', data: { value } });
  });
}

function checkSpread(ctx: Ctx, object: KObject, spec: Record<string, unknown>, specPath: Path): void {
  const seen = new Set<string>();
  asArray(spec.topologySpreadConstraints).forEach((c, i) => {
    if (!isRecord(c)) return;
    const at: Path = [...specPath, 'topologySpreadConstraints', i];
    const maxSkew = asNumber(c.maxSkew);
    if (maxSkew !== undefined && maxSkew <= 0)
      ctx.report({ object, path: [...at, 'maxSkew'], messageId: 'spreadMaxSkew', data: { value: maxSkew } });
    const minDomains = asNumber(c.minDomains);
    if (minDomains !== undefined) {
      if (minDomains <= 0)
        ctx.report({ object, path: [...at, 'minDomains'], messageId: 'spreadMinDomains', data: { value: minDomains } });
      else if (c.whenUnsatisfiable !== 'DoNotSchedule')
        ctx.report({
          object,
          path: [...at, 'minDomains'],
          messageId: 'spreadMinDomainsPolicy',
          data: { value: asString(c.whenUnsatisfiable) ?? '' },
        });
    }
    const key = `${asString(c.topologyKey) ?? ''}\u0000${asString(c.whenUnsatisfiable) ?? ''}`;
    if (seen.has(key))
      ctx.report({
        object,
        path: [...at, 'topologyKey'],
        messageId: 'spreadDuplicate',
        data: { key: code(asString(c.topologyKey) ?? ''), when: code(asString(c.whenUnsatisfiable) ?? '') },
      });
    seen.add(key);
  });
}

export default defineRule<MessageId>({
  id: 'pod-spec-invalid',
  category: 'schema',
  severity: 'error',
  description:
    'Report pod spec fields the API server rejects: restartPolicy per workload kind, DNS, tolerations, ' +
    'spreading, affinity',
  rationale:
    'The API server validates the pod spec of every Pod and pod template beyond its schema (`ValidatePodSpec` ' +
    'in pkg/apis/core/validation/validation.go, and the template checks of pkg/apis/apps and pkg/apis/batch ' +
    'validation): Deployments, ReplicaSets, StatefulSets, DaemonSets and ReplicationControllers run pods ' +
    'with `restartPolicy: Always` and no `activeDeadlineSeconds`; Jobs and CronJobs need `OnFailure` or ' +
    '`Never` (a template without one defaults to `Always` and is refused), and `Never` with a ' +
    '`podFailurePolicy`; `activeDeadlineSeconds` is at least 1; `hostname` and `subdomain` are DNS-1123 ' +
    'labels; `dnsPolicy: None` needs `dnsConfig.nameservers`, at most 3 IP addresses, and at most 32 search ' +
    'domains; a toleration without key uses `operator: Exists`, `tolerationSeconds` needs `effect: ' +
    'NoExecute`, and `Exists` takes no value; topology spread constraints have a positive `maxSkew`, a ' +
    'positive `minDomains` only with `DoNotSchedule`, and no duplicate key/policy pair; selector ' +
    'requirements of affinities have values exactly when their operator needs them, required node affinity ' +
    'has at least one term and weights lie in 1–100; scheduling gates are unique; `ephemeralContainers` are refused when a Pod ' +
    'is created and in every pod template (they are added to running pods through the ephemeralcontainers ' +
    'subresource, `kubectl debug`, whose field allow-list a manifest never reaches). Everything is read as ' +
    'the API server decodes it. Containers and volumes are checked by `container-invalid` and ' +
    '`volume-invalid`.',
  messages: {
    restartPolicyAlways:
      '`restartPolicy` of the pods of {{object}} is `{{value}}`, but a {{kind}} only accepts `Always` (its ' +
      'controller restarts pods): remove it or set `Always`',
    restartPolicyJob:
      '`restartPolicy` of the pods of {{object}} is `{{value}}`, but a {{kind}} only accepts `OnFailure` ' +
      'or `Never`: set one of them',
    restartPolicyJobDefault:
      'the pod template of {{object}} has no `restartPolicy`; it defaults to `Always`, which a {{kind}} ' +
      'refuses ("Unsupported value: \\"Always\\""): set `restartPolicy: OnFailure` or `Never`',
    restartPolicyFailurePolicy:
      '`restartPolicy` of the pods of {{object}} is `{{value}}`, but a Job with a `podFailurePolicy` needs `Never`',
    activeDeadlineForbidden:
      '{{object}} sets `activeDeadlineSeconds` in its pod template, which a {{kind}} does not support (its ' +
      'pods run until replaced): remove it',
    activeDeadlineRange: '`activeDeadlineSeconds` is {{value}}: it must be between 1 and 2147483647',
    dnsLabel: '`{{field}}` `{{value}}` is not valid: {{problem}}',
    dnsNoneConfig:
      '`dnsPolicy: None` leaves the pod without DNS unless `dnsConfig.nameservers` lists at least one ' +
      'nameserver: add it',
    dnsNameservers: '`dnsConfig.nameservers` lists {{count}} nameservers: at most 3 are allowed',
    dnsNameserverIp: 'nameserver `{{value}}` is not an IP address: `dnsConfig.nameservers` takes IP addresses',
    dnsSearches:
      '`dnsConfig.searches` has {{count}} domains ({{length}} characters): at most 32 domains and 2048 ' +
      'characters are allowed',
    containersEmpty: 'the pod spec of {{object}} has no containers: at least one is required',
    ephemeralForbidden:
      '{{object}} lists `ephemeralContainers`, which {{where}}: they are added to a running pod with ' +
      '`kubectl debug`; remove them from the manifest',
    tolerationKeyEmpty:
      'a toleration without `key` must use `operator: Exists` (it then tolerates every taint): set ' +
      '`operator: Exists` or give the key',
    tolerationSeconds:
      'a toleration with `tolerationSeconds` must have `effect: NoExecute` (got `{{effect}}`): set the ' +
      'effect or remove tolerationSeconds',
    tolerationExistsValue:
      'a toleration with `operator: Exists` must have no `value` (got `{{value}}`): remove the value or ' +
      'use `operator: Equal`',
    spreadMaxSkew: '`maxSkew` is {{value}}: it must be greater than 0',
    spreadMinDomains: '`minDomains` is {{value}}: it must be greater than 0',
    spreadMinDomainsPolicy:
      '`minDomains` may only be set with `whenUnsatisfiable: DoNotSchedule` (got `{{value}}`): remove it ' +
      'or change the policy',
    spreadDuplicate:
      'two topology spread constraints use topologyKey {{key}} with whenUnsatisfiable {{when}}: each pair ' +
      'may appear once; merge them',
    selectorValuesRequired:
      'requirement on `{{key}}` uses `operator: {{operator}}` without `values`: In and NotIn need at least one value',
    selectorValuesForbidden:
      'requirement on `{{key}}` uses `operator: {{operator}}`, which takes no `values`: remove them',
    selectorValuesSingle: 'requirement on `{{key}}` uses `operator: {{operator}}`, which takes exactly one value',
    nodeSelectorTerms:
      '`requiredDuringSchedulingIgnoredDuringExecution` of the node affinity has no `nodeSelectorTerms`: ' +
      'give at least one term',
    affinityWeight: '`weight` is {{value}}: it must be between 1 and 100',
    schedulingGateDuplicate: 'scheduling gate `{{name}}` is listed twice: each gate may appear once',
  },
  check(ctx) {
    for (const object of ctx.graph.withPodTemplates()) {
      const podSpec = serverPodSpec(object);
      if (podSpec === undefined) continue;
      const { spec, specPath } = podSpec;
      // A kustomize patch is partial: what it does not set is in its base.
      const partial = isKustomizePatch(ctx, object);
      checkRestartPolicy(ctx, object, spec, specPath, partial);
      // ValidatePodCreate ("cannot be set on create") and ValidatePodTemplateSpec ("not allowed in pod template").
      if (asArray(spec.ephemeralContainers).length > 0)
        ctx.report({
          object,
          path: [...specPath, 'ephemeralContainers'],
          key: true,
          messageId: 'ephemeralForbidden',
          data: {
            object: objectLabel(object),
            where: object.kind === 'Pod' ? 'cannot be set when a Pod is created' : 'a pod template may not have',
          },
        });
      if (Array.isArray(spec.containers) && spec.containers.length === 0)
        ctx.report({
          object,
          path: [...specPath, 'containers'],
          key: true,
          messageId: 'containersEmpty',
          data: { object: objectLabel(object) },
        });
      const deadline = asNumber(spec.activeDeadlineSeconds);
      if (deadline !== undefined && !CONTROLLER_KINDS.has(object.kind) && (deadline < 1 || deadline > MAX_INT32))
        ctx.report({
          object,
          path: [...specPath, 'activeDeadlineSeconds'],
          messageId: 'activeDeadlineRange',
          data: { value: deadline },
        });
      checkDns(ctx, object, spec, specPath, partial);
      checkTolerations(ctx, object, spec, specPath);
      checkSpread(ctx, object, spec, specPath);
      checkAffinity(ctx, object, spec, specPath);
      const gates = new Set<string>();
      asArray(spec.schedulingGates).forEach((gate, i) => {
        const name = asString(get(gate, 'name'));
        if (name === undefined) return;
        if (gates.has(name))
          ctx.report({
            object,
            path: [...specPath, 'schedulingGates', i, 'name'],
            messageId: 'schedulingGateDuplicate',
            data: { name },
          });
        gates.add(name);
      });
    }
  },
});
