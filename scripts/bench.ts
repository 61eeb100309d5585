/**
 * `npm run bench`: how far kubewire is from the floor, measured on whole processes.
 *
 * 1. Whole processes over a copy of the shared real corpus (../shared/corpus/real), side by side:
 *    the floor (js-yaml reading and parsing the same files in one Node process, scripts/bench-floor.ts),
 *    kubewire cold (no cache), kubewire writing its cache, with a warm cache, and after one file
 *    changed; then 1x, 2x, 4x and 8x copies of the corpus, each copy in a folder of its own (separate
 *    applications), with the floor beside each. Wall time includes Node's start-up; CPU time and
 *    peak RSS come from the process itself (scripts/bench-rss.ts). Each row is the best of
 *    `--repeat` runs (by wall time). On a shared machine wall times wander: compare the ratios, taken
 *    within one run, and the CPU times, which waiting for a core does not inflate.
 * 2. With `--detail`: the in-process pipeline (read → parse → lint) on the corpus and on generated
 *    workloads of 2,000 and 20,000 objects (apps of Deployment + Service + ConfigMap + ServiceAccount
 *    in 50 namespaces, ~100 documents per file), with the slowest phases and the per-object growth.
 *
 * Run with `npm run bench [-- --repeat N] [-- --detail]`; `--one <workload>` is the detail child.
 * 3. Growth series through the CLI, each size twice the last, with the time ratio (≈2 is linear):
 *    Services × Deployments, documents per file, objects per folder, replicas; and the large cases of
 *    the hostile-input suite (scripts/hostile.ts), with their invariants checked.
 *
 * 4. The language server's latency on the real corpus (scripts/bench-lsp.ts).
 *
 * 5. Large single manifests (50 and 100 MB of generated apps in one file): peak RSS against the input's size
 *    and against the js-yaml floor on the same file.
 *
 * 6. Start-up: `kubewire --version` and a lint of one small file, beside `node -e 0`.
 *
 * Run with `npm run bench [-- --repeat N] [-- --detail] [-- --no-growth] [-- --no-hostile] [-- --no-lsp]
 * [-- --no-large] [-- --no-startup]` (`-- --lsp-only` for part 4 alone); `--one <workload>` is the detail child.
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rules } from '../rules/index.js';
import { benchLsp } from './bench-lsp.js';
import { discover } from '../src/cli/files.js';
import { lint } from '../src/engine.js';
import { countDocuments } from '../src/load/objects.js';
import { createSource } from '../src/load/source.js';
import { Variants } from '../src/model/variants.js';
import type { Source } from '../src/types.js';
import {
  documentsPerFile,
  hostileCases,
  replicasFile,
  runHostileCase,
  servicesVsDeployments,
  letters,
  statefulSetsBehindClusterIPs,
} from './hostile.js';
import type { HostileCase } from './hostile.js';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const CORPUS = path.resolve(ROOT, '..', 'shared', 'corpus');
const REAL_CORPUS = path.join(CORPUS, 'real');
const KUBEWIRE = path.join(ROOT, 'bin', 'kubewire.js');
const FLOOR = path.join(ROOT, 'dist', 'scripts', 'bench-floor.js');
const RSS = path.join(ROOT, 'dist', 'scripts', 'bench-rss.js');

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

// ---------------------------------------------------------------------------------------------
// Whole processes: the floor against kubewire

interface ProcessRun {
  /** Wall time, start-up included. */
  ms: number;
  /** CPU time (user + system): steadier than wall time on a shared machine. */
  cpuMs: number;
  rssMiB: number;
  exit: number | null;
}

