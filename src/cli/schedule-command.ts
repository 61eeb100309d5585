/** `kubewire schedule`: the dry-run scheduler's placements, as text with bars or as JSON. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, Option } from 'commander';
import type { Rule } from '../api.js';
import { lint } from '../engine.js';
import type { ClusterDeclaration } from '../model/cluster.js';
import { mergeCluster, parseClusterFile } from '../schedule/cluster.js';
import { schedule } from '../schedule/simulate.js';
import type { ScheduleResult } from '../schedule/simulate.js';
import { UsageError } from './files.js';
import { loadInput, writeOutput } from './input.js';
import type { InputFlags, Io } from './input.js';

/** Merge `--cluster FILE` into the configuration's cluster declaration. */
export async function withClusterFile(
  cluster: ClusterDeclaration,
  file: string | undefined,
  io: Io,
): Promise<ClusterDeclaration> {
  if (file === undefined) return cluster;
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path.resolve(io.cwd, file));
  } catch (error) {
    throw new UsageError(`cannot read --cluster ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const text = clusterText(bytes);
  if (text === undefined) throw new UsageError(`--cluster ${file}: not UTF-8 text (a binary file?); give a YAML file`);
  const parsed = parseClusterFile(text);
  if (parsed.errors.length > 0) throw new UsageError(`--cluster ${file}: ${parsed.errors.join('; ')}`);
  return mergeCluster(cluster, parsed.cluster);
}

/** A cluster file's text, or undefined when it is not UTF-8 text. */
function clusterText(bytes: Uint8Array): string | undefined {
  if (bytes.includes(0)) return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

const GiB = 2 ** 30;

function cpu(milli: number): string {
  return milli % 1000 === 0 ? String(milli / 1000) : `${String(milli)}m`;
}

function memory(bytes: number): string {
  return bytes >= GiB ? `${(bytes / GiB).toFixed(1)}Gi` : `${String(Math.round(bytes / 2 ** 20))}Mi`;
}

function bar(used: number, total: number, width = 20): string {
  const ratio = total <= 0 ? (used > 0 ? 1 : 0) : Math.min(1, used / total);
  const filled = Math.round(ratio * width);
  const percent = String(total <= 0 ? 0 : Math.round((used / total) * 100)).padStart(3);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}%`;
}

const SOURCES: Record<ScheduleResult['profile']['source'], string> = {
  default:
    'the embedded default profile (3 workers of 4 vCPU / 16 GiB in zone-a, zone-b, zone-c, ' +
    '1 tainted control-plane node; see docs/scheduling.md)',
  input: 'Node objects of the input',
  declared: 'the declared cluster (.kubewire.yaml cluster.nodes / --cluster)',
  'input+declared': 'Node objects of the input and the declared cluster',
};

export function formatScheduleText(result: ScheduleResult): string {
  const lines: string[] = [];
  lines.push(`Cluster: ${String(result.nodes.length)} nodes from ${SOURCES[result.profile.source]}`);
  lines.push('');
  const width = Math.max(4, ...result.nodes.map((n) => n.name.length));
  for (const n of result.nodes) {
    const zone = n.zone !== undefined ? `  zone ${n.zone}` : '';
    lines.push(
      `${n.name.padEnd(width)}${zone}  pods ${String(n.requested.pods)}/${String(n.allocatable.pods)}` +
        (n.open ? '' : '  (tainted or cordoned)'),
    );
    lines.push(
      `  cpu     ${bar(n.requested.cpu, n.allocatable.cpu)}  ${cpu(n.requested.cpu)} / ${cpu(n.allocatable.cpu)}`,
    );
    lines.push(
      `  memory  ${bar(n.requested.memory, n.allocatable.memory)}  ` +
        `${memory(n.requested.memory)} / ${memory(n.allocatable.memory)}`,
    );
    for (const p of n.pods) lines.push(`    ${p}`);
  }
  const failed = result.pods.filter((p) => p.node === null);
  lines.push('');
  const placed = result.pods.length - failed.length;
  lines.push(
    `${String(placed)} of ${String(result.pods.length)} pods placed` +
      (failed.length > 0 ? `, ${String(failed.length)} unschedulable:` : '.'),
  );
  for (const p of failed) lines.push(`  ${p.namespace}/${p.name}: ${p.message ?? ''}`);
  const preempting = result.pods.filter((p) => p.preempted.length > 0);
  for (const p of preempting)
    lines.push(`  ${p.namespace}/${p.name} preempted ${p.preempted.join(', ')} on ${p.node ?? ''}`);
  return `${lines.join('\n')}\n`;
}

export function formatScheduleJson(result: ScheduleResult): string {
  const json = {
    source: result.profile.source,
    nodes: result.nodes.map((n) => ({
      name: n.name,
      zone: n.zone ?? null,
      allocatable: { cpu: cpu(n.allocatable.cpu), memory: n.allocatable.memory, pods: n.allocatable.pods },
      requested: { cpu: cpu(n.requested.cpu), memory: n.requested.memory, pods: n.requested.pods },
      pods: n.pods,
    })),
    pods: result.pods.map((p) => ({ namespace: p.namespace, name: p.name, node: p.node, message: p.message })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}

interface ScheduleFlags extends InputFlags {
  format: 'text' | 'json';
  outputFile?: string;
  cluster?: string;
}

/** The `schedule` sub-command. */
export function scheduleCommand(io: Io, rules: readonly Rule[], setExit: (code: number) => void): Command {
  return new Command('schedule')
    .description(
      'place the pods of the input on a cluster the way kube-scheduler would, and show why the others stay Pending',
    )
    .argument('[paths...]', 'files, folders or globs (default: .); - reads standard input')
    .option(
      '--cluster <file>',
      'the cluster: Node, PriorityClass and StorageClass objects, or the compact form (nodes: [...])',
    )
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('-o, --output-file <file>', 'write the result to a file instead of standard output')
    .option('-c, --config <file>', 'configuration file (default: the nearest .kubewire.yaml upward)')
    .option('--stdin-filename <name>', 'file name to report for standard input')
    .addHelpText(
      'after',
      '\nExit codes: 0 every pod placed, 1 some pod cannot be scheduled, 2 usage or configuration error.\n' +
        'Without a declared cluster an embedded default profile serves (docs/scheduling.md).',
    )
    .action(async (paths: string[], flags: ScheduleFlags) => {
      const { config, sources } = await loadInput(paths, flags, io, rules);
      const cluster = await withClusterFile(config.cluster, flags.cluster, io);
      const result = schedule(lint(sources, { rules: [], cluster, namespace: config.namespace }).graph);
      await writeOutput(
        flags.format === 'json' ? formatScheduleJson(result) : formatScheduleText(result),
        flags.outputFile,
        io,
      );
      setExit(result.pods.some((p) => p.node === null) ? 1 : 0);
    });
}
