/** Human output: grouped by file, one line per finding, code frames for errors, a summary. */
import { createColors } from 'picocolors';
import type { Finding, Severity } from '../types.js';
import { escapeControl, lineWindow } from './escape.js';
import { plural } from './summary.js';
import type { FormatInput } from './summary.js';

export interface StylishOptions {
  color: boolean;
}

const LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'info' };

export function formatStylish(input: FormatInput, options: StylishOptions): string {
  const c = createColors(options.color);
  const paint: Record<Severity, (s: string) => string> = { error: c.red, warning: c.yellow, info: c.blue };
  const out: string[] = [];
  const byFile = new Map<string, Finding[]>();
  for (const f of input.findings) {
    const list = byFile.get(f.file);
    if (list) list.push(f);
    else byFile.set(f.file, [f]);
  }
  for (const [file, findings] of byFile) {
    const shown = escapeControl(file);
    out.push(c.underline(shown));
    const text = input.texts.get(file);
    const lines = text === undefined || text === '' ? undefined : text.split('\n');
    for (const f of findings) {
      out.push(
        `  ${c.dim(`${shown}:${String(f.line)}:${String(f.column)}`)}  ` +
          `${paint[f.severity](LABEL[f.severity].padEnd(7))}  ${escapeControl(f.message)}  ${c.dim(f.ruleId)}`,
      );
      for (const r of f.related)
        out.push(
          `      ${c.dim('↳')} ${c.dim(`${escapeControl(r.file)}:${r.line}:${r.column}`)}  ${escapeControl(r.message)}`,
        );
      if (f.severity === 'error' && lines) out.push(...codeFrame(lines, f, c.red, c.dim));
    }
    out.push('');
  }
  const s = input.summary;
  const total = s.errors + s.warnings + s.infos;
  const counts = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.infos} info`;
  const scope = `${plural(s.files, 'file')}, ${plural(s.objects, 'object')}`;
  if (total === 0) out.push(c.green(`✔ no problems (${scope})`));
  else
    out.push(
      (s.errors > 0 ? c.red : s.warnings > 0 ? c.yellow : c.blue)(
        c.bold(`✖ ${plural(total, 'problem')} (${counts}) in ${scope}`),
      ),
    );
  return `${out.join('\n')}\n`;
}

/** The offending line with one line of context above, and a caret underline. */
function codeFrame(
  lines: readonly string[],
  f: Finding,
  mark: (s: string) => string,
  dim: (s: string) => string,
): string[] {
  const frame: string[] = [];
  const first = Math.max(1, f.line - 1);
  const width = String(f.line).length;
  const raw = (n: number) => (lines[n - 1] ?? '').replace(/\t/g, ' ').replace(/\r$/, '');
  for (let n = first; n <= f.line; n++) {
    const text = lineWindow(raw(n), f.column).text;
    const gutter = `${n === f.line ? mark('>') : ' '} ${String(n).padStart(width)} |`;
    frame.push(`      ${gutter} ${n === f.line ? text : dim(text)}`.trimEnd());
  }
  // The caret runs from the column to the end of the range on this line, within the window shown.
  const lineText = raw(f.line);
  const end = Math.min(f.endLine === f.line ? f.endColumn : lineText.length + 1, lineText.length + 1);
  const shown = lineWindow(lineText, f.column, end);
  const length = Math.max(1, shown.endColumn - shown.column);
  frame.push(
    `      ${' '.repeat(width + 2)} | ${' '.repeat(Math.max(0, shown.column - 1))}${mark('^'.repeat(length))}`,
  );
  return frame;
}