/** Run one process (with the RSS reporter preloaded); the best wall time of `repeat` runs. */
function timeProcess(args: string[], cwd: string, repeat: number, before?: () => void): ProcessRun {
  let best: ProcessRun | undefined;
  for (let r = 0; r < repeat; r++) {
    before?.();
    const start = performance.now();
    const child = spawnSync(process.execPath, ['--import', pathToFileURL(RSS).href, ...args], {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * MiB,
      env: { ...process.env, NO_COLOR: '1' },
    });
    const ms = performance.now() - start;
    const usage = /kubewire-bench-peak-rss-kib=(\d+) cpu-us=(\d+)/.exec(child.stderr);
    if (child.status !== 0 && child.status !== 1)
      throw new Error(
        `${args.join(' ')} failed (exit ${child.status ?? child.signal ?? '?'}): ${child.stderr.slice(-500)}`,
      );
    const run = {
      ms,
      cpuMs: usage ? Number(usage[2]) / 1000 : NaN,
      rssMiB: usage ? Number(usage[1]) / 1024 : NaN,
      exit: child.status,
    };
    if (!best || run.ms < best.ms) best = { ...run, rssMiB: Math.max(run.rssMiB, best?.rssMiB ?? 0) };
  }
  if (!best) throw new Error('repeat must be at least 1');
  return best;
}

interface Scenario {
  name: string;
  run: ProcessRun;
  floor: ProcessRun;
}

