import {
  asNumber,
  asRecord,
  asString,
  code,
  defineRule,
  isRecord,
  looksLikePlaceholder,
  objectLabel,
  serverValue,
  suggestion,
} from '../src/api.js';
import type { KObject, Path, RuleContext } from '../src/api.js';

type MessageId =
  | 'negative'
  | 'schedule'
  | 'scheduleTz'
  | 'timeZoneEmpty'
  | 'timeZoneLocal'
  | 'timeZoneUnknown'
  | 'cronJobName'
  | 'templateSelector'
  | 'templateManualSelector'
  | 'indexedCompletions'
  | 'indexedParallelism'
  | 'perIndexNotIndexed'
  | 'maxFailedIndexesAlone'
  | 'maxFailedIndexesAbove';
type Ctx = RuleContext<MessageId>;

interface Bounds {
  min: number;
  max: number;
  /** Names and their numbers (robfig/cron: `jan` is 1, `sun` is 0). */
  names?: Readonly<Record<string, number>>;
}

const MONTHS = Object.fromEntries(
  ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'].map((m, i) => [m, i + 1]),
);
const DAYS = Object.fromEntries(['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d, i) => [d, i]));
/** cron.ParseStandard: minute, hour, day of month, month, day of week. */
const FIELDS: readonly (Bounds & { label: string })[] = [
  { label: 'minute', min: 0, max: 59 },
  { label: 'hour', min: 0, max: 23 },
  { label: 'day of month', min: 1, max: 31 },
  { label: 'month', min: 1, max: 12, names: MONTHS },
  { label: 'day of week', min: 0, max: 6, names: DAYS },
];
const DESCRIPTORS = new Set(['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly']);
const MAX_INDEXED = 100_000;

/**
 * Go's time.ParseDuration, for `@every`. The micro signs (U+00B5 µ, U+03BC μ) are escaped: the bundled
 * command line must stay ASCII (scripts/bundle.ts).
 */
function isGoDuration(text: string): boolean {
  return (
    /^[-+]?(\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h))*$/.test(
      text,
    ) || text === '0'
  );
}

function parseNumber(text: string, bounds: Bounds): number | string {
  const named = bounds.names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^[+-]?\d+$/.test(text)) return `failed to parse int from ${text}`;
  const n = Number(text);
  if (n < 0) return `negative number (${String(n)}) not allowed: ${text}`;
  return n;
}

/** robfig/cron getRange: one comma-separated part of a field. */
function rangeProblem(expr: string, bounds: Bounds): string | undefined {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = (rangeAndStep[0] ?? '').split('-');
  const single = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = bounds.min;
    end = bounds.max;
  } else {
    const s = parseNumber(lowAndHigh[0] ?? '', bounds);
    if (typeof s === 'string') return s;
    start = s;
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) {
      const e = parseNumber(lowAndHigh[1] ?? '', bounds);
      if (typeof e === 'string') return e;
      end = e;
    } else return `too many hyphens: ${expr}`;
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    const s = rangeAndStep[1] ?? '';
    if (!/^[+-]?\d+$/.test(s)) return `failed to parse int from ${s}`;
    step = Number(s);
    if (step < 0) return `negative number (${String(step)}) not allowed: ${s}`;
    if (single) end = bounds.max;
  } else if (rangeAndStep.length > 2) return `too many slashes: ${expr}`;
  if (start < bounds.min) return `beginning of range (${String(start)}) below minimum (${String(bounds.min)}): ${expr}`;
  if (end > bounds.max) return `end of range (${String(end)}) above maximum (${String(bounds.max)}): ${expr}`;
  if (start > end) return `beginning of range (${String(start)}) beyond end of range (${String(end)}): ${expr}`;
  if (step === 0) return `step of range should be a positive number: ${expr}`;
  return undefined;
}

/** The error of robfig/cron's ParseStandard for a schedule, or undefined when it parses. */
function cronProblem(schedule: string): string | undefined {
  let spec = schedule.trim();
  if (spec === '') return 'empty spec string';
  if (spec.startsWith('TZ=') || spec.startsWith('CRON_TZ=')) {
    const space = spec.indexOf(' ');
    if (space === -1) return 'missing a schedule after the time zone';
    const zone = spec.slice(spec.indexOf('=') + 1, space);
    if (timeZoneProblem(zone) !== undefined) return `provided bad location ${zone}: unknown time zone ${zone}`;
    spec = spec.slice(space).trim();
  }
  if (spec.startsWith('@')) {
    if (DESCRIPTORS.has(spec)) return undefined;
    if (spec.startsWith('@every ')) {
      const duration = spec.slice('@every '.length).trim();
      return isGoDuration(duration)
        ? undefined
        : `failed to parse duration ${spec}: time: invalid duration "${duration}"`;
    }
    return `unrecognized descriptor: ${spec}`;
  }
  const fields = spec.split(/\s+/);
  if (fields.length !== 5) return `expected exactly 5 fields, found ${String(fields.length)}: [${fields.join(' ')}]`;
  for (let i = 0; i < 5; i++) {
    const bounds = FIELDS[i];
    if (bounds === undefined) continue;
    for (const part of (fields[i] ?? '').split(',')) {
      const problem = rangeProblem(part, bounds);
      if (problem !== undefined) return `${problem} (${bounds.label})`;
    }
  }
  return undefined;
}

