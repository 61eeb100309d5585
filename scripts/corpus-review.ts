/**
 * `npm run corpus-review`: lint every source of ../shared/corpus/real on its own, from its root, as its
 * owner would; print the counts per rule and severity, the precision of the findings judged in
 * test-fixtures/corpus-verdicts.tsv, every error and warning that has no verdict yet, and per rule a
 * sample of findings with the YAML lines around them, so that a person can judge them quickly.
 *
 *   npm run corpus-review                 # everything
 *   npm run corpus-review -- RULE…        # only these rules
 *
 * The verdict file has one line per judged finding, tab-separated: rule, file (relative to corpus/real,
 * starting with the source folder), line, verdict (true: a defect or a risk the owners would want to
 * know; wrong: the claim is false; noise: right, but nobody would act on it there), and a one-line reason.
 * test/corpus-verdicts.test.ts fails when a finding judged wrong comes back.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../src/cli/main.js';

export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CORPUS_REAL = path.resolve(ROOT, '..', 'shared', 'corpus', 'real');
export const VERDICTS = path.join(ROOT, 'test-fixtures', 'corpus-verdicts.tsv');

export interface CorpusFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Relative to corpus/real, starting with the source folder. */
  file: string;
  line: number;
  column: number;
}

export type VerdictKind = 'true' | 'wrong' | 'noise';

export interface Verdict {
  rule: string;
  file: string;
  line: number;
  verdict: VerdictKind;
  reason: string;
}

/** Lint each source folder of corpus/real on its own; findings with paths relative to corpus/real. */
export async function lintCorpus(real = CORPUS_REAL): Promise<CorpusFinding[]> {
  const out: CorpusFinding[] = [];
  const sources = readdirSync(real)
    .filter((name) => statSync(path.join(real, name)).isDirectory())
    .sort();
  for (const source of sources) {
    let stdout = '';
    await main(['.', '--format', 'json'], {
      cwd: path.join(real, source),
      env: {},
      stdout: { write: (s: string) => (stdout += s), isTTY: false },
      stderr: { write: () => true },
      readStdin: () => Promise.resolve(new Uint8Array()),
    });
    const report = JSON.parse(stdout) as { findings: CorpusFinding[] };
    for (const f of report.findings) out.push({ ...f, file: `${source}/${f.file}` });
  }
  return out;
}

export function readVerdicts(file = VERDICTS): Verdict[] {
  if (!existsSync(file)) return [];
  const out: Verdict[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '' || text.startsWith('#')) return;
      const [rule = '', where = '', line = '', verdict = '', ...reason] = text.split('\t');
      if (!['true', 'wrong', 'noise'].includes(verdict) || !/^\d+$/.test(line))
        throw new Error(`${file}:${String(i + 1)}: expected rule, file, line, true|wrong|noise, reason`);
      out.push({ rule, file: where, line: Number(line), verdict: verdict as VerdictKind, reason: reason.join(' ') });
    });
  return out;
}

export function verdictKey(rule: string, file: string, line: number): string {
  return `${rule}\u0000${file}\u0000${String(line)}`;
}

/** The YAML lines around a finding, the finding's line marked. */
function context(finding: CorpusFinding, around = 3): string {
  const lines = readFileSync(path.join(CORPUS_REAL, finding.file), 'utf8').split('\n');
  const from = Math.max(1, finding.line - around);
  const to = Math.min(lines.length, finding.line + around);
  const out: string[] = [];
  for (let n = from; n <= to; n++)
    out.push(`${n === finding.line ? '>' : ' '} ${String(n).padStart(5)} | ${lines[n - 1] ?? ''}`);
  return out.join('\n');
}

async function review(only: readonly string[]): Promise<void> {
  if (!existsSync(CORPUS_REAL)) {
    console.log(`corpus-review: ${CORPUS_REAL} is absent; nothing to review`);
    return;
  }
  const findings = (await lintCorpus()).filter((f) => only.length === 0 || only.includes(f.ruleId));
  const verdicts = new Map(readVerdicts().map((v) => [verdictKey(v.rule, v.file, v.line), v]));
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(`${f.ruleId} ${f.severity}`, (counts.get(`${f.ruleId} ${f.severity}`) ?? 0) + 1);
  console.log('# Findings per rule and severity\n');
  for (const [key, n] of [...counts].sort()) console.log(`  ${key.padEnd(50)} ${String(n).padStart(5)}`);

  console.log('\n# Precision of the judged findings (errors and warnings)\n');
  for (const severity of ['error', 'warning'] as const) {
    const judged = findings
      .filter((f) => f.severity === severity)
      .flatMap((f) => verdicts.get(verdictKey(f.ruleId, f.file, f.line)) ?? []);
    const total = findings.filter((f) => f.severity === severity).length;
    const n = (k: VerdictKind) => judged.filter((v) => v.verdict === k).length;
    const pct = (x: number) => (judged.length === 0 ? '-' : `${((100 * x) / judged.length).toFixed(1)} %`);
    console.log(
      `  ${severity.padEnd(8)} ${String(total).padStart(5)} reported, ${String(judged.length).padStart(4)} judged: ` +
        `${String(n('true'))} true, ${String(n('wrong'))} wrong, ${String(n('noise'))} noise; ` +
        `precision ${pct(n('true'))}, noise ${pct(n('noise'))}`,
    );
  }
  const reported = new Set(findings.map((f) => verdictKey(f.ruleId, f.file, f.line)));
  const gone = [...verdicts.values()].filter((v) => !reported.has(verdictKey(v.rule, v.file, v.line)));
  if (gone.length > 0) {
    console.log(`\n# ${String(gone.length)} verdicts whose finding is no longer reported\n`);
    for (const v of gone) console.log(`  ${v.verdict.padEnd(5)} ${v.rule} ${v.file}:${String(v.line)}  ${v.reason}`);
  }

  const unjudged = findings.filter((f) => f.severity !== 'info' && !verdicts.has(verdictKey(f.ruleId, f.file, f.line)));
  console.log(`\n# ${String(unjudged.length)} errors and warnings without a verdict\n`);
  for (const f of unjudged) console.log(`  ${f.ruleId}\t${f.file}\t${String(f.line)}\t${f.severity}: ${f.message}`);

  console.log('\n# A sample of each rule, with the YAML around it\n');
  const byRule = new Map<string, CorpusFinding[]>();
  for (const f of findings) byRule.set(f.ruleId, [...(byRule.get(f.ruleId) ?? []), f]);
  for (const [rule, list] of [...byRule].sort((a, b) => a[0].localeCompare(b[0]))) {
    // Spread the sample over the sources and severities.
    const sample: CorpusFinding[] = [];
    const seen = new Set<string>();
    for (const f of list) {
      const key = `${f.file.split('/')[0] ?? ''}\u0000${f.severity}`;
      if (seen.has(key)) continue;
      seen.add(key);
      sample.push(f);
      if (sample.length >= 5) break;
    }
    console.log(`## ${rule} (${String(list.length)})\n`);
    for (const f of sample) {
      const v = verdicts.get(verdictKey(f.ruleId, f.file, f.line));
      console.log(
        `${f.file}:${String(f.line)}:${String(f.column)} ${f.severity}${v ? ` [${v.verdict}: ${v.reason}]` : ' [no verdict]'}`,
      );
      console.log(`  ${f.message}`);
      console.log(context(f));
      console.log('');
    }
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await review(process.argv.slice(2));
}