function printScenarios(title: string, rows: Scenario[], extra?: (s: Scenario) => string): void {
  const header = [
    '',
    'wall ms',
    'x floor',
    'CPU ms',
    'x floor',
    'peak RSS MiB',
    'x floor',
    ...(extra ? ['growth (wall, CPU)'] : []),
  ];
  const lines = rows.map((s) => [
    s.name,
    fmt(s.run.ms),
    `${(s.run.ms / s.floor.ms).toFixed(2)}x`,
    fmt(s.run.cpuMs),
    `${(s.run.cpuMs / s.floor.cpuMs).toFixed(2)}x`,
    fmt(s.run.rssMiB),
    `${(s.run.rssMiB / s.floor.rssMiB).toFixed(2)}x`,
    ...(extra ? [extra(s)] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const render = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  console.log(title);
  console.log(render(header));
  for (const l of lines) console.log(render(l));
  console.log('');
}

async function processBench(repeat: number): Promise<void> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'kubewire-bench-'));
  try {
    // A copy, so that "one file changed" can change one; the copies of the growth runs link to it.
    const corpus = path.join(work, 'corpus');
    cpSync(REAL_CORPUS, corpus, { recursive: true });
    const lists = new Map<number, string>();
    const folders = new Map<number, string>();
    for (const copies of [1, 2, 4, 8]) {
      const folder = path.join(work, `${copies}x`);
      mkdirSync(folder);
      const all: string[] = [];
      for (let c = 1; c <= copies; c++) {
        symlinkSync(corpus, path.join(folder, `app-${c}`), 'dir');
        const { files } = await discover([`app-${c}`], { cwd: folder, ignore: [], ignoreBase: folder });
        all.push(...files.map((f) => path.join(folder, f)));
      }
      const list = path.join(work, `${copies}x.txt`);
      writeFileSync(list, all.join('\n'));
      lists.set(copies, list);
      folders.set(copies, folder);
    }
    const folder1 = folders.get(1) ?? '';
    const list1 = lists.get(1) ?? '';
    const floor1 = timeProcess([FLOOR, list1], folder1, repeat);
    const cache = path.join(work, 'cache', 'kubewire');
    const lintArgs = [KUBEWIRE, 'app-1', '-f', 'json', '-o', path.join(work, 'report.json')];
    const cacheArgs = [...lintArgs, '--cache', '--cache-location', cache];
    const cold = timeProcess(lintArgs, folder1, repeat);
    const write = timeProcess(cacheArgs, folder1, repeat, () => {
      rmSync(cache, { force: true, recursive: true });
    });
    const warm = timeProcess(cacheArgs, folder1, repeat);
    let edit = 0;
    const changedFile = path.join(corpus, 'kubernetes__examples', 'web', 'guestbook', 'frontend-deployment.yaml');
    const changed = timeProcess(cacheArgs, folder1, repeat, () => {
      // Restore the warm cache, then change one file: only that file is parsed again.
      timeProcess(cacheArgs, folder1, 1);
      appendFileSync(
        existsSync(changedFile) ? changedFile : (list1.split('\n')[0] ?? ''),
        `\n# bench edit ${++edit}\n`,
      );
    });
    const files = (await readFile(list1, 'utf8')).split('\n').length;
    printScenarios(`Whole processes on the real corpus (${fmt(files)} files), best of ${repeat}:`, [
      { name: 'floor: js-yaml read + parse', run: floor1, floor: floor1 },
      { name: 'kubewire, no cache', run: cold, floor: floor1 },
      { name: 'kubewire --cache, writing it', run: write, floor: floor1 },
      { name: 'kubewire --cache, warm', run: warm, floor: floor1 },
      { name: 'kubewire --cache, 1 file changed', run: changed, floor: floor1 },
    ]);

    const growth: Scenario[] = [];
    for (const copies of [1, 2, 4, 8]) {
      const folder = folders.get(copies) ?? '';
      const apps = Array.from({ length: copies }, (_, c) => `app-${c + 1}`);
      const runs = copies >= 4 ? 1 : repeat;
      const floor = timeProcess([FLOOR, lists.get(copies) ?? ''], folder, runs);
      const run = timeProcess([KUBEWIRE, ...apps, '-f', 'json', '-o', path.join(work, 'report.json')], folder, runs);
      growth.push({ name: `${copies}x corpus (${copies} folders), no cache`, run, floor });
    }
    const base = growth[0];
    printScenarios('Growth with the input (each copy a separate application):', growth, (s) =>
      base ? `${(s.run.ms / base.run.ms).toFixed(2)}x, ${(s.run.cpuMs / base.run.cpuMs).toFixed(2)}x of 1x` : '',
    );
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
    const eight = growth[3];
    console.log(
      `targets (wall, CPU): cold ≤ 1.5x the floor (${ratio(cold.ms, floor1.ms)}, ${ratio(cold.cpuMs, floor1.cpuMs)}), ` +
        `warm ≤ 0.5x (${ratio(warm.ms, floor1.ms)}, ${ratio(warm.cpuMs, floor1.cpuMs)}), ` +
        `peak RSS ≤ 2x (${ratio(cold.rssMiB, floor1.rssMiB)}), 8x the corpus ≤ 8.5x the time of 1x ` +
        `(${base && eight ? `${ratio(eight.run.ms, base.run.ms)}, ${ratio(eight.run.cpuMs, base.run.cpuMs)}` : '?'})`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Start-up: `kubewire --version` and a lint of one small file (a ConfigMap), whole processes, beside a bare
 * `node -e 0`, the floor of any Node command (issue 12: both under 150 ms). Best of at least 10 runs.
 */
function startupBench(repeat: number): void {
  const work = mkdtempSync(path.join(os.tmpdir(), 'kubewire-startup-'));
  try {
    const file = path.join(work, 'configmap.yaml');
    writeFileSync(file, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n');
    const runs = Math.max(10, repeat);
    const node = timeProcess(['-e', '0'], work, runs);
    const rows: Scenario[] = [
      { name: 'node -e 0', run: node, floor: node },
      { name: 'kubewire --version', run: timeProcess([KUBEWIRE, '--version'], work, runs), floor: node },
      { name: 'kubewire configmap.yaml', run: timeProcess([KUBEWIRE, file], work, runs), floor: node },
    ];
    printScenarios(
      `Start-up, whole processes, best of ${runs} (target: under 150 ms; "floor" here is node -e 0):`,
      rows,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
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
  console.log(`kubewire benchmark: ${rules.length} rules, Node ${process.version}, ${os.cpus().length} CPUs\n`);
  // The language server's latencies alone (the same as `node dist/scripts/bench-lsp.js`).
  if (args.includes('--lsp-only')) return benchLsp({ rounds: Math.max(10, repeat) });
  if (!args.includes('--no-startup')) startupBench(repeat);
  if (existsSync(REAL_CORPUS)) await processBench(repeat);
  else console.log(`whole-process comparison skipped: ${REAL_CORPUS} is absent\n`);
  if (!args.includes('--no-lsp')) await benchLsp({ rounds: Math.max(10, repeat) });
  if (!args.includes('--detail')) return;

  if ((globalThis as { gc?: unknown }).gc === undefined)
    console.log('(run with --expose-gc for steadier heap figures)');
  console.log(`In-process pipeline, best of ${repeat} runs (parse + lint); peaks per workload\n`);
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
}

// ---------------------------------------------------------------------------------------------
// Growth: the CLI on inputs of n, 2n and 4n (time ratio ≈ 2 per doubling is linear)

interface Series {
  name: string;
  sizes: number[];
  make: (n: number) => HostileCase;
}

const CLUSTER_30 = 'nodes:\n  - namePrefix: worker\n    count: 30\n    cpu: "64"\n    memory: 256Gi\n';

/** A growth series of whole-process runs: the files of size n, linted with `args` (JSON output). */
function series(name: string, sizes: number[], files: (n: number) => Record<string, string>, args: string[]): Series {
  return {
    name,
    sizes,
    make: (n) => ({ name: `${n}`, files: () => files(n), args, timeoutMs: 1_800_000, maxMiB: 6000 }),
  };
}

/** A series of n files in the folder `apps` (file i named and written by the given functions), linted as one folder. */
function appSeries(
  name: string,
  sizes: number[],
  fileName: (i: number) => string,
  content: (i: number) => string,
): Series {
  const files = (n: number) => {
    const out: Record<string, string> = {};
    for (let i = 0; i < n; i++) out[`apps/${fileName(i)}.yaml`] = content(i);
    return out;
  };
  return series(name, sizes, files, ['apps', '-f', 'json']);
}

const SHARED_SECRET = '---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: shared\n---\n';

const SERIES: Series[] = [
  series(
    'Services × Deployments (no selector matches)',
    [10_000, 20_000, 40_000],
    (n) => ({ 'svc.yaml': servicesVsDeployments(n) }),
    ['svc.yaml', '-f', 'json'],
  ),
  series(
    'single-replica StatefulSets governed by Services with a cluster IP',
    [5_000, 10_000, 20_000],
    (n) => ({ 'sts.yaml': statefulSetsBehindClusterIPs(n) }),
    ['sts.yaml', '-f', 'json'],
  ),
  series('documents per file (ConfigMaps)', [50_000, 100_000, 200_000], (n) => ({ 'cms.yaml': documentsPerFile(n) }), [
    'cms.yaml',
    '-f',
    'json',
    '--max-file-size',
    '256',
  ]),
  appSeries(
    'objects per folder (one Deployment and Service per file)',
    [2_000, 4_000, 8_000],
    (i) => `app-${String(i).padStart(5, '0')}`,
    (i) => servicesVsDeployments(1).replace(/-0\b/g, `-${i}`),
  ),
  appSeries(
    'files that repeat one ConfigMap beside their own Deployment, in one folder',
    [1_000, 2_000, 4_000],
    (i) => `app-${letters(i)}`,
    (i) => sharedConfigMapFile(`app-${letters(i)}`),
  ),
  appSeries(
    'files named as versions of one thing (app-v1 … app-vn), each repeating one ConfigMap, in one folder',
    [10_000, 20_000, 40_000],
    (i) => `app-v${i}`,
    (i) => sharedConfigMapFile(`app-${letters(i)}`),
  ),
  appSeries(
    'files that are all alternatives of each other (two shared objects and one of their own), in one folder',
    [10_000, 20_000, 40_000],
    (i) => `app-${letters(i)}`,
    (i) => sharedConfigMapFile(`app-${letters(i)}`).replace('---\n', SHARED_SECRET),
  ),
  series(
    'replicas of 10 Deployments on 30 declared nodes',
    [500, 1_000, 2_000, 1_000_000_000],
    (n) => ({ 'r.yaml': replicasFile(10, n), 'cluster.yaml': CLUSTER_30 }),
    ['r.yaml', '--cluster', 'cluster.yaml', '-f', 'json'],
  ),
];

function sharedConfigMapFile(name: string): string {
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\ndata:\n  k: v\n---\n${
    servicesVsDeployments(1)
      .split('---\n')[0]
      ?.replace(/app-0\b/g, name) ?? ''
  }`;
}

/**
 * Variant detection alone (src/model/variants.ts), CPU time per size: n files that each repeat one shared
 * ConfigMap beside objects of their own (no two are alternatives), n files that share two objects and add
 * one (every pair is alternative: decided when asked, never listed), n folders of 51-object bundles.
 */
function variantsGrowth(): void {
  console.log('  variant detection in-process (CPU ms; ratio per doubling, ≈2 is linear)');
  const o = (file: string, kind: string, name: string) => ({
    kind,
    name,
    namespace: 'default',
    source: { path: file },
  });
  const shapes: [string, (n: number) => ReturnType<typeof o>[]][] = [
    [
      'one shared identity + 2 own',
      (n) =>
        Array.from({ length: n }, (_, i) => [
          o(`m/f${i}.yaml`, 'ConfigMap', 'shared'),
          o(`m/f${i}.yaml`, 'Deployment', `d${i}`),
          o(`m/f${i}.yaml`, 'Service', `s${i}`),
        ]).flat(),
    ],
    [
      'two shared identities + 1 own',
      (n) =>
        Array.from({ length: n }, (_, i) => [
          o(`m/f${i}.yaml`, 'ConfigMap', 'shared'),
          o(`m/f${i}.yaml`, 'Namespace', 'ns'),
          o(`m/f${i}.yaml`, 'Deployment', `d${i}`),
        ]).flat(),
    ],
    [
      'folders of 51-object bundles',
      (n) =>
        Array.from({ length: n / 10 }, (_, i) => [
          ...Array.from({ length: 50 }, (__, k) => o(`b${i}/all.yaml`, 'ConfigMap', `c${i}-${k}`)),
          o(`b${i}/all.yaml`, 'ConfigMap', 'shared'),
        ]).flat(),
    ],
  ];
  for (const [name, make] of shapes) {
    let previous: number | undefined;
    const cells: string[] = [];
    for (const n of [10_000, 20_000, 40_000]) {
      const objects = make(n);
      const start = process.cpuUsage();
      new Variants(objects);
      const used = process.cpuUsage(start);
      const ms = (used.user + used.system) / 1000;
      cells.push(`${fmt(n)}: ${fmt(ms)} ms${previous === undefined ? '' : ` (×${(ms / previous).toFixed(2)})`}`);
      previous = ms;
    }
    console.log(`    ${name.padEnd(32)} ${cells.join('  ')}`);
  }
}

function growth(): void {
  console.log('\ngrowth (ratio = CPU time / CPU time of the previous size; wall time wanders on a loaded machine):');
  variantsGrowth();
  console.log('  through the CLI: wall time, CPU time and peak RSS per run');
  for (const series of SERIES) {
    console.log(`  ${series.name}`);
    let previous: { n: number; cpu: number } | undefined;
    for (const n of series.sizes) {
      const r = runHostileCase(series.make(n));
      const ms = r.run?.ms ?? NaN;
      const cpu = r.run?.cpuMs ?? NaN;
      const ratio =
        previous === undefined
          ? ''
          : `  ×${(n / previous.n).toLocaleString('en-US')} input → ×${(cpu / previous.cpu).toFixed(2)} CPU time`;
      const status = r.problems.length === 0 ? '' : `  FAILED: ${r.problems.join('; ')}`;
      console.log(
        `    ${fmt(n).padStart(13)}  ${fmt(ms).padStart(8)} ms  ${fmt(cpu).padStart(8)} ms CPU  ` +
          `${fmt(r.run?.rssMiB ?? NaN).padStart(6)} MiB${ratio}${status}`,
      );
      previous = { n, cpu };
    }
  }
}

function hostile(): void {
  console.log('\nhostile-input suite, large cases (scripts/hostile.ts):');
  for (const c of hostileCases()) {
    if (c.large !== true) continue;
    const r = runHostileCase(c);
    const took = r.run ? `${fmt(r.run.ms)} ms, ${fmt(r.run.cpuMs ?? NaN)} ms CPU, ${fmt(r.run.rssMiB ?? NaN)} MiB` : '';
    const status = r.skipped !== undefined ? `skip (${r.skipped})` : r.problems.length === 0 ? 'ok' : 'FAIL';
    console.log(`  ${status.padEnd(5)} ${c.name}  ${took}${r.problems.map((p) => `\n        ${p}`).join('')}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Large single manifests (issue 13): peak memory against the size of the input

/**
 * One multi-document manifest of `megabytes` MB (the generated apps above: Deployments, Services, ConfigMaps,
 * ServiceAccounts), linted in a process of its own: wall time, CPU time, peak RSS and its ratio to the input,
 * and beside it the floor: js-yaml reading and parsing the same file (scripts/bench-floor.ts), which is what
 * holding the values of every document costs any JavaScript program.
 */
function largeManifests(sizes: readonly number[] = [50, 100]): void {
  console.log('\nlarge single manifests (one file of generated apps, -f json -o, --max-file-size 256):');
  const work = mkdtempSync(path.join(os.tmpdir(), 'kubewire-bench-large-'));
  try {
    for (const megabytes of sizes) {
      const file = path.join(work, `apps-${megabytes}mb.yaml`);
      let bytes = 0;
      let documents = 0;
      for (let i = 0; bytes < megabytes * 1e6; i++) {
        const text = `${app(i).join('---\n')}---\n`;
        appendFileSync(file, text);
        bytes += Buffer.byteLength(text);
        documents += OBJECTS_PER_APP;
      }
      const args = [KUBEWIRE, file, '-f', 'json', '-o', path.join(work, 'report.json'), '--max-file-size', '256'];
      const list = path.join(work, 'floor-list.txt');
      writeFileSync(list, `${file}\n`);
      let line: string;
      try {
        const floor = timeProcess([FLOOR, list], work, 1);
        const run = timeProcess(args, work, 1);
        line =
          `${fmt(run.ms).padStart(8)} ms wall  ${fmt(run.cpuMs).padStart(8)} ms CPU  ` +
          `${fmt(run.rssMiB).padStart(6)} MiB peak RSS (${(run.rssMiB / (bytes / MiB)).toFixed(1)}x the input, ` +
          `${(run.rssMiB / floor.rssMiB).toFixed(2)}x the floor's ${fmt(floor.rssMiB)} MiB)`;
      } catch (error) {
        line = `FAILED: ${(error instanceof Error ? error.message : String(error)).slice(0, 300)}`;
      }
      console.log(`  ${fmt(bytes / 1e6).padStart(4)} MB, ${fmt(documents).padStart(7)} documents  ${line}`);
      rmSync(file, { force: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await mainBench();
if (!process.argv.includes('--one') && !process.argv.includes('--lsp-only')) {
  if (!process.argv.includes('--no-growth')) growth();
  if (!process.argv.includes('--no-hostile')) hostile();
  if (!process.argv.includes('--no-large')) largeManifests();
}
