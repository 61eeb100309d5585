/**
 * The GitHub Action's job summary (`$GITHUB_STEP_SUMMARY`): counts by severity and a table of the findings,
 * file:line linked to the commit, rule linked to its docs, capped with a note of how many more.
 */
import type { Finding } from '../types.js';
import { plural } from './summary.js';
import type { Summary } from './summary.js';

export interface JobSummaryOptions {
  /** The blob URL of the commit, `https://github.com/o/r/blob/<sha>`, to link file:line; none: plain text. */
  blobUrl?: string;
  ruleDocsUrl(id: string): string;
  /** Most table rows (default 100). */
  maxRows?: number;
  /** Whether the run failed, and why (from fail-on and max-warnings). */
  failed: boolean;
}

const ICON = { error: '🔴 error', warning: '🟡 warning', info: '🔵 info' } as const;

/** Text for a Markdown table cell: no line breaks, no column separators, no raw HTML. */
export function tableCell(text: string): string {
  return text
    .replace(/\r?\n/g, ' ')
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

export function formatJobSummary(findings: readonly Finding[], summary: Summary, options: JobSummaryOptions): string {
  const maxRows = options.maxRows ?? 100;
  const verdict = options.failed ? '❌ failed' : '✅ passed';
  const out = [
    `## kubewire: ${verdict}`,
    '',
    `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}, ${summary.infos} info in ${plural(summary.files, 'file')} (${plural(summary.objects, 'object')}).`,
    '',
  ];
  if (findings.length === 0) return `${out.join('\n')}\n`;
  out.push('| severity | location | rule | message |', '| --- | --- | --- | --- |');
  for (const f of findings.slice(0, maxRows)) {
    const where = `${f.file}:${f.line}`;
    const location =
      options.blobUrl !== undefined && !f.file.startsWith('/') && !f.file.startsWith('<')
        ? `[${tableCell(where)}](${options.blobUrl}/${f.file.split('/').map(encodeURIComponent).join('/')}#L${f.line})`
        : tableCell(where);
    const rule = `[${f.ruleId}](${options.ruleDocsUrl(f.ruleId)})`;
    out.push(`| ${ICON[f.severity]} | ${location} | ${rule} | ${tableCell(f.message)} |`);
  }
  if (findings.length > maxRows)
    out.push('', `…and ${plural(findings.length - maxRows, 'more finding')}: see the step's log or the SARIF file.`);
  return `${out.join('\n')}\n`;
}
