/**
 * Turning bytes into a Source: encoding checks, template detection and one YAML parse that keeps
 * every node's offsets. Pure: the caller reads the file.
 */
import { CST, Lexer, LineCounter, isPair, isScalar, parseAllDocuments, visit } from 'yaml';
import type { Document } from 'yaml';
import type { OffsetRange, Source, SourceProblem, SourceSkip } from '../types.js';
import { TOO_DEEP } from './data.js';
import { fastDocuments } from './fast.js';
import type { FastDocument } from './fast.js';

export interface SourceOptions {
  /** Files larger than this are not parsed (default 32 MiB). */
  maxBytes?: number;
}

export const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;

/** Build a Source from a file's content. Never throws. */
export function createSource(path: string, content: string | Uint8Array, options: SourceOptions = {}): Source {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const size = typeof content === 'string' ? content.length : content.byteLength;
  if (size > maxBytes) return tooLargeSource(path, size, maxBytes);
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else {
    const decoded = decode(content);
    if ('skip' in decoded) return skippedSource(path, decoded.text, decoded.skip);
    text = decoded.text;
  }
  if (text.includes('\0')) {
    const at = text.indexOf('\0');
    return skippedSource(path, text.slice(0, at), {
      reason: 'binary',
      message: 'file contains NUL bytes: it looks binary, not YAML or JSON',
      range: [at, at],
    });
  }
  const template = findTemplateSyntax(text);
  if (template !== undefined) {
    return skippedSource(path, text, {
      reason: 'template',
      message:
        'file contains Go/Helm template syntax ({{ … }}) outside of strings: render it first ' +
        '(`helm template … | kubewire -`) and lint the output',
      range: [template, template + 2],
    });
  }
  return parseSource(path, text);
}

function skippedSource(path: string, text: string, skip: SourceSkip): Source {
  return { path, text, lineCounter: lineCounterFor(text), documents: [], problems: [], skipped: skip };
}

/** A file over the size limit, reported without its content (the caller need not read it). */
export function tooLargeSource(path: string, size: number, maxBytes: number): Source {
  return skippedSource(path, '', {
    reason: 'too-large',
    message: `file is ${formatBytes(size)}, over the ${formatBytes(maxBytes)} limit; split it, or raise the limit with --max-file-size`,
    range: [0, 0],
  });
}

/** Report unreadable paths the same way as other unlintable files. */
export function unreadableSource(path: string, reason: string, what: 'file' | 'folder' = 'file'): Source {
  return skippedSource(path, '', { reason: 'unreadable', message: `cannot read ${what}: ${reason}`, range: [0, 0] });
}

export function lineCounterFor(text: string): LineCounter {
  const lc = new LineCounter();
  lc.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lc.addNewLine(i + 1);
  return lc;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function decode(bytes: Uint8Array): { text: string } | { text: string; skip: SourceSkip } {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return {
      text: '',
      skip: { reason: 'encoding', message: 'file is UTF-16 encoded; convert it to UTF-8', range: [0, 0] },
    };
  }
  const sniff = bytes.subarray(0, 8192);
  const nul = sniff.indexOf(0);
  if (nul !== -1) {
    return {
      text: '',
      skip: { reason: 'binary', message: 'file contains NUL bytes: it looks binary, not YAML or JSON', range: [0, 0] },
    };
  }
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    const text = utf8.decode(bytes.subarray(0, bad));
    return {
      text,
      skip: {
        reason: 'encoding',
        message:
          `file is not valid UTF-8 (byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')} ` +
          `at offset ${String(bad)}); re-save it as UTF-8`,
        range: [text.length, text.length],
      },
    };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const len = b < 0x80 ? 1 : b >= 0xc2 && b < 0xe0 ? 2 : b >= 0xe0 && b < 0xf0 ? 3 : b >= 0xf0 && b < 0xf5 ? 4 : 0;
    if (len === 0 || i + len > bytes.length) return i;
    try {
      utf8.decode(bytes.subarray(i, i + len));
    } catch {
      return i;
    }
    i += len;
  }
  return i;
}

