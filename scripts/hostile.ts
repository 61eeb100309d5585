/**
 * The hostile-input suite: cases a hostile user, a broken environment or a huge repository throws at the
 * CLI, written into a temporary folder (the repository never carries them), each run as a child process
 * and checked for what must always hold:
 *   - exit code 0, 1 or 2, never a signal, within the case's time bound and memory bound;
 *   - valid JSON when JSON was asked for, and every finding's position inside its file;
 *   - no control character in human-readable output (standard output and standard error);
 *   - input files unchanged, and nothing written except the `-o` file;
 *   - what the case itself expects (an exit code, a rule id, a message).
 * Fast cases run in `npm test` (test/hostile.test.ts); large ones in `npm run bench` and in
 * `KUBEWIRE_HOSTILE=all npm run test:run`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import type { Finding as ReportedFinding } from '../src/types.js';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
  ftruncateSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeBytes } from '../src/format/escape.js';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = path.join(ROOT, 'bin', 'kubewire.js');
const MiB = 1024 * 1024;

/** One entry of a case's folder: text, bytes, a symlink, a folder (with a mode), a sparse file or a FIFO. */
export type Entry =
  | string
  | Uint8Array
  | { text: string; mode: number }
  | { symlink: string }
  | { dir: true; mode?: number }
  | { sparse: number }
  | { fifo: true };

export interface HostileCase {
  name: string;
  /** Large cases run in the bench (and with KUBEWIRE_HOSTILE=all), fast ones in every `npm test`. */
  large?: boolean;
  /** Files of the case, by path relative to the case's working folder. */
  files: () => Record<string, Entry>;
  args: string[];
  stdin?: () => string | Uint8Array;
  /** Run as an unprivileged user (the case is skipped when that is impossible). */
  unprivileged?: boolean;
  /** Pipe standard output into `head -1`. */
  head?: boolean;
  /** Make the case's folder a git work tree (`git init`) before writing its files. */
  git?: boolean;
  /**
   * File names and arguments are bytes, one character each (latin1), so that they can be what no UTF-8
   * string can: names that are not valid UTF-8 (written and passed to the CLI as those bytes).
   */
  rawNames?: boolean;
  /** Allowed exit codes (default 0, 1 or 2). */
  exit?: number[];
  timeoutMs?: number;
  /** Heap limit given to Node and bound on the peak RSS (MiB). */
  maxMiB?: number;
  /** Extra expectations: return a description of what is wrong, or undefined. */
  expect?: (run: CaseRun) => string | undefined;
}

/** The fields of a JSON-reported finding the suite checks. */
export type Finding = Pick<
  ReportedFinding,
  'ruleId' | 'severity' | 'message' | 'file' | 'line' | 'column' | 'endLine' | 'endColumn'
>;

export interface CaseRun {
  status: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The findings when JSON was asked for (from stdout or the -o file). */
  findings: Finding[] | undefined;
  ms: number;
  /** User and system CPU time of the CLI process (comparable on a loaded machine, unlike `ms`). */
  cpuMs: number | undefined;
  rssMiB: number | undefined;
}

export interface CaseResult {
  name: string;
  skipped?: string;
  problems: string[];
  run?: CaseRun;
}

// ---------------------------------------------------------------------------------------------
// Building blocks

