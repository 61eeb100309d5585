import {
  asArray,
  asNumber,
  asRecord,
  asString,
  defineRule,
  dns1123LabelProblem,
  isRecord,
  looksLikePlaceholder,
  objectLabel,
  parseQuantity,
  pathSegmentProblem,
  serverValue,
} from '../src/api.js';
import type { KObject, Path, RuleContext } from '../src/api.js';

type MessageId =
  | 'minReplicas'
  | 'maxReplicas'
  | 'maxBelowMin'
  | 'referenceField'
  | 'targetCpu'
  | 'sourceRequired'
  | 'sourceForbidden'
  | 'fieldEmpty'
  | 'fieldInvalid'
  | 'notPositive'
  | 'utilization'
  | 'targetRequired'
  | 'targetBoth'
  | 'window'
  | 'policiesEmpty'
  | 'policyValue'
  | 'policyPeriod';
type Ctx = RuleContext<MessageId>;

/** MaxStabilizationWindowSeconds and MaxPeriodSeconds of pkg/apis/autoscaling/validation. */
const MAX_WINDOW = 3600;
const MAX_PERIOD = 1800;
/** The metric sources in the order validateMetricSpec looks at them (only the first present one is validated). */
const SOURCES: Record<string, string> = {
  Object: 'object',
  External: 'external',
  Pods: 'pods',
  Resource: 'resource',
  ContainerResource: 'containerResource',
};

/** ValidateCrossVersionObjectReference and validateMetricIdentifier: non-empty path-segment names. */
function checkName(ctx: Ctx, object: KObject, value: unknown, at: Path): void {
  if (typeof value !== 'string' || looksLikePlaceholder(value)) return;
  const field = String(at.at(-1));
  if (value === '') ctx.report({ object, path: at, messageId: 'fieldEmpty', data: { field } });
  else {
    const problem = pathSegmentProblem(value);
    if (problem !== undefined) ctx.report({ object, path: at, messageId: 'fieldInvalid', data: { field, problem } });
  }
}

/** validateMetricTarget: positive quantities and a utilization of at least 1. */
function checkTarget(ctx: Ctx, object: KObject, target: Record<string, unknown>, at: Path): void {
  for (const field of ['value', 'averageValue']) {
    const amount = parseQuantity(target[field]);
    if (amount !== undefined && amount <= 0)
      ctx.report({
        object,
        path: [...at, field],
        messageId: 'notPositive',
        data: { field, value: String(target[field]) },
      });
  }
  const utilization = asNumber(target.averageUtilization);
  if (utilization !== undefined && utilization < 1)
    ctx.report({ object, path: [...at, 'averageUtilization'], messageId: 'utilization', data: { value: utilization } });
}

function has(record: Record<string, unknown>, field: string): boolean {
  return record[field] !== undefined && record[field] !== null;
}

/** validateObjectSource … validateContainerResourceSource: the target fields each source needs. */
function checkSource(ctx: Ctx, object: KObject, field: string, source: Record<string, unknown>, at: Path): void {
  const metric = asRecord(source.metric);
  if (metric !== undefined) checkName(ctx, object, metric.name, [...at, 'metric', 'name']);
  const described = asRecord(source.describedObject);
  if (described !== undefined)
    for (const part of ['kind', 'name']) checkName(ctx, object, described[part], [...at, 'describedObject', part]);
  if (field === 'resource' || field === 'containerResource') {
    const name = asString(source.name);
    if (name === '') ctx.report({ object, path: [...at, 'name'], messageId: 'fieldEmpty', data: { field: 'name' } });
  }
  if (field === 'containerResource') {
    const container = asString(source.container);
    if (container === '')
      ctx.report({ object, path: [...at, 'container'], messageId: 'fieldEmpty', data: { field: 'container' } });
    else if (container !== undefined && !looksLikePlaceholder(container)) {
      const problem = dns1123LabelProblem(container);
      if (problem !== undefined)
        ctx.report({
          object,
          path: [...at, 'container'],
          messageId: 'fieldInvalid',
          data: { field: 'container', problem },
        });
    }
  }
  const target = asRecord(source.target);
  if (target === undefined) return;
  const targetAt: Path = [...at, 'target'];
  checkTarget(ctx, object, target, targetAt);
  const data = { source: field };
  switch (field) {
    case 'object':
    case 'external':
      if (!has(target, 'value') && !has(target, 'averageValue'))
        ctx.report({
          object,
          path: targetAt,
          key: true,
          messageId: 'targetRequired',
          data: { ...data, fields: '`value` or `averageValue`' },
        });
      if (field === 'external' && has(target, 'value') && has(target, 'averageValue'))
        ctx.report({
          object,
          path: [...targetAt, 'value'],
          key: true,
          messageId: 'targetBoth',
          data: { ...data, fields: '`value` and `averageValue`' },
        });
      break;
    case 'pods':
      if (!has(target, 'averageValue'))
        ctx.report({
          object,
          path: targetAt,
          key: true,
          messageId: 'targetRequired',
          data: { ...data, fields: '`averageValue`' },
        });
      break;
    default:
      if (!has(target, 'averageUtilization') && !has(target, 'averageValue'))
        ctx.report({
          object,
          path: targetAt,
          key: true,
          messageId: 'targetRequired',
          data: { ...data, fields: '`averageUtilization` or `averageValue`' },
        });
      if (has(target, 'averageUtilization') && has(target, 'averageValue'))
        ctx.report({
          object,
          path: [...targetAt, 'averageValue'],
          key: true,
          messageId: 'targetBoth',
          data: { ...data, fields: '`averageUtilization` and `averageValue`' },
        });
  }
}

