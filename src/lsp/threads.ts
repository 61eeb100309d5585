/**
 * The language server's threads: the analysis worker (worker.ts) and the parse helper (parse-worker.ts).
 * They run the same build as the protocol thread. When the server runs from the bundle of the command line
 * (scripts/bundle.ts), a thread starts the launcher (bin/kubewire.js) again, which compiles the bundle from
 * its code cache, and the bundle's entry (cli/run.ts) runs the thread's module by its role: loading the
 * engine, the rules and the schemas then costs a thread what it costs a lint from the command line. When the
 * server runs from the compiled tree, a thread starts from its own module.
 */
import { Worker } from 'node:worker_threads';

export type ThreadRole = 'analysis' | 'parse';

/** What a thread is given (its `workerData`): its role, and the data of that role. */
export interface ThreadData {
  kubewireThread: ThreadRole;
  data: unknown;
}

const MODULES: Readonly<Record<ThreadRole, string>> = { analysis: './worker.js', parse: './parse-worker.js' };

/** The role of the current thread when the language server started it, else undefined. */
export function threadRole(workerData: unknown): ThreadRole | undefined {
  const role = (workerData as Partial<ThreadData> | null | undefined)?.kubewireThread;
  return role === 'analysis' || role === 'parse' ? role : undefined;
}

/** Start a thread of the language server; its module reads `data` with `threadData()`. */
export function startThread(role: ThreadRole, data?: unknown): Worker {
  const here = import.meta.url;
  // In the bundle, import.meta.url is the bundle's own file (dist/src/bundle/kubewire.cjs).
  const file = here.endsWith('.cjs') ? new URL('../../../bin/kubewire.js', here) : new URL(MODULES[role], here);
  return new Worker(file, { workerData: { kubewireThread: role, data } satisfies ThreadData, argv: [] });
}

/** The data a thread was started with. */
export function threadData(workerData: unknown): unknown {
  return (workerData as ThreadData | null)?.data;
}