const deployment = (name: string, extra = '') =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    matchLabels:\n      app: ${name}\n  template:\n    metadata:\n      labels:\n        app: ${name}\n    spec:\n      containers:\n        - name: main\n          image: example/${name}:1.0\n${extra}`;
const service = (name: string, selector = name) =>
  `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${name}\nspec:\n  selector:\n    app: ${selector}\n  ports:\n    - port: 80\n      targetPort: 8080\n`;
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;

function has(run: CaseRun, rule: string, pattern?: RegExp): string | undefined {
  const found = run.findings?.filter((f) => f.ruleId === rule && (pattern === undefined || pattern.test(f.message)));
  return found !== undefined && found.length > 0
    ? undefined
    : `expected a ${rule} finding${pattern ? ` matching ${String(pattern)}` : ''}; got ${summary(run)}`;
}

function hasNot(run: CaseRun, rule: string, pattern?: RegExp): string | undefined {
  const found = run.findings?.find((f) => f.ruleId === rule && (pattern === undefined || pattern.test(f.message)));
  return found === undefined ? undefined : `unexpected ${rule} finding: ${found.message}`;
}

function summary(run: CaseRun): string {
  const f = run.findings ?? [];
  return `${f.length} findings [${f
    .slice(0, 5)
    .map((x) => `${x.ruleId}: ${x.message.slice(0, 120)}`)
    .join(' | ')}] stderr: ${run.stderr.slice(0, 300)}`;
}

/** The names of a file as bytes, one character each (for a case with `rawNames`). */
function utf8(text: string): string {
  return Buffer.from(text).toString('latin1');
}

/** Exactly these files have findings (each case's files have one Service that selects nothing). */
function linted(run: CaseRun, files: string[]): string | undefined {
  const got = [...new Set((run.findings ?? []).map((f) => f.file))].sort();
  return JSON.stringify(got) === JSON.stringify([...files].sort())
    ? undefined
    : `expected findings in ${JSON.stringify(files)}; got ${JSON.stringify(got)}; stderr: ${run.stderr.slice(0, 300)}`;
}

function stderrSays(run: CaseRun, pattern: RegExp, exit = 2): string | undefined {
  if (run.status !== exit)
    return `expected exit ${exit}, got ${String(run.status)}; stderr: ${run.stderr.slice(0, 300)}`;
  if (/internal error/.test(run.stderr)) return `internal error: ${run.stderr.slice(0, 300)}`;
  if (!pattern.test(run.stderr)) return `stderr does not match ${String(pattern)}: ${run.stderr.slice(0, 300)}`;
  if (run.stderr.trim().split('\n').length > 3) return `stderr is not a short message: ${run.stderr.slice(0, 300)}`;
  return undefined;
}

const all =
  (...checks: ((run: CaseRun) => string | undefined)[]) =>
  (run: CaseRun) => {
    for (const c of checks) {
      const r = c(run);
      if (r !== undefined) return r;
    }
    return undefined;
  };

const ALIAS_BOMB =
  'a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n' +
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n' +
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nnodes: [*g]\n';

const ESC = '\u001b';

function minifiedList(count: number): string {
  const items = [];
  for (let i = 0; i < count; i++)
    items.push(
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: `svc-${i}` },
        spec: { selector: { app: `missing-${i}` }, ports: [{ port: 'eighty' }] },
      }),
    );
  return `{"apiVersion":"v1","kind":"List","items":[${items.join(',')}]}`;
}

function manyFiles(count: number, body: (i: number) => string): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  for (let i = 0; i < count; i++) out[`m/f-${String(i).padStart(5, '0')}.yaml`] = body(i);
  return out;
}

/** Services whose selectors match none of the Deployments (each unique). */
export function servicesVsDeployments(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(deployment(`app-${i}`));
    docs.push(service(`svc-${i}`, `other-${i}`));
  }
  return docs.join('---\n');
}

/**
 * n single-replica StatefulSets, each governed by a Service with a cluster IP: each one's severity depends on
 * whether its pod DNS name is written anywhere in the input, a search over every source.
 */
export function statefulSetsBehindClusterIPs(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(service(`db-${i}`));
    docs.push(
      deployment(`db-${i}`)
        .replace('kind: Deployment', 'kind: StatefulSet')
        .replace('spec:\n  selector:', `spec:\n  serviceName: db-${i}\n  selector:`),
    );
  }
  return docs.join('---\n');
}

/**
 * Letters only (`a`, `b`, …, `z`, `ba`): a suffix that makes names unique without adding a digit, so that
 * file names do not read as versions of one thing.
 */
export function letters(i: number): string {
  let out = '';
  let n = i;
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26);
  } while (n > 0);
  return out;
}

export function documentsPerFile(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) docs.push(configMap(`cm-${i}`));
  return docs.join('---\n');
}

export function replicasFile(deployments: number, replicas: number): string {
  const docs: string[] = [];
  for (let i = 0; i < deployments; i++)
    docs.push(
      deployment(
        `app-${i}`,
        '          resources:\n            requests:\n              cpu: 100m\n              memory: 64Mi\n',
      ).replace('spec:\n  selector', `spec:\n  replicas: ${replicas}\n  selector`),
    );
  return docs.join('---\n');
}

// ---------------------------------------------------------------------------------------------
// The cases

export function hostileCases(): HostileCase[] {
  const ok = { 'app.yaml': deployment('web') };
  const json = ['-f', 'json'];
  return [
    // --- crashes
    {
      name: 'cluster file with an alias bomb',
      files: () => ({ ...ok, 'cluster.yaml': ALIAS_BOMB }),
      args: ['app.yaml', '--cluster', 'cluster.yaml'],
      expect: (r) => stderrSays(r, /cluster\.yaml.*alias/),
    },
    {
      name: 'cluster file with an alias to an undefined anchor',
      files: () => ({ ...ok, 'cluster.yaml': 'nodes:\n  - *worker\n' }),
      args: ['app.yaml', '--cluster', 'cluster.yaml'],
      expect: (r) => stderrSays(r, /cluster\.yaml.*worker/),
    },
    {
      name: 'cluster file of random bytes',
      files: () => ({ ...ok, 'cluster.yaml': new Uint8Array(createHash('sha512').update('x').digest()) }),
      args: ['app.yaml', '--cluster', 'cluster.yaml'],
      expect: (r) => stderrSays(r, /cluster\.yaml/),
    },
    {
      name: 'cluster file with nodes: []',
      files: () => ({ ...ok, 'cluster.yaml': 'nodes: []\n' }),
      args: ['app.yaml', '--cluster', 'cluster.yaml'],
      expect: (r) =>
        stderrSays(r, /cluster\.yaml.*empty list/) ??
        (/with nodes:/.test(r.stderr) ? 'tells to write nodes:' : undefined),
    },
    {
      name: 'folder with an unreadable subfolder',
      unprivileged: true,
      files: () => ({ ...ok, 'sub/x.yaml': deployment('x'), sub: { dir: true, mode: 0o000 } }),
      args: ['.', ...json],
      expect: (r) =>
        (r.findings ?? []).some(
          (f) => f.ruleId === 'file-unreadable' && f.file === 'sub' && /folder/.test(f.message),
        ) && (r.findings ?? []).some((f) => f.file === 'app.yaml')
          ? undefined
          : `expected sub reported once and app.yaml linted; got ${summary(r)}`,
    },
    {
      // test/loader.test.ts has this case in-process, skipped as root; here it runs as nobody.
      name: 'an unreadable file in a folder',
      unprivileged: true,
      files: () => ({ ...ok, 'locked.yaml': { text: deployment('locked'), mode: 0o000 } }),
      args: ['.', ...json],
      expect: (r) =>
        (r.findings ?? []).some(
          (f) => f.ruleId === 'file-unreadable' && f.file === 'locked.yaml' && /permission denied/.test(f.message),
        ) && (r.findings ?? []).some((f) => f.file === 'app.yaml')
          ? undefined
          : `expected locked.yaml reported and app.yaml linted; got ${summary(r)}`,
    },
    {
      name: '-o into an unwritable folder',
      unprivileged: true,
      files: () => ({ ...ok, locked: { dir: true, mode: 0o555 } }),
      args: ['app.yaml', '-o', 'locked/report.txt'],
      expect: (r) => stderrSays(r, /locked\/report\.txt/),
    },
    {
      name: '-o onto an existing folder',
      files: () => ({ ...ok, 'out/keep': 'x' }),
      args: ['app.yaml', '-o', 'out'],
      expect: (r) => stderrSays(r, /out.*folder|directory/),
    },
    {
      name: '-o under a path whose parent is a file',
      files: () => ({ ...ok, 'plain.txt': 'x' }),
      args: ['app.yaml', '-o', 'plain.txt/report.txt'],
      expect: (r) => stderrSays(r, /plain\.txt/),
    },
    {
      name: '-o onto /dev/full',
      files: () => ok,
      args: ['app.yaml', '-o', '/dev/full'],
      expect: (r) => (existsSync('/dev/full') ? stderrSays(r, /\/dev\/full/) : undefined),
    },
    {
      name: 'standard output closed early',
      head: true,
      files: () => ({ 'big.yaml': servicesVsDeployments(300).replace(/targetPort: 8080/g, 'targetPort: web') }),
      args: ['big.yaml'],
      expect: (r) => (/EPIPE|Error/.test(r.stderr) ? `stderr: ${r.stderr.slice(0, 300)}` : undefined),
    },
    {
      name: 'one-line JSON List of 400 objects with errors (stylish)',
      files: () => ({ 'list.json': minifiedList(400) }),
      args: ['list.json'],
      maxMiB: 400,
      expect: (r) => (r.stdout.length > 4 * MiB ? `${r.stdout.length} bytes of output` : undefined),
    },
    {
      name: 'one-line JSON List of 2,000 objects with errors (stylish)',
      large: true,
      files: () => ({ 'list.json': minifiedList(2000) }),
      args: ['list.json'],
      maxMiB: 600,
      timeoutMs: 120_000,
      expect: (r) => (r.stdout.length > 16 * MiB ? `${r.stdout.length} bytes of output` : undefined),
    },
    {
      name: '130,000 empty documents on standard input',
      large: true,
      files: () => ({}),
      stdin: () => '---\n'.repeat(130_000),
      args: ['-', ...json],
      exit: [0],
    },
    {
      name: '130,000 empty documents in a file',
      large: true,
      files: () => ({ 'empty.yaml': '---\n'.repeat(130_000) }),
      args: ['empty.yaml', ...json],
      exit: [0],
    },
    {
      name: '10,000 empty documents in a file',
      files: () => ({ 'empty.yaml': '---\n'.repeat(10_000) }),
      args: ['empty.yaml', ...json],
      exit: [0],
    },
    {
      name: 'replicas: 1000000000 on 50 Deployments',
      files: () => ({
        'r.yaml': replicasFile(50, 1_000_000_000),
        'cluster.yaml': 'nodes:\n  - namePrefix: worker\n    count: 3\n    cpu: "4"\n    memory: 16Gi\n',
      }),
      args: ['r.yaml', '--cluster', 'cluster.yaml', ...json],
      maxMiB: 400,
      timeoutMs: 180_000,
      expect: (r) => has(r, 'pod-unschedulable', /of 1000000000 pods/),
    },
    // --- hangs
    {
      name: '300 Services matching none of 300 Deployments',
      files: () => ({ 'svc.yaml': servicesVsDeployments(300) }),
      args: ['svc.yaml', ...json],
      timeoutMs: 180_000,
    },
    {
      name: '20,000 Services matching none of 20,000 Deployments',
      large: true,
      files: () => ({ 'svc.yaml': servicesVsDeployments(20_000) }),
      args: ['svc.yaml', ...json],
      timeoutMs: 300_000,
      maxMiB: 3000,
    },
    {
      name: 'CRD pattern with catastrophic backtracking',
      files: () => ({
        'crd.yaml':
          'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  scope: Namespaced\n  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            spec:\n              type: object\n              properties:\n                code: {type: string, pattern: "^(a+)+$"}\n' +
          `---\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\nspec:\n  code: "${'a'.repeat(40)}!"\n`,
      }),
      args: ['crd.yaml', ...json],
      timeoutMs: 120_000,
      expect: (r) => has(r, 'crd-schema', /pattern/),
    },
    {
      name: '100 copies of one Service and Deployment pair',
      files: () => manyFiles(100, () => `${deployment('web')}---\n${service('web')}`),
      args: ['m', ...json],
      timeoutMs: 180_000,
    },
    {
      name: '4,000 copies of one Service and Deployment pair',
      large: true,
      files: () => manyFiles(4000, () => `${deployment('web')}---\n${service('web')}`),
      args: ['m', ...json],
      timeoutMs: 120_000,
    },
    {
      name: '20,000 anchor/alias pairs in one document',
      large: true,
      files: () => {
        const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: aliases', 'data:'];
        for (let i = 0; i < 20_000; i++) lines.push(`  k${i}: &a${i} v${i}`, `  l${i}: *a${i}`);
        return { 'aliases.yaml': `${lines.join('\n')}\n` };
      },
      args: ['aliases.yaml', ...json],
      timeoutMs: 180_000,
    },
    {
      name: '1 GiB sparse file over --max-file-size',
      files: () => ({ 'huge.yaml': { sparse: 1024 * MiB } }),
      args: ['huge.yaml', ...json],
      maxMiB: 300,
      expect: (r) => has(r, 'file-unreadable', /limit/),
    },
    {
      name: '/dev/zero passed as a file',
      files: () => ok,
      args: ['/dev/zero', ...json],
      timeoutMs: 120_000,
      maxMiB: 300,
      expect: (r) => has(r, 'file-unreadable', /not a regular file/),
    },
    {
      name: 'named pipe passed as a file',
      files: () => ({ 'pipe.yaml': { fifo: true } }),
      args: ['pipe.yaml', ...json],
      timeoutMs: 120_000,
      expect: (r) => has(r, 'file-unreadable', /not a regular file/),
    },
    // --- output that lies or harms
    {
      name: 'terminal escapes in names, labels and code frames',
      files: () => ({
        'esc.yaml':
          `apiVersion: v1\nkind: Service\nmetadata:\n  name: "evil${ESC}[2J${ESC}]0;pwned\\a"\n  labels:\n    x: "${ESC}[8m"\nspec:\n  selector:\n    app: "gone${ESC}[1A"\n  ports:\n    - port: 80\n      targetPort: 8080\n` +
          `---\napiVersion: v1\nkind: Service\nmetadata:\n  name: raw\nspec:\n  type: "Cluster\u0085IP\u009b31m"\n  ports: [{port: x${ESC}[31m}]\n`,
      }),
      args: ['esc.yaml'],
      expect: (r) => (r.stdout.includes('evil') ? undefined : `the finding is not shown: ${r.stdout.slice(0, 300)}`),
    },
    ...(['github', 'junit'] as const).map((format): HostileCase => ({
      name: `terminal escapes in names and labels (${format})`,
      files: () => ({
        'esc.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: "evil${ESC}[2J"\nspec:\n  selector:\n    app: "gone${ESC}[1A"\n  ports:\n    - port: 80\n`,
      }),
      args: ['esc.yaml', '-f', format],
      // Escaped, not replaced by U+FFFD (which hides what was there).
      expect: (r) =>
        /evil\\(x1b|u001b)/.test(r.stdout) && !r.stdout.includes('\uFFFD')
          ? undefined
          : `not shown escaped: ${r.stdout.slice(0, 300)}`,
    })),
    {
      name: 'a 200 KB line',
      files: () => ({
        'long.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: long, labels: {a: "${'x'.repeat(200_000)}"}}\ndata: {k: 5}\n`,
      }),
      args: ['long.yaml'],
      expect: (r) => (r.stdout.length > 20_000 ? `${r.stdout.length} bytes of output` : undefined),
    },
    {
      name: 'a 5 MB line',
      large: true,
      files: () => ({
        'long.yaml': `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"long","labels":{"a":"${'x'.repeat(5_000_000)}"}},"data":{"k":5}}\n`,
      }),
      args: ['long.yaml'],
      expect: (r) => (r.stdout.length > 20_000 ? `${r.stdout.length} bytes of output` : undefined),
    },
    {
      name: 'a 10,000-character name',
      files: () => ({ 'name.yaml': service(`n${'x'.repeat(10_000)}`, 'nothing-here') + '---\n' + deployment('web') }),
      args: ['name.yaml', ...json],
      expect: (r) => {
        const long = r.findings?.find((f) => f.message.length > 1000);
        return long ? `a ${long.message.length}-character message` : undefined;
      },
    },
    {
      name: 'alias to an undefined anchor',
      files: () => ({ 'a.yaml': `${configMap('a')}  other: *nowhere\n` }),
      args: ['a.yaml', ...json],
      exit: [1],
      expect: all(
        (r) => hasNot(r, 'manifest-shape', /alias bomb/),
        (r) => has(r, 'manifest-shape', /undefined anchor `&nowhere`/),
      ),
    },
    {
      name: 'alias used before its anchor',
      files: () => ({ 'a.yaml': `${configMap('a')}  first: *later\n  second: &later v\n` }),
      args: ['a.yaml', ...json],
      exit: [1],
      expect: (r) =>
        hasNot(r, 'manifest-shape', /alias bomb/) ?? has(r, 'manifest-shape', /before its anchor `&later`/),
    },
    {
      name: '1,001 aliases of a short scalar',
      files: () => {
        const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: many', 'data:', '  base: &v value'];
        for (let i = 0; i < 1001; i++) lines.push(`  k${i}: *v`);
        return { 'a.yaml': `${lines.join('\n')}\n` };
      },
      args: ['a.yaml', ...json],
      exit: [0],
    },
    {
      name: 'an alias bomb in a manifest',
      files: () => ({
        'bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n${ALIAS_BOMB.replace(/^/gm, '  ')}`,
      }),
      args: ['bomb.yaml', ...json],
      exit: [1],
      expect: (r) => has(r, 'manifest-shape', /alias/),
    },
    {
      name: 'top-level array of objects (JSON and YAML)',
      files: () => ({
        'array.json': JSON.stringify([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } }]),
        'array.yaml': `- ${configMap('b').replace(/\n(?=.)/g, '\n  ')}`,
      }),
      args: ['.', ...json],
      exit: [1],
      expect: (r) =>
        (r.findings ?? []).filter((f) => f.ruleId === 'manifest-shape' && /array|list/.test(f.message)).length === 2
          ? undefined
          : `expected two manifest-shape findings; got ${summary(r)}`,
    },
    {
      name: 'JSON manifest with comments',
      files: () => ({
        'c.json': '{\n  // a comment\n  "apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "c"}\n}\n',
      }),
      args: ['c.json', ...json],
      exit: [1],
      expect: (r) => has(r, 'yaml-syntax', /comment/),
    },
    {
      name: 'BOM at the start of a second document',
      files: () => ({ 'bom.yaml': `${configMap('a')}---\n\uFEFF${configMap('b')}` }),
      args: ['bom.yaml', ...json],
      exit: [0],
    },
    {
      name: 'lone CR line endings',
      files: () => ({ 'cr.yaml': configMap('cr').replace(/\n/g, '\r') }),
      args: ['cr.yaml', ...json],
      expect: (r) => hasNot(r, 'unknown-field'),
    },
    {
      name: '<< merge keys',
      files: () => ({
        'merge.yaml':
          'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: merged\n  labels: &labels\n    app: x\n  annotations:\n    <<: *labels\ndata:\n  k: v\n',
      }),
      args: ['merge.yaml', ...json],
      exit: [0],
    },
    {
      name: 'nesting 3,000 levels deep',
      files: () => ({
        'deep.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata: {k: ${'['.repeat(3000)}${']'.repeat(3000)}}\n`,
      }),
      args: ['deep.yaml', ...json],
      exit: [1],
      expect: (r) => has(r, 'yaml-syntax', /nest/) ?? hasNot(r, 'yaml-syntax', /call stack/),
    },
    {
      name: 'quoted glob over a symlink loop',
      files: () => ({ 'a/x.yaml': configMap('x'), 'a/loop': { symlink: '..' } }),
      args: ['**/*.yaml', ...json],
      expect: (r) => {
        const files = new Set((r.findings ?? []).map((f) => f.file));
        return files.size > 1 ? `linted ${files.size} paths: ${[...files].slice(0, 3).join(', ')}` : undefined;
      },
    },
    {
      name: 'a symlink loop passed explicitly',
      files: () => ({ 'self.yaml': { symlink: 'self.yaml' } }),
      args: ['self.yaml', ...json],
      expect: (r) => (/no such file/.test(r.stderr) ? `says: ${r.stderr}` : has(r, 'file-unreadable', /symbolic|loop/)),
    },
    {
      name: 'a string container port',
      files: () => ({
        'p.yaml':
          deployment('web', '          ports:\n            - containerPort: "8080"\n') + '---\n' + service('web'),
      }),
      args: ['p.yaml', ...json],
      expect: (r) => {
        const bad = r.findings?.find((f) => /\(\?\)/.test(f.message));
        return bad ? `says: ${bad.message}` : undefined;
      },
    },
    {
      name: '!!binary values',
      files: () => ({ 'b.yaml': `${configMap('b')}  bin: !!binary aGVsbG8=\n` }),
      args: ['b.yaml', ...json],
      expect: (r) => hasNot(r, 'schema-invalid', /mapping/),
    },
    {
      name: 'file names with a newline, a backslash, UTF-8 and invalid UTF-8 (a folder)',
      rawNames: true,
      files: () => ({
        'odd\nname.yaml': service('a', 'none'),
        'back\\slash.yaml': service('b', 'none'),
        [utf8('café.yaml')]: service('c', 'none'),
        'bad\xff.yaml': service('d', 'none'),
        'dir\xfe/inner.yaml': service('e', 'none'),
        'ign\xff.yaml': service('f', 'none'),
        'skip\xfd.yaml': service('g', 'none'),
        '.gitignore': 'ign*.yaml\n',
        '.kubewire.yaml': 'ignore:\n  - "skip*.yaml"\n',
      }),
      args: ['.', ...json],
      expect: (r) =>
        linted(r, ['back\\slash.yaml', 'bad\\xff.yaml', 'café.yaml', 'dir\\xfe/inner.yaml', 'odd\nname.yaml']),
    },
    {
      name: 'a name with the byte 0xff beside one that spells out `\\xff` (both linted, shown apart)',
      rawNames: true,
      files: () => ({
        'twin\xff.yaml': service('a', 'none'),
        'twin\\xff.yaml': service('b', 'none'),
        'dir\\x41/inner.yaml': service('c', 'none'),
      }),
      args: ['.', ...json],
      expect: (r) => linted(r, ['dir\\x5cx41/inner.yaml', 'twin\\x5cxff.yaml', 'twin\\xff.yaml']),
    },
    {
      name: 'an argument that spells out `\\xff` names that file, not the one with the byte 0xff',
      rawNames: true,
      files: () => ({ 'twin\xff.yaml': service('a', 'none'), 'twin\\xff.yaml': service('b', 'none') }),
      args: ['twin\\xff.yaml', ...json],
      expect: (r) => linted(r, ['twin\\x5cxff.yaml']),
    },
    {
      name: 'file names that are not valid UTF-8 as arguments (a file and a folder)',
      rawNames: true,
      files: () => ({
        'bad\xff.yaml': service('a', 'none'),
        'bad\xfe.yaml': service('b', 'none'),
        'dir\xfe/inner.yaml': service('c', 'none'),
        'dir\xfe/sub/deeper.yaml': service('d', 'none'),
      }),
      args: ['bad\xff.yaml', 'dir\xfe', ...json],
      expect: (r) => linted(r, ['bad\\xff.yaml', 'dir\\xfe/inner.yaml', 'dir\\xfe/sub/deeper.yaml']),
    },
    {
      name: '.gitignore lines that are not valid UTF-8, in a git work tree (git decides, byte for byte)',
      rawNames: true,
      git: true,
      files: () => ({
        'bad\xff.yaml': service('a', 'none'),
        'bad\xfe.yaml': service('b', 'none'),
        'dir\xfe/inner.yaml': service('c', 'none'),
        'dir\xfe/ign.yaml': service('d', 'none'),
        'dir\xfe/.gitignore': 'ign.yaml\n',
        // Content as bytes too: the line holds the byte 0xfe.
        '.gitignore': Buffer.from('bad\xfe.yaml\n', 'latin1'),
      }),
      args: ['.', ...json],
      expect: (r) => linted(r, ['bad\\xff.yaml', 'dir\\xfe/inner.yaml']),
    },
    {
      name: '.gitignore lines that are not valid UTF-8, outside a git work tree (matched byte for byte)',
      rawNames: true,
      files: () => ({
        'bad\xff.yaml': service('a', 'none'),
        'bad\xfe.yaml': service('b', 'none'),
        'BAD\xfd.yaml': service('e', 'none'),
        'dir\xfe/inner.yaml': service('c', 'none'),
        'dir\xfe/ign.yaml': service('d', 'none'),
        'dir\xfe/.gitignore': 'ign.yaml\n',
        // Content as bytes: the first line holds the byte 0xfe, with a UTF-8 byte order mark before it.
        '.gitignore': Buffer.from('\xef\xbb\xbfbad\xfe.yaml\nbad\xfd.yaml\n', 'latin1'),
      }),
      args: ['.', ...json],
      expect: (r) => linted(r, ['bad\\xff.yaml', 'dir\\xfe/inner.yaml']),
    },
    {
      name: '--context auto reads a git work tree file whose name is not valid UTF-8 as context',
      rawNames: true,
      git: true,
      files: () => ({ 'svc.yaml': service('web'), 'bad\xff.yaml': deployment('web') }),
      args: ['svc.yaml', '--context', 'auto', ...json],
      // The Deployment is found and read by its bytes: the Service selects it, and findings about the pair
      // point into it (at a path that exists, which the runner checks).
      expect: (r) => hasNot(r, 'service-selector-no-pods') ?? has(r, 'readiness-probe-missing'),
    },
    {
      name: 'a name that is not valid UTF-8 in SARIF (its bytes, percent-encoded)',
      rawNames: true,
      files: () => ({ 'bad\xff.yaml': service('a', 'none') }),
      args: ['.', '-f', 'sarif'],
      expect: (r) =>
        r.stdout.includes('"uri": "bad%FF.yaml"') && !r.stdout.includes('%5Cx')
          ? undefined
          : `URIs: ${(r.stdout.match(/"uri": "[^"]*"/g) ?? []).join(', ')}`,
    },
    {
      name: 'a missing file name that is not valid UTF-8 as an argument',
      rawNames: true,
      files: () => ok,
      args: ['nope\xff.yaml'],
      expect: (r) => stderrSays(r, /no such file or directory: nope\\xff\.yaml/),
    },
    {
      name: 'a quoted glob matching names that are not valid UTF-8',
      rawNames: true,
      files: () => ({
        'bad\xff.yaml': service('a', 'none'),
        'bad\xfe.yaml': service('b', 'none'),
        'sub\xfe/deep.yaml': service('c', 'none'),
        'ign\xff.yaml': service('d', 'none'),
        'back\\slash.yaml': service('f', 'none'),
        'good.yaml': service('e', 'none'),
        'other.json': '{}',
        '.gitignore': 'ign*\n',
      }),
      args: ['**/*.yaml', ...json],
      expect: (r) =>
        linted(r, ['back\\slash.yaml', 'bad\\xfe.yaml', 'bad\\xff.yaml', 'good.yaml', 'sub\\xfe/deep.yaml']),
    },
    {
      name: '--kubernetes-version 0.1',
      files: () => ok,
      args: ['app.yaml', '--kubernetes-version', '0.1'],
      expect: (r) => stderrSays(r, /0\.1/),
    },
    {
      name: '--kubernetes-version 1.27 (not bundled)',
      files: () => ok,
      args: ['app.yaml', '--kubernetes-version', '1.27', ...json],
      exit: [0],
      expect: (r) => (/1\.\d+/.test(r.stderr) && /bundled|instead/.test(r.stderr) ? undefined : `stderr: ${r.stderr}`),
    },
    {
      name: 'graph: distinct missing selectors stay distinct',
      files: () => ({
        'g.yaml': [service('a', 'my-app'), service('b', 'my.app'), service('c', 'my_app')].join('---\n'),
      }),
      args: ['graph', 'g.yaml', '-f', 'json'],
      expect: (r) => {
        const graph = JSON.parse(r.stdout) as { nodes: { id: string; status?: string }[] };
        const missing = graph.nodes.filter((n) => n.status === 'missing');
        return new Set(missing.map((n) => n.id)).size === 3 ? undefined : `missing nodes: ${JSON.stringify(missing)}`;
      },
    },
    {
      name: '200,000 ConfigMaps in one file',
      large: true,
      files: () => ({ 'cms.yaml': documentsPerFile(200_000) }),
      args: ['cms.yaml', ...json],
      timeoutMs: 300_000,
      maxMiB: 4000,
      exit: [0],
    },
    {
      name: '5,000 ConfigMaps in one file',
      files: () => ({ 'cms.yaml': documentsPerFile(5_000) }),
      args: ['cms.yaml', ...json],
      timeoutMs: 180_000,
      exit: [0],
    },
    {
      name: '50 MB manifest',
      large: true,
      files: () => ({ 'big.yaml': documentsPerFile(500_000) }),
      args: ['big.yaml', '--max-file-size', '100', ...json],
      timeoutMs: 600_000,
      maxMiB: 1500,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Running a case

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/**
 * Every entry below a folder (read as bytes: names need not be valid UTF-8), by its path as kubewire
 * shows it (escapeBytes), with a hash of its content.
 */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: Buffer) => {
    let entries: Buffer[];
    try {
      entries = readdirSync(d, { encoding: 'buffer' });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = Buffer.concat([d, Buffer.from('/'), e]);
      const key = escapeBytes(full);
      const info = lstatSync(full);
      if (info.isSymbolicLink()) out.set(key, `link:${readlinkSync(full, { encoding: 'buffer' }).toString('hex')}`);
      else if (info.isDirectory()) {
        out.set(key, 'dir');
        walk(full);
      } else if (info.isFile()) {
        out.set(
          key,
          info.size > 64 * MiB
            ? `size:${info.size}:${info.mtimeMs}`
            : createHash('sha1').update(readFileSync(full)).digest('hex'),
        );
      } else out.set(key, 'special');
    }
  };
  walk(Buffer.from(dir));
  return out;
}