const PROMETHEUS_TEMPLATE = /^-?\s*\$(labels|value|externalLabels|externalURL)\b/;

const CONTROL_TOKENS = new Set(['\u0002', '\u0018', '\u001f']);

/**
 * Offset of the first `{{` that YAML reads as two flow-mapping openers, i.e. template syntax in a
 * structural position. `{{` inside quoted, block or plain-scalar strings and in comments is data.
 */
export function findTemplateSyntax(text: string): number | undefined {
  if (!text.includes('{{')) return undefined;
  let offset = 0;
  let previousOpen = -2;
  for (const token of new Lexer().lex(text)) {
    if (CONTROL_TOKENS.has(token)) continue;
    if (token === '{' && CST.tokenType(token) === 'flow-map-start') {
      // Prometheus and Alertmanager templates (`{{ $labels.instance }}`) left unquoted are a YAML
      // mistake in a manifest, not a chart to render: the parser reports them.
      if (previousOpen === offset - 1 && !PROMETHEUS_TEMPLATE.test(text.slice(offset + 1, offset + 40)))
        return previousOpen;
      previousOpen = offset;
    }
    offset += token.length;
  }
  return undefined;
}

/** How many alias dereferences one document may make when turned into plain data. */
export const MAX_ALIAS_COUNT = 1000;

/** The one YAML parse of a text (also used to bring back the nodes of a file restored from the cache). */
export function parseYaml(text: string): ReturnType<typeof parseAllDocuments> {
  return parseAllDocuments(withoutDocumentBoms(text), {
    // The library's default ('warn') prints through process.emitWarning, e.g. when toJS() meets a
    // mapping key that is itself a collection: the core never prints.
    logLevel: 'error',
    uniqueKeys: true,
    prettyErrors: false,
    keepSourceTokens: false,
    strict: true,
    // kubectl (through sigs.k8s.io/yaml) applies YAML 1.1 merge keys (`<<: *defaults`).
    merge: true,
  });
}

const fastParsed = new WeakMap<Source, readonly FastDocument[]>();

let fastPath = true;

/** Turn the fast parse path off or on (the differential tests compare whole reports both ways). */
export function useFastParse(enabled: boolean): void {
  fastPath = enabled;
}

/** The documents of a source read by the fast path (src/load/fast.ts), if it was. */
export function fastDocumentsOf(source: Source): readonly FastDocument[] | undefined {
  return fastParsed.get(source);
}

/** The `yaml` Documents of a text as parseSource keeps them. */
function yamlDocuments(parsed: ReturnType<typeof parseYaml>): Document.Parsed[] {
  const docs: Document.Parsed[] = [];
  // A loop, not push(...documents): a spread of 130,000 empty documents overflows the stack.
  if (!('empty' in parsed)) for (const d of parsed as Document.Parsed[]) docs.push(d);
  return docs;
}

