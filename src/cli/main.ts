/** The command line: arguments, configuration, reading files, output and exit codes. */
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { rules as allRules } from '../../rules/index.js';
import type { Rule } from '../api.js';
import type { Finding, Source } from '../types.js';
import { compareFindings, lint, objectRef } from '../engine.js';
import type { LintOptions, LintResult } from '../engine.js';
import { BUNDLED_MINORS, NEWEST_BUNDLED, bundledFor, formatMinor, parseKubernetesVersion } from '../schema/apis.js';
import { formatDot, formatGraphJson, formatMermaid } from '../format/graph.js';
import { buildWiring } from '../resolve/wiring.js';
import { formatRulesJson, formatRulesTable } from '../format/rules.js';
import { plural, summarize } from '../format/summary.js';
import type { RunResult } from './cache.js';
import { ConfigFileError, configRelative, loadConfig } from './config-file.js';
import { UsageError } from './files.js';
import { loadInput, writeOutput } from './input.js';
import { baselineStep } from './baseline-file.js';
import { applyOverrides, engineSettings } from '../overrides.js';
import { effectiveRuleSettings } from '../presets.js';
import { findingsForGiven, objectsIn, sortByPath } from './context.js';
import { applications } from './roots.js';
import type { Application } from './roots.js';
import { REPORT_FORMATS, renderReport } from './report.js';
import type { ReportFormat } from './report.js';
import type { TextsByFile } from '../format/fingerprint.js';
import { initCommand } from './init.js';
import { scheduleCommand, withClusterFile } from './schedule-command.js';
import type { InputFlags, Io } from './input.js';
import { VERSION } from './version.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FAILURE = 2;

export type { Io } from './input.js';

interface LintFlags {
  format: ReportFormat;
  outputFile?: string;
  quiet?: boolean;
  maxWarnings?: number;
  color?: boolean;
  config?: string;
  stdinFilename?: string;
  maxFileSize?: number;
  cluster?: string;
  kubernetesVersion?: string;
  namespace?: string;
  context?: string;
  cache?: boolean;
  cacheLocation?: string;
  baseline?: string;
  writeBaseline?: string;
}

/** --color / --no-color, then FORCE_COLOR and NO_COLOR, then whether stdout is a terminal. */
export function useColor(flag: boolean | undefined, io: Io, toFile: boolean): boolean {
  if (flag !== undefined) return flag;
  if (toFile) return false;
  const force = io.env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  const no = io.env.NO_COLOR;
  if (no !== undefined && no !== '') return false;
  return io.stdout.isTTY === true && io.env.TERM !== 'dumb';
}

function parseKubernetesVersionFlag(value: string): string {
  if (!/^v?\d+\.\d+(\.\d+)?$/.test(value.trim())) {
    throw new CommanderError(
      EXIT_FAILURE,
      'kubewire.invalidArgument',
      `error: --kubernetes-version needs a version such as 1.34, v1.34 or 1.34.2, got "${value}"`,
    );
  }
  return value.trim();
}

function parseNamespace(value: string): string {
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63)
    throw new CommanderError(
      EXIT_FAILURE,
      'kubewire.invalidArgument',
      `error: --namespace needs a namespace name (lower-case letters, digits and inner hyphens), got "${value}"`,
    );
  return value;
}

/**
 * Refuse a version that no Kubernetes has (0.1, 2.5, 1.500), and say on standard error which bundled
 * schema serves a version that has none of its own.
 */
function checkKubernetesVersion(version: string, io: Io): void {
  const parsed = parseKubernetesVersion(version);
  if (parsed === undefined || parsed.major !== 1 || parsed.minor > 99)
    throw new UsageError(
      `Kubernetes version "${version}" does not exist; give one such as ${NEWEST_BUNDLED} (bundled: ${BUNDLED_MINORS.join(', ')})`,
    );
  const minor = formatMinor(parsed);
  const used = bundledFor(minor);
  if (used !== minor)
    io.stderr.write(
      `kubewire: no bundled schema for Kubernetes ${minor}; validating against the ${used} schema (bundled: ${BUNDLED_MINORS.join(', ')})\n`,
    );
}

function parseSize(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value) || Number(value) <= 0)
    throw new CommanderError(
      EXIT_FAILURE,
      'kubewire.invalidArgument',
      `error: --max-file-size needs a positive number of MiB, got "${value}"`,
    );
  return Number(value);
}

function parseCount(value: string): number {
  if (!/^\d+$/.test(value))
    throw new CommanderError(
      EXIT_FAILURE,
      'kubewire.invalidArgument',
      `error: --max-warnings needs a whole number, got "${value}"`,
    );
  return Number(value);
}

