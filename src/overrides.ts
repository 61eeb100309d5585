/**
 * `overrides:` of the configuration: rule settings for the files some globs match, in the spirit of
 * ESLint's configuration. The rules run once over the whole input (they are cross-file); the overrides
 * then decide, per finding, by the file it is in: later matching entries win over earlier ones, and any
 * of them over the top-level `rules:`.
 */
import picomatch from 'picomatch';
import type { ConfigOverride } from './config.js';
import { compareFindings } from './engine.js';
import type { RuleSetting } from './engine.js';
import type { Finding } from './types.js';

/**
 * The settings the engine runs with: the top-level ones, except that a rule turned off there but on in
 * some override must still run (its findings outside the override are dropped by applyOverrides).
 */
export function engineSettings(
  rules: Readonly<Record<string, RuleSetting>>,
  overrides: readonly ConfigOverride[],
): Record<string, RuleSetting> {
  const enabled = new Set(overrides.flatMap((o) => Object.keys(o.rules).filter((id) => o.rules[id] !== 'off')));
  return Object.fromEntries(Object.entries(rules).filter(([id, setting]) => setting !== 'off' || !enabled.has(id)));
}

/**
 * Apply the overrides to findings. `pathOf` gives a finding's file relative to the configuration's
 * folder ('/'-separated), or undefined for a file outside it or standard input (no override applies).
 */
export function applyOverrides(
  findings: readonly Finding[],
  rules: Readonly<Record<string, RuleSetting>>,
  overrides: readonly ConfigOverride[],
  pathOf: (file: string) => string | undefined,
): Finding[] {
  if (overrides.length === 0) return [...findings];
  const compiled = overrides.map((o) => ({ match: picomatch(o.files, { dot: true }), rules: o.rules }));
  const out: Finding[] = [];
  for (const f of findings) {
    const key = pathOf(f.file);
    let setting: RuleSetting | undefined;
    if (key !== undefined)
      for (const o of compiled) if (o.rules[f.ruleId] !== undefined && o.match(key)) setting = o.rules[f.ruleId];
    setting ??= rules[f.ruleId];
    if (setting === 'off') continue;
    out.push(setting === undefined || setting === f.severity ? f : { ...f, severity: setting });
  }
  return out.sort(compareFindings);
}
