/**
 * The types of the rule contract: what a rule declares and the context it is given. They live apart from
 * `api.ts` so that helpers in `src/resolve/` can use them without importing the rule API that re-exports
 * those helpers (no import cycle: api.ts -> resolve/* -> rule-types.ts).
 */
import type { ShapeIssue } from './load/objects.js';
import type { Graph } from './model/graph.js';
import type { Category, KObject, ObjectRef, OffsetRange, Path, Severity, Source } from './types.js';

export type MessageData = Readonly<Record<string, string | number>>;

export interface RelatedDescriptor {
  object: KObject;
  path: Path;
  message: string;
}

export interface ReportDescriptor<M extends string = string> {
  object: KObject;
  /** Path into the object of the offending field; the core turns it into a line/column range. */
  path: Path;
  /** Underline the key of the last path segment rather than its value (e.g. an unknown field). */
  key?: boolean;
  messageId: M;
  data?: MessageData;
  /** The other ends of a broken link. */
  related?: readonly RelatedDescriptor[];
  /**
   * A finding the rule is less sure of may be reported below the rule's default severity. A severity
   * set in the configuration overrides both.
   */
  severity?: Severity;
  /**
   * The value the rule guesses was meant (a did-you-mean), for the field at `path` (default: the reported
   * path), or for its key with `key`. The core turns it into the finding's `suggestion` edit when that
   * field (or key) is a one-line scalar.
   */
  suggestion?: { value: string | number; path?: Path; key?: boolean };
}

export interface SourceReportDescriptor<M extends string = string> {
  source: Source;
  range: OffsetRange;
  messageId: M;
  data?: MessageData;
  severity?: Severity;
  /** The object the finding is about, when there is one (e.g. a document without a name). */
  object?: ObjectRef | undefined;
}

export interface RuleContext<M extends string = string> {
  readonly graph: Graph;
  readonly sources: readonly Source[];
  /** Documents that were not well-formed objects (read by the manifest-shape rule). */
  readonly shapeIssues: readonly ShapeIssue[];
  /**
   * The targeted Kubernetes version, "major.minor" (`--kubernetes-version`, `kubernetesVersion:`; default the
   * newest bundled).
   */
  readonly kubernetesVersion: string;
  /** Sources of CustomResourceDefinitions given by the configuration (`crds:`): read for schemas, never linted. */
  readonly crdSources: readonly Source[];
  /** The namespace the input is applied to (`--namespace`, `namespace:` in .kubewire.yaml), as `kubectl -n`. */
  readonly namespace?: string | undefined;
  report(descriptor: ReportDescriptor<M>): void;
  reportSource(descriptor: SourceReportDescriptor<M>): void;
}

export interface RuleMeta<M extends string = string> {
  /** Stable forever: used in configuration, suppressions, SARIF and the docs URL. Equals the file name. */
  id: string;
  category: Category;
  /**
   * The severity of its findings when the rule is on (the configuration may change it). A rule with a
   * `preset` is off by default and has this severity once turned on.
   */
  severity: Severity;
  /**
   * The weakest preset that turns the rule on (src/presets.ts): unset for the rules of
   * `kubewire:recommended`, the defaults; `strict` or `all` for a rule that is off by default (hygiene
   * rules whose findings many teams would not act on).
   */
  preset?: 'strict' | 'all';
  /** A higher severity under `kubewire:strict` and `kubewire:all` (e.g. an info rule that strict makes a warning). */
  strictSeverity?: Severity;
  /** One line, imperative: what the rule requires. */
  description: string;
  /** Why it matters, in a short paragraph (docs, SARIF help, `kubewire rules --format json`). */
  rationale: string;
  /** Message templates; `{{name}}` is replaced by `data.name`. */
  messages: Readonly<Record<M, string>>;
}

export interface Rule<M extends string = string> extends RuleMeta<M> {
  check(context: RuleContext<M>): void;
}