interface LintedApplications extends RunResult, Pick<LintResult, 'timings' | 'ruleFailures'> {}

/** Lint each application on its own; in context mode keep only what concerns its given files. */
function lintApplications(apps: readonly Application[], inContext: boolean, options: LintOptions): LintedApplications {
  const out: LintedApplications = { findings: [], objects: [], timings: {}, ruleFailures: [] };
  for (const app of apps) {
    // In the order of a run over the whole folder, so that "first defined in" means the same in both.
    const group = app.context.length === 0 ? app.given : sortByPath([...app.given, ...app.context]);
    const run = lint(group, options);
    // Loops, not push(...): a spread of a few hundred thousand findings overflows the stack.
    for (const f of inContext ? findingsForGiven(run.findings, app.given) : run.findings) out.findings.push(f);
    for (const o of inContext ? objectsIn(run.graph.objects, app.given) : run.graph.objects)
      out.objects.push({ file: o.source.path, ref: objectRef(o) });
    for (const [id, ms] of Object.entries(run.timings)) out.timings[id] = (out.timings[id] ?? 0) + ms;
    for (const failure of run.ruleFailures)
      if (!out.ruleFailures.some((f) => f.ruleId === failure.ruleId && f.message === failure.message))
        out.ruleFailures.push(failure);
  }
  if (apps.length > 1) out.findings.sort(compareFindings);
  return out;
}

