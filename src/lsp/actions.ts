/**
 * Code actions on kubewire's diagnostics: apply a finding's "did you mean `x`?" to the field it
 * underlines, and silence a finding with a `# kubewire-disable-next-line <rule>` comment above it.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind } from 'vscode-languageserver/node.js';
import type { CodeAction, Diagnostic } from 'vscode-languageserver/node.js';

/** The suggestion that ends a message (see `suggestion()` in src/model/phrase.ts). */
const DID_YOU_MEAN = /did you mean `([^`\n]+)`\?/;

/** A single-line scalar as written: bare, or quoted with ' or ". */
const SCALAR = /^(["']?)([^\s"'#:,[\]{}]+)\1$/;

export function codeActions(document: TextDocument, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.source !== 'kubewire' || typeof d.code !== 'string') continue;
    const guess = DID_YOU_MEAN.exec(d.message)?.[1];
    if (guess !== undefined && d.range.start.line === d.range.end.line) {
      const written = SCALAR.exec(document.getText(d.range));
      if (written && written[2] !== guess) {
        const quote = written[1] ?? '';
        out.push({
          title: `Change to \`${guess}\``,
          kind: CodeActionKind.QuickFix,
          diagnostics: [d],
          isPreferred: true,
          edit: { changes: { [document.uri]: [{ range: d.range, newText: `${quote}${guess}${quote}` }] } },
        });
      }
    }
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
