/**
 * `npm run bench`: throughput and memory of the whole pipeline (read → parse → lint) on
 *   (a) the shared corpus of real manifests (../shared/corpus), when present, in one run;
 *   (b) generated workloads of 2,000 and 20,000 objects (apps of Deployment + Service + ConfigMap +
 *       ServiceAccount in 50 namespaces, ~100 documents per file, built as YAML text in memory).
 * Each workload runs in a child process of its own so that its peak RSS is its own. The per-object
 * time of 20,000 objects against 2,000 shows super-linear behaviour (≈1.0 is linear).
 *
 * Then (c) growth series through the CLI, each size twice the last, with the time ratio (≈2 is linear):
 * Services × Deployments, documents per file, objects per folder, replicas; and (d) the large cases of the
 * hostile-input suite (scripts/hostile.ts), with their invariants checked.
 *
 * Then the language server's latency on the real corpus (scripts/bench-lsp.ts).
 *
 * Run with `node --expose-gc dist/scripts/bench.js [--repeat N] [--no-growth] [--no-hostile]`;
 * `--one <workload>` is the child.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { rules } from '../rules/index.js';
import { benchLsp } from './bench-lsp.js';
import { discover } from '../src/cli/files.js';
import { lint } from '../src/engine.js';
import { countDocuments } from '../src/load/objects.js';
import { createSource } from '../src/load/source.js';
import type { Source } from '../src/types.js';
import { documentsPerFile, hostileCases, replicasFile, runHostileCase, servicesVsDeployments } from './hostile.js';
import type { HostileCase } from './hostile.js';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');

interface Input {
  files: { path: string; bytes: Uint8Array }[];
  /** Milliseconds spent finding and reading (or generating) the files. */
  readMs: number;
}

interface Row {
  workload: string;
  files: number;
  documents: number;
  objects: number;
  bytes: number;
  readMs: number;
  parseMs: number;
  lintMs: number;
  findings: number;
  ruleFailures: number;
  peakRssMiB: number;
  peakHeapMiB: number;
  slowest: [string, number][];
}

// ---------------------------------------------------------------------------------------------
// Workloads

async function corpusInput(): Promise<Input> {
  const start = performance.now();
  const { files } = await discover(['.'], { cwd: CORPUS, ignore: [], ignoreBase: CORPUS });
  const out = [];
  for (const file of files) out.push({ path: file, bytes: await readFile(path.join(CORPUS, file)) });
  return { files: out, readMs: performance.now() - start };
}

const NAMESPACES = 50;
const OBJECTS_PER_APP = 4;
const DOCS_PER_FILE = 100;

/** One app: Deployment, Service, ConfigMap and ServiceAccount, wired together (every 10th with a typo). */
function app(i: number): string[] {
  const ns = `team-${String(i % NAMESPACES).padStart(2, '0')}`;
  const name = `app-${i}`;
  const tier = ['frontend', 'backend', 'worker'][i % 3] ?? 'backend';
  const broken = i % 10 === 0;
  const meta = (extra = '') =>
    `metadata:\n  name: ${name}\n  namespace: ${ns}\n  labels:\n    app: ${name}\n    tier: ${tier}\n    part-of: shop\n${extra}`;
  return [
    `apiVersion: apps/v1\nkind: Deployment\n${meta()}spec:\n  replicas: ${1 + (i % 3)}\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n        tier: ${tier}\n        part-of: shop\n    spec:\n      serviceAccountName: ${name}\n      containers:\n        - name: main\n          image: registry.example.com/${name}:1.${i % 7}.0\n          ports:\n            - name: http\n              containerPort: 8080\n            - name: metrics\n              containerPort: 9090\n          envFrom:\n            - configMapRef:\n                name: ${name}\n          env:\n            - name: LOG_LEVEL\n              valueFrom:\n                configMapKeyRef:\n                  name: ${name}\n                  key: ${broken ? 'log-levle' : 'log-level'}\n          readinessProbe:\n            httpGet:\n              path: /ready\n              port: http\n          livenessProbe:\n            httpGet:\n              path: /healthz\n              port: ${broken ? 'htpp' : 'http'}\n          resources:\n            requests:\n              cpu: 100m\n              memory: 128Mi\n            limits:\n              memory: 256Mi\n          volumeMounts:\n            - name: config\n              mountPath: /etc/${name}\n      volumes:\n        - name: config\n          configMap:\n            name: ${name}\n`,
    `apiVersion: v1\nkind: Service\n${meta()}spec:\n  selector:\n    app: ${name}\n  ports:\n    - name: http\n      port: 80\n      targetPort: ${broken ? 'web' : 'http'}\n    - name: metrics\n      port: 9090\n      targetPort: metrics\n`,
    `apiVersion: v1\nkind: ConfigMap\n${meta()}data:\n  log-level: info\n  settings.yaml: |\n    feature: ${i % 2 === 0 ? 'on' : 'off'}\n    upstream: http://app-${(i + 1) % 1000}.${ns}.svc:80\n`,
    `apiVersion: v1\nkind: ServiceAccount\n${meta()}automountServiceAccountToken: false\n`,
  ];
}