async function runLint(paths: string[], flags: LintFlags, io: Io, rules: readonly Rule[]): Promise<number> {
  const useCache = flags.cache === true || flags.cacheLocation !== undefined;
  const { config, sources, crdSources, configBase, cache, roots } = await loadInput(
    paths,
    flags,
    io,
    rules,
    useCache
      ? async (loaded) => {
          // Loaded only with --cache (node:v8, node:crypto and the build's identity come with it).
          const { LintCache, cacheFile } = await import('./cache.js');
          return LintCache.open(cacheFile(flags.cacheLocation, io.cwd, io.env), {
            config: loaded,
            kubernetesVersion: flags.kubernetesVersion ?? loaded.kubernetesVersion ?? '',
          });
        }
      : undefined,
  );
  const maxBytes = flags.maxFileSize === undefined ? undefined : flags.maxFileSize * 1024 * 1024;
  const apps = await applications(sources, flags.context, paths.length === 0, roots, {
    cwd: io.cwd,
    ignore: config.ignore,
    ignoreBase: configBase,
    maxBytes,
    cache,
  });
  const timing = io.env.KUBEWIRE_TIMING === '1';
  const kubernetesVersion = flags.kubernetesVersion ?? config.kubernetesVersion;
  if (kubernetesVersion !== undefined) checkKubernetesVersion(kubernetesVersion, io);
  const cluster = await withClusterFile(config.cluster, flags.cluster, io);
  const namespace = flags.namespace ?? config.namespace;
  // The preset's settings for every rule, under the configuration's own `rules:`.
  const settings = effectiveRuleSettings(rules, config.preset, config.rules);
  const ruleSettings = engineSettings(settings, config.overrides);
  const inContext = flags.context !== undefined;
  const all: Source[] = [];
  for (const app of apps) for (const source of [...app.given, ...app.context]) all.push(source);
  // With the cache, a run over exactly the same input (files, configuration, rules, cluster…) is not linted again.
  const runKey = cache?.runKey({
    applications: apps,
    crdSources,
    settings: [
      rules.map((r) => [r.id, r.category, r.severity]),
      ruleSettings,
      cluster,
      kubernetesVersion,
      namespace,
      inContext,
    ],
  });
  const restored = runKey === undefined ? undefined : cache?.run(runKey);
  const result: LintedApplications = restored
    ? { ...restored, timings: {}, ruleFailures: [] }
    : lintApplications(apps, inContext, {
        rules,
        ruleSettings,
        cluster,
        timing,
        kubernetesVersion,
        crdSources,
        namespace,
      });
  const { findings: found, objects } = result;
  if (cache) {
    if (runKey !== undefined && restored === undefined && result.ruleFailures.length === 0)
      cache.rememberRun(runKey, { findings: found, objects });
    const problem = await cache.save(all, io.cwd);
    if (problem !== undefined) io.stderr.write(`kubewire: ${problem}\n`);
    if (timing)
      io.stderr.write(
        `cache ${cache.file}: ${cache.runRestored ? 'report restored, ' : ''}${cache.hits} files restored, ${cache.misses} parsed\n`,
      );
  }
  const inScope = applyOverrides(found, settings, config.overrides, (file) => configRelative(file, io.cwd, configBase));

  // Each file's text, read only for the files the report quotes (a file restored from the cache decodes it then).
  const byPath = new Map(all.map((s) => [s.path, s]));
  const texts: TextsByFile = { get: (file) => byPath.get(file)?.text };
  const linted = new Set(sources.map((s) => s.path));
  const baselined = await baselineStep(flags, inScope, texts, linted, io);
  const shown = (f: Finding) => !flags.quiet || f.severity === 'error';
  const findings = baselined.findings.filter(shown);
  const prints = baselined.fingerprints?.filter((_, i) => {
    const f = baselined.findings[i];
    return f !== undefined && shown(f);
  });
  const summary = summarize(findings, sources.length, objects.length);
  const input = { findings, summary, texts, ...(prints ? { fingerprints: prints } : {}) };
  const color = useColor(flags.color, io, flags.outputFile !== undefined);
  const output = await renderReport(flags.format, {
    input,
    color,
    rules,
    ruleSettings,
    sources,
    objects,
    cwd: io.cwd,
    ...(baselined.sarif ? { baseline: baselined.sarif } : {}),
  });
  await writeOutput(output, flags.outputFile, io);
  if (timing) {
    const rows = Object.entries(result.timings).sort((a, b) => b[1] - a[1]);
    io.stderr.write(`${rows.map(([id, ms]) => `${ms.toFixed(1).padStart(9)} ms  ${id}`).join('\n')}\n`);
  }
  for (const failure of result.ruleFailures) {
    io.stderr.write(`kubewire: internal error in rule ${failure.ruleId} (please report it): ${failure.message}\n`);
  }
  if (result.ruleFailures.length > 0) return EXIT_FAILURE;
  if (summary.errors > 0) return EXIT_FINDINGS;
  if (flags.maxWarnings !== undefined && !flags.quiet && summary.warnings > flags.maxWarnings) {
    io.stderr.write(
      `kubewire: ${plural(summary.warnings, 'warning')} ${summary.warnings === 1 ? 'exceeds' : 'exceed'} ` +
        `the maximum of ${String(flags.maxWarnings)} (--max-warnings)\n`,
    );
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

function buildProgram(io: Io, rules: readonly Rule[], setExit: (code: number) => void): Command {
  const program = new Command('kubewire');
  program
    .enablePositionalOptions()
    .description('Find broken wiring in Kubernetes manifests, at the exact line, before anything is applied.')
    .version(VERSION, '-v, --version')
    .argument('[paths...]', 'files, folders or globs to lint (default: .); - reads standard input')
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORT_FORMATS).default('stylish'))
    .option('-o, --output-file <file>', 'write the report to a file instead of standard output')
    .option('-q, --quiet', 'report errors only')
    .option('--max-warnings <n>', 'exit with code 1 when there are more warnings than this', parseCount)
    .option('--color', 'force colour output')
    .option('--no-color', 'disable colour output')
    .option('-c, --config <file>', 'configuration file (default: the nearest .kubewire.yaml upward)')
    .option('--stdin-filename <name>', 'file name to report for standard input')
    .option(
      '-n, --namespace <namespace>',
      'the namespace of objects that set none, as with kubectl apply -n (default: inferred from the input, else default)',
      parseNamespace,
    )
    .option(
      '--context <dir|auto>',
      'lint the given files in the context of every manifest under <dir>, and report only findings about them; ' +
        'auto: the rest of their application root (roots: in the configuration), else the git work tree (pre-commit)',
    )
    .option('--baseline <file>', 'leave out the findings recorded in this baseline file (see --write-baseline)')
    .option('--write-baseline <file>', 'record the current findings in a baseline file; they are then left out')
    .option('--max-file-size <MiB>', 'skip (and report) files larger than this many MiB', parseSize, 32)
    .option(
      '--cluster <file>',
      'the cluster for the scheduling rules: Node, PriorityClass, StorageClass objects or the compact form',
    )
    .option(
      '--kubernetes-version <version>',
      `Kubernetes version to validate against, e.g. 1.34 (bundled: ${BUNDLED_MINORS.join(', ')}; ` +
        `default ${NEWEST_BUNDLED}; others use the nearest bundled below)`,
      parseKubernetesVersionFlag,
    )
    .option(
      '--cache',
      'keep what parsing and schema validation found per file, and reuse it while the file is unchanged',
    )
    .option(
      '--cache-location <path>',
      'cache file, or folder (ending with /) (implies --cache; default: node_modules/.cache/kubewire/ or the OS cache folder)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 no errors (warnings allowed), 1 error-level findings or too many warnings,\n' +
        '            2 usage, configuration or internal error.\n\n' +
        'Examples:\n  kubewire k8s/\n  kubewire "deploy/**/*.yaml" -f json -o report.json\n' +
        '  helm template my-release ./chart | kubewire - --stdin-filename chart.yaml\n' +
        '  kustomize build overlays/prod | kubewire -',
    )
    .action(async (paths: string[], flags: LintFlags) => {
      setExit(await runLint(paths, flags, io, rules));
    });
  program
    .command('rules')
    .description(
      'list the rules with their category, severity and description; the severity is the one the configuration ' +
        '(its preset and rules:) gives, beside the default where they differ',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .option('-c, --config <file>', 'configuration file (default: the nearest .kubewire.yaml upward)')
    .action(async (flags: { format: 'table' | 'json'; config?: string }) => {
      const loaded = await loadConfig(
        io.cwd,
        flags.config,
        rules.map((r) => r.id),
      );
      const settings =
        loaded.file === undefined ? undefined : effectiveRuleSettings(rules, loaded.config.preset, loaded.config.rules);
      if (flags.format === 'json') io.stdout.write(formatRulesJson(rules, settings));
      else {
        io.stdout.write(formatRulesTable(rules, settings));
        if (loaded.file !== undefined) {
          const overrides = loaded.config.overrides.length;
          io.stdout.write(
            `\nseverities as configured by ${path.relative(io.cwd, loaded.file) || loaded.file}` +
              (overrides > 0 ? ` (its ${plural(overrides, 'override')} for some files are not shown)` : '') +
              '\n',
          );
        }
      }
      setExit(EXIT_OK);
    });
  program
    .command('graph')
    .description(
      'draw the resolved wiring: ' + 'Ingress → Service → workloads → ConfigMaps, Secrets, claims → StorageClasses, …',
    )
    .argument('[paths...]', 'files, folders or globs (default: .); - reads standard input')
    .addOption(
      new Option('-f, --format <format>', 'output format').choices(['mermaid', 'dot', 'json']).default('mermaid'),
    )
    .option('-o, --output-file <file>', 'write the graph to a file instead of standard output')
    .option('-c, --config <file>', 'configuration file (default: the nearest .kubewire.yaml upward)')
    .option('--stdin-filename <name>', 'file name to report for standard input')
    .addHelpText(
      'after',
      '\nBroken references are drawn as dashed red edges to placeholder nodes carrying the missing name.\n' +
        'Render Mermaid on GitHub in a ```mermaid block, or DOT with `dot -Tsvg graph.dot -o graph.svg`.',
    )
    .action(
      async (paths: string[], flags: InputFlags & { format: 'mermaid' | 'dot' | 'json'; outputFile?: string }) => {
        const { config, sources } = await loadInput(paths, flags, io, rules);
        const result = lint(sources, { rules: [], cluster: config.cluster, namespace: config.namespace });
        const wiring = buildWiring(result.graph);
        const output =
          flags.format === 'dot'
            ? formatDot(wiring)
            : flags.format === 'json'
              ? formatGraphJson(wiring)
              : formatMermaid(wiring);
        await writeOutput(output, flags.outputFile, io);
        setExit(EXIT_OK);
      },
    );
  program.addCommand(scheduleCommand(io, rules, setExit));
  program.addCommand(initCommand(io, rules, setExit));
  program
    .command('lsp')
    .description('run the language server (Language Server Protocol over standard input and output)')
    .option('--stdio', 'talk over standard input and output (the only transport, and the default)')
    .option('--clientProcessId <pid>', "the editor's process id: the server exits when it is gone")
    .action(async () => {
      const { startServer } = await import('../lsp/server.js');
      startServer();
      setExit(EXIT_OK);
    });
  return program;
}

/** Run the CLI; resolves to the exit code. Never throws for user input. */
export async function main(argv: readonly string[], io: Io, rules: readonly Rule[] = allRules): Promise<number> {
  let exit: number = EXIT_OK;
  const program = buildProgram(io, rules, (code) => (exit = code));
  program.exitOverride();
  program.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT_OK;
      if (error.code === 'kubewire.invalidArgument') io.stderr.write(`${error.message}\n`);
      return EXIT_FAILURE;
    }
    if (error instanceof UsageError || error instanceof ConfigFileError) {
      io.stderr.write(
        error.message
          .split('\n')
          .map((line) => `kubewire: ${line}\n`)
          .join(''),
      );
      return EXIT_FAILURE;
    }
    io.stderr.write(
      `kubewire: internal error (please report it): ` +
        `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    return EXIT_FAILURE;
  }
}
