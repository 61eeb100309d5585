/**
 * How sure a "not found" is. The input rarely holds the whole cluster, so the severity of a missing
 * target follows the evidence: a close name that exists (a typo) is an error, a missing name among
 * other objects of the kind that the input manages is a warning, and a name the input gives no
 * evidence about is an info that says how to declare it.
 */
import type { MessageData, RuleContext } from '../rule-types.js';
import { namespaceLabel, objectLabel, suggestion } from '../model/phrase.js';
import type { Severity } from '../types.js';
import type { Reference, Resolution, Target } from './references.js';

export function missingSeverity(resolution: Resolution): Severity | undefined {
  if (resolution.status !== 'missing') return undefined;
  if (resolution.suggestion !== undefined) return 'error';
  return resolution.managed ? 'warning' : 'info';
}

/** The `Kind/namespace/name` shorthand of `cluster.objects`. */
export function shorthand(target: Target): string {
  return target.namespace === null
    ? `${target.kind}/${target.name}`
    : `${target.kind}/${target.namespace}/${target.name}`;
}

/** The end of a "not found" message: the close match, or how to declare an object made elsewhere. */
export function missingHint(reference: Pick<Reference, 'resolution' | 'target'>): string {
  const r = reference.resolution;
  if (r.status !== 'missing') return '';
  if (r.suggestion !== undefined) return suggestion(r.suggestion);
  return (
    '; if it is created outside these manifests, declare it in .kubewire.yaml ' +
    `(cluster.objects: ["${shorthand(reference.target)}"])`
  );
}

/** "in namespace `shop`" or "" for cluster-scoped targets. */
export function whereText(target: Target): string {
  return target.namespace === null ? '' : ` in ${namespaceLabel(target.namespace)}`;
}

/**
 * Report a reference whose target is missing, with the standard data: `via`, `from`, `name`, `target`
 * (`ConfigMap \`app-config\``; its namespace is in `where`), `where`, `evidence` (" in the input" or
 * " (the input defines other <noun> there)") and `hint`. Does nothing when the target was found or declared.
 */
export function reportMissing<M extends string>(
  ctx: RuleContext<M>,
  ref: Reference,
  messageId: M,
  noun: string,
  data: MessageData = {},
  /** Overrides the evidence-based severity when the rule knows better. */
  forced?: Severity,
): void {
  const r = ref.resolution;
  if (r.status !== 'missing') return;
  const severity = forced ?? missingSeverity(r);
  ctx.report({
    object: ref.from,
    path: ref.path,
    messageId,
    data: {
      via: ref.via,
      from: objectLabel(ref.from),
      name: ref.target.name,
      target: objectLabel({ kind: ref.target.kind, name: ref.target.name, namespace: null }),
      where: whereText(ref.target),
      evidence: r.managed
        ? ` (the input defines other ${noun}${ref.target.namespace === null ? '' : ' there'})`
        : ' in the input',
      hint: missingHint(ref),
      ...data,
    },
    ...(severity ? { severity } : {}),
    ...(r.suggestion !== undefined ? { suggestion: { value: r.suggestion } } : {}),
  });
}
