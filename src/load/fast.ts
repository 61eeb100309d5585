/**
 * The fast parse path: js-yaml's event parser (`parseEvents`, a flat list of events with source offsets)
 * composed here, without recursion, into what the rest of kubewire reads of a document: the plain value
 * (resolved with the YAML 1.2 core schema exactly as the `yaml` package resolves it), the position tree
 * with the ranges the `yaml` package gives its nodes, and the API server's YAML 1.1 view of the document
 * (src/model/decode.ts), sharing every subtree the two views read alike.
 *
 * It is only a shortcut: whenever the text uses something whose reading it does not reproduce exactly
 * (syntax errors, duplicate keys, tags, directives, merge keys, complex or empty keys, alias problems, tabs,
 * deep nesting, …) it returns undefined and the caller parses with the `yaml` package as before.
 * test/fast-parse.test.ts checks that both paths agree on the corpus, the fixtures and generated YAML.
 */
import { parseEvents, getScalarValue } from 'js-yaml';
import type { Event, ScalarEvent } from 'js-yaml';
import { packPositions } from './positions.js';
import type { MapPositions, PackedPositions, PositionNode, SeqPositions } from './positions.js';
import type { DecodeQuirk, Path } from '../types.js';
import { goKeyString, resolvePlain, sameValue } from '../model/decode.js';
import { MAX_EXPANDED_NODES } from './data.js';

/** One document as the fast path reads it. */
export interface FastDocument {
  readonly start: number;
  readonly isMap: boolean;
  readonly isSeq: boolean;
  readonly value: unknown;
  /** Packed as soon as the document is read: the tree of arrays costs about six times as much. */
  readonly positions: PackedPositions;
  /** The API server's reading of the whole document (src/model/decode.ts), quirk paths from the document root. */
  readonly server: { readonly value: unknown; readonly quirks: readonly DecodeQuirk[] };
}

/** Collections nested deeper than this go to the `yaml` parser (which reports what it cannot read). */
const MAX_DEPTH = 400;

/** Longest implicit key the `yaml` parser accepts without an error (it reports keys over 1024 characters). */
const MAX_KEY_LENGTH = 1000;

/** Thrown inside the composer when the text needs the `yaml` parser; never escapes this module. */
class Fallback extends Error {}

const fallback = (why: string): never => {
  throw new Fallback(why);
};

interface Built {
  /** The YAML 1.2 value. */
  v12: unknown;
  /** The API server's value (the same reference when it reads alike). */
  v11: unknown;
  pos: PositionNode;
  /** Nodes this one expands to through aliases (src/load/data.ts counts the same way). */
  size: number;
  kind: 'scalar' | 'empty' | 'block-scalar' | 'block' | 'flow' | 'alias';
  /** Where the node ends: its range's end, for a block collection with the trailing comments it keeps. */
  end: number;
}

interface Frame {
  map: boolean;
  flow: boolean;
  start: number;
  anchor: string | undefined;
  v12: unknown[] | Record<string, unknown>;
  v11: unknown[] | Record<string, unknown> | undefined;
  keys: (string | null)[];
  keyRanges: number[];
  items: (PositionNode | null)[];
  seen: Set<unknown>;
  /** The pending key of a mapping (its string, its value, its range, its quirk). */
  key: { name: string; value: unknown; start: number; end: number } | undefined;
  size: number;
  last: Built | undefined;
  /** Where the last child (or the key) ended: empty values are looked for from there. */
  cursor: number;
}

interface Anchor {
  built: Built | undefined;
}

/** The documents of a text, or undefined when the `yaml` parser must read it. Never throws. */
export function fastDocuments(text: string): FastDocument[] | undefined {
  if (text.includes('\t')) return undefined;
  const composer = new Composer(text);
  try {
    for (const [start, end] of pieces(text)) {
      let events: Event[];
      try {
        events = parseEvents(start === 0 && end === text.length ? text : text.slice(start, end), {
          maxDepth: MAX_DEPTH,
        });
      } catch {
        return undefined;
      }
      if (start > 0) shiftEvents(events, start);
      composer.read(events);
    }
    return composer.documents();
  } catch (error) {
    if (error instanceof Fallback) return undefined;
    throw error;
  }
}

