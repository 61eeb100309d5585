/**
 * Fingerprints of findings that survive unrelated edits: what identifies a finding is its rule, its file,
 * the object it is about and the text of the offending field, never its line number. Two findings with the
 * same identity (the same value flagged twice in one object) are told apart by their order. Used by SARIF
 * (`partialFingerprints`), the GitLab report and baselines.
 */
import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';
import type { Finding, ObjectRef } from '../types.js';

/**
 * node:crypto, loaded on the first fingerprint rather than at start-up: requiring it costs a process some
 * 5 ms, and only SARIF, GitLab reports and baselines fingerprint.
 */
let crypto: typeof Crypto | undefined;
const sha256 = () => (crypto ??= createRequire(import.meta.url)('node:crypto') as typeof Crypto).createHash('sha256');

/** The text of each file by its path (a Map, or a view that reads a file's text only when asked). */
export type TextsByFile = Pick<ReadonlyMap<string, string>, 'get'>;

/** The version of the fingerprint recipe: a change of recipe must change this, or old baselines mis-match. */
export const FINGERPRINT_VERSION = 1;

/** `Kind namespace/name`, `Kind name` for cluster-scoped objects, '' for findings about a file. */
export function objectKey(object: ObjectRef | null): string {
  if (object === null) return '';
  return object.namespace === null
    ? `${object.kind} ${object.name}`
    : `${object.kind} ${object.namespace}/${object.name}`;
}

/** The text a finding's range covers, with runs of whitespace made one space (indentation changes nothing). */
export function offendingText(finding: Finding, text: string | undefined): string {
  if (text === undefined) return '';
  const lines = text.split('\n');
  const parts: string[] = [];
  for (let n = finding.line; n <= finding.endLine && n <= lines.length; n++) {
    const line = lines[n - 1] ?? '';
    const from = n === finding.line ? finding.column - 1 : 0;
    const to = n === finding.endLine ? finding.endColumn - 1 : line.length;
    parts.push(line.slice(Math.max(0, from), Math.max(0, to)));
  }
  return parts.join('\n').replace(/\s+/g, ' ').trim();
}

/** What makes two findings "the same" across edits, before the occurrence count. */
export function identity(finding: Finding, text: string | undefined): string {
  return [finding.ruleId, finding.file, objectKey(finding.object), offendingText(finding, text)].join('\u0000');
}

/**
 * One fingerprint per finding (same order): a hex digest of the identity and of how many findings with the
 * same identity come before it. `findings` must be in their report order (sorted by position).
 */
export function fingerprints(findings: readonly Finding[], texts: TextsByFile): string[] {
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const id = identity(f, texts.get(f.file));
    const occurrence = seen.get(id) ?? 0;
    seen.set(id, occurrence + 1);
    return sha256().update(`v${FINGERPRINT_VERSION}\u0000${id}\u0000${occurrence}`).digest('hex').slice(0, 32);
  });
}
