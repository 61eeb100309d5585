/**
 * lint(): sources in, findings out. Pure and synchronous: no file system, no process, no console.
 */
import type {
  MessageData,
  RelatedDescriptor,
  ReportDescriptor,
  Rule,
  RuleContext,
  SourceReportDescriptor,
} from './api.js';
import { loadObjects } from './load/objects.js';
import { rangeToPositions } from './load/source.js';
import { EMPTY_CLUSTER } from './model/cluster.js';
import type { ClusterDeclaration } from './model/cluster.js';
import { ALL, Graph } from './model/graph.js';
import { changes, reusable, sameInputs } from './incremental.js';
import type { Inputs, RuleRun, ReuseState } from './incremental.js';
import { locate } from './model/locate.js';
import { objectLabel } from './model/phrase.js';
import { get } from './model/values.js';
import { onByDefault, settingSeverity } from './presets.js';
import type { EngineSetting } from './presets.js';
import { confirmInferences } from './resolve/namespaces.js';
import { NEWEST_BUNDLED, formatMinor, parseKubernetesVersion } from './schema/apis.js';
import { schemaIssues } from './schema/validate.js';
import { applySuppressions } from './suppress.js';
import type { Finding, KObject, ObjectRef, RelatedLocation, Severity, Source, SuggestedEdit } from './types.js';

export type { RuleSetting } from './presets.js';

export interface LintOptions {
  rules: readonly Rule[];
  /**
   * Per-rule severity overrides (`off` disables a rule). A rule off by default (its metadata names a
   * `preset`) runs only when it has a setting here (src/presets.ts `effectiveRuleSettings`).
   */
  ruleSettings?: Readonly<Record<string, EngineSetting>>;
  /** What exists in the cluster outside the input (`cluster:` of the configuration). */
  cluster?: ClusterDeclaration;
  /** Record how long each rule takes. */
  timing?: boolean;
  /** The targeted Kubernetes version ("1.34", "v1.34", "1.34.2"); default the newest bundled schema. */
  kubernetesVersion?: string;
  /** Sources of CustomResourceDefinitions that give custom resources their schema; never linted. */
  crdSources?: readonly Source[];
  /**
   * The namespace of objects that set none, as `kubectl apply -n` gives it (`--namespace`, `namespace:` in
   * .kubewire.yaml). Without it, load/namespaces.ts infers one when the input shows it, else `default`.
   */
  namespace?: string | undefined;
  /**
   * Asked between phases and rules; when it answers true, lint() stops and throws LintCancelled (the
   * language server's way to drop work that newer edits have made stale).
   */
  isCancelled?: () => boolean;
  /**
   * Keep with the result what lets a later lint of the same folder reuse findings (the language server's
   * way: `previous`). Costs a little per rule; the command line does not ask for it.
   */
  incremental?: boolean;
  /**
   * The previous result of an incremental lint of the same folder: the findings of each rule whose reads
   * no change touches are taken over instead of computed again (src/incremental.ts).
   */
  previous?: LintResult | undefined;
}

/** Thrown by lint() when `isCancelled` says the result is no longer wanted. */
export class LintCancelled extends Error {
  constructor() {
    super('lint cancelled');
  }
}

/** "v1.34.2" → "1.34"; undefined → the newest bundled minor. Throws on anything else. */
export function targetVersion(requested: string | undefined): string {
  if (requested === undefined) return NEWEST_BUNDLED;
  const parsed = parseKubernetesVersion(requested);
  if (parsed === undefined)
    throw new Error(`invalid Kubernetes version "${requested}": expected e.g. 1.34, v1.34 or 1.34.2`);
  return formatMinor(parsed);
}

export interface RuleFailure {
  ruleId: string;
  message: string;
}

export interface LintResult {
  findings: Finding[];
  /** Rules that threw: an internal error, reported separately (exit code 2). */
  ruleFailures: RuleFailure[];
  stats: { sources: number; objects: number };
  /** Milliseconds per phase and rule, when timing was asked for. */
  timings: Record<string, number>;
  /** The graph the rules saw (for the graph picture, the scheduler and the language server). */
  graph: Graph;
  /** What a later incremental lint may reuse (when this one was incremental). */
  reuse?: ReuseState;
  /** How many rules' findings were taken over from `previous`. */
  reused: number;
}

/** Replace `{{name}}` placeholders. */
export function interpolate(template: string, data: MessageData | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => {
    const value = data?.[key];
    return value === undefined ? whole : String(value);
  });
}

export function objectRef(object: KObject): ObjectRef {
  return { apiVersion: object.apiVersion, kind: object.kind, namespace: object.namespace, name: object.name };
}

function locateInObject(object: KObject, path: readonly (string | number)[], key = false) {
  const located = locate(object.document, [...object.basePath, ...path], { key });
  return rangeToPositions(object.source, located.range);
}

