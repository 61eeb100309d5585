/** The JSON output contract (docs/json-output.md): version 1. */
import type { Finding } from '../types.js';
import type { FormatInput } from './summary.js';

export const JSON_FORMAT_VERSION = 1;

/** The fields of a finding the contract names, in its order (a finding may carry more, or another order). */
function contractFinding(f: Finding) {
  return {
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
  };
}

const EMPTY_FINDINGS = '"findings": []';

/**
 * The report in pieces, one per finding: exactly the text of `JSON.stringify(report, null, 2)` and a
 * newline, without building it whole (for 50 MB of manifests that is 90 MB of text, plus a copy of every
 * finding), so that the command line writes it piece by piece.
 */
export function* jsonChunks(input: FormatInput): Generator<string> {
  // The envelope as JSON.stringify writes it with no finding; the findings go into its empty array. Strings
  // in JSON escape their line breaks, so every line break of a finding's text is its indentation.
  const envelope = JSON.stringify({ version: JSON_FORMAT_VERSION, findings: [], summary: input.summary }, null, 2);
  const at = envelope.indexOf(EMPTY_FINDINGS) + EMPTY_FINDINGS.length - 1;
  yield envelope.slice(0, at);
  for (let i = 0; i < input.findings.length; i++) {
    const text = JSON.stringify(contractFinding(input.findings[i] as Finding), null, 2);
    yield `${i === 0 ? '' : ','}\n    ${text.replaceAll('\n', '\n    ')}`;
  }
  yield `${input.findings.length === 0 ? '' : '\n  '}${envelope.slice(at)}\n`;
}

export function formatJson(input: FormatInput): string {
  return [...jsonChunks(input)].join('');
}