/**
 * 64 KiB: a piece's events then die young, in V8's young generation. Pieces of 1 MiB lived long enough to be
 * moved to the old generation, where they stayed as garbage until a full collection: parsing a 10 MB manifest
 * peaked at 242 MB of memory, against 159 MB with 64 KiB pieces (and 3.8 s of CPU time against 2.7 s).
 */
let pieceLength = 1 << 16;

/** Set how long the pieces of a text parsed apart are (the differential tests make them tiny); returns the last. */
export function setPieceLength(length: number): number {
  const before = pieceLength;
  pieceLength = length;
  return before;
}

/** A line that starts a document: `---` at the start of a line, then a space, a line break or the end. */
const DOCUMENT_START = /^---(?=[ \r\n]|$)/gm;

/**
 * The text in pieces of about `pieceLength` characters, each ending where a line starts a document. js-yaml's
 * event list for a whole text costs about 100 bytes per node, which for a 50 MB stream of documents is gigabytes;
 * parsed a piece at a time, only one piece's events live at once. A document marker at the start of a line ends
 * whatever came before it (YAML forbids it inside scalars and collections), so the pieces read as the whole does.
 */
function* pieces(text: string): Generator<[number, number]> {
  let start = 0;
  while (text.length - start > pieceLength) {
    DOCUMENT_START.lastIndex = start + pieceLength;
    const next = DOCUMENT_START.exec(text);
    if (next === null) break;
    yield [start, next.index];
    start = next.index;
  }
  yield [start, text.length];
}

/** Make the offsets of a piece's events offsets into the whole text (-1 stays: absent). */
function shiftEvents(events: Event[], by: number): void {
  const shift = (n: number) => (n < 0 ? n : n + by);
  for (const e of events) {
    switch (e.type) {
      case 2:
      case 3:
        e.start = shift(e.start);
        break;
      case 4:
        e.valueStart = shift(e.valueStart);
        e.valueEnd = shift(e.valueEnd);
        break;
      case 5:
        e.anchorStart = shift(e.anchorStart);
        e.anchorEnd = shift(e.anchorEnd);
        continue;
      default:
        continue;
    }
    e.anchorStart = shift(e.anchorStart);
    e.anchorEnd = shift(e.anchorEnd);
    e.tagStart = shift(e.tagStart);
    e.tagEnd = shift(e.tagEnd);
  }
}

const CORE_FIRST = /^[-+.0-9~nNtTfF]/;

/** A plain scalar as the `yaml` package's core schema resolves it (null, bool, int, float, else the string). */
export function resolveCore(s: string): unknown {
  if (s === '') return null;
  if (!CORE_FIRST.test(s)) return s;
  if (/^(?:~|[Nn]ull|NULL)$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === 't' || s[0] === 'T';
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s))
    return s.slice(-3).toLowerCase() === 'nan'
      ? NaN
      : s[0] === '-'
        ? Number.NEGATIVE_INFINITY
        : Number.POSITIVE_INFINITY;
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s)) return parseFloat(s);
  if (/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s)) return parseFloat(s);
  return s;
}

class Composer {
  private readonly stack: Frame[] = [];
  private anchors = new Map<string, Anchor>();
  private quirks: DecodeQuirk[] = [];
  private readonly out: FastDocument[] = [];
  /** Where the previous document ended (an empty document is found after it). */
  private previousEnd = 0;
  private root: Built | undefined;

  constructor(private readonly text: string) {}

  documents(): FastDocument[] {
    return this.out;
  }

  /** Compose the documents of a list of events (of the whole text, or of pieces of it in order). */
  read(events: readonly Event[]): void {
    for (const event of events) {
      switch (event.type) {
        case 1:
          if (event.directives.length > 0) fallback('directives');
          this.anchors = new Map();
          this.quirks = [];
          this.root = undefined;
          break;
        case 2:
        case 3:
          this.open(
            event.type === 3,
            event.style === 2,
            event.start,
            event.anchorStart,
            event.anchorEnd,
            event.tagStart,
          );
          break;
        case 4: {
          const parent = this.stack.at(-1);
          const built = this.scalar(event, parent);
          if (parent?.map === true && parent.key === undefined) this.setKey(parent, event, built);
          else this.add(built);
          break;
        }
        case 5:
          this.add(this.alias(event.anchorStart, event.anchorEnd));
          break;
        case 6:
          if (this.stack.length > 0) this.add(this.close());
          else this.endDocument();
          break;
      }
    }
  }

