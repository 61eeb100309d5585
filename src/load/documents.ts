/**
 * The documents of a Source as the rest of the pipeline reads them: whether the parser could read
 * the document, its plain value, and its position tree. A document comes either from the `yaml`
 * parse of the Source or from the cache of an earlier run (`Source.cached`), and both look the same
 * here, so a cached file is linted exactly like a parsed one without being parsed again.
 */
import { isMap, isSeq } from 'yaml';
import type { Document } from 'yaml';
import { packedPositionsOf } from './positions.js';
import type { PackedPositions } from './positions.js';
import type { CachedDocument, FewEntries, LoadedDocument, SchemaProblem, Source } from '../types.js';
import { fastDocumentsOf, parseYaml } from './source.js';
import type { FastDocument } from './fast.js';
import { DataFailure, documentData } from './data.js';
import { isRecord } from '../model/values.js';

/**
 * FewEntries in a list of pairs while there are few (a document holds one or two per purpose), in a Map
 * past FEW (a `kind: List` holds one per item).
 */
class Entries<V> implements FewEntries<V> {
  private list: [string, V][] | Map<string, V> | undefined;

  constructor(entries?: readonly (readonly [string, V])[]) {
    for (const [k, v] of entries ?? []) this.set(k, v);
  }

  get(key: string): V | undefined {
    const list = this.list;
    if (list instanceof Map) return list.get(key);
    return list?.find((e) => e[0] === key)?.[1];
  }

  set(key: string, value: V): void {
    const list = this.list;
    if (list instanceof Map) {
      list.set(key, value);
      return;
    }
    const entry = list?.find((e) => e[0] === key);
    if (entry !== undefined) entry[1] = value;
    else if (list === undefined) this.list = [[key, value]];
    else if (list.length < FEW) list.push([key, value]);
    else this.list = new Map([...list, [key, value]]);
  }

  get size(): number {
    const list = this.list;
    return list instanceof Map ? list.size : (list?.length ?? 0);
  }

  *[Symbol.iterator](): Iterator<[string, V]> {
    for (const [k, v] of this.list ?? []) yield [k, v];
  }
}

const FEW = 8;

class ParsedDocument implements LoadedDocument {
  readonly errors: LoadedDocument['errors'];
  readonly isMap: boolean;
  readonly isSeq: boolean;
  readonly start: number;
  readonly schema = new Entries<readonly SchemaProblem[]>();
  readonly derived = new Entries<unknown>();
  private computed: { value: unknown } | { error: unknown } | undefined;

  constructor(
    readonly index: number,
    private readonly document: Document.Parsed,
  ) {
    this.errors =
      document.errors.length === 0
        ? 'none'
        : document.errors.every((e) => e.code === 'DUPLICATE_KEY')
          ? 'duplicate-keys'
          : 'syntax';
    this.isMap = isMap(document.contents);
    this.isSeq = isSeq(document.contents);
    this.start = document.contents?.range[0] ?? 0;
  }

  value(): unknown {
    if (this.computed === undefined) {
      const data = documentData(this.document);
      this.computed = data.ok ? { value: data.value } : { error: new DataFailure(data) };
    }
    if ('error' in this.computed) throw this.computed.error;
    return this.computed.value;
  }

  positions(): PackedPositions {
    return packedPositionsOf(this.document);
  }

  yaml(): Document.Parsed {
    return this.document;
  }
}

class RestoredDocument implements LoadedDocument {
  readonly errors: LoadedDocument['errors'];
  readonly isMap: boolean;
  readonly isSeq: boolean;
  readonly start: number;
  readonly schema: Entries<readonly SchemaProblem[]>;
  readonly derived: Entries<unknown>;

  constructor(
    readonly index: number,
    private readonly cached: CachedDocument,
    private readonly reparse: () => readonly Document.Parsed[],
  ) {
    this.errors = cached.errors;
    this.isMap = cached.isMap;
    this.isSeq = cached.isSeq;
    this.start = cached.start;
    this.schema = new Entries(cached.schema);
    this.derived = new Entries(cached.derived);
  }