/** An unprivileged user to run as, when this process is root and `setpriv` exists. */
function unprivileged(): string[] | undefined {
  if (process.getuid?.() !== 0) return [];
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];
  } catch {
    return undefined;
  }
}

function write(dir: string, files: Record<string, Entry>, owner: boolean, rawNames: boolean): void {
  const modes: [string | Buffer, number][] = [];
  for (const [name, entry] of Object.entries(files)) {
    const joined = path.join(dir, name);
    const full = rawNames ? Buffer.from(joined, 'latin1') : joined;
    mkdirSync(rawNames ? Buffer.from(path.dirname(joined), 'latin1') : path.dirname(joined), { recursive: true });
    if (typeof entry === 'string' || entry instanceof Uint8Array) writeFileSync(full, entry);
    else if ('text' in entry) {
      writeFileSync(full, entry.text);
      modes.push([full, entry.mode]);
    } else if ('symlink' in entry) symlinkSync(entry.symlink, full);
    else if ('dir' in entry) {
      mkdirSync(full, { recursive: true });
      if (entry.mode !== undefined) modes.push([full, entry.mode]);
    } else if ('sparse' in entry) {
      const fd = openSync(full, 'w');
      ftruncateSync(fd, entry.sparse);
      closeSync(fd);
    } else execFileSync('mkfifo', [joined]);
  }
  if (owner) {
    const walk = (d: string) => {
      chownSync(d, 65534, 65534);
      for (const e of readdirSync(d)) {
        const full = path.join(d, e);
        const info = lstatSync(full);
        if (info.isSymbolicLink()) continue;
        chownSync(full, 65534, 65534);
        if (info.isDirectory()) walk(full);
      }
    };
    walk(dir);
  }
  // Modes last, deepest first, so that a locked folder does not stop the writing of its content.
  for (const [full, mode] of modes.sort((a, b) => b[0].length - a[0].length)) chmodSync(full, mode);
}

