/**
 * A small Language Server Protocol client for the protocol tests and the latency benchmark: it spawns
 * the compiled `kubewire lsp --stdio` and talks JSON-RPC to it over its standard input and output.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { StreamMessageReader, StreamMessageWriter, createMessageConnection } from 'vscode-languageserver/node.js';
import type { Diagnostic, MessageConnection } from 'vscode-languageserver/node.js';

const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

/** The URI of a file; a `file:` URI is taken as it is (a name that is not valid UTF-8 has no string path). */
export const uri = (file: string): string => (file.startsWith('file:') ? file : pathToFileURL(file).href);

export interface StartOptions {
  folders: string[];
  initializationOptions?: Record<string, unknown>;
  /** Declare support for pull diagnostics. */
  pull?: boolean;
  /** Extra environment variables for the server process. */
  env?: Record<string, string>;
  /** The arguments after `lsp` (default `--stdio`). */
  args?: string[];
  /** The script to start (default the launcher, bin/kubewire.js). */
  entry?: string;
}

export class LspClient {
  readonly connection: MessageConnection;
  readonly process: ChildProcess;
  /** The latest published diagnostics by URI. */
  readonly diagnostics = new Map<string, Diagnostic[]>();
  readonly logs: string[] = [];
  /** Every publication, in order, with the time it arrived. */
  readonly publications: { uri: string; diagnostics: Diagnostic[]; at: number }[] = [];
  private readonly versions = new Map<string, number>();
  private waiters: (() => void)[] = [];
  exitCode: Promise<number | null>;

  private constructor(
    env: Record<string, string> = {},
    entry = path.join(ROOT, 'bin', 'kubewire.js'),
    args = ['--stdio'],
  ) {
    this.process = spawn(process.execPath, [entry, 'lsp', ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.exitCode = new Promise((resolve) =>
      this.process.on('exit', (code) => {
        resolve(code);
      }),
    );
    const { stdout, stdin, stderr } = this.process;
    if (!stdout || !stdin || !stderr) throw new Error('no pipes to the server');
    stderr.on('data', (chunk: Buffer) => this.logs.push(`stderr: ${chunk.toString()}`));
    this.connection = createMessageConnection(new StreamMessageReader(stdout), new StreamMessageWriter(stdin));
    this.connection.onNotification(
      'textDocument/publishDiagnostics',
      (p: { uri: string; diagnostics: Diagnostic[] }) => {
        this.diagnostics.set(p.uri, p.diagnostics);
        this.publications.push({ ...p, at: performance.now() });
        this.wake();
      },
    );
    this.connection.onNotification('window/logMessage', (p: { message: string }) => {
      this.logs.push(p.message);
      this.wake();
    });
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('workspace/diagnostic/refresh', () => null);
    this.connection.onRequest('workspace/configuration', () => []);
    this.connection.listen();
  }

  static async start(options: StartOptions): Promise<LspClient> {
    const client = new LspClient(options.env, options.entry, options.args);
    await client.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      workspaceFolders: options.folders.map((f) => ({ uri: uri(f), name: path.basename(f) })),
      // No cache unless asked for: a test must not write into the user's cache folder.
      initializationOptions: { cache: false, ...options.initializationOptions },
      capabilities: {
        textDocument: {
          publishDiagnostics: { relatedInformation: true, tagSupport: { valueSet: [1, 2] } },
          ...(options.pull === true ? { diagnostic: { dynamicRegistration: false } } : {}),
        },
        workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
      },
    });
    await client.connection.sendNotification('initialized', {});
    return client;
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolve once `check` returns a value other than undefined (checked now and after each message). */
  async until<T>(check: () => T | undefined, what: string, timeoutMs = 20_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; log:\n${this.logs.join('\n')}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Wait until the diagnostics published for a file satisfy a condition. */
  diagnosticsFor(
    file: string,
    ok: (d: Diagnostic[]) => boolean,
    what = 'diagnostics',
    timeoutMs = 60_000,
  ): Promise<Diagnostic[]> {
    return this.until(
      () => {
        const d = this.diagnostics.get(uri(file));
        return d !== undefined && ok(d) ? d : undefined;
      },
      `${what} of ${file}`,
      timeoutMs,
    );
  }

  async open(file: string, text: string): Promise<void> {
    this.versions.set(file, 1);
    await this.connection.sendNotification('textDocument/didOpen', {
      textDocument: { uri: uri(file), languageId: 'yaml', version: 1, text },
    });
  }

  /** Replace the whole text of an open document. */
  async change(file: string, text: string): Promise<void> {
    const version = (this.versions.get(file) ?? 1) + 1;
    this.versions.set(file, version);
    await this.connection.sendNotification('textDocument/didChange', {
      textDocument: { uri: uri(file), version },
      contentChanges: [{ text }],
    });
  }

  async close(file: string): Promise<void> {
    await this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uri(file) } });
  }

  request<T>(method: string, params: unknown): Promise<T> {
    return this.connection.sendRequest<T>(method, params);
  }

  /** shutdown then exit; resolves to the server's exit code. */
  async stop(): Promise<number | null> {
    await this.connection.sendRequest('shutdown');
    await this.connection.sendNotification('exit');
    const code = await this.exitCode;
    this.connection.dispose();
    return code;
  }

  kill(): void {
    this.connection.dispose();
    this.process.kill();
  }
}
