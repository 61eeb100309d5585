/**
 * GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding, which the
 * runner turns into an annotation on the file and line (docs/usage.md#github).
 */
import type { Finding, Severity } from '../types.js';
import { escapeControl } from './escape.js';
import type { FormatInput } from './summary.js';

const COMMAND: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

/** The message of a command: `%`, CR and LF escaped, `%` first. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A property value: as a message, and also `:` and `,`, which separate properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** The message, then one line per related location (annotations have no place of their own for them). */
export function annotationMessage(f: Finding): string {
  // Control characters from the manifests are escaped; the message's own line breaks stay (%0A).
  const lines = (text: string) => text.split('\n').map(escapeControl).join('\n');
  return [
    lines(f.message),
    ...f.related.map((r) => `↳ ${escapeControl(r.file)}:${r.line}:${r.column} ${lines(r.message)}`),
  ].join('\n');
}

export function githubCommand(f: Finding): string {
  const properties = [
    `file=${escapeProperty(escapeControl(f.file))}`,
    `line=${f.line}`,
    `col=${f.column}`,
    `endLine=${f.endLine}`,
    `endColumn=${f.endColumn}`,
    `title=${escapeProperty(`kubewire(${f.ruleId})`)}`,
  ].join(',');
  return `::${COMMAND[f.severity]} ${properties}::${escapeData(annotationMessage(f))}`;
}

export function formatGithub(input: FormatInput): string {
  return input.findings.map((f) => `${githubCommand(f)}\n`).join('');
}
