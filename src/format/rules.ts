/** `kubewire rules`: the rule list, from the rules' metadata. */
import type { Rule } from '../api.js';

export function formatRulesTable(rules: readonly Rule[]): string {
  const rows = [
    ['RULE', 'CATEGORY', 'SEVERITY', 'DESCRIPTION'],
    ...rules.map((r) => [r.id, r.category, r.severity, r.description]),
  ];
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i < 3 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ');
  return `${rows.map(line).join('\n')}\n`;
}

export function formatRulesJson(rules: readonly Rule[]): string {
  const list = rules.map((r) => ({
    id: r.id,
    category: r.category,
    severity: r.severity,
    description: r.description,
    rationale: r.rationale,
    docs: `docs/rules/${r.id}.md`,
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}
