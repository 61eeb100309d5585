/** Turning a lint result into the report of the chosen `--format`; the formatters themselves are pure. */
import { readFile } from 'node:fs/promises';
import type { Rule } from '../api.js';
import type { EngineSetting } from '../presets.js';
import { configuredSeverity } from '../presets.js';
import { formatGithub } from '../format/github.js';
import { formatGitlab } from '../format/gitlab.js';
import { jsonChunks } from '../format/json.js';
import { formatJunit } from '../format/junit.js';
import type { JunitFile } from '../format/junit.js';
import { formatSarif } from '../format/sarif.js';
import { displayBytes } from './files.js';
import type { RuleRun, SarifOptions, ToolInfo } from '../format/sarif.js';
import { formatStylish } from '../format/stylish.js';
import type { FormatInput } from '../format/summary.js';
import type { ObjectRef, Source } from '../types.js';
import type { LintedObject } from './cache.js';
import { HOMEPAGE, VERSION, ruleDocsUrl } from './version.js';

export const REPORT_FORMATS = ['stylish', 'json', 'sarif', 'github', 'junit', 'gitlab'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const TOOL: ToolInfo = {
  name: 'kubewire',
  version: VERSION,
  informationUri: HOMEPAGE,
  ruleDocsUrl,
};

export interface ReportContext {
  input: FormatInput;
  color: boolean;
  rules: readonly Rule[];
  ruleSettings: Readonly<Record<string, EngineSetting>>;
  sources: readonly Source[];
  objects: readonly LintedObject[];
  baseline?: SarifOptions['baseline'];
  /** The working directory the paths are relative to (for the bytes of names that are not UTF-8). */
  cwd: string;
}

/** The rule's page from the package's docs/rules folder (three folders above dist/src/cli). */
async function ruleDocs(id: string): Promise<string | undefined> {
  try {
    return await readFile(new URL(`../../../docs/rules/${id}.md`, import.meta.url), 'utf8');
  } catch {
    return undefined;
  }
}

/** The rules that ran, at the severity they ran at, with their documentation. */
export async function ruleRuns(
  rules: readonly Rule[],
  settings: Readonly<Record<string, EngineSetting>>,
): Promise<RuleRun[]> {
  const runs: RuleRun[] = [];
  for (const rule of rules) {
    const severity = configuredSeverity(rule, settings[rule.id]);
    if (severity === 'off') continue;
    const docs = await ruleDocs(rule.id);
    runs.push({ rule, severity, ...(docs !== undefined ? { docs } : {}) });
  }
  return runs;
}

export function junitFiles(sources: readonly Source[], objects: readonly LintedObject[]): JunitFile[] {
  const byPath = new Map<string, ObjectRef[]>();
  for (const o of objects) {
    const list = byPath.get(o.file);
    if (list) list.push(o.ref);
    else byPath.set(o.file, [o.ref]);
  }
  return sources.map((s) => ({ path: s.path, objects: byPath.get(s.path) ?? [] }));
}

/** The report as one string, or in pieces when it may be large (JSON): writeOutput takes either. */
export async function renderReport(format: ReportFormat, ctx: ReportContext): Promise<string | Iterable<string>> {
  switch (format) {
    case 'stylish':
      return formatStylish(ctx.input, { color: ctx.color });
    case 'json':
      return jsonChunks(ctx.input);
    case 'sarif':
      return formatSarif(ctx.input, {
        tool: TOOL,
        rules: await ruleRuns(ctx.rules, ctx.ruleSettings),
        ...(ctx.baseline ? { baseline: ctx.baseline } : {}),
        fileBytes: (file: string) => displayBytes(ctx.cwd, file),
      });
    case 'github':
      return formatGithub(ctx.input);
    case 'junit':
      return formatJunit(ctx.input, junitFiles(ctx.sources, ctx.objects));
    case 'gitlab':
      return formatGitlab(ctx.input);
  }
}
