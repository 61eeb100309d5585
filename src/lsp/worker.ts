/**
 * The language server's analysis thread: it holds the projects (workspace folders and lone files),
 * lints them with the engine and answers position queries from the last lint's graph. The protocol
 * thread stays free to read messages while a large workspace is re-linted; a newer edit bumps the
 * shared generation counter, which cancels a lint in progress between two rules.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { rules } from '../../rules/index.js';
import { CONFIG_FILE_NAMES } from '../config.js';
import { LintCancelled } from '../engine.js';
import type { LintResult } from '../engine.js';
import type { Finding, Source } from '../types.js';
import { definition, hover, objectAt, referencesOf, symbols } from './features.js';
import type { At, Place } from './features.js';
import type { Graph } from '../model/graph.js';
import { pushTo } from '../model/values.js';
import type {
  LintReply,
  LspDiagnostic,
  LspLocation,
  LspPosition,
  LspRange,
  LspSymbol,
  WorkerMessage,
  WorkerRequest,
} from './messages.js';
import { Project, message } from './project.js';
import type { ServerSettings } from './project.js';
import { analysisWorkerData } from './threads.js';

const port = parentPort;
if (port === null) throw new Error('the kubewire analysis worker must run in a worker thread');
/** The protocol thread's count of edits (shared memory), from the first message. */
let generation: Int32Array = new Int32Array(1);

const PACKAGE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DEPRECATION_RULES = new Set(['api-deprecated', 'api-removed']);

let settings: ServerSettings = {};
let folders: string[] = [];
const projects = new Map<string, Project>();
/** Set by the tests only (see messages.ts). */
let replyDelayMs = 0;
/** Files open in the editor → their text (kept for projects created later). */
const open = new Map<string, string>();

function log(type: 1 | 2 | 3 | 4, text: string): void {
  port?.postMessage({ log: { type, message: `kubewire: ${text}` } } satisfies WorkerMessage);
}

/** The workspace folder that holds a file (the deepest one), if any. */
function folderOf(file: string): string | undefined {
  let best: string | undefined;
  for (const f of folders) {
    const rel = path.relative(f, file);
    if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) && (best === undefined || f.length > best.length))
      best = f;
  }
  return best;
}

function projectKey(file: string): string {
  return folderOf(file) ?? `file:${file}`;
}

function projectOf(file: string): Project {
  const key = projectKey(file);
  let project = projects.get(key);
  if (!project) {
    project = key.startsWith('file:') ? new Project(path.dirname(file), file) : new Project(key);
    projects.set(key, project);
    for (const [f, text] of open) if (projectKey(f) === key) project.setOverlay(f, text);
  }
  return project;
}

function lspRange(p: Pick<Place, 'line' | 'column' | 'endLine' | 'endColumn'>): LspRange {
  return {
    start: { line: p.line - 1, character: p.column - 1 },
    end: { line: p.endLine - 1, character: p.endColumn - 1 },
  };
}

function location(project: Project, p: Place): LspLocation {
  return { uri: project.uri(p.file), range: lspRange(p) };
}

/** The link to each rule's documentation. */
const docsHref = new Map<string, string>();

function diagnostic(project: Project, f: Finding): LspDiagnostic {
  let href = docsHref.get(f.ruleId);
  if (href === undefined) {
    href = pathToFileURL(path.join(PACKAGE_ROOT, 'docs', 'rules', `${f.ruleId}.md`)).href;
    docsHref.set(f.ruleId, href);
  }
  const d: LspDiagnostic = {
    range: lspRange(f),
    severity: f.severity === 'error' ? 1 : f.severity === 'warning' ? 2 : 3,
    code: f.ruleId,
    codeDescription: { href },
    source: 'kubewire',
    message: f.message,
  };
  if (DEPRECATION_RULES.has(f.ruleId)) d.tags = [2];
  if (f.suggestion !== undefined)
    d.data = { suggestion: { replacement: f.suggestion.replacement, range: lspRange(f.suggestion) } };
  if (f.related.length > 0)
    d.relatedInformation = f.related.map((r) => ({ location: location(project, { ...r }), message: r.message }));
  return d;
}

async function load(project: Project): Promise<void> {
  for (const problem of await project.load(settings, rules)) log(1, problem);
}

