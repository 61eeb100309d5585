/**
 * A file parsed by the language server's parse helper thread (parse-worker.ts), which parses part of a
 * large workspace while the analysis worker parses the rest, so that the first diagnostics use both cores.
 * The helper gets a file's bytes (read by the analysis worker, which alone knows how discovery named the
 * file) and answers with the Source in the form the command line's cache keeps (src/cli/cache.ts): the
 * text, the parse problems and, per document, the plain value and the position tree. The analysis worker
 * restores it the way the cache restores a file (`restoreSource`); every reader goes through
 * `documentsOf()`, which reads both forms alike.
 */
import { cachedDocument, documentsOf } from '../load/documents.js';
import { loadObjects } from '../load/objects.js';
import { createSource, lineCounterFor } from '../load/source.js';
import { serverView } from '../model/decode.js';
import type { CachedDocument, Source, SourceProblem, SourceSkip } from '../types.js';

/** What the helper is asked: one file. */
export interface ParseRequest {
  id: number;
  file: string;
  bytes: Uint8Array;
  maxBytes: number;
}

/** A parsed file, as plain data (structured-cloned between the threads). */
export interface ParsedFile {
  id: number;
  path: string;
  text: string;
  problems: readonly SourceProblem[];
  skipped: SourceSkip | undefined;
  cached: readonly CachedDocument[] | undefined;
}

/** The helper's side: parse, and turn the Source into plain data. */
export function parsedFile(request: ParseRequest): ParsedFile {
  const source = createSource(request.file, request.bytes, { maxBytes: request.maxBytes });
  // What the lint derives from a document alone and keeps with it (the API server's reading of each
  // object), computed here too, as a cached file carries it: else the restored file is parsed again for it.
  if (source.skipped === undefined) for (const object of loadObjects([source]).objects) serverView(object);
  return {
    id: request.id,
    path: source.path,
    text: source.text,
    problems: source.problems,
    skipped: source.skipped,
    // A skipped file has no documents; the others keep theirs as the cache does.
    cached: source.skipped === undefined ? documentsOf(source).map(cachedDocument) : undefined,
  };
}

/** The analysis worker's side: the Source of a file the helper parsed. */
export function restoreSource(parsed: ParsedFile): Source {
  return {
    path: parsed.path,
    text: parsed.text,
    lineCounter: lineCounterFor(parsed.text),
    documents: [],
    problems: parsed.problems,
    skipped: parsed.skipped,
    ...(parsed.cached === undefined ? {} : { cached: parsed.cached }),
  };
}