function relatedLocation(r: RelatedDescriptor): RelatedLocation {
  return { file: r.object.source.path, ...locateInObject(r.object, r.path), message: r.message };
}

/** Plain YAML scalars that read as something other than a string (1.1 and 1.2 booleans, null, numbers). */
const NOT_A_STRING =
  /^(?:[-+]?[0-9][0-9_.:]*|[-+]?\.(?:inf|Inf|INF|nan|NaN|NAN)|~|null|Null|NULL|y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|0[xXoObB][0-9a-fA-F_]+)$/;

/**
 * The text to write over a one-line scalar as written (`http`, `"http"`, `'http'`) so that it reads as
 * `value`: the same quotes, a bare number for a number, and double quotes where a bare string would not
 * read as a string. Undefined when the text is not such a scalar (a block, a flow collection, an alias).
 */
export function scalarReplacement(written: string, value: string | number): string | undefined {
  if (written === '' || written.includes('\n') || /^[[{|>&*!#%@`]/.test(written)) return undefined;
  const quote = written[0] === '"' || written[0] === "'" ? written[0] : '';
  if (quote !== '' && (written.length < 2 || !written.endsWith(quote))) return undefined;
  if (typeof value === 'number') return String(value);
  if (quote === "'") return `'${value.replaceAll("'", "''")}'`;
  if (quote === '"' || NOT_A_STRING.test(value) || !/^[A-Za-z0-9_./][A-Za-z0-9_./-]*$/.test(value))
    return JSON.stringify(value);
  return value;
}

/** The finding's `suggestion` edit for a descriptor that carries a guess, when its field can take it. */
function suggestedEdit(d: ReportDescriptor): SuggestedEdit | undefined {
  if (d.suggestion === undefined) return undefined;
  const at = d.suggestion.path ?? d.path;
  const key = d.suggestion.key === true;
  // Only a field that holds a string or a number (not `key:` without a value, not a mapping).
  const current = get(d.object.raw, ...at);
  if (!key && typeof current !== 'string' && typeof current !== 'number') return undefined;
  const path = [...d.object.basePath, ...at];
  const located = locate(d.object.document, path, { key });
  if (located.depth !== path.length) return undefined;
  const [start, end] = located.range;
  const replacement = scalarReplacement(d.object.source.text.slice(start, end), d.suggestion.value);
  if (replacement === undefined) return undefined;
  return { replacement, ...rangeToPositions(d.object.source, located.range) };
}

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function compareFindings(a: Finding, b: Finding): number {
  return (
    (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
    a.line - b.line ||
    a.column - b.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0) ||
    a.endLine - b.endLine ||
    a.endColumn - b.endColumn
  );
}

/** Categories whose rules judge a whole pod: not reported on kustomize patches, which are partial objects. */
const WHOLE_POD_CATEGORIES: ReadonlySet<string> = new Set(['probes', 'resources', 'scheduling']);

/**
 * A wiring finding that involves an object whose namespace kubewire inferred (load/namespaces.ts) says
 * so: it holds only if the files are applied to that namespace.
 */
function inferenceNote(category: string, d: ReportDescriptor): string {
  if (category !== 'wiring') return '';
  const inferred = [d.object, ...(d.related ?? []).map((r) => r.object)].find((o) => o.namespaceSource === 'inferred');
  if (inferred === undefined || inferred.namespace === null) return '';
  return ` (${objectLabel(inferred)} sets no namespace; kubewire assumes \`${inferred.namespace}\`, the namespace of the other objects of its files: pass --namespace if it is applied elsewhere)`;
}

export function lint(sources: readonly Source[], options: LintOptions): LintResult {
  const timings: Record<string, number> = {};
  const stopIfCancelled = () => {
    if (options.isCancelled?.() === true) throw new LintCancelled();
  };
  const clock = options.timing ? () => performance.now() : () => 0;
  let t = clock();
  const cluster = options.cluster ?? EMPTY_CLUSTER;
  let loaded = loadObjects(sources, { namespace: options.namespace });
  let graph = new Graph(loaded.objects, { cluster, generated: loaded.generated, patches: loaded.patches });
  if (loaded.inferable.size > 0) {
    // Objects without a namespace that the wiring shows to belong with their files' one namespace.
    const inferred = confirmInferences(graph, loaded.inferable);
    if (inferred.size > 0) {
      loaded = loadObjects(sources, { namespace: options.namespace, inferred });
      graph = new Graph(loaded.objects, { cluster, generated: loaded.generated, patches: loaded.patches });
    }
  }
  const { objects, issues } = loaded;
  if (options.timing) timings['(load+index)'] = clock() - t;
  stopIfCancelled();

  const findings: Finding[] = [];
  const objectOfFinding = new Map<Finding, KObject>();
  const ruleFailures: RuleFailure[] = [];
  const settings = options.ruleSettings ?? {};
  const kubernetesVersion = targetVersion(options.kubernetesVersion);
  const crdSources = options.crdSources ?? [];
  const inputs: Inputs = {
    cluster,
    kubernetesVersion,
    crdSources,
    namespace: options.namespace,
    patches: loaded.patches,
    generated: JSON.stringify(loaded.generated),
  };
  const previous = options.previous?.reuse;
  const changed =
    options.incremental === true && previous !== undefined && sameInputs(previous.inputs, inputs)
      ? changes(previous, sources, objects)
      : undefined;
  const runs = new Map<string, RuleRun>();
  let reused = 0;
  // Computed ahead only to time it; an incremental lint lets the first schema rule compute it (and record its reads).
  if (
    options.timing &&
    options.incremental !== true &&
    options.rules.some((r) => r.category === 'schema' && settings[r.id] !== 'off')
  ) {
    // The schema pass is shared by the schema rules: time it on its own, not as the first rule's.
    t = clock();
    schemaIssues(graph, { kubernetesVersion, crdSources, sources });
    timings['(schema)'] = clock() - t;
  }

  for (const rule of options.rules) {
    // A rule off by default (a preset's hygiene rule) runs only when a setting turns it on.
    const setting = settings[rule.id] ?? (onByDefault(rule) ? undefined : 'off');
    if (setting === 'off') continue;
    stopIfCancelled();
    const before = changed && previous?.runs.get(rule.id);
    const taken = before ? reusable(before, setting, changed) : undefined;
    if (taken !== undefined) {
      taken.findings.forEach((f, i) => {
        findings.push(f);
        const object = taken.objects[i];
        if (object !== undefined) objectOfFinding.set(f, object);
      });
      if (taken.failure !== undefined) ruleFailures.push({ ruleId: rule.id, message: taken.failure });
      runs.set(rule.id, taken);
      reused++;
      continue;
    }
    const severityFor = (requested: Severity | undefined): Severity =>
      settingSeverity(setting, requested ?? rule.severity);
    const message = (id: string, data: MessageData | undefined): string => {
      const template = (rule.messages as Record<string, string>)[id];
      if (template === undefined) throw new Error(`rule ${rule.id} has no message "${id}"`);
      return interpolate(template, data);
    };
    const context: RuleContext = {
      graph,
      // What the sources say is read past the graph: a rule that reads them depends on every edit.
      get sources() {
        graph.noteRead(ALL);
        return sources;
      },
      get shapeIssues() {
        graph.noteRead(ALL);
        return issues;
      },
      kubernetesVersion,
      crdSources,
      namespace: options.namespace,
      report(d: ReportDescriptor) {
        // A kustomize patch is a partial object: what its pods lack (probes, resources) and whether they fit
        // on the nodes is decided by the object the build produces, not by the patch.
        if (WHOLE_POD_CATEGORIES.has(rule.category) && graph.isPatch(d.object.source.path)) return;
        const finding: Finding = {
          ruleId: rule.id,
          category: rule.category,
          severity: severityFor(d.severity),
          message: message(d.messageId, d.data) + inferenceNote(rule.category, d),
          file: d.object.source.path,
          ...locateInObject(d.object, d.path, d.key),
          object: objectRef(d.object),
          related: (d.related ?? []).map(relatedLocation),
        };
        const edit = suggestedEdit(d);
        if (edit !== undefined) finding.suggestion = edit;
        findings.push(finding);
        objectOfFinding.set(finding, d.object);
      },
      reportSource(d: SourceReportDescriptor) {
        graph.noteRead(ALL); // a source's finding is not tied to an object whose change the graph can tell
        findings.push({
          ruleId: rule.id,
          category: rule.category,
          severity: severityFor(d.severity),
          message: message(d.messageId, d.data),
          file: d.source.path,
          ...rangeToPositions(d.source, d.range),
          object: d.object ?? null,
          related: [],
        });
      },
    };
    t = clock();
    const first = findings.length;
    const reads = options.incremental === true ? new Set<string>() : undefined;
    graph.track(reads);
    let failure: string | undefined;
    try {
      rule.check(context);
    } catch (error) {
      failure = error instanceof Error ? (error.stack ?? error.message) : String(error);
      ruleFailures.push({ ruleId: rule.id, message: failure });
    } finally {
      graph.track(undefined);
    }
    if (reads !== undefined) {
      const own = findings.slice(first);
      runs.set(rule.id, { setting, reads, findings: own, objects: own.map((f) => objectOfFinding.get(f)), failure });
    }
    if (options.timing) timings[rule.id] = clock() - t;
  }

  const kept = applySuppressions(findings, sources, (f) => objectOfFinding.get(f));
  kept.sort(compareFindings);
  const unique = kept.filter((f, i) => i === 0 || compareFindings(f, kept[i - 1] as Finding) !== 0);
  return {
    findings: unique,
    ruleFailures,
    stats: { sources: sources.length, objects: objects.length },
    timings,
    graph,
    reused,
    ...(options.incremental === true ? { reuse: { inputs, sources, objects, runs } } : {}),
  };
}
