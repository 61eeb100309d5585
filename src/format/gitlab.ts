/**
 * The GitLab Code Quality report: the subset of the Code Climate issue format GitLab reads
 * (docs/usage.md#gitlab).
 */
import type { Severity } from '../types.js';
import { fingerprints } from './fingerprint.js';
import type { FormatInput } from './summary.js';

/** GitLab's severities are info, minor, major, critical and blocker. */
const SEVERITY: Record<Severity, string> = { error: 'major', warning: 'minor', info: 'info' };

export function formatGitlab(input: FormatInput): string {
  const prints = input.fingerprints ?? fingerprints(input.findings, input.texts);
  const issues = input.findings.map((f, i) => ({
    description: `${f.message} (${f.ruleId})`,
    check_name: f.ruleId,
    fingerprint: prints[i] ?? '',
    severity: SEVERITY[f.severity],
    location: { path: f.file, lines: { begin: f.line, end: f.endLine } },
  }));
  return `${JSON.stringify(issues, null, 2)}\n`;
}
