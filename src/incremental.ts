/**
 * What the language server's lint can take over from the previous lint of the same folder: the findings
 * of each rule whose reads (recorded by the graph while it ran, see Graph.track) no change between the two
 * inputs touches. It is exact as long as every way to an object records what its answer depends on: a rule
 * reaches objects only through the graph and its context's sources, a memo replays the reads of its
 * computation, and an answer remembered inside a memo after it was computed records again what computing it
 * read (near-miss's related templates). An object counts as unchanged only when everything a finding about it
 * shows (its file, text, positions, namespace) is the same, and nothing is taken over when the objects that
 * stayed come in another order (the order of the graph's answers follows the input's).
 */
import { documentsOf } from './load/documents.js';
import { positionAt } from './load/source.js';
import { ALL, IDENTITIES, PODS } from './model/graph.js';
import type { ClusterDeclaration } from './model/cluster.js';
import type { EngineSetting } from './presets.js';
import type { Finding, KObject, Source } from './types.js';

/** What one rule gave in a lint, before suppressions. */
export interface RuleRun {
  setting: EngineSetting | undefined;
  reads: ReadonlySet<string>;
  findings: readonly Finding[];
  /** The object of each finding reported on one (parallel to `findings`). */
  objects: readonly (KObject | undefined)[];
  failure: string | undefined;
}

/** Everything a lint's rules depended on besides the objects and sources, compared as a whole. */
export interface Inputs {
  cluster: ClusterDeclaration;
  kubernetesVersion: string;
  crdSources: readonly Source[];
  namespace: string | undefined;
  /** The kustomize roles' patches (one set per set of kustomization sources) and the generated names. */
  patches: ReadonlySet<string>;
  generated: string;
}

/** Kept with a lint result when the lint was asked to be incremental. */
export interface ReuseState {
  inputs: Inputs;
  sources: readonly Source[];
  objects: readonly KObject[];
  runs: ReadonlyMap<string, RuleRun>;
}

/** What changed from the previous lint: the read tokens it touches, and the new object of each unchanged one. */
export interface Changes {
  dirty: ReadonlySet<string>;
  unchanged: ReadonlyMap<KObject, KObject>;
}

function sameArray<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

export function sameInputs(a: Inputs, b: Inputs): boolean {
  return (
    a.cluster === b.cluster &&
    a.kubernetesVersion === b.kubernetesVersion &&
    sameArray(a.crdSources, b.crdSources) &&
    a.namespace === b.namespace &&
    a.patches === b.patches &&
    a.generated === b.generated
  );
}

function key(o: KObject): string {
  return `${o.source.path}\u0000${String(o.document.start)}\u0000${o.basePath.join('\u0001')}`;
}

/**
 * The text an object's findings can show and its document's value depends on: from the start of the
 * previous document (its `---` line, directives and comments belong to this one) to the start of the next.
 */
function region(o: KObject): { start: number; text: string } {
  const docs = documentsOf(o.source);
  const index = o.document.index;
  const start = index > 0 ? (docs[index - 1]?.start ?? 0) : 0;
  const end = docs[index + 1]?.start ?? o.source.text.length;
  return { start, text: o.source.text.slice(start, end) };
}

/** Whether the new object `b` is the old object `a`, as far as any rule or finding can tell. */
function same(a: KObject, b: KObject): boolean {
  if (
    a.kind !== b.kind ||
    a.apiVersion !== b.apiVersion ||
    a.name !== b.name ||
    a.namespace !== b.namespace ||
    a.namespaceSource !== b.namespaceSource ||
    a.namespaceExplicit !== b.namespaceExplicit
  )
    return false;
  // One source is one text: the loader built both from the same candidate (load/objects.ts).
  if (a.source === b.source) return a.raw === b.raw;
  if (a.source.skipped !== undefined || b.source.skipped !== undefined) return false;
  if (a.document.errors !== b.document.errors) return false;
  const ra = region(a);
  const rb = region(b);
  return (
    ra.start === rb.start &&
    ra.text === rb.text &&
    samePosition(positionAt(a.source, ra.start), positionAt(b.source, rb.start)) &&
    sameJson(a.written, b.written)
  );
}

function samePosition(a: { line: number; column: number }, b: { line: number; column: number }): boolean {
  return a.line === b.line && a.column === b.column;
}

/** Equal as JSON; a value JSON cannot write (it never is, but a changed object costs only a rule run) is not. */
function sameJson(a: unknown, b: unknown): boolean {
  try {
    return JSON.stringify(a) === JSON.stringify(b);
  } catch {
    return false;
  }
}

/** Tokens an object's change touches. */
function touched(o: KObject, into: Set<string>): void {
  into.add(`kind:${o.kind}`);
  if (o.podTemplate !== undefined) into.add(PODS);
}

function identity(o: KObject): string {
  return `${o.source.path}\u0000${o.kind}\u0000${o.namespace ?? ''}\u0000${o.name}`;
}

/**
 * Compare the previous lint's objects and sources with the new ones; undefined when nothing can be taken
 * over (the objects that stayed come in another order).
 */
export function changes(
  previous: ReuseState,
  sources: readonly Source[],
  objects: readonly KObject[],
): Changes | undefined {
  const dirty = new Set<string>();
  const unchanged = new Map<KObject, KObject>();
  const before = new Map<string, KObject>();
  for (const o of previous.objects) before.set(key(o), o);
  const gone: KObject[] = [];
  const added: KObject[] = [];
  for (const o of objects) {
    const k = key(o);
    const old = before.get(k);
    before.delete(k);
    if (old !== undefined && same(old, o)) {
      unchanged.set(old, o);
      continue;
    }
    if (old !== undefined) gone.push(old);
    added.push(o);
  }
  for (const old of before.values()) gone.push(old);
  // Object ids, and so the order of every answer of the graph (which of two Namespaces `find` gives first,
  // the order of selected pods, the scheduler's queue), follow the input order: when the objects that stayed
  // come in another order, no rule's answer can be taken over.
  const order = new Map(previous.objects.map((o, i) => [o, i]));
  let last = -1;
  for (const [old] of unchanged) {
    const at = order.get(old) ?? -1;
    if (at < last) return undefined;
    last = at;
  }
  for (const o of gone) touched(o, dirty);
  for (const o of added) touched(o, dirty);
  if (gone.length > 0 || added.length > 0 || !sameArray(previous.sources, sources)) dirty.add(ALL);
  const ids = (list: KObject[]) => list.map(identity).sort().join('\u0002');
  if (ids(gone) !== ids(added)) dirty.add(IDENTITIES);
  return { dirty, unchanged };
}

/** The run's findings for the new lint, when none of its reads changed and each of its objects is unchanged. */
export function reusable(run: RuleRun, setting: EngineSetting | undefined, c: Changes): RuleRun | undefined {
  if (JSON.stringify(run.setting) !== JSON.stringify(setting)) return undefined;
  for (const read of run.reads) if (c.dirty.has(read)) return undefined;
  const objects: (KObject | undefined)[] = [];
  for (const o of run.objects) {
    if (o === undefined) {
      objects.push(undefined);
      continue;
    }
    const now = c.unchanged.get(o);
    if (now === undefined) return undefined;
    objects.push(now);
  }
  return { ...run, objects };
}
