/**
 * Documentation generated from rule metadata: the header of docs/rules/<id>.md and the rule table
 * of the README. `npm run docs` writes them; a test fails when the files drift from the metadata.
 */
import type { Rule } from '../api.js';

/** The default severity for the docs, with what the presets change: `off (warning in kubewire:strict and …)`. */
export function severityCell(rule: Rule): string {
  const presets = (from: 'strict' | 'all') => (from === 'strict' ? 'kubewire:strict and kubewire:all' : 'kubewire:all');
  if (rule.preset !== undefined) return `off (${rule.strictSeverity ?? rule.severity} in ${presets(rule.preset)})`;
  if (rule.strictSeverity !== undefined && rule.strictSeverity !== rule.severity)
    return `${rule.severity} (${rule.strictSeverity} in ${presets('strict')})`;
  return rule.severity;
}

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
    `| ${rule.category} | ${severityCell(rule)} | \`${rule.id}\` |`,
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
    ...rules.map(
      (r) => `| [\`${r.id}\`](docs/rules/${r.id}.md) | ${r.category} | ${severityCell(r)} | ${r.description} |`,
    ),
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

/**
 * The role of a YAML example in a rule's docs page, written after the language in the fence's info
 * string (```` ```yaml broken ````): `broken` must produce the page's finding, `fixed` must not,
 * `context` is linted with both (the other files of a cross-file example), `config` is the
 * `.kubewire.yaml` the example is linted with (`config fixed`: only its fixed state, when declaring
 * something is the fix). A ```` ```text output ```` block is what kubewire reports for the broken
 * state of its example, written by `npm run docs`. See docs/writing-rules.md.
 */
export type ExampleRole = 'broken' | 'fixed' | 'context' | 'config' | 'output';
const ROLES: readonly ExampleRole[] = ['broken', 'fixed', 'context', 'config', 'output'];

export interface ExampleBlock {
  role: ExampleRole;
  /** The file name from the `` `name.yaml`: `` line just above the fence; `example.yaml` without one. */
  file: string;
  text: string;
  /** 1-based line of the opening fence in the page. */
  line: number;
  /** 1-based line of the closing fence. */
  endLine: number;
  /** For a `config fixed` block: the configuration applies to the fixed state only. */
  fixedOnly: boolean;
  /** `latin1` in the info string: the file is that text saved as Latin-1 (for encoding examples). */
  latin1: boolean;
}

export interface DocExample {
  /** The `###` heading the blocks stand under (`Examples` before the first one). */
  heading: string;
  blocks: ExampleBlock[];
}

export interface RuleDocExamples {
  examples: DocExample[];
  /** Lines of YAML or JSON fences in `## Examples` that carry no role: every example must say what it is. */
  unmarked: number[];
}

/** The marked examples of the `## Examples` section of a rule's docs page. */
export function ruleDocExamples(markdown: string): RuleDocExamples {
  const lines = markdown.split('\n');
  const examples: DocExample[] = [];
  const unmarked: number[] = [];
  let inExamples = false;
  let current: DocExample | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const fence = /^(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence) {
      const marker = fence[1] ?? '```';
      const words = (fence[2] ?? '').trim().split(/\s+/);
      let end = i + 1;
      while (end < lines.length && !(lines[end] ?? '').startsWith(marker)) end++;
      const language = words[0] ?? '';
      const flags = words.slice(1);
      const role = flags.includes('config') ? 'config' : ROLES.find((r) => flags.includes(r));
      const output = language === 'text' && role === 'output';
      if (inExamples && (/^(ya?ml|json)$/.test(language) || output)) {
        if (role === undefined) unmarked.push(i + 1);
        else {
          let k = i - 1;
          while (k >= 0 && (lines[k] ?? '').trim() === '') k--;
          const named = /^`([^`\s]+)`:$/.exec((lines[k] ?? '').trim());
          const file = named?.[1] ?? (role === 'config' ? '.kubewire.yaml' : 'example.yaml');
          if (current === undefined) examples.push((current = { heading: 'Examples', blocks: [] }));
          const text = `${lines.slice(i + 1, end).join('\n')}\n`;
          current.blocks.push({
            role,
            file,
            text,
            line: i + 1,
            endLine: end + 1,
            fixedOnly: role === 'config' && flags.includes('fixed'),
            latin1: flags.includes('latin1'),
          });
        }
      }
      i = end;
      continue;
    }
    if (line.startsWith('## ')) {
      inExamples = line.trim() === '## Examples';
      current = undefined;
    } else if (inExamples && line.startsWith('### ')) {
      examples.push((current = { heading: line.slice(4).trim(), blocks: [] }));
    }
  }
  return { examples: examples.filter((e) => e.blocks.length > 0), unmarked };
}

/** Replace the text of the `output` blocks of a page; `render` gives each one's new text (ending in a newline). */
export function replaceExampleOutputs(
  markdown: string,
  render: (example: DocExample, block: ExampleBlock) => string,
): string {
  const lines = markdown.split('\n');
  const edits = ruleDocExamples(markdown).examples.flatMap((e) =>
    e.blocks.filter((b) => b.role === 'output').map((b) => ({ b, text: render(e, b) })),
  );
  // From the last block up, so that earlier line numbers stay valid.
  for (const { b, text } of edits.reverse())
    lines.splice(b.line, b.endLine - b.line - 1, ...text.replace(/\n$/, '').split('\n'));
  return lines.join('\n');
}