function parseSource(path: string, text: string): Source {
  // Line starts come from the text itself, not from the parser's `lineCounter` option: the parser
  // skips the newlines of tokens it drops while recovering from an error (a stray `]` or `}` at the
  // start of a line), which shifted every later position of the file by a line.
  const lineCounter = lineCounterFor(text);
  const json = /\.json$/i.test(path);
  // The fast path reads what the `yaml` parser reads without a problem; anything else is parsed below.
  const fast =
    !fastPath || (json && findJsonComment(text) !== undefined) ? undefined : fastDocuments(withoutDocumentBoms(text));
  if (fast !== undefined) {
    let parsed: readonly Document.Parsed[] | undefined;
    const source: Source = {
      path,
      text,
      lineCounter,
      // The `yaml` Documents, for the few readers that need nodes: parsed only when asked for.
      get documents() {
        parsed ??= yamlDocuments(parseYaml(text));
        return parsed;
      },
      problems: [],
      skipped: undefined,
    };
    fastParsed.set(source, fast);
    return source;
  }
  const documents = parseYaml(text);
  const problems: SourceProblem[] = [];
  const docs = yamlDocuments(documents);
  if ('empty' in documents) {
    // A stream with no document at all (empty, or only comments) still reports its errors.
    for (const e of documents.errors)
      problems.push({ kind: 'yaml-error', message: yamlMessage(e.code, e.message), range: e.pos });
  }
  const syntaxErrors: LocatedError[] = [];
  for (const doc of docs) {
    // After the first real syntax error of a document the parser's later complaints are mostly
    // consequences of it: report the first only. Duplicate keys are independent and all reported.
    let syntaxReported = false;
    for (const e of doc.errors) {
      const duplicate = e.code === 'DUPLICATE_KEY';
      if (!duplicate && syntaxReported) continue;
      syntaxReported ||= !duplicate;
      const problem: SourceProblem = {
        kind: duplicate ? 'duplicate-key' : 'yaml-error',
        message: yamlMessage(e.code, e.message),
        range: e.pos,
      };
      if (duplicate) {
        const key = keyStartingAt(doc, e.pos[0]);
        if (key !== undefined) problem.key = key;
      }
      problems.push(problem);
      if (!duplicate) syntaxErrors.push({ problem, opener: openerOf(e.code, e.message) });
    }
    for (const w of doc.warnings)
      problems.push({ kind: 'yaml-warning', message: yamlMessage(w.code, w.message), range: w.pos });
  }
  relocateSyntaxErrors(text, syntaxErrors);
  const jsonComment = /\.json$/i.test(path) ? findJsonComment(text) : undefined;
  if (jsonComment !== undefined && /"(apiVersion|kind)"\s*:/.test(text)) {
    // YAML reads `// …` in a flow mapping as a key: the file would be linted as something it is not.
    problems.push({
      kind: 'yaml-error',
      message:
        'JSON does not allow comments; kubectl rejects this file (remove the comment, or write the manifest as YAML)',
      range: [jsonComment, jsonComment + 2],
    });
    return { path, text, lineCounter, documents: [], problems, skipped: undefined };
  }
  if (
    (jsonComment !== undefined || problems.some((p) => p.kind === 'yaml-error')) &&
    /\.json$/i.test(path) &&
    !/"(apiVersion|kind)"\s*:/.test(text)
  ) {
    // A JSON file that does not parse and names no apiVersion or kind (tsconfig.json with comments,
    // JSON5 settings) is not a manifest: skip it quietly, like any other non-Kubernetes document.
    return { path, text, lineCounter, documents: [], problems: [], skipped: undefined };
  }
  return { path, text, lineCounter, documents: docs, problems, skipped: undefined };
}

/** Offset of the first `//` or `/*` comment outside a string of a JSON text, if any. */
function findJsonComment(text: string): number | undefined {
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) return i;
  }
  return undefined;
}

/**
 * kubectl decodes each document on its own, so a byte-order mark at the start of any document is an
 * encoding mark there, not text. Each is replaced by a line break, which keeps every offset (positions
 * come from the original text) and which YAML reads as an empty line.
 */
function withoutDocumentBoms(text: string): string {
  if (!text.includes('\uFEFF')) return text;
  return text.replace(/(^|^(?:---|\.\.\.)[^\n]*\n)\uFEFF/gm, '$1\n');
}

/**
 * Where a syntax error should point. The parser notices an unclosed quote only where the string
 * ends (often the end of the file, documents later), so point at the opening quote instead, and
 * likewise at the opening bracket of a flow collection that is never closed; an indentation error
 * it places on the first space of a line, so point at the misplaced token.
 */
function relocateSyntaxErrors(text: string, errors: readonly LocatedError[]): void {
  const queries = errors.filter((e) => e.opener !== undefined);
  if (queries.length > 0) findOpeners(text, queries);
  for (const e of errors) {
    e.problem.range = e.found !== undefined ? [e.found, e.found + 1] : indentedRange(text, e.problem.range);
  }
}

interface LocatedError {
  problem: SourceProblem;
  /** What opened the construct the parser complains about, when it is worth finding. */
  opener: 'quote' | 'flow' | undefined;
  found?: number | undefined;
}

