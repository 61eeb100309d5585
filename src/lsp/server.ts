/**
 * `kubewire lsp --stdio`: the Language Server Protocol shell over the same engine as the command
 * line. This thread speaks the protocol (vscode-languageserver) and keeps the open buffers; the
 * analysis runs in a worker thread (worker.ts) so that a re-lint of a large workspace never blocks
 * the message loop. Edits are debounced; an edit made while a lint runs cancels it.
 */
import type { Worker } from 'node:worker_threads';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  ProposedFeatures,
  TextDocumentSyncKind,
  TextDocuments,
  createConnection,
} from 'vscode-languageserver/node.js';
import type {
  CodeAction,
  Connection,
  Diagnostic,
  DocumentSymbol,
  Hover,
  InitializeParams,
  InitializeResult,
  Location,
} from 'vscode-languageserver/node.js';
import { codeActions } from './actions.js';
import type { LintReply, LspPosition, WorkerMessage, WorkerRequest } from './messages.js';
import type { ServerSettings } from './project.js';
import { startAnalysisWorker } from './threads.js';
import { uriPath } from './uri.js';

/** Milliseconds of quiet after an edit before the workspace is re-linted. */
const DEFAULT_DEBOUNCE_MS = 75;
/** The diagnostics of a document the analysis has none for (one list, so that it is published once). */
const NO_DIAGNOSTICS: Diagnostic[] = [];
/** Backoff before restarting a dead analysis worker: doubled on each death in a row, up to the maximum. */
const RESTART_FIRST_MS = 100;
const RESTART_MAX_MS = 30_000;
/** A worker that lived this long before it died is restarted without delay growth. */
const RESTART_RESET_MS = 60_000;

function readSettings(value: unknown): ServerSettings {
  if (typeof value !== 'object' || value === null) return {};
  const v = value as Record<string, unknown>;
  const text = (key: string) => (typeof v[key] === 'string' && v[key] !== '' ? v[key] : undefined);
  return {
    configFile: text('configFile') ?? text('config'),
    kubernetesVersion: text('kubernetesVersion'),
    clusterFile: text('clusterFile') ?? text('cluster'),
    ...(typeof v.debounceMs === 'number' && v.debounceMs >= 0 ? { debounceMs: v.debounceMs } : {}),
    ...(typeof v.cache === 'boolean' ? { cache: v.cache } : {}),
  };
}

const filePath = uriPath;

