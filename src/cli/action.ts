/**
 * The GitHub Action (action.yml, docs/ci.md#github-actions). Inputs arrive as `INPUT_<NAME>` environment
 * variables (the composite action maps them with `env:`, never into a shell line). It lints once for the
 * findings (JSON) and once more for the SARIF file when one is asked for, prints capped annotations and
 * the full report in a log group, writes the outputs and the job summary, and sets the exit code from
 * `fail-on` and `max-warnings`.
 */
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { githubCommand } from '../format/github.js';
import { formatJobSummary } from '../format/job-summary.js';
import { formatStylish } from '../format/stylish.js';
import { plural } from '../format/summary.js';
import type { Summary } from '../format/summary.js';
import type { Finding, Severity } from '../types.js';
import { runCaptured } from './capture.js';
import { EXIT_FAILURE, EXIT_FINDINGS, EXIT_OK } from './main.js';
import { TOOL } from './report.js';

/** GitHub shows at most 10 annotations of each kind per step; one notice is kept for the overflow note. */
const ANNOTATION_CAP: Record<Severity, number> = { error: 10, warning: 10, info: 9 };

type Env = Readonly<Record<string, string | undefined>>;

interface Inputs {
  paths: string[];
  config: string;
  kubernetesVersion: string;
  failOn: 'error' | 'warning' | 'never';
  maxWarnings: number;
  annotations: boolean;
  sarifFile: string;
  summary: boolean;
  workingDirectory: string;
  cache: boolean;
}

class InputError extends Error {}

/** `INPUT_FAIL-ON` as a JavaScript action gets it, or `INPUT_FAIL_ON` as action.yml maps it (shell-safe). */
function input(env: Env, name: string, fallback: string): string {
  const key = `INPUT_${name.toUpperCase()}`;
  const value = (env[key] ?? env[key.replace(/-/g, '_')])?.trim();
  return value === undefined || value === '' ? fallback : value;
}

function booleanInput(env: Env, name: string, fallback: boolean): boolean {
  const value = input(env, name, String(fallback)).toLowerCase();
  if (['true', 'yes', 'on', '1'].includes(value)) return true;
  if (['false', 'no', 'off', '0'].includes(value)) return false;
  throw new InputError(`input ${name} must be true or false, got "${value}"`);
}

export function readInputs(env: Env): Inputs {
  const failOn = input(env, 'fail-on', 'error');
  if (failOn !== 'error' && failOn !== 'warning' && failOn !== 'never')
    throw new InputError(`input fail-on must be error, warning or never, got "${failOn}"`);
  const maxWarnings = input(env, 'max-warnings', '-1');
  if (!/^-?\d+$/.test(maxWarnings) || Number(maxWarnings) < -1)
    throw new InputError(`input max-warnings must be a whole number or -1 (no limit), got "${maxWarnings}"`);
  return {
    // Empty: no paths, so kubewire lints the configuration's roots (each on its own), else the folder.
    paths: input(env, 'paths', '')
      .split(/\s+/)
      .filter((p) => p !== ''),
    config: input(env, 'config', ''),
    kubernetesVersion: input(env, 'kubernetes-version', ''),
    failOn,
    maxWarnings: Number(maxWarnings),
    annotations: booleanInput(env, 'annotations', true),
    sarifFile: input(env, 'sarif-file', ''),
    summary: booleanInput(env, 'summary', true),
    workingDirectory: input(env, 'working-directory', '.'),
    cache: booleanInput(env, 'cache', true),
  };
}

interface Writer {
  write(text: string): unknown;
}

interface JsonReport {
  findings: (Omit<Finding, 'related'> & {
    related: { file: string; line: number; column: number; message: string }[];
  })[];
  summary: Summary;
}

const capture = runCaptured;

/** The errors first, then warnings, then infos, each up to its cap; one notice says how many were left out. */
export function annotations(findings: readonly Finding[]): string[] {
  const out: string[] = [];
  let left = 0;
  for (const severity of ['error', 'warning', 'info'] as const) {
    const list = findings.filter((f) => f.severity === severity);
    out.push(...list.slice(0, ANNOTATION_CAP[severity]).map(githubCommand));
    left += Math.max(0, list.length - ANNOTATION_CAP[severity]);
  }
  if (left > 0)
    out.push(`::notice title=kubewire::${plural(left, 'more finding')} not annotated: see the job summary or the log`);
  return out;
}

