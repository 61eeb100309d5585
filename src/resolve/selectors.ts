/** Label selectors: parsing both forms and matching them against pod-template labels. */
import { code } from '../model/phrase.js';
import { asArray, asString, isRecord } from '../model/values.js';
import type { PodTemplate } from '../types.js';

export type Operator = 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';

export interface Requirement {
  key: string;
  operator: Operator;
  values: readonly string[];
}

/** A parsed selector; all requirements are ANDed. An empty list selects everything. */
export interface Selector {
  requirements: readonly Requirement[];
}

/** A problem with the selector's own shape (reported by the rules that own the field). */
export interface SelectorProblem {
  path: readonly (string | number)[];
  message: string;
}

/** `spec.selector` of a Service or ReplicationController: a plain map, every pair must match. */
export function parseEqualitySelector(value: unknown): Selector | undefined {
  if (!isRecord(value)) return undefined;
  const requirements: Requirement[] = [];
  for (const [key, v] of Object.entries(value)) {
    const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
    if (s !== undefined) requirements.push({ key, operator: 'In', values: [s] });
  }
  return { requirements };
}

const OPERATORS: readonly Operator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * A metav1.LabelSelector (`matchLabels` + `matchExpressions`). Malformed parts are returned as
 * problems and make the selector undefined: a selector we cannot read must not produce findings.
 */
export function parseLabelSelector(value: unknown): { selector: Selector | undefined; problems: SelectorProblem[] } {
  const problems: SelectorProblem[] = [];
  if (value === undefined || value === null) return { selector: undefined, problems };
  if (!isRecord(value))
    return { selector: undefined, problems: [{ path: [], message: 'a label selector must be a mapping' }] };
  const requirements: Requirement[] = [];
  const matchLabels = value.matchLabels;
  if (isRecord(matchLabels)) {
    for (const [key, v] of Object.entries(matchLabels)) {
      const s = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
      if (s === undefined)
        problems.push({ path: ['matchLabels', key], message: `label value of ${code(key)} must be a string` });
      else requirements.push({ key, operator: 'In', values: [s] });
    }
  } else if (matchLabels !== undefined && matchLabels !== null) {
    problems.push({ path: ['matchLabels'], message: '`matchLabels` must be a mapping' });
  }
  asArray(value.matchExpressions).forEach((e, i) => {
    const key = asString(isRecord(e) ? e.key : undefined);
    const operator = isRecord(e) ? e.operator : undefined;
    if (key === undefined || !OPERATORS.includes(operator as Operator)) {
      problems.push({
        path: ['matchExpressions', i],
        message: 'a match expression needs a `key` and an operator In, NotIn, Exists or DoesNotExist',
      });
      return;
    }
    const values = asArray(isRecord(e) ? e.values : undefined).map((v) => String(v));
    requirements.push({ key, operator: operator as Operator, values });
  });
  return { selector: problems.length > 0 ? undefined : { requirements }, problems };
}

/** Whether a selector matches a fixed set of labels. */
export function matchesLabels(selector: Selector, labels: Readonly<Record<string, string>>): boolean {
  return selector.requirements.every((r) => requirementMatches(r, labels[r.key]));
}

/** Whether one requirement holds for a label's value (undefined: the label is absent). */
export function requirementMatches(r: Requirement, value: string | undefined): boolean {
  switch (r.operator) {
    case 'In':
      return value !== undefined && r.values.includes(value);
    case 'NotIn':
      return value === undefined || !r.values.includes(value);
    case 'Exists':
      return value !== undefined;
    case 'DoesNotExist':
      return value === undefined;
  }
}

/**
 * Whether a selector can match some pod of a template: fixed labels must match; labels the
 * controller generates (StatefulSet pod names, pod-template-hash) match when some possible value
 * does, and when their values cannot be known they are given the benefit of the doubt.
 */
export function selectsTemplate(selector: Selector, template: PodTemplate): boolean {
  return selector.requirements.every((r) => {
    if (Object.hasOwn(template.generatedLabels, r.key)) {
      const values = template.generatedLabels[r.key];
      if (values === null || values === undefined) return r.operator !== 'DoesNotExist';
      return values.some((v) => requirementMatches(r, v));
    }
    return requirementMatches(r, template.labels[r.key]);
  });
}

/** A short rendering for messages: `app=web,tier in (a,b)`. */
export function formatSelector(selector: Selector): string {
  if (selector.requirements.length === 0) return '(everything)';
  return selector.requirements
    .map((r) => {
      switch (r.operator) {
        case 'In':
          return r.values.length === 1 ? `${r.key}=${r.values[0] ?? ''}` : `${r.key} in (${r.values.join(',')})`;
        case 'NotIn':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'Exists':
          return r.key;
        case 'DoesNotExist':
          return `!${r.key}`;
      }
    })
    .join(',');
}

/** What the API server rejects in one requirement's `values` for its operator (ValidateLabelSelectorRequirement, ValidateNodeSelectorRequirement). */
export interface RequirementProblem {
  messageId: 'selectorValuesRequired' | 'selectorValuesForbidden' | 'selectorValuesSingle';
  /** The field to point at. */
  field: 'operator' | 'values';
}

/**
 * In and NotIn need values, Exists and DoesNotExist take none; with `numeric` (node selector requirements),
 * Gt and Lt take exactly one.
 */
export function requirementProblem(
  operator: string | undefined,
  valueCount: number,
  numeric: boolean,
): RequirementProblem | undefined {
  if ((operator === 'In' || operator === 'NotIn') && valueCount === 0)
    return { messageId: 'selectorValuesRequired', field: 'operator' };
  if ((operator === 'Exists' || operator === 'DoesNotExist') && valueCount > 0)
    return { messageId: 'selectorValuesForbidden', field: 'values' };
  if (numeric && (operator === 'Gt' || operator === 'Lt') && valueCount !== 1)
    return { messageId: 'selectorValuesSingle', field: 'operator' };
  return undefined;
}

/** One problem of a label selector's `matchExpressions`, with where to point. */
export interface LabelSelectorProblem {
  readonly path: readonly (string | number)[];
  readonly key: boolean;
  readonly messageId: 'selectorValuesRequired' | 'selectorValuesForbidden';
  readonly data: { key: string; operator: string };
}

/** ValidateLabelSelector for `matchExpressions` of the label selector at `at` (no Gt/Lt: those are node selectors'). */
export function labelSelectorProblems(selector: unknown, at: readonly (string | number)[]): LabelSelectorProblem[] {
  const out: LabelSelectorProblem[] = [];
  if (!isRecord(selector)) return out;
  asArray(selector.matchExpressions).forEach((r, i) => {
    if (!isRecord(r)) return;
    const operator = asString(r.operator);
    const problem = requirementProblem(operator, asArray(r.values).length, false);
    if (problem === undefined || problem.messageId === 'selectorValuesSingle') return;
    out.push({
      path: [...at, 'matchExpressions', i, problem.field],
      key: problem.field === 'values',
      messageId: problem.messageId,
      data: { operator: operator ?? '', key: asString(r.key) ?? '' },
    });
  });
  return out;
}

/** The messages of the findings of `labelSelectorProblems`, for the rules that report them. */
export const LABEL_SELECTOR_MESSAGES = {
  selectorValuesRequired:
    'selector requirement on `{{key}}` uses `operator: {{operator}}` without `values`: In and NotIn need ' +
    'at least one value',
  selectorValuesForbidden:
    'selector requirement on `{{key}}` uses `operator: {{operator}}`, which takes no `values`: remove them',
} as const;
