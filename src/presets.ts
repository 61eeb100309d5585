/**
 * Presets (`extends:` of the configuration), in the spirit of ESLint's shareable configurations:
 *
 * - `kubewire:recommended`, the defaults: every rule without a `preset` in its metadata, at its severity;
 *   Pod Security Standards `baseline`.
 * - `kubewire:strict`: the recommended rules, plus the hygiene rules whose metadata says `preset: 'strict'`,
 *   at their `strictSeverity` when they have one; Pod Security Standards `restricted`.
 * - `kubewire:all`: every rule, as strict does; Pod Security Standards `restricted`.
 *
 * The configuration's own `rules:` (and `podSecurity:`) win over its preset.
 */
import type { RuleMeta } from './rule-types.js';
import type { Severity } from './types.js';

/** A rule's setting in the configuration: a severity that replaces the rule's, or off. */
export type RuleSetting = Severity | 'off';

/**
 * How the engine runs a rule: a configured setting, `on` (at the rule's own severities, even when it is off
 * by default), or `{ atLeast }` (its own severities, raised to at least this one: a preset's strictSeverity).
 * A rule without a setting runs at its own severities when it is on by default.
 */
export type EngineSetting = RuleSetting | 'on' | { atLeast: Severity };

const SEVERITY_ORDER: readonly Severity[] = ['info', 'warning', 'error'];

/** The severity of a finding under a setting: `requested` is what the report asked for (or the rule's default). */
export function settingSeverity(setting: EngineSetting | undefined, requested: Severity): Severity {
  if (setting === undefined || setting === 'on' || setting === 'off') return requested;
  if (typeof setting === 'string') return setting;
  return SEVERITY_ORDER.indexOf(requested) >= SEVERITY_ORDER.indexOf(setting.atLeast) ? requested : setting.atLeast;
}

export const PRESET_NAMES = ['recommended', 'strict', 'all'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The name users write in `extends:`. */
export function presetId(preset: PresetName): string {
  return `kubewire:${preset}`;
}

/** `kubewire:strict` → `strict`; undefined for anything else. */
export function parsePresetId(id: string): PresetName | undefined {
  return PRESET_NAMES.find((p) => presetId(p) === id);
}

/** The Pod Security Standards level a preset holds pods to where no namespace label says otherwise. */
export function presetPodSecurity(preset: PresetName): 'baseline' | 'restricted' {
  return preset === 'recommended' ? 'baseline' : 'restricted';
}

/** The weakest preset that turns a rule on. */
export function rulePreset(rule: Pick<RuleMeta, 'preset'>): PresetName {
  return rule.preset ?? 'recommended';
}

/** Whether a rule runs when nothing configures it (it belongs to `kubewire:recommended`). */
export function onByDefault(rule: Pick<RuleMeta, 'preset'>): boolean {
  return rule.preset === undefined;
}

/** The default severity, `off` for a rule that only a preset turns on. */
export function defaultSeverity(rule: Pick<RuleMeta, 'preset' | 'severity'>): Severity | 'off' {
  return onByDefault(rule) ? rule.severity : 'off';
}

/** The severity a rule runs at under a configuration's settings (its preset and `rules:`), or `off`. */
export function configuredSeverity(
  rule: Pick<RuleMeta, 'preset' | 'severity'>,
  setting: EngineSetting | undefined,
): Severity | 'off' {
  if (setting === undefined) return defaultSeverity(rule);
  return setting === 'off' ? 'off' : settingSeverity(setting, rule.severity);
}

type PresetMeta = Pick<RuleMeta, 'id' | 'preset' | 'severity' | 'strictSeverity'>;

/** A rule's setting under a preset: off when the preset does not turn it on. */
export function presetSetting(rule: PresetMeta, preset: PresetName): EngineSetting {
  if (PRESET_NAMES.indexOf(rulePreset(rule)) > PRESET_NAMES.indexOf(preset)) return 'off';
  if (preset !== 'recommended' && rule.strictSeverity !== undefined) return { atLeast: rule.strictSeverity };
  return 'on';
}

/**
 * The settings of every rule under a preset, with the configuration's `rules:` on top. Every rule gets an
 * entry, so that per-file overrides can tell a rule that is off from one that is on.
 */
export function effectiveRuleSettings(
  rules: readonly PresetMeta[],
  preset: PresetName,
  configured: Readonly<Record<string, RuleSetting>>,
): Record<string, EngineSetting> {
  const out: Record<string, EngineSetting> = {};
  for (const rule of rules) out[rule.id] = configured[rule.id] ?? presetSetting(rule, preset);
  return out;
}

/**
 * The settings a rule's own fixtures and docs examples are linted with: as effectiveRuleSettings, except
 * that the rule is on even when its preset is not named, unless the configuration turns it off.
 */
export function settingsForRuleTests(
  rule: PresetMeta,
  preset: PresetName,
  configured: Readonly<Record<string, RuleSetting>>,
): Record<string, EngineSetting> {
  const out = effectiveRuleSettings([rule], preset, configured);
  if (out[rule.id] === 'off' && configured[rule.id] === undefined) out[rule.id] = presetSetting(rule, 'all');
  return out;
}

/** How `kubewire rules` shows where a rule is on: `recommended`, `strict, all`, `recommended (warning in strict, all)`. */
export function describePresets(rule: Pick<RuleMeta, 'preset' | 'severity' | 'strictSeverity'>): string {
  const on = rule.preset === undefined ? 'recommended' : rule.preset === 'strict' ? 'strict, all' : 'all';
  const raised = rule.strictSeverity !== undefined && rule.strictSeverity !== rule.severity;
  return raised ? `${on} (${rule.strictSeverity ?? ''} in strict, all)` : on;
}