const ZONE_COMPONENT = /^[A-Za-z.\-_0-9+]{1,14}$/;
let knownZones: Set<string> | undefined;

/** validateTimeZone's name rules and time.LoadLocation (names are case-sensitive, as the tz database's files). */
function timeZoneProblem(zone: string): 'unknown' | 'local' | undefined {
  for (const part of zone.split('/'))
    if (part === '.' || part === '..' || part.startsWith('-') || !ZONE_COMPONENT.test(part)) return 'unknown';
  if (zone.toLowerCase() === 'local') return 'local';
  if (zone === 'UTC' || zone === 'GMT') return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    return 'unknown';
  }
  // Intl accepts any case (`europe/berlin`); the tz database does not.
  knownZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (!knownZones.has(zone) && [...knownZones].some((z) => z.toLowerCase() === zone.toLowerCase())) return 'unknown';
  return undefined;
}

/** The time zone of the tz database that differs only in case (`europe/berlin` → `Europe/Berlin`). */
function caseGuess(zone: string): string | undefined {
  knownZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  return [...knownZones].find((z) => z.toLowerCase() === zone.toLowerCase());
}

function nonNegative(
  ctx: Ctx,
  object: KObject,
  spec: Record<string, unknown>,
  at: Path,
  fields: readonly string[],
): void {
  for (const field of fields) {
    const value = asNumber(spec[field]);
    if (value !== undefined && value < 0)
      ctx.report({ object, path: [...at, field], messageId: 'negative', data: { field, value } });
  }
}