function outputFile(args: readonly string[]): string | undefined {
  const i = args.findIndex((a) => a === '-o' || a === '--output-file');
  return i === -1 ? undefined : args[i + 1];
}

function checkPositions(findings: readonly Finding[], cwd: string, stdinText: string | undefined): string[] {
  const problems: string[] = [];
  const lines = new Map<string, string[] | undefined>();
  for (const f of findings) {
    if (!lines.has(f.file)) {
      let text: string | undefined;
      if (f.file === '<stdin>') text = stdinText;
      else {
        try {
          const full = path.resolve(cwd, f.file);
          const info = statSync(full);
          text = !info.isFile() || info.size > 256 * MiB ? undefined : readFileSync(full, 'utf8');
        } catch {
          text = undefined;
        }
      }
      // Line breaks as the YAML parser counts them.
      lines.set(f.file, text?.split(/\r\n|\n/));
    }
    const fileLines = lines.get(f.file);
    if (fileLines === undefined) continue;
    const at = (line: number, column: number) => {
      const text = fileLines[line - 1];
      return text !== undefined && column >= 1 && column <= text.length + 1;
    };
    if (!at(f.line, f.column) || !at(f.endLine, f.endColumn))
      problems.push(
        `${f.ruleId} finding at ${f.file}:${f.line}:${f.column}-${f.endLine}:${f.endColumn} is outside the file`,
      );
    if (problems.length > 3) break;
  }
  return problems;
}

