import {
  LABEL_SELECTOR_MESSAGES,
  parseIntOrPercent,
  asArray,
  asNumber,
  asRecord,
  defineRule,
  isRecord,
  objectLabel,
  labelSelectorProblems,
  serverValue,
  CONTROLLER_KINDS,
} from '../src/api.js';
import type { KObject, Path, RuleContext } from '../src/api.js';

type MessageId =
  | 'negative'
  | 'emptySelector'
  | 'selectorValuesRequired'
  | 'selectorValuesForbidden'
  | 'recreateRollingUpdate'
  | 'onDeleteRollingUpdate'
  | 'intOrPercent'
  | 'percentAbove100'
  | 'bothZero'
  | 'zero'
  | 'progressDeadline';
type Ctx = RuleContext<MessageId>;

const APPS = new Set(['apps', 'extensions']);

/** An IntOrString of a rollout: its value (percent or count), or undefined with a problem reported. */
function intOrPercent(ctx: Ctx, object: KObject, value: unknown, path: Path, max100: boolean): number | undefined {
  if (typeof value !== 'number' && typeof value !== 'string') return undefined;
  const field = String(path.at(-1));
  const parsed = parseIntOrPercent(value);
  if (parsed === undefined) return undefined;
  if ('problem' in parsed) {
    ctx.report({
      object,
      path,
      messageId: parsed.problem === 'negative' ? 'negative' : 'intOrPercent',
      data: { field, value: String(value) },
    });
    return undefined;
  }
  if (max100 && parsed.percent && parsed.amount > 100)
    ctx.report({ object, path, messageId: 'percentAbove100', data: { field, value: String(value) } });
  return parsed.amount;
}

function nonNegative(ctx: Ctx, object: KObject, spec: Record<string, unknown>, fields: readonly string[]): void {
  for (const field of fields) {
    const value = asNumber(spec[field]);
    if (value !== undefined && value < 0)
      ctx.report({ object, path: ['spec', field], messageId: 'negative', data: { field, value } });
  }
}

function checkSelector(ctx: Ctx, object: KObject, selector: unknown): void {
  if (!isRecord(selector)) return;
  const labels = asRecord(selector.matchLabels);
  const expressions = asArray(selector.matchExpressions);
  if ((labels === undefined || Object.keys(labels).length === 0) && expressions.length === 0)
    ctx.report({
      object,
      path: ['spec', 'selector'],
      key: true,
      messageId: 'emptySelector',
      data: { object: objectLabel(object), kind: object.kind.toLowerCase() },
    });
  for (const problem of labelSelectorProblems(selector, ['spec', 'selector'])) ctx.report({ object, ...problem });
}

function checkRollingUpdate(ctx: Ctx, object: KObject, rolling: Record<string, unknown>, at: Path): void {
  const unavailable = intOrPercent(ctx, object, rolling.maxUnavailable, [...at, 'maxUnavailable'], true);
  const surge = intOrPercent(ctx, object, rolling.maxSurge, [...at, 'maxSurge'], object.kind === 'DaemonSet');
  // Defaults: 25% for a Deployment, maxUnavailable 1 and maxSurge 0 for a DaemonSet.
  const defaults = object.kind === 'Deployment' ? { unavailable: 25, surge: 25 } : { unavailable: 1, surge: 0 };
  const u =
    rolling.maxUnavailable === undefined || rolling.maxUnavailable === null ? defaults.unavailable : unavailable;
  const s = rolling.maxSurge === undefined || rolling.maxSurge === null ? defaults.surge : surge;
  if (u === 0 && s === 0)
    ctx.report({
      object,
      path: rolling.maxUnavailable === undefined ? [...at, 'maxSurge'] : [...at, 'maxUnavailable'],
      messageId: 'bothZero',
      data: { object: objectLabel(object) },
    });
}

