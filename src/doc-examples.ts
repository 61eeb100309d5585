/**
 * Linting the examples of a rule's docs page (see the roles in format/rule-docs.ts): the test of
 * docs/rules/*.md and `npm run docs`, which writes each example's `output` block, both use these.
 */
import { EMPTY_CONFIG, parseConfig } from './config.js';
import type { KubewireConfig } from './config.js';
import { lint } from './engine.js';
import type { DocExample, ExampleBlock } from './format/rule-docs.js';
import { formatStylish } from './format/stylish.js';
import { summarize } from './format/summary.js';
import { createSource } from './load/source.js';
import { settingsForRuleTests } from './presets.js';
import type { Rule } from './rule-types.js';
import type { Finding } from './types.js';

export type ExampleState = 'broken' | 'fixed';

export interface ExampleRun {
  /** The findings of the page's rule. */
  findings: Finding[];
  /** The files linted, by name. */
  texts: Map<string, string>;
  /** Rules that threw, and an invalid configuration block: both make the example unusable. */
  errors: string[];
}

/** Whether the fixed state of an example is the broken files under a `config fixed` block. */
export function fixedByConfig(example: DocExample): boolean {
  return (
    !example.blocks.some((b) => b.role === 'fixed') && example.blocks.some((b) => b.role === 'config' && b.fixedOnly)
  );
}

/** The files of an example's state: context then broken (or fixed) blocks; a later one replaces an earlier namesake. */
export function exampleFiles(example: DocExample, state: ExampleState): ExampleBlock[] {
  const role = state === 'fixed' && !fixedByConfig(example) ? 'fixed' : 'broken';
  const files = new Map<string, ExampleBlock>();
  for (const b of example.blocks.filter((x) => x.role === 'context')) files.set(b.file, b);
  for (const b of example.blocks.filter((x) => x.role === role)) files.set(b.file, b);
  return [...files.values()];
}

function exampleConfig(example: DocExample, state: ExampleState, ruleIds: readonly string[], errors: string[]) {
  const configs = example.blocks.filter((b) => b.role === 'config' && (state === 'fixed' || !b.fixedOnly));
  const block = configs.find((b) => b.fixedOnly) ?? configs[0];
  if (block === undefined) return EMPTY_CONFIG;
  const parsed = parseConfig(block.file, block.text, ruleIds);
  if (parsed.ok) return parsed.config;
  errors.push(`line ${String(block.line)}: invalid configuration: ${parsed.errors.map((e) => e.message).join('; ')}`);
  return EMPTY_CONFIG;
}

/** Lint one state of an example with the page's rule alone (and the example's configuration). */
export function lintExample(
  rule: Rule,
  example: DocExample,
  state: ExampleState,
  ruleIds: readonly string[],
): ExampleRun {
  const errors: string[] = [];
  const config: KubewireConfig = exampleConfig(example, state, ruleIds, errors);
  const sources = exampleFiles(example, state).map((b) =>
    createSource(b.file, b.latin1 ? Buffer.from(b.text, 'latin1') : b.text),
  );
  const result = lint(sources, {
    rules: [rule],
    cluster: config.cluster,
    ruleSettings: settingsForRuleTests(rule, config.preset, config.rules),
    kubernetesVersion: config.kubernetesVersion,
    namespace: config.namespace,
  });
  for (const f of result.ruleFailures) errors.push(`${f.ruleId} failed: ${f.message}`);
  return {
    findings: result.findings.filter((f) => f.ruleId === rule.id),
    texts: new Map(sources.map((source) => [source.path, source.text])),
    errors,
  };
}

/** What kubewire prints for the broken state of an example (stylish, no colour, no summary line). */
export function exampleOutput(rule: Rule, example: DocExample, ruleIds: readonly string[]): string {
  const run = lintExample(rule, example, 'broken', ruleIds);
  const text = formatStylish(
    { findings: run.findings, summary: summarize(run.findings, run.texts.size, 0), texts: run.texts },
    { color: false },
  );
  const lines = text.trimEnd().split('\n');
  lines.pop(); // the summary line
  return `${lines.join('\n').trimEnd()}\n`;
}
