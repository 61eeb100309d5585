/**
 * `overrides:` of the configuration: rule settings for the files some globs match, in the spirit of
 * ESLint's configuration. The rules run once over the whole input (they are cross-file); the overrides
 * then decide, per finding, by the file it is in: later matching entries win over earlier ones, and any
 * of them over the top-level `rules:`.
 */
import picomatch from 'picomatch';
import type { ConfigOverride } from './config.js';
import { compareFindings } from './engine.js';
import type { EngineSetting } from './presets.js';
import type { Finding } from './types.js';

/**
 * The settings the engine runs with: the top-level ones, except that a rule turned off there (or off by
 * default) but on in some override must still run: it runs at that override's severity, and
 * applyOverrides drops its findings outside the files the override matches.
 */
export function engineSettings(
  rules: Readonly<Record<string, EngineSetting>>,
  overrides: readonly ConfigOverride[],
): Record<string, EngineSetting> {
  const out = { ...rules };
  for (const o of overrides)
    for (const [id, setting] of Object.entries(o.rules))
      if (setting !== 'off' && (out[id] === 'off' || out[id] === undefined)) out[id] = setting;
  return out;
}

/**
 * Apply the overrides to findings. `pathOf` gives a finding's file relative to the configuration's
 * folder ('/'-separated), or undefined for a file outside it or standard input (no override applies).
 */
export function applyOverrides(
  findings: readonly Finding[],
  rules: Readonly<Record<string, EngineSetting>>,
  overrides: readonly ConfigOverride[],
  pathOf: (file: string) => string | undefined,
): Finding[] {
  if (overrides.length === 0) return [...findings];
  const compiled = overrides.map((o) => ({ match: picomatch(o.files, { dot: true }), rules: o.rules }));
  const out: Finding[] = [];
  for (const f of findings) {
    const key = pathOf(f.file);
    let setting: EngineSetting | undefined;
    if (key !== undefined)
      for (const o of compiled) if (o.rules[f.ruleId] !== undefined && o.match(key)) setting = o.rules[f.ruleId];
    setting ??= rules[f.ruleId];
    if (setting === 'off') continue;
    // A preset's `on` or `{ atLeast }` was applied by the engine already.
    out.push(
      typeof setting !== 'string' || setting === 'on' || setting === f.severity ? f : { ...f, severity: setting },
    );
  }
  return out.sort(compareFindings);
}