async function writeOutputs(file: string | undefined, outputs: Record<string, string>): Promise<void> {
  if (file === undefined || file === '') return;
  await appendFile(
    file,
    Object.entries(outputs)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
}

/** Make the relative URIs of a SARIF log relative to the repository root rather than working-directory. */
export function rebaseSarif(text: string, prefix: string): string {
  const log = JSON.parse(text) as { runs: { results?: Record<string, unknown>[] }[] };
  const encoded = prefix.split('/').map(encodeURIComponent).join('/');
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if (record.uriBaseId === '%SRCROOT%' && typeof record.uri === 'string') record.uri = `${encoded}${record.uri}`;
      else Object.values(record).forEach(visit);
    }
  };
  for (const run of log.runs) visit(run.results);
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** Run the action; resolves to the process exit code. */
export async function runAction(env: Env, stdout: Writer): Promise<number> {
  let inputs: Inputs;
  try {
    inputs = readInputs(env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    stdout.write(`::error title=kubewire::${error.message}\n`);
    return EXIT_FAILURE;
  }
  const workspace = env.GITHUB_WORKSPACE ?? process.cwd();
  const cwd = path.resolve(workspace, inputs.workingDirectory);
  // The cache of repeated runs (docs/usage.md#the-cache), in the runner's temporary folder: action.yml keeps it
  // between workflow runs with actions/cache, and the SARIF run below restores the JSON run's report from it.
  const cacheFolder = `${path.join(env.RUNNER_TEMP ?? os.tmpdir(), 'kubewire-cache')}${path.sep}`;
  const common = [
    ...inputs.paths,
    ...(inputs.cache ? ['--cache', '--cache-location', cacheFolder] : []),
    ...(inputs.config !== '' ? ['--config', inputs.config] : []),
    ...(inputs.kubernetesVersion !== '' ? ['--kubernetes-version', inputs.kubernetesVersion] : []),
  ];
  const lintEnv = { ...env, FORCE_COLOR: '0' };
  const json = await capture([...common, '--format', 'json'], cwd, lintEnv);
  if (json.code === EXIT_FAILURE) {
    for (const line of json.stderr.trim().split('\n')) stdout.write(`::error title=kubewire::${line}\n`);
    return EXIT_FAILURE;
  }
  const report = JSON.parse(json.stdout) as JsonReport;
  // GitHub resolves annotation and SARIF paths from the repository root, kubewire from working-directory.
  const relative = path.relative(workspace, cwd).split(path.sep).join('/');
  const prefix = relative === '' || relative.startsWith('..') ? '' : `${relative}/`;
  const fromRoot = (file: string) => (file.startsWith('/') || file.startsWith('<') ? file : `${prefix}${file}`);
  const findings: Finding[] = report.findings.map((f) => ({
    ...f,
    file: fromRoot(f.file),
    related: f.related.map((r) => ({ ...r, file: fromRoot(r.file), endLine: r.line, endColumn: r.column })),
  }));
  const { summary } = report;

  stdout.write('::group::kubewire report\n');
  stdout.write(formatStylish({ findings, summary, texts: new Map() }, { color: false }));
  stdout.write('::endgroup::\n');
  if (inputs.annotations) for (const line of annotations(findings)) stdout.write(`${line}\n`);

  let sarifPath = '';
  if (inputs.sarifFile !== '') {
    sarifPath = path.resolve(cwd, inputs.sarifFile);
    const sarif = await capture([...common, '--format', 'sarif', '--output-file', sarifPath], cwd, lintEnv);
    if (sarif.code === EXIT_FAILURE) {
      stdout.write(`::error title=kubewire::could not write the SARIF file: ${sarif.stderr.trim()}\n`);
      return EXIT_FAILURE;
    }
    if (prefix !== '') await writeFile(sarifPath, rebaseSarif(await readFile(sarifPath, 'utf8'), prefix));
  }

  const tooManyWarnings = inputs.maxWarnings >= 0 && summary.warnings > inputs.maxWarnings;
  const failed =
    (inputs.failOn === 'error' && summary.errors > 0) ||
    (inputs.failOn === 'warning' && summary.errors + summary.warnings > 0) ||
    tooManyWarnings;

  await writeOutputs(env.GITHUB_OUTPUT, {
    errors: String(summary.errors),
    warnings: String(summary.warnings),
    infos: String(summary.infos),
    'sarif-file': sarifPath,
  });
  if (inputs.summary && env.GITHUB_STEP_SUMMARY !== undefined && env.GITHUB_STEP_SUMMARY !== '') {
    const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
    const blobUrl =
      env.GITHUB_REPOSITORY !== undefined && env.GITHUB_SHA !== undefined
        ? `${server}/${env.GITHUB_REPOSITORY}/blob/${env.GITHUB_SHA}`
        : undefined;
    await appendFile(
      env.GITHUB_STEP_SUMMARY,
      formatJobSummary(findings, summary, {
        ...(blobUrl !== undefined ? { blobUrl } : {}),
        ruleDocsUrl: (id) => TOOL.ruleDocsUrl(id),
        failed,
      }),
    );
  }
  if (tooManyWarnings)
    stdout.write(
      `::error title=kubewire::${plural(summary.warnings, 'warning')}, more than the maximum of ${inputs.maxWarnings} (max-warnings)\n`,
    );
  return failed ? EXIT_FINDINGS : EXIT_OK;
}
