/**
 * Suppressions written in the manifests themselves:
 *   # kubewire-disable-next-line [rule-id, …]   the next line that is not a comment
 *   … # kubewire-disable-line [rule-id, …]       this line
 *   # kubewire-disable-file [rule-id, …]         the whole file
 * and the object annotation `kubewire.io/ignore: "rule-id, …"` (or "*") for every finding on that
 * object. Without rule ids a comment covers every rule.
 */
import type { Finding, KObject, Source } from './types.js';

export const IGNORE_ANNOTATION = 'kubewire.io/ignore';

const DIRECTIVE = /(?:^|\s)#\s*kubewire-disable(-next-line|-line|-file)\b([^#\n]*)/;

interface Directive {
  line: number;
  /** null = every rule */
  rules: Set<string> | null;
}

interface SourceSuppressions {
  file: Directive[];
  lines: Map<number, Directive[]>;
}

function parseRules(text: string): Set<string> | null {
  const ids = text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== '--');
  const cut = ids.indexOf('--');
  return ids.length === 0 ? null : new Set(cut === -1 ? ids : ids.slice(0, cut));
}

/** Each source's suppressions, kept with it (one text): the language server lints again after every edit. */
const scanned = new WeakMap<Source, SourceSuppressions>();

export function scanSuppressions(source: Source): SourceSuppressions {
  let known = scanned.get(source);
  if (known === undefined) scanned.set(source, (known = scanSource(source)));
  return known;
}

function scanSource(source: Source): SourceSuppressions {
  const result: SourceSuppressions = { file: [], lines: new Map() };
  if (!source.text.includes('kubewire-disable')) return result;
  const lines = source.text.split('\n');
  let pendingNext: Directive[] = [];
  lines.forEach((text, i) => {
    const line = i + 1;
    const m = DIRECTIVE.exec(text);
    const isComment = /^\s*(#|$)/.test(text);
    if (!isComment && pendingNext.length > 0) {
      result.lines.set(line, [...(result.lines.get(line) ?? []), ...pendingNext]);
      pendingNext = [];
    }
    if (!m) return;
    const directive: Directive = { line, rules: parseRules((m[2] ?? '').split(/\s--\s/)[0] ?? '') };
    if (m[1] === '-file') result.file.push(directive);
    else if (m[1] === '-next-line') pendingNext.push(directive);
    else result.lines.set(line, [...(result.lines.get(line) ?? []), directive]);
  });
  return result;
}

function covers(directives: readonly Directive[] | undefined, ruleId: string): boolean {
  return directives?.some((d) => d.rules === null || d.rules.has(ruleId)) ?? false;
}

/** Whether an object's annotation ignores a rule. */
export function objectIgnores(object: KObject, ruleId: string): boolean {
  const value = object.annotations[IGNORE_ANNOTATION];
  if (value === undefined) return false;
  const ids = value.split(/[\s,]+/).filter((s) => s !== '');
  return ids.includes('*') || ids.includes(ruleId);
}

/** Drops suppressed findings. `objectOf` maps a finding back to its object, when it has one. */
export function applySuppressions(
  findings: readonly Finding[],
  sources: readonly Source[],
  objectOf: (finding: Finding) => KObject | undefined,
): Finding[] {
  const bySource = new Map<string, SourceSuppressions>();
  for (const s of sources) bySource.set(s.path, scanSuppressions(s));
  return findings.filter((f) => {
    const s = bySource.get(f.file);
    if (s && (covers(s.file, f.ruleId) || covers(s.lines.get(f.line), f.ruleId))) return false;
    const object = objectOf(f);
    return !(object && objectIgnores(object, f.ruleId));
  });
}