function openerOf(code: string, message: string): LocatedError['opener'] {
  if (code === 'MISSING_CHAR' && /^Missing closing ['"]?quote/.test(message)) return 'quote';
  if (
    (code === 'BAD_INDENT' || code === 'MISSING_CHAR') &&
    /^Flow (map|sequence) (in block collection|must end)/.test(message)
  )
    return 'flow';
  return undefined;
}

/**
 * One pass of the lexer over the text finds, for every error offset, the quoted scalar running up
 * to (or over) it, or the innermost flow collection (`{`, `[`) still open there.
 */
function findOpeners(text: string, queries: readonly LocatedError[]): void {
  const pending = [...queries].sort((a, b) => a.problem.range[0] - b.problem.range[0]);
  let next = 0;
  let position = 0;
  const open: number[] = [];
  let quoted: OffsetRange | undefined;
  const answerUpTo = (limit: number) => {
    for (let q = pending[next]; q !== undefined && q.problem.range[0] <= limit; q = pending[++next]) {
      const offset = q.problem.range[0];
      q.found = q.opener === 'flow' ? open.at(-1) : quoted !== undefined && quoted[1] >= offset ? quoted[0] : undefined;
    }
  };
  for (const token of new Lexer().lex(text)) {
    answerUpTo(position);
    if (next >= pending.length) return;
    if (CONTROL_TOKENS.has(token)) {
      if (token === '\u0018') open.length = 0; // the lexer ended the open collections at an earlier error
      continue;
    }
    const type = CST.tokenType(token);
    if (type === 'flow-map-start' || type === 'flow-seq-start') open.push(position);
    else if (type === 'flow-map-end' || type === 'flow-seq-end') open.pop();
    else if (type === 'double-quoted-scalar' || type === 'single-quoted-scalar')
      quoted = [position, position + token.length];
    position += token.length;
  }
  answerUpTo(Infinity);
}

/** A range on the indentation of a line moved to the line's first token. */
function indentedRange(text: string, range: OffsetRange): OffsetRange {
  const start = range[0];
  if (text[start] !== ' ') return range;
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  if (!/^ *$/.test(text.slice(lineStart, start))) return range;
  let first = start;
  while (text[first] === ' ') first++;
  const next = text[first];
  if (next === undefined || next === '\n' || next === '\r' || next === '#') return range;
  return [first, Math.max(first + 1, range[1])];
}

const MESSAGES: Record<string, string> = {
  TAB_AS_INDENT: 'tab character used for indentation; YAML allows only spaces',
  DUPLICATE_KEY: 'duplicate key: the later value silently replaces the earlier one',
  BAD_INDENT: 'bad indentation',
  MISSING_CHAR: 'missing character',
  MULTIPLE_DOCS: 'several documents without a `---` separator',
};

function yamlMessage(code: string, message: string): string {
  const first = message.split('\n')[0] ?? message;
  if (/call stack/i.test(first)) return TOO_DEEP;
  if (/^Missing closing ['"]?quote/.test(first)) {
    return (
      'quoted string is not closed, or one of its continuation lines is indented no deeper than its key ' +
      '(YAML 1.2 requires indenting continuation lines)'
    );
  }
  const lead = MESSAGES[code];
  if (lead === undefined || code === 'BAD_INDENT' || code === 'MISSING_CHAR') return lowerFirst(first);
  return lead;
}

function lowerFirst(s: string): string {
  return s.length > 1 && /^[A-Z]([a-z]|\s)/.test(s) ? s.charAt(0).toLowerCase() + s.slice(1) : s;
}

/** Offsets → 1-based positions. */
export function positionAt(source: Source, offset: number): { line: number; column: number } {
  const pos = source.lineCounter.linePos(Math.max(0, Math.min(offset, source.text.length)));
  return { line: pos.line, column: pos.col };
}

export function rangeToPositions(source: Source, range: OffsetRange) {
  const start = positionAt(source, range[0]);
  const end = positionAt(source, Math.max(range[0], range[1]));
  return { line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
}

/** The scalar key of the document that starts at an offset (where the parser reports a duplicate). */
function keyStartingAt(doc: Document.Parsed, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isPair(pair) && isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = String(pair.key.value);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