function reload(project: Project): void {
  project.needsLoad = true;
  project.dirty = true;
}

/** A file's diagnostics, with their JSON (to tell what changed). */
interface FileDiagnostics {
  items: LspDiagnostic[];
  json: string;
}
/** A lint result's findings by file, and each file's diagnostics, converted when first asked for. */
const converted = new WeakMap<LintResult, { byFile: Map<string, Finding[]>; files: Map<string, FileDiagnostics> }>();
/** The JSON of what the protocol thread was last sent for each URI: a reply carries only what differs. */
const sent = new Map<string, string>();

/** The diagnostics of one file of the project (a path relative to it) in a lint result of the project. */
function diagnosticsOf(project: Project, result: LintResult, rel: string): FileDiagnostics {
  let known = converted.get(result);
  if (known === undefined) {
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) pushTo(byFile, f.file, f);
    known = { byFile, files: new Map() };
    converted.set(result, known);
  }
  let file = known.files.get(rel);
  if (file === undefined) {
    const items = (known.byFile.get(rel) ?? []).map((f) => diagnostic(project, f));
    file = { items, json: JSON.stringify(items) };
    known.files.set(rel, file);
  }
  return file;
}

async function saveCaches(projects: Iterable<Project>): Promise<void> {
  for (const project of projects)
    try {
      for (const line of await project.saveCache()) log(4, line);
    } catch (error) {
      log(2, `cannot write the cache of ${project.root}: ${message(error)}`);
    }
}

async function lintAll(requested: number): Promise<LintReply> {
  const reply: LintReply = { cancelled: false, diagnostics: {}, linted: false };
  const isCancelled = () => Atomics.load(generation, 0) !== requested;
  // Only projects that hold an open document: the others wait until one of their files is opened.
  const wanted = new Set([...open.keys()].map(projectOf));
  for (const project of wanted) {
    if (isCancelled()) return { ...reply, cancelled: true };
    let loadMs: number | undefined;
    try {
      if (project.needsLoad) {
        const start = performance.now();
        await load(project);
        loadMs = performance.now() - start;
      }
      if (!project.lint(rules, settings, isCancelled)) continue;
    } catch (error) {
      if (error instanceof LintCancelled) return { ...reply, cancelled: true };
      log(1, `cannot lint ${project.root}: ${message(error)}`);
      continue;
    }
    const result = project.result;
    if (!result) continue;
    const t = project.lastTiming;
    if (t !== undefined)
      log(
        4,
        `linted ${project.singleFile ?? project.root}: ${String(result.stats.sources)} files, ${String(result.findings.length)} ` +
          `findings; ${loadMs === undefined ? '' : `configuration and discovery ${loadMs.toFixed(0)} ms, `}` +
          `reading ${t.readMs.toFixed(0)} ms, engine ${t.lintMs.toFixed(0)} ms`,
      );
    for (const failure of result.ruleFailures) log(1, `internal error in rule ${failure.ruleId}: ${failure.message}`);
    reply.linted = true;
  }
  // Once the reply is sent (a macrotask runs after the promise that posts it), the files a project's first
  // lint parsed go to the cache, so that the next start of the server restores them instead.
  if (reply.linted) setImmediate(() => void saveCaches(wanted));
  // The diagnostics of the open documents of every project analysed (also one linted by an earlier lint
  // that a newer edit cancelled before it replied) that differ from what the protocol thread holds. Those
  // of other files are converted only when asked for (op diagnostics): on a large folder, converting and
  // sending every file's diagnostics after each lint cost more than the publishing itself.
  for (const file of open.keys()) {
    const project = projectOf(file);
    if (project.result === undefined || !wanted.has(project)) continue;
    const rel = project.relative(file);
    const { items, json } = diagnosticsOf(project, project.result, rel);
    const uri = project.uri(rel);
    if (sent.get(uri) === json) continue;
    sent.set(uri, json);
    reply.diagnostics[uri] = items;
  }
  return reply;
}

/** The project, its last graph and the source of a file, when the file was linted. */
function analysed(file: string): { project: Project; source: Source } | undefined {
  const project = projects.get(projectKey(file));
  const source = project?.sourcesByPath.get(project.relative(file));
  return project?.result && source ? { project, source } : undefined;
}

