/** Process entry point: wires the real process into main(). */
import { VERSION } from './version.js';

/** The only argument of the GitHub Action's run (action.yml): no path starts with `--`. */
const GITHUB_ACTION = '--github-action';

// The yaml parser reads process.env.LOG_TOKENS for every token, and process.env is a slow host
// object: a plain copy makes parsing about a quarter faster on large inputs.
process.env = { ...process.env };

// A reader that stops early (`kubewire … | head -1`) closes the pipe: stop writing, quietly, as Unix
// tools do, and keep the exit code.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The arguments of `kubewire lsp` as editors pass them: `--stdio`, and the editor's process id that
 * vscode-languageclient adds (`--clientProcessId=<pid>` or `--clientProcessId <pid>`: the server library
 * exits when that process is gone). bin/kubewire.js starts the analysis worker early for the same arguments.
 */
function lspArguments(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--stdio' || (a !== undefined && /^--clientProcessId=\d+$/.test(a))) continue;
    if (a === '--clientProcessId' && /^\d+$/.test(args[i + 1] ?? '')) {
      i++;
      continue;
    }
    return false;
  }
  return true;
}

// No top-level await: the bundle of the command line (scripts/bundle.ts) is a CommonJS script.
async function start(argv: string[]): Promise<void> {
  // The language server's analysis worker started from the bundle (lsp/threads.ts) runs its own module only.
  // It is started with no arguments: a run with some does not load node:worker_threads (~2 ms) to ask.
  if (argv.length === 0) {
    const threads = process.getBuiltinModule('node:worker_threads');
    if (!threads.isMainThread && (await import('../lsp/threads.js')).isAnalysisWorker(threads.workerData as unknown)) {
      await import('../lsp/worker.js');
      return;
    }
  }
  // `kubewire --version` needs none of the engine, rules or schemas: answer before loading them.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-v')) {
    process.stdout.write(`${VERSION}\n`);
    return;
  }
  // `kubewire lsp --stdio` needs none of the command line either: the server starts without loading it (the
  // analysis worker loads the engine, rules and schemas in its own thread, in parallel).
  if (argv[0] === 'lsp' && lspArguments(argv.slice(1))) {
    (await import('../lsp/server.js')).startServer();
    return;
  }
  // Once a run is over (its event loop empty: output written, files closed), exit at once rather than let Node
  // tear down the heap and the environment, which cost a lint of one small file some 15 ms of CPU.
  // process.exit() still emits 'exit' (the launcher writes the code cache then) and keeps process.exitCode.
  process.once('beforeExit', () => process.exit());
  // The GitHub Action (action.yml): inputs from the INPUT_* environment variables; started through
  // bin/kubewire.js like any run, so that it gets the bundle and its code cache.
  if (argv.length === 1 && argv[0] === GITHUB_ACTION) {
    const { runAction } = await import('./action.js');
    process.exitCode = await runAction({ ...process.env }, process.stdout);
    return;
  }
  const { main } = await import('./main.js');
  process.exitCode = await main(argv, {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    readStdin,
  });
}

void start(process.argv.slice(2));
