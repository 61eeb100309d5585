/**
 * Reading a large workspace on two cores: the analysis worker reads every file (it alone knows how
 * discovery named them) and hands about half of the bytes to a parse helper thread (parse-worker.ts),
 * parsing the other half itself meanwhile. Each file is parsed once, by exactly the code the command line
 * uses; the helper's Sources come back in the cache's form (see parsed-file.ts). Used for the first load
 * of a folder and for reloads, when many files are read at once and a core is idle; a single changed file
 * is read in place.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { readSource } from '../cli/files.js';
import { createSource } from '../load/source.js';
import type { Source } from '../types.js';
import { restoreSource } from './parsed-file.js';
import type { ParseRequest, ParsedFile } from './parsed-file.js';
import { startThread } from './threads.js';

/** Below this many files, a helper thread costs more than it saves. */
export const PARALLEL_FROM = 48;

class ParseHelper {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, { resolve: (p: ParsedFile) => void; reject: (e: Error) => void }>();
  private next = 0;
  failed = false;

  constructor() {
    this.worker = startThread('parse');
    this.worker.unref();
    this.worker.on('message', (parsed: ParsedFile) => {
      this.waiting.get(parsed.id)?.resolve(parsed);
      this.waiting.delete(parsed.id);
    });
    const fail = (error: Error) => {
      this.failed = true;
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => {
      fail(new Error(`the parse helper stopped (exit code ${String(code)})`));
    });
  }

  parse(file: string, bytes: Uint8Array, maxBytes: number): Promise<ParsedFile> {
    if (this.failed) return Promise.reject(new Error('the parse helper stopped'));
    const id = this.next++;
    return new Promise<ParsedFile>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // A copy whose memory moves to the helper: the buffer readFile gives may be a view of a larger one.
      const copy = new Uint8Array(bytes);
      this.worker.postMessage({ id, file, bytes: copy, maxBytes } satisfies ParseRequest, [copy.buffer]);
    });
  }
}

let helper: ParseHelper | undefined;

/** For the tests: the helper parses whatever the number of files and the load of the machine. */
const ALWAYS = process.env.KUBEWIRE_LSP_PARSE_HELPER === 'always';

/**
 * Whether a second thread can help: more than one core, and one of them idle (the load average of the last
 * minute below the number of cores minus one); else the helper's extra work (handing the files over) only
 * adds to the load. Starts the helper, so that it is ready when needed.
 */
export function warmParseHelper(): boolean {
  const cores = os.availableParallelism();
  if (!ALWAYS && (cores < 2 || (os.loadavg()[0] ?? 0) > cores - 1)) return false;
  if (helper === undefined || helper.failed) helper = new ParseHelper();
  return true;
}

/**
 * Read `files` (relative to `root`) into Sources, in order, parsing about half of the bytes in the helper
 * thread. A file the helper cannot parse (it stopped) is parsed here: the result is the same either way.
 */
export async function readSourcesShared(root: string, files: readonly string[]): Promise<Source[]> {
  if ((files.length < PARALLEL_FROM && !ALWAYS) || !warmParseHelper() || helper === undefined) {
    const out: Source[] = [];
    for (const file of files) out.push(await readSource(root, file));
    return out;
  }
  const parser = helper;
  const out: Promise<Source>[] = [];
  let here = 0;
  let there = 0;
  for (const file of files) {
    const helped: { source?: Promise<Source> } = {};
    const source = await readSource(root, file, undefined, {
      source(name, bytes, maxBytes) {
        if (there > here) {
          here += bytes.byteLength;
          return undefined; // readSource parses it here
        }
        there += bytes.byteLength;
        helped.source = parser
          .parse(name, bytes, maxBytes)
          .then(restoreSource, () => createSource(name, bytes, { maxBytes }));
        return STAND_IN; // replaced by the helper's Source
      },
    });
    out.push(helped.source ?? Promise.resolve(source));
  }
  return Promise.all(out);
}

/** What readSource returns for a file handed to the helper; never kept. */
const STAND_IN: Source = Object.freeze({
  path: '',
  text: '',
  lineCounter: undefined as never,
  documents: [],
  problems: [],
  skipped: undefined,
});