function offsetOf(source: Source, position: LspPosition): number {
  const starts = source.lineCounter.lineStarts;
  const start = starts[position.line];
  if (start === undefined) return source.text.length;
  const next = starts[position.line + 1] ?? source.text.length + 1;
  return Math.min(start + position.character, next - 1, source.text.length);
}

function query(
  file: string,
  position: LspPosition,
  answer: (project: Project, graph: Graph, at: At) => unknown,
): unknown {
  const a = analysed(file);
  const graph = a?.project.result?.graph;
  if (!a || !graph) return null;
  const at = objectAt(graph, a.source, offsetOf(a.source, position));
  return at ? answer(a.project, graph, at) : null;
}

const SYMBOL_KINDS: Record<string, number> = {
  Service: 12, // Function
  Ingress: 12,
  ConfigMap: 14, // Constant
  Secret: 14,
  Namespace: 3, // Namespace
  CustomResourceDefinition: 10, // Enum
  Role: 11, // Interface
  ClusterRole: 11,
};

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case 'configure': {
      folders = request.folders.map((f) => path.resolve(f));
      settings = request.settings;
      for (const project of projects.values()) project.result = undefined;
      projects.clear();
      return null;
    }
    case 'set':
      open.set(request.file, request.text);
      projectOf(request.file).setOverlay(request.file, request.text);
      return null;
    case 'close': {
      open.delete(request.file);
      const key = projectKey(request.file);
      if (key.startsWith('file:')) projects.delete(key);
      else projects.get(key)?.removeOverlay(request.file);
      return null;
    }
    case 'watched': {
      for (const change of request.changes) {
        const key = projectKey(change.file);
        const project = projects.get(key);
        const isConfig =
          (CONFIG_FILE_NAMES as readonly string[]).includes(path.basename(change.file)) ||
          path.basename(change.file) === '.gitignore';
        if (isConfig) {
          // A configuration may apply to several projects (it is looked up upward): reload them all.
          for (const p of projects.values()) reload(p);
          continue;
        }
        if (!project) continue;
        if (project.singleFile === undefined && (change.deleted || !existsSync(change.file))) {
          reload(project);
        } else if (project.singleFile === undefined && !project.includes(project.relative(change.file))) {
          reload(project); // a new file
        } else {
          project.invalidate(change.file);
        }
      }
      return null;
    }
    case 'lint': {
      const reply = await lintAll(request.generation);
      if (replyDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, replyDelayMs));
      return reply;
    }
    case 'replyDelay':
      replyDelayMs = request.ms;
      return null;
    case 'crash':
      setTimeout(() => {
        throw new Error('the analysis worker was told to crash (a test of its restart)');
      });
      return null;
    case 'hover':
      return query(request.file, request.position, (_, graph, at) => hover(graph, at) ?? null);
    case 'definition':
      return query(request.file, request.position, (p, graph, at) => definition(graph, at).map((d) => location(p, d)));
    case 'references':
      return query(request.file, request.position, (p, graph, at) =>
        referencesOf(graph, at, request.includeDeclaration).map((d) => location(p, d)),
      );
    case 'diagnostics': {
      const a = analysed(request.file);
      return a?.project.result ? diagnosticsOf(a.project, a.project.result, a.source.path).items : [];
    }
    case 'symbols': {
      const a = analysed(request.file);
      const graph = a?.project.result?.graph;
      if (!a || !graph) return [];
      return symbols(graph, a.source).map((s): LspSymbol => ({
        name: s.name,
        detail: '',
        kind: SYMBOL_KINDS[s.kind] ?? 5, // Class
        range: lspRange(s.range),
        selectionRange: lspRange(s.selection),
      }));
    }
  }
}

// Requests are answered one at a time, in order: a query sees every edit sent before it.
let queue: Promise<void> = Promise.resolve();
port.on('message', (data: { id: number; request: WorkerRequest }) => {
  const start = analysisWorkerData(data);
  if (start !== undefined) {
    generation = new Int32Array(start.data as SharedArrayBuffer);
    return;
  }
  queue = queue.then(async () => {
    try {
      port.postMessage({ id: data.id, result: await handle(data.request) } satisfies WorkerMessage);
    } catch (error) {
      port.postMessage({
        id: data.id,
        error: error instanceof Error ? (error.stack ?? error.message) : String(error),
      } satisfies WorkerMessage);
    }
  });
});
