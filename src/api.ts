/**
 * The rule API: everything a rule may use. Rules import from this module only (enforced by lint),
 * so the core can change behind it.
 */
import type { ShapeIssue } from './load/objects.js';
import type { Graph } from './model/graph.js';
import { schemaIssues as runSchemaIssues } from './schema/validate.js';
import type { SchemaIssue, SchemaRuleId } from './schema/validate.js';
import type { Category, KObject, OffsetRange, Path, Severity, Source } from './types.js';

export type {
  Category,
  ContainerInfo,
  ContainerPort,
  KObject,
  OffsetRange,
  Path,
  PodTemplate,
  Severity,
  Source,
} from './types.js';
export type { ShapeIssue } from './load/objects.js';
export type { Graph } from './model/graph.js';
export type { Requirement, Selector } from './resolve/selectors.js';
export {
  formatSelector,
  matchesLabels,
  parseEqualitySelector,
  parseLabelSelector,
  selectsTemplate,
} from './resolve/selectors.js';
export {
  findContainerPort,
  resolveProbePort,
  selectingServices,
  servicesSelecting,
  servedContainers,
} from './resolve/ports.js';
export type { SelectingService } from './resolve/ports.js';
export type { ProbePortResolution } from './resolve/ports.js';
export {
  asArray,
  asNumber,
  asRecord,
  asString,
  closestMatch,
  deepEqual,
  describeValue,
  get,
  isRecord,
} from './model/values.js';
export { objectLabel } from './model/describe.js';
export {
  claimClass,
  ingressBackends,
  isPlaceholder,
  references,
  referencesTo,
  resolveTarget,
} from './resolve/references.js';
export type { EdgeType, IngressBackend, Reference, Resolution, Target } from './resolve/references.js';
export { missingHint, missingSeverity, reportMissing, shorthand, whereText } from './resolve/evidence.js';
export { checkDataReferences, dataKeys } from './resolve/data-refs.js';
export { autoscalingOf } from './resolve/autoscaling.js';
export type { Autoscaling } from './resolve/autoscaling.js';
export { explainNoMatch, hasCustomResources, judgeNoMatch, reportNoMatch } from './resolve/near-miss.js';
export type { NearMiss, NoMatchVerdict } from './resolve/near-miss.js';
export { BUILTIN_NAMESPACES } from './model/cluster.js';
export { parseQuantity } from './model/quantity.js';
export { isPortName, podCount } from './model/k8s.js';
export { closest, relatedFiles } from './model/paths.js';
export type { ClusterDeclaration } from './model/cluster.js';
export type { SchemaIssue, SchemaRuleId } from './schema/validate.js';

export type MessageData = Readonly<Record<string, string | number>>;

export interface RelatedDescriptor {
  object: KObject;
  path: Path;
  message: string;
}

export interface ReportDescriptor<M extends string = string> {
  object: KObject;
  /** Path into the object of the offending field; the core turns it into a line/column range. */
  path: Path;
  /** Underline the key of the last path segment rather than its value (e.g. an unknown field). */
  key?: boolean;
  messageId: M;
  data?: MessageData;
  /** The other ends of a broken link. */
  related?: readonly RelatedDescriptor[];
  /**
   * A finding the rule is less sure of may be reported below the rule's default severity. A severity
   * set in the configuration overrides both.
   */
  severity?: Severity;
}

export interface SourceReportDescriptor<M extends string = string> {
  source: Source;
  range: OffsetRange;
  messageId: M;
  data?: MessageData;
  severity?: Severity;
}

export interface RuleContext<M extends string = string> {
  readonly graph: Graph;
  readonly sources: readonly Source[];
  /** Documents that were not well-formed objects (read by the manifest-shape rule). */
  readonly shapeIssues: readonly ShapeIssue[];
  /** The targeted Kubernetes version, "major.minor" (`--kubernetes-version`, `kubernetesVersion:`; default the newest bundled). */
  readonly kubernetesVersion: string;
  /** Sources of CustomResourceDefinitions given by the configuration (`crds:`): read for schemas, never linted. */
  readonly crdSources: readonly Source[];
  report(descriptor: ReportDescriptor<M>): void;
  reportSource(descriptor: SourceReportDescriptor<M>): void;
}

export interface RuleMeta<M extends string = string> {
  /** Stable forever: used in configuration, suppressions, SARIF and the docs URL. Equals the file name. */
  id: string;
  category: Category;
  /** Default severity; the configuration may change it. */
  severity: Severity;
  /** One line, imperative: what the rule requires. */
  description: string;
  /** Why it matters, in a short paragraph (docs, SARIF help, `kubewire rules --format json`). */
  rationale: string;
  /** Message templates; `{{name}}` is replaced by `data.name`. */
  messages: Readonly<Record<M, string>>;
}

export interface Rule<M extends string = string> extends RuleMeta<M> {
  check(context: RuleContext<M>): void;
}

/** Declare a rule; the identity function, for type inference of message ids. */
export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}
export { schedule } from './schedule/simulate.js';
export type { NodeSummary, PodPlacement, ScheduleResult } from './schedule/simulate.js';
export { ZONE_LABEL } from './schedule/cluster.js';
export type { NodeModel } from './schedule/cluster.js';

/** The schema validation of the run (computed once, shared by the schema rules). */
export function schemaIssues(
  ctx: Pick<RuleContext, 'graph' | 'sources' | 'kubernetesVersion' | 'crdSources'>,
): readonly SchemaIssue[] {
  return runSchemaIssues(ctx.graph, {
    kubernetesVersion: ctx.kubernetesVersion,
    crdSources: ctx.crdSources,
    sources: ctx.sources,
  });
}

/** Report the issues of the schema pass that belong to one schema rule. */
export function reportSchemaIssues<M extends string>(ctx: RuleContext<M>, ruleId: SchemaRuleId): void {
  for (const issue of schemaIssues(ctx)) {
    if (issue.ruleId !== ruleId) continue;
    ctx.report({
      object: issue.object,
      path: issue.path,
      key: issue.key,
      messageId: issue.messageId as M,
      data: issue.data,
      severity: issue.severity,
    });
  }
}