  private endDocument(): void {
    const root = this.root ?? fallback('document without contents');
    if (root.size > MAX_EXPANDED_NODES) fallback('alias bomb');
    const pos = root.pos;
    const isMap = pos[0] === 1;
    this.out.push({
      start: pos[0] === 4 ? 0 : pos[1],
      isMap,
      isSeq: pos[0] === 2,
      value: root.v12,
      positions: packPositions(pos),
      server: { value: root.v11, quirks: this.quirks },
    });
    this.previousEnd = this.nodeEnd(root, 0);
  }

  private anchorName(start: number, end: number): string | undefined {
    return start < 0 ? undefined : this.text.slice(start, end);
  }

  private open(map: boolean, flow: boolean, start: number, anchorStart: number, anchorEnd: number, tag: number) {
    if (tag >= 0) fallback('tag');
    const parent = this.stack.at(-1);
    if (parent?.map === true && parent.key === undefined) fallback('collection as a key');
    if (flow && this.text[start] !== (map ? '{' : '[')) fallback('implicit flow pair');
    const anchor = this.anchorName(anchorStart, anchorEnd);
    if (anchor !== undefined) this.anchors.set(anchor, { built: undefined });
    this.stack.push({
      map,
      flow,
      start,
      anchor,
      v12: map ? {} : [],
      v11: undefined,
      keys: [],
      keyRanges: [],
      items: [],
      seen: new Set(),
      key: undefined,
      size: 1,
      last: undefined,
      cursor: start,
    });
  }

  private close(): Built {
    const frame = this.stack.pop() ?? fallback('unbalanced events');
    if (frame.key !== undefined) fallback('key without value');
    let end: number;
    if (frame.flow) {
      end = this.closingBracket(frame.last === undefined ? frame.start + 1 : frame.last.end, frame.map ? '}' : ']');
      // The `yaml` parser rejects some comments at the start of a line inside a flow collection.
      const comment = this.stack.at(-1)?.flow === true ? -1 : this.text.indexOf('\n#', frame.start);
      if (comment !== -1 && comment < end) fallback('comment at column 0 in a flow collection');
    } else {
      end = frame.last === undefined ? frame.start : this.nodeEnd(frame.last, this.column(frame.start));
    }
    const pos: PositionNode = frame.map
      ? ([1, frame.start, end, frame.flow ? 1 : 0, frame.keys, frame.keyRanges, frame.items] as MapPositions)
      : ([2, frame.start, end, frame.items] as SeqPositions);
    const built: Built = {
      v12: frame.v12,
      v11: frame.v11 ?? frame.v12,
      pos,
      size: frame.size,
      kind: frame.flow ? 'flow' : 'block',
      end: frame.flow ? end : this.withTrailingComments(end, this.column(frame.start)),
    };
    if (frame.anchor !== undefined) this.anchors.set(frame.anchor, { built });
    return built;
  }