  yaml(): Document.Parsed {
    const document = this.reparse()[this.index];
    if (document === undefined) throw new Error(`the cached document ${String(this.index)} is not in its file`);
    return document;
  }

  value(): unknown {
    if (this.cached.error !== undefined)
      throw new DataFailure({
        ok: false,
        reason: 'other',
        message: this.cached.error,
        range: this.cached.errorRange ?? [this.start, this.start],
      });
    return this.cached.value;
  }

  positions(): PackedPositions | null {
    return this.cached.positions;
  }
}

/** A document read by the fast path (src/load/fast.ts): everything computed already, nodes on demand. */
class FastLoadedDocument implements LoadedDocument {
  readonly errors = 'none';
  readonly isMap: boolean;
  readonly isSeq: boolean;
  readonly start: number;
  readonly schema = new Entries<readonly SchemaProblem[]>();
  readonly derived = new Entries<unknown>();

  constructor(
    readonly index: number,
    private readonly fast: FastDocument,
    private readonly source: Source,
  ) {
    this.isMap = fast.isMap;
    this.isSeq = fast.isSeq;
    this.start = fast.start;
  }

  value(): unknown {
    return this.fast.value;
  }

  positions(): PackedPositions {
    return this.fast.positions;
  }

  serverView(): FastDocument['server'] {
    return this.fast.server;
  }

  yaml(): Document.Parsed {
    const document = this.source.documents[this.index];
    if (document === undefined) throw new Error(`the document ${String(this.index)} is not in its file`);
    return document;
  }
}

const loaded = new WeakMap<Source, readonly LoadedDocument[]>();

/**
 * The values of a source's mapping documents that `keep` accepts, as records: a document whose value
 * cannot be built (an alias bomb) is skipped. For files read for what they configure (kustomizations,
 * Skaffold), not linted as objects.
 */
export function* mappingValues(
  source: Source,
  keep: (document: LoadedDocument) => boolean = () => true,
): Generator<Record<string, unknown>> {
  for (const document of documentsOf(source)) {
    if (!document.isMap || !keep(document)) continue;
    let value: unknown;
    try {
      value = document.value();
    } catch {
      continue;
    }
    if (isRecord(value)) yield value;
  }
}

/** The documents of a source, parsed or restored from the cache (built once per source). */
export function documentsOf(source: Source): readonly LoadedDocument[] {
  let docs = loaded.get(source);
  if (docs === undefined) {
    let parsed: readonly Document.Parsed[] | undefined;
    const reparse = () => {
      if (parsed === undefined) {
        const all = parseYaml(source.text);
        parsed = 'empty' in all ? [] : (all as Document.Parsed[]);
      }
      return parsed;
    };
    const fast = fastDocumentsOf(source);
    docs =
      source.cached !== undefined
        ? source.cached.map((c, i) => new RestoredDocument(i, c, reparse))
        : fast !== undefined
          ? fast.map((d, i) => new FastLoadedDocument(i, d, source))
          : source.documents.map((d, i) => new ParsedDocument(i, d));
    loaded.set(source, docs);
  }
  return docs;
}

/** A document as the cache stores it. */
export function cachedDocument(document: LoadedDocument): CachedDocument {
  const out: CachedDocument = {
    errors: document.errors,
    isMap: document.isMap,
    isSeq: document.isSeq,
    start: document.start,
    positions: null,
    schema: [...document.schema],
    derived: [...document.derived],
  };
  // Only mappings can be objects (or kustomizations): the others need neither value nor positions.
  if (!document.isMap) return out;
  try {
    out.value = document.value();
  } catch (error) {
    out.error = error instanceof Error ? error.message : String(error);
    if (error instanceof DataFailure) out.errorRange = error.range;
  }
  out.positions = document.positions();
  return out;
}