export default defineRule<MessageId>({
  id: 'workload-spec-invalid',
  category: 'schema',
  severity: 'error',
  description:
    'Report Deployment, ReplicaSet, StatefulSet, DaemonSet and ReplicationController specs the API server rejects',
  rationale:
    'The apps validation (`ValidateDeploymentSpec`, `ValidateReplicaSetSpec`, `ValidateStatefulSetSpec`, ' +
    '`ValidateDaemonSetSpec` in pkg/apis/apps/validation/validation.go, `ValidateReplicationControllerSpec` ' +
    'in core) rejects negative counts (`replicas`, `minReadySeconds`, `revisionHistoryLimit`, the partition ' +
    'of a StatefulSet), an empty selector, selector requirements whose values do not fit their operator, a ' +
    '`rollingUpdate` block next to `type: Recreate` (Deployment) or `type: OnDelete` (StatefulSet), ' +
    '`maxUnavailable` and `maxSurge` that are neither a count nor a percentage like `25%`, above 100% or ' +
    'both 0 (nothing could ever be replaced), a StatefulSet `maxUnavailable` of 0, and a ' +
    '`progressDeadlineSeconds` (600 by default) that is not above `minReadySeconds`. A selector that does ' +
    "not match the template's labels is reported by `workload-selector-mismatch`, the pod template by " +
    '`pod-spec-invalid`, `container-invalid` and `volume-invalid`.',
  messages: {
    negative: '`{{field}}` is {{value}}: it must not be negative',
    emptySelector:
      '`spec.selector` of {{object}} selects nothing: an empty selector is invalid for a {{kind}} (it ' +
      'would select every pod); give `matchLabels` of the pod template',
    ...LABEL_SELECTOR_MESSAGES,
    recreateRollingUpdate:
      '{{object}} uses `strategy.type: Recreate`, which takes no `rollingUpdate`: remove the block or use ' +
      '`type: RollingUpdate`',
    onDeleteRollingUpdate:
      '{{object}} uses `updateStrategy.type: OnDelete`, which takes no `rollingUpdate`: remove the block ' +
      'or use `type: RollingUpdate`',
    intOrPercent: '`{{field}}` is `{{value}}`: it must be a number of pods or a percentage such as `25%`',
    percentAbove100: '`{{field}}` is `{{value}}`: it must not be greater than 100%',
    bothZero:
      '`maxUnavailable` and `maxSurge` of {{object}} are both 0: no pod could ever be replaced; allow one ' +
      'of them to be above 0',
    zero: '`{{field}}` of {{object}} is 0: it must be greater than 0',
    progressDeadline:
      '`progressDeadlineSeconds` of {{object}} ({{deadline}}) must be greater than `minReadySeconds` ' +
      '({{minReady}}): raise it, or lower minReadySeconds',
  },
  check(ctx) {
    for (const object of ctx.graph.objects) {
      if (!CONTROLLER_KINDS.has(object.kind)) continue;
      if (object.kind === 'ReplicationController' ? object.group !== '' : !APPS.has(object.group)) continue;
      const spec = asRecord(serverValue(object, ['spec']));
      if (spec === undefined) continue;
      nonNegative(ctx, object, spec, [
        'replicas',
        'minReadySeconds',
        'revisionHistoryLimit',
        'progressDeadlineSeconds',
      ]);
      if (object.kind !== 'ReplicationController') checkSelector(ctx, object, spec.selector);
      const label = objectLabel(object);
      if (object.kind === 'Deployment') {
        const strategy = asRecord(spec.strategy);
        const rolling = asRecord(strategy?.rollingUpdate);
        if (strategy?.type === 'Recreate' && rolling !== undefined)
          ctx.report({
            object,
            path: ['spec', 'strategy', 'rollingUpdate'],
            key: true,
            messageId: 'recreateRollingUpdate',
            data: { object: label },
          });
        else if (rolling !== undefined) checkRollingUpdate(ctx, object, rolling, ['spec', 'strategy', 'rollingUpdate']);
        // apps/v1 defaults progressDeadlineSeconds to 600.
        const minReady = asNumber(spec.minReadySeconds) ?? 0;
        const explicit = asNumber(spec.progressDeadlineSeconds);
        const deadline = explicit ?? (object.group === 'apps' ? 600 : undefined);
        if (deadline !== undefined && deadline <= minReady && (explicit === undefined || explicit >= 0))
          ctx.report({
            object,
            path: explicit === undefined ? ['spec', 'minReadySeconds'] : ['spec', 'progressDeadlineSeconds'],
            messageId: 'progressDeadline',
            data: { object: label, deadline, minReady },
          });
      }
      if (object.kind === 'DaemonSet') {
        const rolling = asRecord(get(spec.updateStrategy, 'rollingUpdate'));
        if (rolling !== undefined && get(spec.updateStrategy, 'type') !== 'OnDelete')
          checkRollingUpdate(ctx, object, rolling, ['spec', 'updateStrategy', 'rollingUpdate']);
      }
      if (object.kind === 'StatefulSet') {
        const strategy = asRecord(spec.updateStrategy);
        const rolling = asRecord(strategy?.rollingUpdate);
        const at: Path = ['spec', 'updateStrategy', 'rollingUpdate'];
        if (strategy?.type === 'OnDelete' && rolling !== undefined)
          ctx.report({ object, path: at, key: true, messageId: 'onDeleteRollingUpdate', data: { object: label } });
        else if (rolling !== undefined) {
          const partition = asNumber(rolling.partition);
          if (partition !== undefined && partition < 0)
            ctx.report({
              object,
              path: [...at, 'partition'],
              messageId: 'negative',
              data: { field: 'partition', value: partition },
            });
          const unavailable = intOrPercent(ctx, object, rolling.maxUnavailable, [...at, 'maxUnavailable'], true);
          if (unavailable === 0)
            ctx.report({
              object,
              path: [...at, 'maxUnavailable'],
              messageId: 'zero',
              data: { field: 'maxUnavailable', object: label },
            });
        }
        const start = asNumber(get(spec.ordinals, 'start'));
        if (start !== undefined && start < 0)
          ctx.report({
            object,
            path: ['spec', 'ordinals', 'start'],
            messageId: 'negative',
            data: { field: 'ordinals.start', value: start },
          });
      }
    }
  },
});

function get(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}
