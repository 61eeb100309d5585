import {
  LABEL_SELECTOR_MESSAGES,
  asRecord,
  defineRule,
  labelSelectorProblems,
  looksLikePlaceholder,
  objectLabel,
  parseIntOrPercent,
  serverValue,
} from '../src/api.js';

type MessageId =
  'both' | 'negative' | 'intOrPercent' | 'percentAbove100' | 'selectorValuesRequired' | 'selectorValuesForbidden';

export default defineRule<MessageId>({
  id: 'pdb-spec-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report PodDisruptionBudget specs the API server rejects: minAvailable with maxUnavailable, percentages',
  rationale:
    '`ValidatePodDisruptionBudgetSpec` (pkg/apis/policy/validation/validation.go) refuses `minAvailable` ' +
    'and `maxUnavailable` set together; each must be a non-negative number of pods or a percentage written ' +
    '`N%` (`ValidatePositiveIntOrPercent`), at most 100% (`IsNotMoreThan100Percent`); selector ' +
    'requirements need values exactly when their operator takes them. Whether the selector matches any ' +
    'pods is `pdb-selector-no-pods`; the syntax of `matchLabels` is checked by `schema-invalid`.',
  messages: {
    both:
      '{{object}} sets both `minAvailable` and `maxUnavailable`: a budget takes one of them; keep the one ' +
      'you mean',
    negative: '`{{field}}` is {{value}}: it must not be negative',
    intOrPercent:
      '`{{field}}` is `{{value}}`: it must be a number of pods or a percentage such as `50%` (no spaces or ' +
      'decimals)',
    percentAbove100: '`{{field}}` is `{{value}}`: a percentage of pods must not be greater than 100%',
    ...LABEL_SELECTOR_MESSAGES,
  },
  check(ctx) {
    for (const object of ctx.graph.ofKind('PodDisruptionBudget', 'policy')) {
      const spec = asRecord(serverValue(object, ['spec']));
      if (spec === undefined) continue;
      const set = (field: string) => spec[field] !== undefined && spec[field] !== null;
      if (set('minAvailable') && set('maxUnavailable'))
        ctx.report({
          object,
          path: ['spec', 'maxUnavailable'],
          key: true,
          messageId: 'both',
          data: { object: objectLabel(object) },
          related: [{ object, path: ['spec', 'minAvailable'], message: '`minAvailable` is set here' }],
        });
      for (const field of ['minAvailable', 'maxUnavailable']) {
        const value = spec[field];
        if ((typeof value !== 'number' && typeof value !== 'string') || looksLikePlaceholder(value)) continue;
        const parsed = parseIntOrPercent(value);
        if (parsed === undefined) continue;
        const data = { field, value: String(value) };
        if ('problem' in parsed)
          ctx.report({
            object,
            path: ['spec', field],
            messageId: parsed.problem === 'negative' ? 'negative' : 'intOrPercent',
            data,
          });
        else if (parsed.percent && parsed.amount > 100)
          ctx.report({ object, path: ['spec', field], messageId: 'percentAbove100', data });
      }
      for (const problem of labelSelectorProblems(spec.selector, ['spec', 'selector']))
        ctx.report({ object, ...problem });
    }
  },
});