/** A bash word for a string of bytes (one character each): $'…' with every byte outside printable ASCII as \xNN. */
function bytesQuoted(text: string): string {
  let out = "$'";
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    out += code >= 0x20 && code < 0x7f && ch !== "'" && ch !== '\\' ? ch : `\\x${code.toString(16).padStart(2, '0')}`;
  }
  return `${out}'`;
}

/** Run one case in a fresh temporary folder and check every invariant. */
export function runHostileCase(c: HostileCase): CaseResult {
  let prefix: string[] = [];
  if (c.unprivileged === true) {
    const p = unprivileged();
    // In CI the case must run: a skip there would hide that permissions are never tested.
    if (p === undefined && process.env.CI !== undefined && process.env.CI !== '')
      return { name: c.name, problems: ['cannot run as an unprivileged user (root without setpriv) in CI'] };
    if (p === undefined) return { name: c.name, skipped: 'no way to run as an unprivileged user', problems: [] };
    prefix = p;
  }
  const base = mkdtempSync(path.join(tmpdir(), 'kubewire-hostile-'));
  const cwd = path.join(base, 'work');
  mkdirSync(cwd);
  const rssFile = path.join(base, 'rss');
  const preload = path.join(base, 'rss.mjs');
  writeFileSync(
    preload,
    `import { writeFileSync } from 'node:fs';\nprocess.on('exit', () => { try { writeFileSync(${JSON.stringify(rssFile)}, \`\${process.resourceUsage().maxRSS} \${process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime}\`); } catch {} });\n`,
  );
  try {
    if (prefix.length > 0) chmodSync(base, 0o777);
    if (c.git === true) execFileSync('git', ['init', '-q', cwd], { stdio: 'ignore' });
    write(cwd, c.files(), prefix.length > 0, c.rawNames === true);
    const before = snapshot(base);
    const stdinText = c.stdin?.();
    const maxMiB = c.maxMiB ?? 512;
    // Generous: the bound is there to catch hangs on a shared, loaded machine, not to time anything.
    const timeoutMs = c.timeoutMs ?? 120_000;
    const node = [process.execPath, `--max-old-space-size=${maxMiB}`, '--import', preload, BIN, ...c.args];
    const command = [...prefix, ...node];
    const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', KUBEWIRE_TIMING: '' };
    const start = performance.now();
    // Through bash to pipe into head, or to pass arguments that are not valid UTF-8 (as $'\xNN' bytes).
    const quote = (a: string) => (c.rawNames === true ? bytesQuoted(a) : `'${a.replace(/'/g, `'\\''`)}'`);
    const child =
      c.head === true || c.rawNames === true
        ? spawnSync(
            'bash',
            [
              '-c',
              c.head === true
                ? `${command.map(quote).join(' ')} | head -1 >/dev/null; exit \${PIPESTATUS[0]}`
                : `exec ${command.map(quote).join(' ')}`,
            ],
            { cwd, env, encoding: 'utf8', input: stdinText ?? '', timeout: timeoutMs, maxBuffer: 512 * MiB },
          )
        : spawnSync(command[0] ?? '', command.slice(1), {
            cwd,
            env,
            encoding: 'utf8',
            input: stdinText ?? '',
            timeout: timeoutMs,
            maxBuffer: 512 * MiB,
            killSignal: 'SIGKILL',
          });
    const ms = performance.now() - start;
    const [maxRss, cpu] = existsSync(rssFile) ? readFileSync(rssFile, 'utf8').split(' ').map(Number) : [];
    const rss = maxRss === undefined ? undefined : maxRss / 1024;
    const problems: string[] = [];
    const out = outputFile(c.args);
    const asksJson = c.args.some((a, i) => (a === '-f' || a === '--format') && c.args[i + 1] === 'json');
    const run: CaseRun = {
      status: child.status,
      signal: child.signal,
      stdout: child.stdout,
      stderr: child.stderr,
      findings: undefined,
      ms,
      cpuMs: cpu === undefined ? undefined : cpu / 1000,
      rssMiB: rss,
    };
    if (child.error !== undefined && !(child.error as NodeJS.ErrnoException).code?.includes('ENOBUFS'))
      problems.push(`did not finish: ${child.error.message} (after ${Math.round(ms)} ms)`);
    if (child.signal !== null) problems.push(`killed by ${child.signal} (after ${Math.round(ms)} ms)`);
    else if (![0, 1, 2].includes(child.status ?? -1)) problems.push(`exit code ${String(child.status)}`);
    else if (c.exit !== undefined && !c.exit.includes(child.status ?? -1))
      problems.push(
        `exit code ${String(child.status)}, expected ${c.exit.join(' or ')}; ${child.stderr.slice(0, 300)}`,
      );
    if (child.status === 2 && /internal error/.test(child.stderr))
      problems.push(`internal error: ${child.stderr.split('\n').slice(0, 3).join(' | ').slice(0, 400)}`);
    if (rss !== undefined && rss > maxMiB * 1.5 + 150)
      problems.push(`peak RSS ${Math.round(rss)} MiB over ${maxMiB} MiB`);
    if (asksJson && child.status !== 2 && !c.head) {
      const text = out === undefined ? child.stdout : readFileSync(path.resolve(cwd, out), 'utf8');
      try {
        const parsed = JSON.parse(text) as { findings?: Finding[] };
        run.findings = parsed.findings;
        if (parsed.findings) {
          problems.push(...checkPositions(parsed.findings, cwd, typeof stdinText === 'string' ? stdinText : undefined));
          // Every finding names a path that exists (names that are not valid UTF-8 escaped, as snapshot() keys them).
          for (const file of new Set(parsed.findings.map((f) => f.file)))
            if (file !== '<stdin>' && !existsSync(path.resolve(cwd, file)) && !before.has(path.resolve(cwd, file)))
              problems.push(`a finding for ${JSON.stringify(file)}, which does not exist`);
        }
      } catch (error) {
        problems.push(`output is not JSON: ${(error as Error).message}`);
      }
    } else {
      for (const [stream, text] of [
        ['standard output', child.stdout],
        ['standard error', child.stderr],
      ] as const) {
        const m = CONTROL.exec(text);
        if (m) problems.push(`control character U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} in ${stream}`);
      }
    }
    const after = snapshot(base);
    after.delete(rssFile);
    const allowed = out === undefined ? undefined : path.resolve(cwd, out);
    for (const [file, hash] of before) {
      if (file === rssFile) continue;
      if (after.get(file) !== hash) problems.push(`input ${path.relative(cwd, file)} changed or vanished`);
    }
    for (const file of after.keys())
      if (!before.has(file) && file !== allowed) problems.push(`wrote ${path.relative(cwd, file)}`);
    if (problems.length === 0 && c.expect) {
      const wrong = c.expect(run);
      if (wrong !== undefined) problems.push(wrong);
    }
    return { name: c.name, problems, run };
  } finally {
    try {
      execFileSync('chmod', ['-R', 'u+rwx', base], { stdio: 'ignore' });
    } catch {
      // best effort: the removal below reports what it cannot do
    }
    rmSync(base, { recursive: true, force: true });
  }
}

// `node dist/scripts/hostile.js [--all] [name filter]`: run the cases and print a line each.
if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const args = process.argv.slice(2);
  const everything = args.includes('--all');
  const filter = args.find((a) => !a.startsWith('--'));
  for (const c of hostileCases()) {
    if ((c.large === true && !everything) || (filter !== undefined && !c.name.includes(filter))) continue;
    const r = runHostileCase(c);
    const status = r.skipped !== undefined ? `skip (${r.skipped})` : r.problems.length === 0 ? 'ok' : 'FAIL';
    const took = r.run
      ? ` ${Math.round(r.run.ms)} ms, ${Math.round(r.run.cpuMs ?? 0)} ms CPU, ${Math.round(r.run.rssMiB ?? 0)} MiB`
      : '';
    console.log(`${status.padEnd(5)} ${c.name}${took}${r.problems.map((p) => `\n      ${p}`).join('')}`);
  }
}
