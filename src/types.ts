/**
 * The nouns of kubewire's pipeline: Source → KObject → Graph → Finding.
 * See docs/architecture.md.
 */
import type { Document, LineCounter } from 'yaml';
import type { PackedPositions } from './load/positions.js';

export type Severity = 'error' | 'warning' | 'info';
export type Category = 'syntax' | 'schema' | 'wiring' | 'scheduling' | 'probes' | 'security' | 'resources' | 'practice';

export type PathSegment = string | number;
export type Path = readonly PathSegment[];

/** 1-based line and column. */
export interface Position {
  line: number;
  column: number;
}

/** Half-open character offsets into a source's text. */
export type OffsetRange = readonly [start: number, end: number];

/** A problem found while reading or parsing a file, before any object exists. */
export interface SourceProblem {
  kind: 'yaml-error' | 'yaml-warning' | 'duplicate-key';
  message: string;
  range: OffsetRange;
  /** For a duplicate key: the key as written. */
  key?: string;
}

/** Why a whole source was not linted. */
export interface SourceSkip {
  reason: 'template' | 'binary' | 'encoding' | 'too-large' | 'unreadable';
  message: string;
  range: OffsetRange;
}

/**
 * What a document keeps by key (a few entries each, usually one): the part of a Map the pipeline uses.
 * One Map per document and purpose cost about 250 bytes even with one entry, 9 MB on a 10 MB manifest.
 */
export interface FewEntries<V> extends Iterable<[string, V]> {
  get(key: string): V | undefined;
  set(key: string, value: V): void;
  readonly size: number;
}

/**
 * A document of a Source as the pipeline reads it (src/load/documents.ts): parsed by `yaml`, or
 * restored from the cache of an earlier run.
 */
export interface LoadedDocument {
  /** Position of the document in its file (0-based). */
  readonly index: number;
  /** What the parser said: nothing, only duplicate keys (the last value wins), or a syntax error. */
  readonly errors: 'none' | 'duplicate-keys' | 'syntax';
  /** Whether the root is a mapping (only those can be objects). */
  readonly isMap: boolean;
  /** Whether its contents are a sequence (a list of objects is reported by manifest-shape). */
  readonly isSeq: boolean;
  /** Offset where the document's contents start. */
  readonly start: number;
  /** The plain value (`toJS`, at most MAX_ALIAS_COUNT alias expansions); throws when it cannot be built. */
  value(): unknown;
  /** Where each node is (null: the document was not kept, not being a mapping). */
  positions(): PackedPositions | null;
  /**
   * The `yaml` Document, for the few that need its nodes (how the API server reads a plain scalar,
   * the language server); a document restored from the cache parses its file again for it.
   */
  yaml(): Document.Parsed;
  /**
   * Values derived from the document's nodes that depend on its content only (the API server's
   * reading of each object, src/model/decode.ts), by a key of their module: cached with it.
   */
  readonly derived: FewEntries<unknown>;
  /**
   * Schema problems of the objects of this document, by `minor|definition|basePath`: they depend
   * on the object's content only, so they are kept with the document (and cached with it).
   */
  readonly schema: FewEntries<readonly SchemaProblem[]>;
  /**
   * The API server's reading of the whole document (src/model/decode.ts), when the parse that read it
   * computed it already (the fast path, src/load/fast.ts); quirk paths are from the document root.
   */
  serverView?(): { readonly value: unknown; readonly quirks: readonly DecodeQuirk[] } | undefined;
}

/** One place where the API server decodes a scalar differently from YAML 1.2. */
export interface DecodeQuirk {
  /** Path of the value (or, for a key, of the entry whose key it is), relative to the object. */
  readonly path: Path;
  /** True when the quirk is in a mapping key. */
  readonly key: boolean;
  /** The scalar as written. */
  readonly written: string;
  /** What YAML 1.2 reads (what `object.raw` holds). */
  readonly yaml12: unknown;
  /** What the API server reads (for a key: the key string, or null when the conversion fails). */
  readonly server: unknown;
}

/** A document as the cache stores it (see src/cli/cache.ts): plain data. */
export interface CachedDocument {
  errors: LoadedDocument['errors'];
  isMap: boolean;
  isSeq: boolean;
  start: number;
  /** The plain value, for readable mappings. */
  value?: unknown;
  /** Why the value could not be built (an alias bomb, an undefined anchor), and where. */
  error?: string;
  errorRange?: OffsetRange;
  positions: PackedPositions | null;
  schema: [string, readonly SchemaProblem[]][];
  derived: [string, unknown][];
}