function generatedInput(objects: number): Input {
  const start = performance.now();
  const documents: string[] = [];
  for (let n = 0; n < NAMESPACES; n++)
    documents.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-${String(n).padStart(2, '0')}\n`);
  for (let i = 0; i < objects / OBJECTS_PER_APP; i++) documents.push(...app(i));
  const files = [];
  for (let k = 0; k * DOCS_PER_FILE < documents.length; k++) {
    const text = documents.slice(k * DOCS_PER_FILE, (k + 1) * DOCS_PER_FILE).join('---\n');
    files.push({ path: `generated/part-${String(k).padStart(4, '0')}.yaml`, bytes: Buffer.from(text) });
  }
  return { files, readMs: performance.now() - start };
}

// ---------------------------------------------------------------------------------------------
// Measuring one workload (in the child process)

const MiB = 1024 * 1024;

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) gc();
}

async function measure(workload: string, repeat: number): Promise<Row> {
  // Warm the JIT on a small workload first, so that the 2,000-object run is not the cold one.
  lint(
    generatedInput(200).files.map((f) => createSource(f.path, f.bytes)),
    { rules },
  );
  collectGarbage();

  const input = workload === 'corpus' ? await corpusInput() : generatedInput(Number(workload));
  let peakHeap = process.memoryUsage().heapUsed;
  const sample = () => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  };
  let best: Omit<Row, 'peakRssMiB' | 'peakHeapMiB'> | undefined;
  for (let r = 0; r < repeat; r++) {
    collectGarbage();
    sample();
    let t = performance.now();
    const sources: Source[] = input.files.map((f) => createSource(f.path, f.bytes));
    const parseMs = performance.now() - t;
    sample();
    t = performance.now();
    const result = lint(sources, { rules, timing: true });
    const lintMs = performance.now() - t;
    sample();
    const row = {
      workload: workload === 'corpus' ? 'shared corpus' : `generated ${Number(workload).toLocaleString('en-US')}`,
      files: sources.length,
      documents: countDocuments(sources),
      objects: result.stats.objects,
      bytes: input.files.reduce((n, f) => n + f.bytes.byteLength, 0),
      readMs: input.readMs,
      parseMs,
      lintMs,
      findings: result.findings.length,
      ruleFailures: result.ruleFailures.length,
      slowest: Object.entries(result.timings)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4),
    };
    if (!best || row.parseMs + row.lintMs < best.parseMs + best.lintMs) best = row;
  }
  if (!best) throw new Error('repeat must be at least 1');
  // maxRSS is in KiB: the peak of this process over its whole life, i.e. of this workload.
  return { ...best, peakRssMiB: process.resourceUsage().maxRSS / 1024, peakHeapMiB: peakHeap / MiB };
}

// ---------------------------------------------------------------------------------------------
// The parent: run each workload in a child, print the table

function runChild(workload: string, repeat: number): Row | string {
  const script = fileURLToPath(import.meta.url);
  const child = spawnSync(
    process.execPath,
    [...process.execArgv, script, '--one', workload, '--repeat', String(repeat)],
    { encoding: 'utf8', maxBuffer: 16 * MiB },
  );
  if (child.status !== 0)
    return `failed (exit ${child.status ?? child.signal ?? '?'}): ${child.stderr.trim().split('\n').slice(-3).join(' | ')}`;
  return JSON.parse(child.stdout) as Row;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

function printTable(rows: Row[]): void {
  const header = [
    'workload',
    'files',
    'docs',
    'objects',
    'MB',
    'read ms',
    'parse ms',
    'lint ms',
    'MB/s',
    'docs/s',
    'findings',
    'peak RSS MiB',
    'peak heap MiB',
  ];
  const lines = rows.map((r) => {
    const seconds = (r.parseMs + r.lintMs) / 1000;
    return [
      r.workload,
      fmt(r.files),
      fmt(r.documents),
      fmt(r.objects),
      fmt(r.bytes / 1e6, 2),
      fmt(r.readMs),
      fmt(r.parseMs),
      fmt(r.lintMs),
      fmt(r.bytes / 1e6 / seconds, 2),
      fmt(r.documents / seconds),
      fmt(r.findings),
      fmt(r.peakRssMiB),
      fmt(r.peakHeapMiB),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const render = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(render(header));
  for (const l of lines) console.log(render(l));
}

async function mainBench(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i === -1 ? undefined : args[i + 1];
  };
  const repeat = Math.max(1, Number(option('--repeat') ?? '3'));
  const one = option('--one');
  if (one !== undefined) {
    process.stdout.write(JSON.stringify(await measure(one, repeat)));
    return;
  }

  if ((globalThis as { gc?: unknown }).gc === undefined)
    console.log('(run with --expose-gc for steadier heap figures)');
  console.log(
    `kubewire benchmark: ${rules.length} rules, Node ${process.version}, best of ${repeat} runs (parse + lint); peaks per workload\n`,
  );
  const rows: Row[] = [];
  const workloads = [...(existsSync(CORPUS) ? ['corpus'] : []), '2000', '20000'];
  if (!existsSync(CORPUS)) console.log(`shared corpus: skipped (${CORPUS} is absent)\n`);
  for (const w of workloads) {
    const row = runChild(w, w === '20000' ? Math.min(repeat, 2) : repeat);
    if (typeof row === 'string') console.log(`${w}: ${row}`);
    else rows.push(row);
  }
  printTable(rows);
  console.log('');
  for (const r of rows) {
    if (r.ruleFailures > 0) console.log(`${r.workload}: ${r.ruleFailures} rule failures!`);
    console.log(`${r.workload}: slowest phases ${r.slowest.map(([id, ms]) => `${id} ${fmt(ms)} ms`).join(', ')}`);
  }
  const small = rows.find((r) => r.workload === 'generated 2,000');
  const large = rows.find((r) => r.workload === 'generated 20,000');
  if (small && large) {
    const per = (r: Row) => (r.parseMs + r.lintMs) / r.objects;
    const perLint = (r: Row) => r.lintMs / r.objects;
    console.log(
      `\nper-object time, 20,000 vs 2,000 objects: ${(per(large) / per(small)).toFixed(2)}x overall ` +
        `(${fmt(per(small) * 1000, 1)} → ${fmt(per(large) * 1000, 1)} µs), ${(perLint(large) / perLint(small)).toFixed(2)}x for lint alone ` +
        `(${fmt(perLint(small) * 1000, 1)} → ${fmt(perLint(large) * 1000, 1)} µs); ≈1.0 is linear`,
    );
  }
  console.log('');
  await benchLsp({ rounds: Math.max(10, repeat) });
}

// ---------------------------------------------------------------------------------------------
// Growth: the CLI on inputs of n, 2n and 4n (time ratio ≈ 2 per doubling is linear)

interface Series {
  name: string;
  sizes: number[];
  make: (n: number) => HostileCase;
}

const CLUSTER_30 = 'nodes:\n  - namePrefix: worker\n    count: 30\n    cpu: "64"\n    memory: 256Gi\n';

const SERIES: Series[] = [
  {
    name: 'Services × Deployments (no selector matches)',
    sizes: [10_000, 20_000, 40_000],
    make: (n) => ({
      name: `${n}`,
      files: () => ({ 'svc.yaml': servicesVsDeployments(n) }),
      args: ['svc.yaml', '-f', 'json'],
      timeoutMs: 1_800_000,
      maxMiB: 6000,
    }),
  },
  {
    name: 'documents per file (ConfigMaps)',
    sizes: [50_000, 100_000, 200_000],
    make: (n) => ({
      name: `${n}`,
      files: () => ({ 'cms.yaml': documentsPerFile(n) }),
      args: ['cms.yaml', '-f', 'json', '--max-file-size', '256'],
      timeoutMs: 1_800_000,
      maxMiB: 6000,
    }),
  },
  {
    name: 'objects per folder (one Deployment and Service per file)',
    sizes: [2_000, 4_000, 8_000],
    make: (n) => ({
      name: `${n}`,
      files: () => {
        const out: Record<string, string> = {};
        for (let i = 0; i < n; i++)
          out[`apps/app-${String(i).padStart(5, '0')}.yaml`] = servicesVsDeployments(1).replace(/-0\b/g, `-${i}`);
        return out;
      },
      args: ['apps', '-f', 'json'],
      timeoutMs: 1_800_000,
      maxMiB: 6000,
    }),
  },
  {
    name: 'replicas of 10 Deployments on 30 declared nodes',
    sizes: [500, 1_000, 2_000, 1_000_000_000],
    make: (n) => ({
      name: `${n}`,
      files: () => ({ 'r.yaml': replicasFile(10, n), 'cluster.yaml': CLUSTER_30 }),
      args: ['r.yaml', '--cluster', 'cluster.yaml', '-f', 'json'],
      timeoutMs: 1_800_000,
      maxMiB: 6000,
    }),
  },
];

function growth(): void {
  console.log('\ngrowth through the CLI (wall time and peak RSS per run; ratio = time / time of the previous size):');
  for (const series of SERIES) {
    console.log(`  ${series.name}`);
    let previous: { n: number; ms: number } | undefined;
    for (const n of series.sizes) {
      const r = runHostileCase(series.make(n));
      const ms = r.run?.ms ?? NaN;
      const ratio =
        previous === undefined
          ? ''
          : `  ×${(n / previous.n).toLocaleString('en-US')} input → ×${(ms / previous.ms).toFixed(2)} time`;
      const status = r.problems.length === 0 ? '' : `  FAILED: ${r.problems.join('; ')}`;
      console.log(
        `    ${fmt(n).padStart(13)}  ${fmt(ms).padStart(8)} ms  ${fmt(r.run?.rssMiB ?? NaN).padStart(6)} MiB${ratio}${status}`,
      );
      previous = { n, ms };
    }
  }
}

function hostile(): void {
  console.log('\nhostile-input suite, large cases (scripts/hostile.ts):');
  for (const c of hostileCases()) {
    if (c.large !== true) continue;
    const r = runHostileCase(c);
    const took = r.run ? `${fmt(r.run.ms)} ms, ${fmt(r.run.rssMiB ?? NaN)} MiB` : '';
    const status = r.skipped !== undefined ? `skip (${r.skipped})` : r.problems.length === 0 ? 'ok' : 'FAIL';
    console.log(`  ${status.padEnd(5)} ${c.name}  ${took}${r.problems.map((p) => `\n        ${p}`).join('')}`);
  }
}

await mainBench();
if (!process.argv.includes('--one')) {
  if (!process.argv.includes('--no-growth')) growth();
  if (!process.argv.includes('--no-hostile')) hostile();
}
