/** Explaining why a selector matches nothing: the closest labels that exist. */
import type { Graph } from '../model/graph.js';
import { code, namespaceLabel, objectLabel } from '../model/phrase.js';
import { editDistance } from '../model/values.js';
import type { MessageData, RuleContext } from '../rule-types.js';
import type { KObject, Path } from '../types.js';
import { matchesLabels, selectsTemplate } from './selectors.js';
import type { Selector } from './selectors.js';
import { SYSTEM_NAMESPACES } from '../model/cluster.js';
import { isBuiltinGroup } from '../model/k8s.js';
import { relatedFiles } from '../model/paths.js';
import type { Severity } from '../types.js';

export interface NearMiss {
  /** What most likely went wrong, for the message (starts with a lower-case letter, no final stop). */
  explanation: string;
  /** The object the explanation points at. */
  object: KObject;
  path: readonly (string | number)[];
}

/**
 * Why a selector in `namespace` selects no pod template: pods with these labels in another namespace,
 * a workload whose own labels (not its template's) match, or a template that misses by one label
 * with a close key or value. Undefined when nothing close exists.
 */
export function explainNoMatch(
  graph: Graph,
  namespace: string,
  selector: Selector,
  from: KObject,
): NearMiss | undefined {
  const related = (o: KObject) => relatedFiles(from.source.path, o.source.path);
  // Only a selector that asks for some label can be said to match labels found elsewhere.
  const positive = selector.requirements.some((r) => r.operator === 'In' || r.operator === 'Exists');
  for (const o of graph.objects) {
    if (o.podTemplate === undefined || o.namespace === null || o.namespace === namespace || !related(o)) continue;
    if (positive && selectsTemplate(selector, o.podTemplate)) {
      return {
        explanation:
          `${objectLabel(o)} has these labels, but in ${namespaceLabel(o.namespace)}; ` +
          'a selector only matches pods of its own namespace',
        object: o,
        path: ['metadata', 'namespace'],
      };
    }
  }
  for (const o of graph.podTemplatesIn(namespace)) {
    if (!related(o)) continue;
    if (positive && matchesLabels(selector, o.labels) && o.podTemplate !== undefined) {
      return {
        explanation:
          `${objectLabel(o)} carries these labels on itself, but a selector matches the labels of its pod ` +
          `template (${code(`${o.podTemplate.path.join('.')}.metadata.labels`)}): move them there`,
        object: o,
        path: [...o.podTemplate.path, 'metadata', 'labels'],
      };
    }
  }
  let best: { distance: number; near: NearMiss } | undefined;
  for (const o of graph.podTemplatesIn(namespace)) {
    const t = o.podTemplate;
    if (t === undefined || !related(o)) continue;
    const failing = selector.requirements.filter((r) => !selectsTemplate({ requirements: [r] }, t));
    if (failing.length !== 1) continue;
    const r = failing[0];
    if (r === undefined || r.operator !== 'In' || r.values.length !== 1) continue;
    const wanted = r.values[0] ?? '';
    for (const [key, value] of Object.entries(t.labels)) {
      const keyDistance = key === r.key ? 0 : editDistance(key, r.key, 3);
      const valueDistance = value === wanted ? 0 : editDistance(value, wanted, 3);
      const distance = keyDistance + valueDistance;
      const limit = Math.max(1, Math.min(3, Math.floor((r.key.length + wanted.length) / 6)));
      if (distance === 0 || distance > limit || (keyDistance > 0 && valueDistance > 0)) continue;
      if (best === undefined || distance < best.distance) {
        best = {
          distance,
          near: {
            explanation:
              `the pods of ${objectLabel(o)} have ${code(`${key}: ${value}`)} ` +
              `where the selector wants ${code(`${r.key}: ${wanted}`)}`,
            object: o,
            path: [...t.path, 'metadata', 'labels', key],
          },
        };
      }
    }
  }
  return best?.near;
}

/** Whether a namespace holds custom resources, whose operators may create the pods a selector wants. */
export function hasCustomResources(graph: Graph, namespace: string): boolean {
  const namespaces = graph.memo(
    'near-miss:custom-resource-namespaces',
    () => new Set(graph.objects.filter((o) => !isBuiltinGroup(o.group)).map((o) => o.namespace)),
  );
  return namespaces.has(namespace);
}

export interface NoMatchVerdict {
  severity: Severity;
  near: NearMiss | undefined;
  /** The input shows how this namespace's pods are made, so a miss is meaningful. */
  evidence: boolean;
}

/**
 * How sure "this selector matches nothing" is: an error when something close exists, a warning when
 * related files of the input define workloads in the namespace (and no custom resources whose
 * operators could create pods), an info otherwise.
 */
export function judgeNoMatch(graph: Graph, namespace: string, selector: Selector, from: KObject): NoMatchVerdict {
  const near = explainNoMatch(graph, namespace, selector, from);
  if (near !== undefined) return { severity: 'error', near, evidence: true };
  const evidence =
    !SYSTEM_NAMESPACES.has(namespace) &&
    graph.podTemplatesIn(namespace).some((o) => relatedFiles(from.source.path, o.source.path)) &&
    !hasCustomResources(graph, namespace);
  return { severity: evidence ? 'warning' : 'info', near: undefined, evidence };
}

/**
 * Report a selector that matches no pod, at the severity judgeNoMatch gives: `why` in the data is the
 * near miss (": …"), nothing, or `elsewhereWhy` when the input holds no evidence.
 */
export function reportNoMatch<M extends string>(
  ctx: RuleContext<M>,
  target: { object: KObject; path: Path; namespace: string; selector: Selector },
  messageIds: { evidence: M; elsewhere: M },
  data: MessageData,
  elsewhereWhy = '',
): void {
  const verdict = judgeNoMatch(ctx.graph, target.namespace, target.selector, target.object);
  const near = verdict.near;
  ctx.report({
    object: target.object,
    path: target.path,
    messageId: verdict.evidence ? messageIds.evidence : messageIds.elsewhere,
    data: { ...data, why: near ? `: ${near.explanation}` : verdict.evidence ? '' : elsewhereWhy },
    related: near ? [{ object: near.object, path: near.path, message: near.explanation }] : [],
    severity: verdict.severity,
  });
}