/** A problem of a value against a schema, in the user's words (src/schema/validate.ts). */
export interface SchemaProblem {
  /** Where, relative to the validated value. */
  path: Path;
  key: boolean;
  kind: 'type' | 'required' | 'format' | 'enum' | 'unknown' | 'other';
  text: string;
  /** The close allowed value (enum) or field name (unknown, where `key` is true) the text suggests. */
  guess?: string;
}

/** One file (or stdin) with its text and its YAML documents, parsed once. */
export interface Source {
  /** The path as given on the command line or relative to the working directory. */
  readonly path: string;
  readonly text: string;
  readonly lineCounter: LineCounter;
  readonly documents: readonly Document.Parsed[];
  readonly problems: readonly SourceProblem[];
  /** Set when the file was not linted at all (templates, binary content, …). */
  readonly skipped: SourceSkip | undefined;
  /**
   * The documents restored from the cache of an earlier run, instead of `documents` (which is then
   * empty): read both through `documentsOf()` of load/documents.
   */
  readonly cached?: readonly CachedDocument[];
}

/** A container of a pod template. */
export interface ContainerInfo {
  readonly kind: 'app' | 'init' | 'sidecar' | 'ephemeral';
  readonly index: number;
  /** Path of the container entry relative to its object. */
  readonly path: Path;
  readonly name: string;
  readonly raw: Record<string, unknown>;
  readonly ports: readonly ContainerPort[];
}

export interface ContainerPort {
  readonly name: string | undefined;
  readonly containerPort: number | undefined;
  readonly protocol: string;
  /** Path of the port entry relative to its object. */
  readonly path: Path;
}

/** The pods an object creates (or is). */
export interface PodTemplate {
  /** Path of the template's `metadata` parent relative to the object ([] for a Pod). */
  readonly path: Path;
  /** Path of the PodSpec relative to the object. */
  readonly specPath: Path;
  /** Labels every pod created from the template carries (template labels plus fixed controller labels). */
  readonly labels: Readonly<Record<string, string>>;
  /**
   * Labels the controller adds with values that differ per pod (StatefulSet pod names, Deployment
   * pod-template-hash): key → the possible values, or null when the values cannot be known.
   */
  readonly generatedLabels: Readonly<Record<string, readonly string[] | null>>;
  readonly spec: Record<string, unknown>;
  readonly containers: readonly ContainerInfo[];
  readonly restartPolicy: string;
  /** True for pods meant to run until stopped (not Jobs, CronJobs or run-to-completion Pods). */
  readonly longRunning: boolean;
}

/** Reference to an object as printed in findings. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace: string | null;
  name: string;
}

/**
 * Where an object's namespace comes from: written in `metadata.namespace`, set by the kustomization that
 * builds its file, given by the user (`--namespace`, `namespace:` in .kubewire.yaml), inferred from the
 * objects of related files, or `default`; null for cluster-scoped kinds. See load/namespaces.ts.
 */
export type NamespaceSource = 'explicit' | 'kustomization' | 'option' | 'inferred' | 'default' | null;

/** One Kubernetes object (items of `kind: List` / `*List` unpacked). */
export interface KObject {
  /** Input order, unique in a run. */
  readonly id: number;
  readonly source: Source;
  readonly document: LoadedDocument;
  /** Path from the document root to this object (`[]`, or `['items', 3]` for List items). */
  readonly basePath: Path;
  /**
   * The object's plain JSON value after the API server's defaulting (model/defaults.ts: `targetPort: 0`
   * is the port, protocols are TCP, …). Every field may have any type: read it with the helpers in model/k8s.
   */
  readonly raw: Record<string, unknown>;
  /** The object as written, before defaulting (what the schema checks judge). */
  readonly written: Record<string, unknown>;
  readonly apiVersion: string;
  /** API group ('' for the core group). */
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** metadata.name, or '' when it has none (generateName). */
  readonly name: string;
  /** The namespace the object is applied to (see namespaceSource); null for cluster-scoped kinds. */
  readonly namespace: string | null;
  /** Whether metadata.namespace was written in the manifest and is the namespace the object lands in. */
  readonly namespaceExplicit: boolean;
  readonly namespaceSource: NamespaceSource;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly podTemplate: PodTemplate | undefined;
}

export interface RelatedLocation {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

/** One finding, the unit of every output. */
export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  object: ObjectRef | null;
  related: RelatedLocation[];
  /** A did-you-mean fix: the text to write over a range of the finding's file (often its own range). */
  suggestion?: SuggestedEdit;
}

/**
 * A replacement the finding suggests, set by the rule that guessed the intent (a close name, a port
 * number). `replacement` is written over the range as is: it keeps the quotes of the text it replaces,
 * and is quoted when YAML would otherwise read another type.
 */
export interface SuggestedEdit {
  replacement: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}
