/**
 * Documentation generated from rule metadata: the header of docs/rules/<id>.md and the rule table
 * of the README. `npm run docs` writes them; a test fails when the files drift from the metadata.
 */
import type { Rule } from '../api.js';

export const RULE_DOC_START = '<!-- kubewire:generated:start -->';
export const RULE_DOC_END = '<!-- kubewire:generated:end -->';
export const README_START = '<!-- kubewire:rules:start -->';
export const README_END = '<!-- kubewire:rules:end -->';

export function renderRuleHeader(rule: Rule): string {
  const messages = Object.values<string>(rule.messages).map((m) => `- ${m.replace(/\{\{\s*(\w+)\s*\}\}/g, '<$1>')}`);
  return [
    `# ${rule.id}`,
    '',
    `> ${rule.description}`,
    '',
    '| category | default severity | rule id |',
    '| --- | --- | --- |',
    `| ${rule.category} | ${rule.severity} | \`${rule.id}\` |`,
    '',
    rule.rationale,
    '',
    '### Messages',
    '',
    ...messages,
  ].join('\n');
}

export function renderRuleTable(rules: readonly Rule[]): string {
  return [
    '| rule | category | severity | what it checks |',
    '| --- | --- | --- | --- |',
    ...rules.map((r) => `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${r.category} | ${r.severity} | ${r.description} |`),
  ].join('\n');
}

/**
 * Replace what stands between two markers (exclusive) with `content`. When the markers are missing,
 * the generated block is put at the top (rule docs) so that a new file gets one.
 */
export function replaceBetween(text: string, start: string, end: string, content: string): string {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  const block = `${start}\n${content}\n${end}`;
  if (i === -1 || j === -1 || j < i) return `${block}\n\n${text.trimStart()}`;
  return text.slice(0, i) + block + text.slice(j + end.length);
}

export function renderRuleDoc(rule: Rule, existing: string): string {
  return replaceBetween(existing, RULE_DOC_START, RULE_DOC_END, renderRuleHeader(rule));
}

export function renderReadme(rules: readonly Rule[], existing: string): string {
  return replaceBetween(existing, README_START, README_END, renderRuleTable(rules));
}
