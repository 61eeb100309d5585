/**
 * kube-scheduler's FailedScheduling message (framework.FitError.Error()):
 *
 *   0/<N> nodes are available: <PreFilterMsg>. <count reason, …sorted>. <PostFilterMsg>
 *
 * Reasons are counted per node (a node failing NodeResourcesFit on cpu and memory counts for both),
 * rendered as "<count> <reason>" and sorted as strings, exactly as upstream does. Nodes a PreFilter
 * narrowed away (a DaemonSet pod's node affinity) count under the absent-nodes reason.
 */

export interface Diagnosis {
  numAllNodes: number;
  /** A PreFilter failure; when set, per-node reasons are not listed. */
  preFilterMsg: string | undefined;
  /** Reasons per evaluated node. */
  nodeReasons: readonly (readonly string[])[];
  /** Reasons for nodes absent from the evaluation, and how many there are. */
  absent: { reasons: readonly string[]; count: number } | undefined;
}

/** "<count> <reason>" entries, sorted as strings. */
export function histogram(
  nodeReasons: readonly (readonly string[])[],
  absent?: { reasons: readonly string[]; count: number },
): string[] {
  const counts = new Map<string, number>();
  for (const reasons of nodeReasons) for (const r of reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  if (absent && absent.count > 0) for (const r of absent.reasons) counts.set(r, (counts.get(r) ?? 0) + absent.count);
  return [...counts].map(([reason, count]) => `${count} ${reason}`).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function fitErrorMessage(d: Diagnosis, postFilterMsg?: string): string {
  let msg = `0/${d.numAllNodes} nodes are available:`;
  if (d.preFilterMsg !== undefined) {
    msg += ` ${d.preFilterMsg}.`;
  } else {
    const sorted = histogram(d.nodeReasons, d.absent);
    if (sorted.length > 0) msg += ` ${sorted.join(', ')}.`;
  }
  if (postFilterMsg !== undefined && postFilterMsg !== '') msg += ` ${postFilterMsg}`;
  return msg;
}

export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';
export const NO_VICTIMS = 'No preemption victims found for incoming pod';
export const NOT_ELIGIBLE_NEVER = 'not eligible due to preemptionPolicy=Never.';

/** The DefaultPreemption PostFilter message when no candidate node was found. */
export function preemptionMessage(numAllNodes: number, nodeReasons: readonly (readonly string[])[]): string {
  return `preemption: ${fitErrorMessage({ numAllNodes, preFilterMsg: undefined, nodeReasons, absent: undefined })}`;
}
