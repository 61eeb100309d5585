/** `kubewire rules`: the rule list, from the rules' metadata. */
import type { Rule } from '../api.js';
import { describePresets, onByDefault, rulePreset } from '../presets.js';

/** The default severity, `off` for a rule that only a preset turns on. */
export function defaultSeverity(rule: Rule): string {
  return onByDefault(rule) ? rule.severity : 'off';
}

export function formatRulesTable(rules: readonly Rule[]): string {
  const rows = [
    ['RULE', 'CATEGORY', 'SEVERITY', 'PRESETS', 'DESCRIPTION'],
    ...rules.map((r) => [r.id, r.category, defaultSeverity(r), describePresets(r), r.description]),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ');
  return `${rows.map(line).join('\n')}\n`;
}

export function formatRulesJson(rules: readonly Rule[]): string {
  const list = rules.map((r) => ({
    id: r.id,
    category: r.category,
    severity: defaultSeverity(r),
    /** The weakest preset that turns the rule on, and its severity there. */
    preset: rulePreset(r),
    severityWhenOn: r.strictSeverity ?? r.severity,
    description: r.description,
    rationale: r.rationale,
    docs: `docs/rules/${r.id}.md`,
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}