  private scalar(event: ScalarEvent, parent: Frame | undefined): Built {
    if (event.tagStart >= 0) fallback('tag');
    const { text } = this;
    let built: Built;
    if (event.valueStart < 0) {
      if (parent?.map === true && parent.key === undefined) fallback('empty key');
      if (parent?.flow === true) fallback('empty value in a flow collection');
      const at = this.emptyAt(parent);
      built = { v12: null, v11: null, pos: [0, at, at], size: 1, kind: 'empty', end: at };
    } else {
      const source = event.fast ? text.slice(event.valueStart, event.valueEnd) : getScalarValue(text, event);
      const style = event.style;
      if (style === 1) {
        const v12 = resolveCore(source);
        let v11: unknown = v12;
        if (parent?.map !== true || parent.key !== undefined) {
          // A value: the API server resolves it with YAML 1.1's rules (src/model/decode.ts).
          v11 = resolvePlain(source);
          if (!sameValue(v11, v12))
            this.quirks.push({ path: this.path(), key: false, written: source, yaml12: v12, server: v11 });
        }
        built = {
          v12,
          v11,
          pos: [0, event.valueStart, event.valueEnd],
          size: 1,
          kind: 'scalar',
          end: event.valueEnd,
        };
      } else if (style === 2 || style === 3) {
        const r: [number, number] = [event.valueStart - 1, event.valueEnd + 1];
        built = { v12: source, v11: source, pos: [0, r[0], r[1]], size: 1, kind: 'scalar', end: r[1] };
      } else {
        const r = this.blockScalarRange(event, parent);
        built = { v12: source, v11: source, pos: [0, r[0], r[1]], size: 1, kind: 'block-scalar', end: r[1] };
      }
    }
    const anchor = this.anchorName(event.anchorStart, event.anchorEnd);
    if (anchor !== undefined) this.anchors.set(anchor, { built });
    return built;
  }

  private alias(nameStart: number, nameEnd: number): Built {
    const parent = this.stack.at(-1);
    if (parent?.map === true && parent.key === undefined) fallback('alias as a key');
    const target = this.anchors.get(this.text.slice(nameStart, nameEnd))?.built ?? fallback('undefined or open anchor');
    return {
      v12: target.v12,
      v11: target.v11,
      pos: [3, nameStart - 1, nameEnd],
      size: target.size,
      kind: 'alias',
      end: nameEnd,
    };
  }

  /** A scalar in key position: remembered until its value comes. */
  private setKey(frame: Frame, event: ScalarEvent, built: Built): void {
    const value = built.v12;
    if (value === null || value === '<<' || value === '__proto__') fallback('null, merge or prototype key');
    const pos = built.pos;
    if (pos[0] !== 0) return fallback('key without range');
    const [, start, end] = pos;
    if (end - start > MAX_KEY_LENGTH) fallback('long key');
    // The `yaml` package calls keys duplicates when their values are `===` (so NaN never is).
    if (frame.seen.has(value) && !Number.isNaN(value)) fallback('duplicate key');
    const name = String(value);
    frame.key = { name, value, start, end };
    frame.cursor = end;
    if (event.style === 1) {
      // The decoder records a key's quirk before it reads the value.
      const written = this.text.slice(start, end);
      const serverKey = goKeyString(resolvePlain(written));
      if (serverKey !== name)
        this.quirks.push({ path: this.path(), key: true, written, yaml12: name, server: serverKey });
    }
  }

  /** The path from the document root to the node being added. */
  private path(): Path {
    const path: (string | number)[] = [];
    for (const frame of this.stack) {
      if (frame.map) path.push(frame.key?.name ?? '');
      else path.push(frame.items.length);
    }
    return path;
  }

  private add(built: Built): void {
    const frame = this.stack.at(-1);
    if (frame === undefined) {
      this.root = built;
      return;
    }
    if (frame.map) {
      const key = frame.key;
      if (key === undefined) return; // the key itself (setKey kept it)
      frame.key = undefined;
      frame.seen.add(key.value);
      frame.keys.push(key.name);
      frame.keyRanges.push(key.start, key.end);
      frame.items.push(built.pos);
      const v12 = frame.v12 as Record<string, unknown>;
      v12[key.name] = built.v12;
      if (frame.v11 === undefined && built.v11 !== built.v12) frame.v11 = { ...v12 };
      if (frame.v11 !== undefined) (frame.v11 as Record<string, unknown>)[key.name] = built.v11;
      frame.size += 1 + built.size;
    } else {
      const v12 = frame.v12 as unknown[];
      v12.push(built.v12);
      if (frame.v11 === undefined && built.v11 !== built.v12) frame.v11 = v12.slice();
      if (frame.v11 !== undefined) (frame.v11 as unknown[])[v12.length - 1] = built.v11;
      frame.items.push(built.pos);
      frame.size += built.size;
    }
    if (frame.size > MAX_EXPANDED_NODES) fallback('alias bomb');
    frame.last = built;
    frame.cursor = built.end;
  }

