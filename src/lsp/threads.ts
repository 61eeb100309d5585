/**
 * The language server's analysis worker (worker.ts) runs the same build as the protocol thread. When the
 * server runs from the bundle of the command line (scripts/bundle.ts), the worker starts the launcher
 * (bin/kubewire.js) again, which compiles the bundle from its code cache, and the bundle's entry
 * (cli/run.ts) runs the worker's module: loading the engine, the rules and the schemas then costs the worker
 * what it costs a lint from the command line. The launcher starts the first worker of `kubewire lsp` itself,
 * before it compiles the bundle for the protocol thread, so that both threads start at once; the server
 * takes that worker (`startAnalysisWorker`). When the server runs from the compiled tree, the worker starts
 * from its own module.
 *
 * The worker is marked by its `workerData` (`{ kubewireAnalysisWorker: true }`, which the launcher writes
 * too) and gets its data as its first message.
 */
import { Worker } from 'node:worker_threads';

/** The global under which the launcher leaves the worker it started early. */
const EARLY = Symbol.for('kubewire.analysisWorker');

/** The first message to the worker: its data. */
interface AnalysisWorkerStart {
  kubewireAnalysisWorkerData: unknown;
}

/** Whether this thread is the analysis worker (from its `workerData`). */
export function isAnalysisWorker(workerData: unknown): boolean {
  return (workerData as { kubewireAnalysisWorker?: unknown } | null | undefined)?.kubewireAnalysisWorker === true;
}

/** Start the analysis worker (or take the one the launcher started) and send it `data`. */
export function startAnalysisWorker(data: unknown): Worker {
  const global = globalThis as { [EARLY]?: Worker };
  let worker = global[EARLY];
  global[EARLY] = undefined;
  if (worker === undefined) {
    const here = import.meta.url;
    // In the bundle, import.meta.url is the bundle's own file (dist/src/bundle/kubewire.cjs).
    const file = here.endsWith('.cjs') ? new URL('../../../bin/kubewire.js', here) : new URL('./worker.js', here);
    worker = new Worker(file, { workerData: { kubewireAnalysisWorker: true }, argv: [] });
  }
  worker.postMessage({ kubewireAnalysisWorkerData: data } satisfies AnalysisWorkerStart);
  return worker;
}

/** The worker's side: its data, from its first message. */
export function analysisWorkerData(message: unknown): { data: unknown } | undefined {
  const m = message as Partial<AnalysisWorkerStart> | null | undefined;
  return m !== null && typeof m === 'object' && 'kubewireAnalysisWorkerData' in m
    ? { data: m.kubewireAnalysisWorkerData }
    : undefined;
}
