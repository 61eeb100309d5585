/**
 * The rule API: everything a rule may use. Rules import from this module only (enforced by lint),
 * so the core can change behind it.
 */
import { schemaIssues as runSchemaIssues } from './schema/validate.js';
import type { SchemaIssue, SchemaRuleId } from './schema/validate.js';
import type { Rule, RuleContext } from './rule-types.js';
import type { KObject } from './types.js';

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
export type { LabelSelectorProblem, Requirement, RequirementProblem, Selector } from './resolve/selectors.js';
export {
  formatSelector,
  LABEL_SELECTOR_MESSAGES,
  labelSelectorProblems,
  matchesLabels,
  parseEqualitySelector,
  parseLabelSelector,
  requirementProblem,
  selectsTemplate,
} from './resolve/selectors.js';
export {
  findContainerPort,
  resolveProbePort,
  selectingServices,
  servicesSelecting,
  servedContainers,
  trafficTargets,
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
  pushTo,
} from './model/values.js';
export {
  code,
  containerLabel,
  containerName,
  listOf,
  nameList,
  namespaceLabel,
  objectLabel,
  plural,
  portLabel,
  portList,
  suggestion,
} from './model/phrase.js';
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
export {
  CONTROLLER_KINDS,
  REPLICATED_KINDS,
  WORKLOAD_KINDS,
  isBuiltinGroup,
  isIdleContainer,
  isPortName,
  podCount,
} from './model/k8s.js';
export { closest, relatedFiles } from './model/paths.js';
export type { ClusterDeclaration } from './model/cluster.js';
export type { SchemaIssue, SchemaRuleId } from './schema/validate.js';
export { fieldName, looksLikePlaceholder } from './schema/validate.js';
export { perDocument, serverPodSpec, serverValue, serverView } from './model/decode.js';
export {
  cidrStrictlyContains,
  configMapKeyProblem,
  dns1123LabelProblem,
  dns1123SubdomainProblem,
  domainPrefixedPathProblem,
  envVarNameProblem,
  parseCidr,
  parseIntOrPercent,
  parseIp,
  pathSegmentProblem,
  portNameProblem,
  portNumberProblem,
  versionAtLeast,
  wildcardSubdomainProblem,
} from './model/syntax.js';
export type { Cidr, IntOrPercent } from './model/syntax.js';
export { labelValueProblem, qualifiedKeyProblem } from './schema/names.js';
export type { DecodeQuirk, ServerView } from './model/decode.js';

export type {
  MessageData,
  RelatedDescriptor,
  ReportDescriptor,
  Rule,
  RuleContext,
  RuleMeta,
  SourceReportDescriptor,
} from './rule-types.js';

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
      ...(issue.suggestion !== undefined ? { suggestion: issue.suggestion } : {}),
    });
  }
}

/**
 * Whether an object is a strategic-merge patch of a kustomization in the input: a partial object, so what
 * it does not say (a missing field, a volume of the base) proves nothing.
 */
export function isKustomizePatch(ctx: Pick<RuleContext, 'graph'>, object: KObject): boolean {
  // The engine builds the graph with the patches of kustomizeRoles(sources) (load/objects.ts).
  return ctx.graph.isPatch(object.source.path);
}
export {
  BASELINE_CAPABILITIES,
  containerAnchor,
  eachViolation,
  effectiveSecurity,
  isSafeSysctl,
  judgePodSecurity,
  levelRequested,
  namespacePolicy,
  podSecurityOf,
  reportPodSecurity,
  restrictedRequested,
} from './resolve/pod-security.js';
export type {
  NamespacePolicy,
  PodSecurityControl,
  PodSecurityJudgement,
  PodSecurityLevel,
  PodSecurityViolation,
} from './resolve/pod-security.js';
export {
  containerSets,
  eachResourceContainer,
  namespaceResources,
  quotaReport,
  resourcesAnchor,
} from './resolve/resources.js';
export type { ComputeResource, NamespaceResources, ResourceContainer, ResourceField } from './resolve/resources.js';
export { isRewritten, movingImages, parseImage, rewrittenImages } from './resolve/images.js';
export type { ImageReference, MovingImage } from './resolve/images.js';
export { floorReport, replicaFloor, spreadTerms, spreadsOwnPods } from './resolve/availability.js';
export type { ReplicaFloor, SpreadTerm } from './resolve/availability.js';
export {
  RBAC_GROUP,
  aggregatedFrom,
  allows,
  bindings,
  bindingsOf,
  eachHeldRule,
  grantReport,
  builtInAggregates,
  effectiveRules,
  granteesOf,
  isAggregating,
  ownRules,
  roles,
  serviceAccountBound,
  subjectLabel,
} from './resolve/rbac.js';
export type { Binding, Grantees, PolicyRule, Subject } from './resolve/rbac.js';