/** validateMetricSpec: the source its type names, and no other. */
function checkMetric(ctx: Ctx, object: KObject, metric: Record<string, unknown>, at: Path): void {
  const type = asString(metric.type);
  const expected = type === undefined ? undefined : SOURCES[type];
  if (expected === undefined) return; // an unknown type is the schema's to report
  const present = Object.values(SOURCES).filter((field) => has(metric, field));
  if (!present.includes(expected))
    ctx.report({
      object,
      path: [...at, 'type'],
      messageId: 'sourceRequired',
      data: { type: type ?? '', source: expected },
    });
  if (present.length > 1)
    for (const field of present.filter((f) => f !== expected))
      ctx.report({
        object,
        path: [...at, field],
        key: true,
        messageId: 'sourceForbidden',
        data: { type: type ?? '', source: field },
      });
  const first = present[0];
  const source = first === undefined ? undefined : asRecord(metric[first]);
  if (first !== undefined && source !== undefined) checkSource(ctx, object, first, source, [...at, first]);
}

/** validateScalingRules and validateScalingPolicy. */
function checkRules(ctx: Ctx, object: KObject, rules: Record<string, unknown>, at: Path): void {
  const window = asNumber(rules.stabilizationWindowSeconds);
  if (window !== undefined && (window < 0 || window > MAX_WINDOW))
    ctx.report({ object, path: [...at, 'stabilizationWindowSeconds'], messageId: 'window', data: { value: window } });
  // SetDefaults_HorizontalPodAutoscalerBehavior fills in absent policies; an explicit empty list stays empty.
  if (Array.isArray(rules.policies) && rules.policies.length === 0)
    ctx.report({ object, path: [...at, 'policies'], key: true, messageId: 'policiesEmpty' });
  asArray(rules.policies).forEach((policy, i) => {
    if (!isRecord(policy)) return;
    const value = asNumber(policy.value);
    if (value !== undefined && value <= 0)
      ctx.report({ object, path: [...at, 'policies', i, 'value'], messageId: 'policyValue', data: { value } });
    const period = asNumber(policy.periodSeconds);
    if (period !== undefined && (period <= 0 || period > MAX_PERIOD))
      ctx.report({
        object,
        path: [...at, 'policies', i, 'periodSeconds'],
        messageId: 'policyPeriod',
        data: { value: period },
      });
  });
}

