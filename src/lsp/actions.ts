/**
 * Code actions on kubewire's diagnostics: apply the edit a finding suggests (its did-you-mean, carried in
 * the diagnostic's `data`, see Finding.suggestion), and silence a finding with a
 * `# kubewire-disable-next-line <rule>` comment above it.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind } from 'vscode-languageserver/node.js';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node.js';
import type { DiagnosticData } from './messages.js';

function suggestionOf(d: Diagnostic): DiagnosticData['suggestion'] {
  // `data` is whatever the client sent back: check its shape.
  const data: unknown = d.data;
  if (typeof data !== 'object' || data === null || !('suggestion' in data)) return undefined;
  const s: unknown = data.suggestion;
  if (typeof s !== 'object' || s === null || !('replacement' in s) || !('range' in s)) return undefined;
  return typeof s.replacement === 'string' ? (s as DiagnosticData['suggestion']) : undefined;
}

/**
 * The actions for the diagnostics a client sends back. `published` finds the server's own diagnostic
 * again (same code, range and message) for clients that do not return `data`.
 */
export function codeActions(
  document: TextDocument,
  diagnostics: readonly Diagnostic[],
  published: (d: Diagnostic) => Diagnostic | undefined = () => undefined,
): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== 'kubewire' || typeof d.code !== 'string') continue;
    const suggestion =
      suggestionOf(d) ??
      (() => {
        const own = published(d);
        return own === undefined ? undefined : suggestionOf(own);
      })();
    if (suggestion !== undefined && document.getText(suggestion.range) !== suggestion.replacement)
      out.push({
        title: `Change to \`${suggestion.replacement}\``,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: true,
        edit: { changes: { [document.uri]: [{ range: suggestion.range, newText: suggestion.replacement }] } },
      });
    const line = d.range.start.line;
    const text = document.getText({ start: { line, character: 0 }, end: { line: line + 1, character: 0 } });
    const indent = /^[ \t]*/.exec(text)?.[0] ?? '';
    out.push({
      title: `Disable ${d.code} for this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      edit: {
        changes: {
          [document.uri]: [
            {
              range: { start: { line, character: 0 }, end: { line, character: 0 } },
              newText: `${indent}# kubewire-disable-next-line ${d.code}\n`,
            },
          ],
        },
      },
    });
  }
  return out;
}
