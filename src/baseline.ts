/**
 * Baselines (docs/usage.md#baselines): the findings a team has accepted when adopting kubewire, recorded
 * once (`--write-baseline`) and left out of later reports (`--baseline`). A finding is the same as a
 * recorded one when its rule, file, object and fingerprint (the text of the offending field, see
 * format/fingerprint.ts) match, so it survives unrelated lines moving.
 */
import { FINGERPRINT_VERSION, fingerprints, objectKey } from './format/fingerprint.js';
import type { TextsByFile } from './format/fingerprint.js';
import type { Finding } from './types.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  ruleId: string;
  file: string;
  /** `Kind namespace/name`, or '' for a finding about a file. */
  object: string;
  fingerprint: string;
  /** For the reader only: where the finding was and what it said when recorded. */
  line: number;
  message: string;
}

export interface Baseline {
  version: number;
  fingerprintVersion: number;
  findings: BaselineEntry[];
}

export function createBaseline(findings: readonly Finding[], texts: TextsByFile): Baseline {
  const prints = fingerprints(findings, texts);
  return {
    version: BASELINE_VERSION,
    fingerprintVersion: FINGERPRINT_VERSION,
    findings: findings.map((f, i) => ({
      ruleId: f.ruleId,
      file: f.file,
      object: objectKey(f.object),
      fingerprint: prints[i] ?? '',
      line: f.line,
      message: f.message,
    })),
  };
}

const entryKey = (e: Pick<BaselineEntry, 'ruleId' | 'file' | 'object' | 'fingerprint'>) =>
  [e.ruleId, e.file, e.object, e.fingerprint].join('\u0000');

/** Read a baseline file's JSON; a message for anything else. */
export function parseBaseline(text: string): Baseline | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  const b = value as Partial<Baseline> | null;
  if (typeof b !== 'object' || b === null || !Array.isArray(b.findings) || typeof b.version !== 'number')
    return 'not a kubewire baseline (expected {"version": 1, "findings": [...]}; write one with --write-baseline)';
  if (b.version !== BASELINE_VERSION)
    return `baseline version ${b.version} is not supported (expected ${BASELINE_VERSION})`;
  if (b.fingerprintVersion !== FINGERPRINT_VERSION)
    return `it was written with fingerprints of version ${String(b.fingerprintVersion)}, this kubewire uses version ${FINGERPRINT_VERSION}: write it again with --write-baseline`;
  for (const [i, e] of b.findings.entries()) {
    const entry = e as Partial<BaselineEntry> | null;
    if (
      typeof entry !== 'object' ||
      entry === null ||
      typeof entry.ruleId !== 'string' ||
      typeof entry.file !== 'string' ||
      typeof entry.object !== 'string' ||
      typeof entry.fingerprint !== 'string'
    )
      return `findings[${i}] needs ruleId, file, object and fingerprint strings`;
  }
  return b as Baseline;
}

export interface BaselineResult {
  /** Findings not in the baseline: reported. */
  fresh: Finding[];
  freshFingerprints: string[];
  /** Findings the baseline accepted: not reported, not counted. */
  accepted: Finding[];
  acceptedFingerprints: string[];
  /** Entries of linted files that matched no finding: fixed or changed, the baseline can shrink. */
  stale: BaselineEntry[];
}

/**
 * Split findings by the baseline. Each entry accepts at most one finding. Only entries of `linted` files
 * can be stale (linting some files says nothing about the others).
 */
export function applyBaseline(
  findings: readonly Finding[],
  texts: TextsByFile,
  baseline: Baseline,
  linted: ReadonlySet<string>,
): BaselineResult {
  const prints = fingerprints(findings, texts);
  const remaining = new Map<string, BaselineEntry[]>();
  for (const e of baseline.findings) {
    const list = remaining.get(entryKey(e));
    if (list) list.push(e);
    else remaining.set(entryKey(e), [e]);
  }
  const result: BaselineResult = {
    fresh: [],
    freshFingerprints: [],
    accepted: [],
    acceptedFingerprints: [],
    stale: [],
  };
  findings.forEach((f, i) => {
    const fingerprint = prints[i] ?? '';
    const list = remaining.get(entryKey({ ruleId: f.ruleId, file: f.file, object: objectKey(f.object), fingerprint }));
    if (list && list.length > 0) {
      list.pop();
      result.accepted.push(f);
      result.acceptedFingerprints.push(fingerprint);
    } else {
      result.fresh.push(f);
      result.freshFingerprints.push(fingerprint);
    }
  });
  for (const list of remaining.values()) for (const e of list) if (linted.has(e.file)) result.stale.push(e);
  return result;
}