  /** Where the `yaml` package places an empty value: after its indicator (`:`, `-`, `---`) and the spaces after it. */
  private emptyAt(parent: Frame | undefined): number {
    const { text } = this;
    let i: number;
    if (parent === undefined) {
      i = this.documentStart(this.previousEnd);
    } else {
      i = this.skipBlank(parent.cursor);
      const indicator = parent.map ? ':' : '-';
      if (parent.map || parent.last !== undefined) {
        if (text[i] !== indicator) fallback('indicator not found');
        i++;
      } else if (text[i] === '-') i++;
      else fallback('indicator not found');
    }
    while (text[i] === ' ') i++;
    return i;
  }

  /** Skip spaces, line breaks and comments. */
  private skipBlank(from: number): number {
    const { text } = this;
    let i = from;
    for (;;) {
      const ch = text[i];
      if (ch === ' ' || ch === '\n' || ch === '\r') i++;
      else if (ch === '#') {
        const nl = text.indexOf('\n', i);
        i = nl === -1 ? text.length : nl;
      } else return i;
    }
  }

  /** After the `---` that opens an empty document (or where its contents would be). */
  private documentStart(from: number): number {
    const { text } = this;
    let i = from;
    for (;;) {
      i = this.skipBlank(i);
      const lineStart = i === 0 || text[i - 1] === '\n';
      const marker = text.slice(i, i + 3);
      const after = text[i + 3];
      if (lineStart && (marker === '---' || marker === '...') && (after === undefined || /\s/.test(after))) {
        i += 3;
        if (marker === '---') return i;
      } else return i;
    }
  }

  /** The closing bracket of a flow collection, after its last item. */
  private closingBracket(from: number, bracket: string): number {
    const { text } = this;
    let i = from;
    for (;;) {
      i = this.skipBlank(i);
      const ch = text[i];
      if (ch === ',') i++;
      else if (ch === bracket) return i + 1;
      else return fallback('flow collection end not found');
    }
  }

  /** The column of an offset. */
  private column(offset: number): number {
    return offset - (this.text.lastIndexOf('\n', offset - 1) + 1);
  }

  /**
   * The lines after `from` (a line start) up to the next line with content: where the run of blank and
   * comment lines ends (with that line's indentation), and the columns of its comments.
   */
  private run(from: number): { end: number; comments: number[]; lines: { end: number; comment: number }[] } {
    const { text } = this;
    const lines: { end: number; comment: number }[] = [];
    const comments: number[] = [];
    let i = from;
    while (i < text.length) {
      let j = i;
      while (text[j] === ' ') j++;
      const ch = text[j];
      let comment = -1;
      if (ch === '#') comment = j - i;
      else if (ch !== '\n' && ch !== '\r' && ch !== undefined) {
        // The indentation of the next line with content is still read as part of the run.
        i = j;
        break;
      }
      const nl = text.indexOf('\n', j);
      const end = nl === -1 ? text.length : nl + 1;
      if (comment !== -1) comments.push(comment);
      lines.push({ end, comment });
      i = end;
    }
    return { end: i, comments, lines };
  }

  /**
   * Where a node's last line ends (`range[2]` of the `yaml` package), as the last child of a block
   * collection indented `indent`: a value's own comment and line break, and comment lines indented
   * deeper than the collection right after it; an empty value, every comment and blank line after it.
   */
  private nodeEnd(built: Built, indent: number): number {
    const { text } = this;
    if (built.kind === 'block' || built.kind === 'block-scalar') return built.end;
    let i = built.end;
    if (built.kind === 'empty') {
      if (text[i] === '#' || text[i] === '\n' || text[i] === '\r') {
        const nl = text.indexOf('\n', i);
        const lineEnd = nl === -1 ? text.length : nl + 1;
        const after = this.run(lineEnd);
        if (text[i] === '#' || after.comments.length > 0) return after.end;
      }
      return i;
    }
    while (text[i] === ' ') i++;
    if (text[i] === '#') {
      const nl = text.indexOf('\n', i);
      i = nl === -1 ? text.length : nl + 1;
    } else if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (text[i] === '\n') i++;
    else return i;
    // Comment lines indented deeper than the collection belong to this value.
    for (const line of this.run(i).lines) {
      if (line.comment === -1) continue;
      if (line.comment <= indent) break;
      i = line.end;
    }
    return i;
  }