/** Start the server on a connection (standard input and output unless one is given). */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const generation = new Int32Array(new SharedArrayBuffer(4));
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  let timer: NodeJS.Timeout | undefined;
  /** The lint in flight; queries wait for it so that they see the latest text. */
  let linting: Promise<void> = Promise.resolve();
  let needsLint = false;
  let shuttingDown = false;
  /** The latest diagnostics by URI, and what each open document was last sent. */
  const diagnostics = new Map<string, Diagnostic[]>();
  const published = new Map<string, { items: readonly Diagnostic[]; key: string }>();
  let supportsPull = false;
  let watchesFolders = false;
  let folders: string[] = [];
  let settings: ServerSettings = {};

  const log = (type: 1 | 2 | 3 | 4, message: string) => {
    void connection.sendNotification('window/logMessage', { type, message });
  };

  /**
   * The analysis worker. If it dies (an uncaught error, out of memory), the requests it had are failed,
   * a new one is started after a backoff that doubles on each death in a row (a worker that lived a
   * minute starts the count again), and it is sent the state again: folders, settings and open buffers.
   */
  let worker: Worker;
  let deaths = 0;
  let startedAt = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const startWorker = () => {
    const w = startAnalysisWorker(generation.buffer);
    startedAt = Date.now();
    w.on('message', (message: WorkerMessage) => {
      if ('log' in message) {
        log(message.log.type, message.log.message);
        return;
      }
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (!waiter) return;
      if ('error' in message) waiter.reject(new Error(message.error));
      else waiter.resolve(message.result);
    });
    w.on('error', (error) => {
      log(1, `kubewire: the analysis worker failed: ${error.stack ?? error.message}`);
    });
    w.on('exit', (code) => {
      if (shuttingDown || w !== worker) return;
      for (const [id, waiter] of pending) {
        pending.delete(id);
        waiter.reject(new Error(`the analysis worker stopped (exit code ${String(code)})`));
      }
      if (Date.now() - startedAt > RESTART_RESET_MS) deaths = 0;
      const delay = Math.min(RESTART_MAX_MS, RESTART_FIRST_MS * 2 ** deaths);
      deaths++;
      log(
        deaths > 1 ? 1 : 2,
        `kubewire: the analysis worker stopped (exit code ${String(code)}); restarting it in ${String(delay)} ms` +
          (deaths > 1 ? ` (${String(deaths)} times in a row)` : ''),
      );
      restartTimer = setTimeout(restartWorker, delay);
    });
    w.unref();
    return w;
  };
  const restartWorker = () => {
    restartTimer = undefined;
    if (shuttingDown) return;
    worker = startWorker();
    tell({ op: 'configure', folders, settings });
    for (const document of documents.all()) {
      const file = filePath(document.uri);
      if (file !== undefined) tell({ op: 'set', file, text: document.getText() });
    }
    log(3, 'kubewire: the analysis worker was restarted; linting again');
    touch();
  };

  const ask = <T>(request: WorkerRequest): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, request });
    }).catch((error: unknown) => {
      log(1, `kubewire: ${request.op} failed: ${error instanceof Error ? error.message : String(error)}`);
      throw error;
    });
  const tell = (request: WorkerRequest) => {
    ask(request).catch(() => undefined);
  };
  worker = startWorker();

  /**
   * A newer state exists: cancel the lint in progress, lint again after the debounce. The debounce is for
   * bursts: the first edit after a quiet spell (no other for a debounce's length) is linted at once, the
   * next ones of the burst wait for the quiet.
   */
  let lastTouch = -Infinity;
  const touch = () => {
    Atomics.add(generation, 0, 1);
    needsLint = true;
    const now = performance.now();
    const quiet = timer === undefined && now - lastTouch >= debounceMs;
    lastTouch = now;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void runLint(), quiet ? 0 : debounceMs);
  };

  const runLint = (): Promise<void> => {
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (!needsLint) return linting;
    needsLint = false;
    const requested = Atomics.load(generation, 0);
    linting = linting
      .then(async () => {
        const reply = await ask<LintReply>({ op: 'lint', generation: requested }).catch((error: unknown) => {
          // The worker died during the lint: its replacement lints again.
          needsLint = true;
          throw error;
        });
        // A newer edit cancelled it, and its own lint is scheduled (timer) or queued behind this one.
        if (reply.cancelled) return;
        // The worker sends what changed since its previous reply: every reply is applied.
        for (const [uri, items] of Object.entries(reply.diagnostics)) diagnostics.set(uri, items);
        // A lint that finished before the worker saw the newer edit is stale (it may not know a document just
        // opened): the newer lint publishes.
        if (Atomics.load(generation, 0) !== requested) return;
        publishChanged();
        if (supportsPull && reply.linted) connection.languages.diagnostics.refresh();
      })
      .catch(() => undefined);
    return linting;
  };

  /** Wait until the diagnostics and the graph reflect every edit received so far. */
  const settle = async (): Promise<void> => {
    for (let i = 0; i < 10 && (needsLint || timer !== undefined); i++) await runLint();
    await linting;
  };

  const publishChanged = () => {
    for (const document of documents.all()) {
      const items = diagnostics.get(document.uri) ?? NO_DIAGNOSTICS;
      // The same list as last published (the worker sends only what changed): no need to serialise it again.
      const last = published.get(document.uri);
      if (last?.items === items) continue;
      const key = JSON.stringify(items);
      if (last?.key === key) {
        last.items = items;
        continue;
      }
      published.set(document.uri, { items, key });
      void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics: items });
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    settings = readSettings(params.initializationOptions);
    if (settings.debounceMs !== undefined) debounceMs = settings.debounceMs;
    folders = (params.workspaceFolders ?? []).map((f) => filePath(f.uri)).filter((f): f is string => f !== undefined);
    // Clients without workspace folders send only the (deprecated) rootUri.
    // eslint-disable-next-line @typescript-eslint/no-deprecated
    const rootUri: unknown = params.rootUri;
    if (folders.length === 0 && typeof rootUri === 'string') {
      const root = filePath(rootUri);
      if (root !== undefined) folders = [root];
    }
    supportsPull = params.capabilities.textDocument?.diagnostic !== undefined;
    watchesFolders = params.capabilities.workspace?.workspaceFolders === true;
    tell({ op: 'configure', folders, settings });
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
        hoverProvider: true,
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        diagnosticProvider: { interFileDependencies: true, workspaceDiagnostics: false },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'kubewire' },
    };
  });

  connection.onInitialized(() => {
    if (watchesFolders)
      connection.workspace.onDidChangeWorkspaceFolders((event) => {
        const removed = new Set(event.removed.map((f) => filePath(f.uri)));
        folders = [
          ...folders.filter((f) => !removed.has(f)),
          ...event.added.map((f) => filePath(f.uri)).filter((f): f is string => f !== undefined),
        ];
        reconfigure();
      });
    void connection.client
      .register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml,json}' }, { globPattern: '**/.gitignore' }],
      })
      .catch(() => undefined);
    // Only folders with an open document are analysed, so there is nothing to lint before the first didOpen,
    // and that one must not wait for a debounce (it would, right after a touch here).
    if (documents.all().length > 0) touch();
  });

  connection.onDidChangeConfiguration((change) => {
    const raw = (change.settings as Record<string, unknown> | null)?.kubewire;
    if (raw === undefined) return;
    settings = readSettings(raw);
    if (settings.debounceMs !== undefined) debounceMs = settings.debounceMs;
    reconfigure();
  });

  /** Settings or folders changed: every project is loaded again. */
  const reconfigure = () => {
    tell({ op: 'configure', folders, settings });
    touch();
  };

  // Fired for an opened document too (after onDidOpen): handling the open here as well would touch twice,
  // and the second touch would make the first lint wait out a debounce.
  documents.onDidChangeContent(({ document }) => {
    const file = filePath(document.uri);
    if (file === undefined) return;
    tell({ op: 'set', file, text: document.getText() });
    touch();
  });
  documents.onDidClose(({ document }) => {
    published.delete(document.uri);
    void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    const file = filePath(document.uri);
    if (file === undefined) return;
    tell({ op: 'close', file });
    touch();
  });

  connection.onDidChangeWatchedFiles((params) => {
    const changes = params.changes
      .map((c) => ({ file: filePath(c.uri), deleted: c.type === FileChangeType.Deleted }))
      .filter((c): c is { file: string; deleted: boolean } => c.file !== undefined);
    if (changes.length === 0) return;
    tell({ op: 'watched', changes });
    touch();
  });

  connection.languages.diagnostics.on(async (params) => {
    await settle();
    const { uri } = params.textDocument;
    if (documents.get(uri) !== undefined) return { kind: 'full', items: diagnostics.get(uri) ?? [] };
    // A file that is not open: its diagnostics are converted when asked for.
    const file = filePath(uri);
    const items =
      file === undefined ? [] : await ask<Diagnostic[]>({ op: 'diagnostics', file }).catch((): Diagnostic[] => []);
    return { kind: 'full', items };
  });

  const position = async <T>(op: 'hover' | 'definition', uri: string, at: LspPosition, fallback: T): Promise<T> => {
    const file = filePath(uri);
    if (file === undefined) return fallback;
    await settle();
    return ask<T>({ op, file, position: at }).catch(() => fallback);
  };

  connection.onHover(async (params): Promise<Hover | null> => {
    const text = await position<string | null>('hover', params.textDocument.uri, params.position, null);
    return text === null ? null : { contents: { kind: 'markdown', value: text } };
  });
  connection.onDefinition(
    async (params): Promise<Location[]> =>
      (await position<Location[] | null>('definition', params.textDocument.uri, params.position, [])) ?? [],
  );
  connection.onReferences(async (params): Promise<Location[]> => {
    const file = filePath(params.textDocument.uri);
    if (file === undefined) return [];
    await settle();
    const result = await ask<Location[] | null>({
      op: 'references',
      file,
      position: params.position,
      includeDeclaration: params.context.includeDeclaration,
    }).catch(() => null);
    return result ?? [];
  });
  connection.onDocumentSymbol(async (params): Promise<DocumentSymbol[]> => {
    const file = filePath(params.textDocument.uri);
    if (file === undefined) return [];
    await settle();
    return ask<DocumentSymbol[]>({ op: 'symbols', file }).catch(() => []);
  });
  connection.onCodeAction((params): CodeAction[] => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    const same = (a: Diagnostic, b: Diagnostic) =>
      a.code === b.code &&
      a.message === b.message &&
      a.range.start.line === b.range.start.line &&
      a.range.start.character === b.range.start.character &&
      a.range.end.line === b.range.end.line &&
      a.range.end.character === b.range.end.character;
    return codeActions(document, params.context.diagnostics, (d) =>
      diagnostics.get(document.uri)?.find((own) => same(own, d)),
    );
  });

  connection.onShutdown(async () => {
    shuttingDown = true;
    if (timer) clearTimeout(timer);
    if (restartTimer) clearTimeout(restartTimer);
    Atomics.add(generation, 0, 1);
    await worker.terminate();
  });
  connection.onExit(() => {
    if (!shuttingDown) void worker.terminate();
  });

  if (process.env.KUBEWIRE_LSP_TEST_HOOKS === '1')
    // For the tests only: make the worker die of an uncaught error, as a bug in it would.
    connection.onNotification('kubewire/test/crashWorker', () => {
      tell({ op: 'crash' });
    });
  if (process.env.KUBEWIRE_LSP_TEST_HOOKS === '1')
    // For the tests only: slow replies, so that edits made meanwhile make them stale.
    connection.onNotification('kubewire/test/replyDelay', (ms: number) => {
      tell({ op: 'replyDelay', ms });
    });

  documents.listen(connection);
  connection.listen();
}
