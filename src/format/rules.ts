/** `kubewire rules`: the rule list, from the rules' metadata, and what a configuration makes of it. */
import type { Rule } from '../api.js';
import { configuredSeverity, defaultSeverity, describePresets, rulePreset } from '../presets.js';
import type { EngineSetting } from '../presets.js';

/**
 * The table. With `settings` (a configuration was found), the severity column is the one the
 * configuration gives, followed by the default when the two differ: `error (default warning)`.
 */
export function formatRulesTable(rules: readonly Rule[], settings?: Readonly<Record<string, EngineSetting>>): string {
  const severity = (r: Rule) => {
    const configured = configuredSeverity(r, settings?.[r.id]);
    return configured === defaultSeverity(r) ? configured : `${configured} (default ${defaultSeverity(r)})`;
  };
  const rows = [
    ['RULE', 'CATEGORY', 'SEVERITY', 'PRESETS', 'DESCRIPTION'],
    ...rules.map((r) => [r.id, r.category, severity(r), describePresets(r), r.description]),
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i < 4 ? cell.padEnd(widths[i] ?? 0) : cell)).join('  ');
  return `${rows.map(line).join('\n')}\n`;
}

/** The JSON list; with `settings`, each rule also says the severity the configuration gives it (`configured`). */
export function formatRulesJson(rules: readonly Rule[], settings?: Readonly<Record<string, EngineSetting>>): string {
  const list = rules.map((r) => ({
    id: r.id,
    category: r.category,
    severity: defaultSeverity(r),
    ...(settings !== undefined ? { configured: configuredSeverity(r, settings[r.id]) } : {}),
    /** The weakest preset that turns the rule on, and its severity there. */
    preset: rulePreset(r),
    severityWhenOn: r.strictSeverity ?? r.severity,
    description: r.description,
    rationale: r.rationale,
    docs: `docs/rules/${r.id}.md`,
  }));
  return `${JSON.stringify(list, null, 2)}\n`;
}