function checkJobSpec(ctx: Ctx, object: KObject, spec: Record<string, unknown>, at: Path): void {
  nonNegative(ctx, object, spec, at, [
    'parallelism',
    'completions',
    'activeDeadlineSeconds',
    'backoffLimit',
    'ttlSecondsAfterFinished',
    'backoffLimitPerIndex',
    'maxFailedIndexes',
  ]);
  const indexed = spec.completionMode === 'Indexed';
  const completions = asNumber(spec.completions);
  const parallelism = asNumber(spec.parallelism);
  const data = { object: objectLabel(object) };
  if (indexed && completions === undefined)
    ctx.report({ object, path: [...at, 'completionMode'], messageId: 'indexedCompletions', data });
  if (indexed && parallelism !== undefined && parallelism > MAX_INDEXED)
    ctx.report({
      object,
      path: [...at, 'parallelism'],
      messageId: 'indexedParallelism',
      data: { ...data, value: parallelism },
    });
  if (present(spec.backoffLimitPerIndex) && !indexed)
    ctx.report({ object, path: [...at, 'backoffLimitPerIndex'], key: true, messageId: 'perIndexNotIndexed', data });
  const maxFailed = asNumber(spec.maxFailedIndexes);
  if (maxFailed !== undefined) {
    if (!present(spec.backoffLimitPerIndex))
      ctx.report({ object, path: [...at, 'maxFailedIndexes'], key: true, messageId: 'maxFailedIndexesAlone', data });
    else if (completions !== undefined && maxFailed > completions)
      ctx.report({
        object,
        path: [...at, 'maxFailedIndexes'],
        messageId: 'maxFailedIndexesAbove',
        data: { ...data, value: maxFailed, completions },
      });
  }
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

export default defineRule<MessageId>({
  id: 'job-spec-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report Job and CronJob specs the API server rejects: schedule syntax, time zones, counts, indexed jobs',
  rationale:
    'The batch validation (`validateJobSpec`, `validateCronJobSpec`, `validateScheduleFormat` and ' +
    '`validateTimeZone` in pkg/apis/batch/validation/validation.go) parses a CronJob `schedule` with ' +
    'robfig/cron `ParseStandard`: five fields (minute 0–59, hour 0–23, day of month 1–31, month 1–12 or ' +
    '`jan`–`dec`, day of week 0–6 or `sun`–`sat`; `*`, `?`, ranges, lists and steps), or a macro ' +
    '(`@yearly`, `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`, `@every 1h30m`); a ' +
    '`TZ=` or `CRON_TZ=` prefix is refused on new objects (use `timeZone`), and `timeZone` must be a name ' +
    'of the tz database, not `Local`. CronJob names are at most 52 characters (the Job names it creates add ' +
    '11), and its job template may not set a selector. Counts (`parallelism`, `completions`, `backoffLimit`, ' +
    '`activeDeadlineSeconds`, `ttlSecondsAfterFinished`, history limits, `startingDeadlineSeconds`) are not ' +
    'negative; an Indexed Job needs `completions` and at most 100000 parallel pods; `backoffLimitPerIndex` ' +
    'needs Indexed completion, and `maxFailedIndexes` needs `backoffLimitPerIndex` and at most `completions`. ' +
    'The restart policy of the pods is checked by `pod-spec-invalid`.',
  messages: {
    negative: '`{{field}}` is {{value}}: it must not be negative',
    schedule: 'schedule `{{schedule}}` is not valid cron syntax: {{problem}}',
    scheduleTz:
      'schedule `{{schedule}}` sets its time zone with `TZ=`/`CRON_TZ=`, which the API server refuses ' +
      '("cannot use TZ or CRON_TZ in schedule"): move the zone to `spec.timeZone: {{zone}}` and keep ' +
      '`{{rest}}`',
    timeZoneEmpty: "`timeZone` is empty: remove it (the controller's zone, usually UTC, applies) or name a zone",
    timeZoneLocal:
      '`timeZone: {{zone}}` is not allowed: name an explicit zone of the tz database, such as ' +
      '`Europe/Berlin` or `Etc/UTC`',
    timeZoneUnknown: '`timeZone` {{zone}} is not a time zone of the tz database{{guess}}',
    cronJobName:
      'CronJob name `{{name}}` has {{length}} characters: at most 52 are allowed, since the Jobs it creates append 11',
    templateSelector: 'the jobTemplate of {{object}} sets `selector`, which is generated for each Job: remove it',
    templateManualSelector:
      'the jobTemplate of {{object}} sets `manualSelector: true`, which CronJobs do not support: remove it',
    indexedCompletions: '{{object}} uses `completionMode: Indexed` without `completions`: set the number of indexes',
    indexedParallelism: '`parallelism` of {{object}} is {{value}}: an Indexed Job runs at most 100000 pods in parallel',
    perIndexNotIndexed:
      '{{object}} sets `backoffLimitPerIndex`, which requires `completionMode: Indexed`: set it or use `backoffLimit`',
    maxFailedIndexesAlone: '{{object}} sets `maxFailedIndexes` without `backoffLimitPerIndex`: set both or neither',
    maxFailedIndexesAbove: '`maxFailedIndexes` of {{object}} ({{value}}) is above `completions` ({{completions}})',
  },
  check(ctx) {
    for (const object of ctx.graph.objects) {
      if (object.group !== 'batch') continue;
      if (object.kind === 'Job') {
        const spec = asRecord(serverValue(object, ['spec']));
        if (spec !== undefined) checkJobSpec(ctx, object, spec, ['spec']);
        continue;
      }
      if (object.kind !== 'CronJob') continue;
      const spec = asRecord(serverValue(object, ['spec']));
      if (spec === undefined) continue;
      const label = objectLabel(object);
      if (object.name.length > 52)
        ctx.report({
          object,
          path: ['metadata', 'name'],
          messageId: 'cronJobName',
          data: { name: object.name, length: object.name.length },
        });
      const schedule = asString(spec.schedule);
      if (schedule !== undefined && schedule !== '' && !looksLikePlaceholder(schedule)) {
        const tz = /^\s*(?:CRON_)?TZ=(\S*)\s*(.*)$/.exec(schedule);
        if (schedule.includes('TZ'))
          ctx.report({
            object,
            path: ['spec', 'schedule'],
            messageId: 'scheduleTz',
            data: { schedule, zone: tz?.[1] ?? '…', rest: tz?.[2] ?? schedule },
          });
        const problem = cronProblem(schedule);
        if (problem !== undefined && !schedule.includes('TZ'))
          ctx.report({ object, path: ['spec', 'schedule'], messageId: 'schedule', data: { schedule, problem } });
      }
      const zone = spec.timeZone;
      if (typeof zone === 'string' && !looksLikePlaceholder(zone)) {
        const path: Path = ['spec', 'timeZone'];
        const problem = zone === '' ? 'empty' : timeZoneProblem(zone);
        if (problem === 'empty') ctx.report({ object, path, messageId: 'timeZoneEmpty', data: {} });
        else if (problem === 'local') ctx.report({ object, path, messageId: 'timeZoneLocal', data: { zone } });
        else if (problem === 'unknown') {
          const guess = caseGuess(zone);
          ctx.report({
            object,
            path,
            messageId: 'timeZoneUnknown',
            data: { zone: code(zone), guess: suggestion(guess) },
            ...(guess !== undefined ? { suggestion: { value: guess } } : {}),
          });
        }
      }
      nonNegative(
        ctx,
        object,
        spec,
        ['spec'],
        ['startingDeadlineSeconds', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'],
      );
      const jobSpecPath: Path = ['spec', 'jobTemplate', 'spec'];
      const jobSpec = asRecord(serverValue(object, jobSpecPath));
      if (jobSpec === undefined) continue;
      checkJobSpec(ctx, object, jobSpec, jobSpecPath);
      if (isRecord(jobSpec.selector))
        ctx.report({
          object,
          path: [...jobSpecPath, 'selector'],
          key: true,
          messageId: 'templateSelector',
          data: { object: label },
        });
      if (jobSpec.manualSelector === true)
        ctx.report({
          object,
          path: [...jobSpecPath, 'manualSelector'],
          messageId: 'templateManualSelector',
          data: { object: label },
        });
    }
  },
});
