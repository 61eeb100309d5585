/** The JSON output contract (docs/json-output.md): version 1. */
import type { FormatInput } from './summary.js';

export const JSON_FORMAT_VERSION = 1;

export function formatJson(input: FormatInput): string {
  const findings = input.findings.map((f) => ({
    ruleId: f.ruleId,
    category: f.category,
    severity: f.severity,
    message: f.message,
    file: f.file,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    object: f.object,
    related: f.related.map((r) => ({ file: r.file, line: r.line, column: r.column, message: r.message })),
    ...(f.suggestion !== undefined
      ? {
          suggestion: {
            replacement: f.suggestion.replacement,
            line: f.suggestion.line,
            column: f.suggestion.column,
            endLine: f.suggestion.endLine,
            endColumn: f.suggestion.endColumn,
          },
        }
      : {}),
  }));
  return `${JSON.stringify({ version: JSON_FORMAT_VERSION, findings, summary: input.summary }, null, 2)}\n`;
}