export default defineRule<MessageId>({
  id: 'hpa-spec-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report HorizontalPodAutoscaler specs the API server rejects: replica bounds, metrics, behavior',
  rationale:
    '`ValidateHorizontalPodAutoscaler` (pkg/apis/autoscaling/validation/validation.go) requires ' +
    '`minReplicas` of at least 1 (0 only with the HPAScaleToZero alpha feature gate), `maxReplicas` of at ' +
    'least 1 and not below `minReplicas`, a `scaleTargetRef` with a kind and a name; each metric fills ' +
    'in exactly the source its `type` names (`resource` for `Resource`…), with a metric name, positive ' +
    'target values, an `averageUtilization` of at least 1, and the target fields the source needs ' +
    '(`averageValue` for Pods; `value` or `averageValue` for Object and External, not both for External; ' +
    '`averageUtilization` or `averageValue`, not both, for Resource and ContainerResource); scaling rules ' +
    'have a stabilization window of 0–3600 seconds and, when `policies` is written, at least one policy, ' +
    'each with a positive value and a period of 1–1800 seconds. autoscaling/v1 needs a ' +
    '`targetCPUUtilizationPercentage` of at least 1. Metrics of the removed autoscaling/v2beta1 are not ' +
    'checked. Whether the target exists is `hpa-target-missing`.',
  messages: {
    minReplicas:
      '`minReplicas` is {{value}}: it must be at least 1 (scaling to zero needs the HPAScaleToZero alpha ' +
      'feature gate)',
    maxReplicas: '`maxReplicas` is {{value}}: it must be at least 1',
    maxBelowMin:
      '`maxReplicas` ({{max}}) of {{object}} is below `minReplicas` ({{min}}): raise maxReplicas or lower minReplicas',
    referenceField: '`scaleTargetRef.{{field}}` {{problem}}',
    targetCpu: '`targetCPUUtilizationPercentage` is {{value}}: it must be at least 1',
    sourceRequired:
      'the metric has `type: {{type}}` but no `{{source}}` block: add `{{source}}` with the metric and its target',
    sourceForbidden:
      'the metric has `type: {{type}}`, so it may not also set `{{source}}`: remove it or make it ' +
      'a metric of its own',
    fieldEmpty: '`{{field}}` is empty: give a name',
    fieldInvalid: '`{{field}}` is not valid: {{problem}}',
    notPositive: 'target `{{field}}` is {{value}}: it must be greater than 0',
    utilization: 'target `averageUtilization` is {{value}}: it must be at least 1 (percent of the request)',
    targetRequired: 'the target of this {{source}} metric needs {{fields}}: add one',
    targetBoth: 'the target of this {{source}} metric sets both {{fields}}: keep one',
    window: '`stabilizationWindowSeconds` is {{value}}: it must be between 0 and 3600',
    policiesEmpty:
      '`policies` is an empty list: give at least one policy, or leave `policies` out to get the defaults ' +
      '(to stop scaling in this direction, use `selectPolicy: Disabled`)',
    policyValue: 'the policy `value` is {{value}}: it must be greater than 0',
    policyPeriod: 'the policy `periodSeconds` is {{value}}: it must be between 1 and 1800',
  },
  check(ctx) {
    for (const object of ctx.graph.ofKind('HorizontalPodAutoscaler', 'autoscaling')) {
      const spec = asRecord(serverValue(object, ['spec']));
      if (spec === undefined) continue;
      const min = asNumber(spec.minReplicas);
      const max = asNumber(spec.maxReplicas);
      if (min !== undefined && min < 1)
        ctx.report({ object, path: ['spec', 'minReplicas'], messageId: 'minReplicas', data: { value: min } });
      if (max !== undefined && max < 1)
        ctx.report({ object, path: ['spec', 'maxReplicas'], messageId: 'maxReplicas', data: { value: max } });
      if (min !== undefined && max !== undefined && max < min)
        ctx.report({
          object,
          path: ['spec', 'maxReplicas'],
          messageId: 'maxBelowMin',
          data: { object: objectLabel(object), min, max },
          related: [{ object, path: ['spec', 'minReplicas'], message: `\`minReplicas\` is ${String(min)}` }],
        });
      const ref = asRecord(spec.scaleTargetRef);
      for (const field of ['kind', 'name']) {
        const value = ref?.[field];
        if (typeof value !== 'string' || looksLikePlaceholder(value)) continue;
        const problem = value === '' ? 'is empty: give it' : pathSegmentProblem(value);
        if (problem !== undefined)
          ctx.report({
            object,
            path: ['spec', 'scaleTargetRef', field],
            messageId: 'referenceField',
            data: { field, problem: value === '' ? problem : `is not valid: ${problem}` },
          });
      }
      if (object.apiVersion === 'autoscaling/v1') {
        const cpu = asNumber(spec.targetCPUUtilizationPercentage);
        if (cpu !== undefined && cpu < 1)
          ctx.report({
            object,
            path: ['spec', 'targetCPUUtilizationPercentage'],
            messageId: 'targetCpu',
            data: { value: cpu },
          });
        continue;
      }
      if (object.apiVersion === 'autoscaling/v2beta1') continue;
      asArray(spec.metrics).forEach((metric, i) => {
        if (isRecord(metric)) checkMetric(ctx, object, metric, ['spec', 'metrics', i]);
      });
      const behavior = asRecord(spec.behavior);
      for (const direction of ['scaleUp', 'scaleDown']) {
        const rules = asRecord(behavior?.[direction]);
        if (rules !== undefined) checkRules(ctx, object, rules, ['spec', 'behavior', direction]);
      }
    }
  },
});