  /** The end of a block collection with its trailing comment lines, when the `yaml` parser leaves them in it. */
  private withTrailingComments(end: number, indent: number): number {
    if (indent === 0) return end;
    const after = this.run(end);
    if (after.comments.length === 0 || after.comments.every((c) => c < indent)) return end;
    return after.end;
  }

  /** From `|` or `>` to where the `yaml` lexer ends the block scalar (its `parseBlockScalar`, ported). */
  private blockScalarRange(event: ScalarEvent, parent: Frame | undefined): [number, number] {
    const { text } = this;
    const pos = event.valueStart;
    let headerEnd = pos - 1;
    if (parent === undefined || text[headerEnd] !== '\n') return fallback('block scalar header not found');
    if (text[headerEnd - 1] === '\r') headerEnd--;
    const lineStart = text.lastIndexOf('\n', headerEnd - 1) + 1;
    const line = text.slice(lineStart, headerEnd);
    // The first indicator from which the rest of the line is a header (a key before it may hold `|` or `>`).
    let h = 0;
    for (; h < line.length; h++) {
      const ch = line[h];
      if ((ch === '|' || ch === '>') && /^[|>][-+0-9]*(?: +#.*)? *$/.test(line.slice(h))) break;
    }
    if (h >= line.length) fallback('block scalar header not found');
    // The lexer's indentation for the contents: one more than the collection holding the scalar.
    let indentNext = this.column(parent.start) + 1;
    const explicit = /^[|>][-+]?([0-9])/.exec(line.slice(h))?.[1];
    // The two parsers place an explicit indentation indicator differently at the top level: leave it to `yaml`.
    if (explicit !== undefined && indentNext <= 1) fallback('indentation indicator at the top level');
    let nl = pos - 1;
    let indent = 0;
    let i = pos;
    let ch: string | undefined;
    loop: for (; (ch = text[i]) !== undefined; ++i) {
      switch (ch) {
        case ' ':
          indent += 1;
          break;
        case '\n':
          nl = i;
          indent = 0;
          break;
        case '\r':
          if (text[i + 1] === '\n') break;
          break loop;
        default:
          break loop;
      }
    }
    if (indent >= indentNext) {
      // An explicit indicator counts from the collection's column (the lexer's `blockScalarIndent + indentNext`).
      indentNext = explicit === undefined ? indent : Number(explicit) + indentNext - 1;
      do {
        const cs = this.continueScalar(nl + 1, indentNext);
        if (cs === -1) break;
        nl = text.indexOf('\n', cs);
      } while (nl !== -1);
      if (nl === -1) nl = text.length;
    }
    if (event.chomping !== 3) {
      for (;;) {
        let j = nl - 1;
        let c = text[j];
        if (c === '\r') c = text[--j];
        const lastChar = j; // the line is dropped unless its last character is more indented
        while (c === ' ') c = text[--j];
        if (c === '\n' && j >= pos && j + 1 + indent > lastChar) nl = j;
        else break;
      }
    }
    return [lineStart + h, Math.min(nl + 1, text.length)];
  }

  /** The `yaml` lexer's `continueScalar`: where the next line of a scalar starts, or -1 when the scalar ended. */
  private continueScalar(offset: number, indentNext: number): number {
    const { text } = this;
    let ch = text[offset];
    if (indentNext > 0) {
      let indent = 0;
      while (ch === ' ') ch = text[++indent + offset];
      if (ch === '\r' && text[indent + offset + 1] === '\n') return offset + indent + 1;
      return ch === '\n' || indent >= indentNext ? offset + indent : -1;
    }
    if (ch === '-' || ch === '.') {
      const dt = text.substring(offset, offset + 3);
      if ((dt === '---' || dt === '...') && /^\s?$/.test(text[offset + 3] ?? '')) return -1;
    }
    return offset;
  }
}
