/**
 * A parsed YAML document as plain data, safely: aliases are bounded by what they cost (the number of
 * nodes the document expands to), not by how often they are used, and an alias without its anchor is
 * named as such instead of being called an alias bomb.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import type { OffsetRange } from '../types.js';

/** The parser's own message for nesting deeper than it can follow. */
export const TOO_DEEP =
  'the document nests too deeply to read (kubewire reads at least 500 levels; see Limits in docs/usage.md); no Kubernetes object needs this';

/** The most nodes one document may expand to through its aliases (a billion-laughs bomb expands to 10⁹). */
export const MAX_EXPANDED_NODES = 1_000_000;

export interface DataProblem {
  ok: false;
  message: string;
  range: OffsetRange;
  reason: 'alias-bomb' | 'undefined-anchor' | 'cycle' | 'other';
}

export type DocumentData = { ok: true; value: unknown } | DataProblem;

/** Thrown by `LoadedDocument.value()` when the document cannot be turned into data: says why and where. */
export class DataFailure extends Error {
  readonly range: OffsetRange;
  readonly reason: DataProblem['reason'];

  constructor(problem: DataProblem) {
    super(problem.message);
    this.range = problem.range;
    this.reason = problem.reason;
  }
}

type AnyNode = Node | { key: unknown; value: unknown };

function children(node: unknown): unknown[] {
  if (isMap(node) || isSeq(node)) return node.items;
  if (isPair(node)) return [node.key, node.value];
  return [];
}

function rangeOf(node: unknown): OffsetRange {
  const r = (node as { range?: readonly number[] | null }).range;
  return r ? [r[0] ?? 0, r[1] ?? r[0] ?? 0] : [0, 0];
}

/**
 * Check the aliases of a document without recursion (deeply nested input must not exhaust the stack):
 * the expanded size of every anchored node is computed once, in document order.
 */
export function checkAliases(document: Document, limit = MAX_EXPANDED_NODES): DataProblem | undefined {
  const root = document.contents;
  if (root === null || isScalar(root)) return undefined;
  const anchors = new Map<string, AnyNode>();
  const size = new Map<unknown, number>();
  let failure: DataProblem | undefined;
  // Post-order walk: a node's size is known when all its children are done.
  const stack: { node: unknown; kids: unknown[]; next: number; total: number }[] = [
    { node: root, kids: children(root), next: 0, total: 1 },
  ];
  const anchorOf = (node: unknown) => {
    const a = (node as { anchor?: string }).anchor;
    if (typeof a === 'string' && a !== '') anchors.set(a, node as AnyNode);
  };
  anchorOf(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    if (top.next < top.kids.length) {
      const child = top.kids[top.next++];
      if (child === null || child === undefined) continue;
      if (isAlias(child)) {
        const target = anchors.get(child.source);
        if (target === undefined) {
          failure ??= {
            ok: false,
            reason: 'undefined-anchor',
            message: `alias \`*${child.source}\` refers to an undefined anchor \`&${child.source}\``,
            range: rangeOf(child),
          };
          continue;
        }
        const known = size.get(target);
        if (known === undefined) {
          failure ??= {
            ok: false,
            reason: 'cycle',
            message: `alias \`*${child.source}\` is inside its own anchor \`&${child.source}\`: the document would be infinite`,
            range: rangeOf(child),
          };
          continue;
        }
        top.total += known;
        if (top.total > limit) {
          return {
            ok: false,
            reason: 'alias-bomb',
            message: `aliases expand this document to more than ${limit.toLocaleString('en-US')} values (an alias bomb?)`,
            range: rangeOf(child),
          };
        }
        continue;
      }
      anchorOf(child);
      stack.push({ node: child, kids: children(child), next: 0, total: isPair(child) ? 0 : 1 });
      continue;
    }
    stack.pop();
    size.set(top.node, top.total);
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      parent.total += top.total;
      if (parent.total > limit) {
        return {
          ok: false,
          reason: 'alias-bomb',
          message: `aliases expand this document to more than ${limit.toLocaleString('en-US')} values (an alias bomb?)`,
          range: rangeOf(top.node),
        };
      }
    }
  }
  if (failure !== undefined && failure.reason === 'undefined-anchor') {
    // Name the anchor that comes too late, if the document defines it after its alias.
    const name = /`\*([^`]*)`/.exec(failure.message)?.[1];
    if (name !== undefined && [...anchors.keys()].includes(name))
      failure.message = `alias \`*${name}\` comes before its anchor \`&${name}\`; YAML reads anchors in order, so move the anchor up`;
  }
  return failure;
}

/** The document as plain data, or why it cannot be. Never throws. */
export function documentData(document: Document, limit = MAX_EXPANDED_NODES): DocumentData {
  const problem = checkAliases(document, limit);
  if (problem !== undefined) return problem;
  try {
    // `!!binary` is decoded to text, as kubectl's YAML-to-JSON conversion does, not left as bytes.
    const reviver = (_key: unknown, value: unknown) =>
      value instanceof Uint8Array ? new TextDecoder().decode(value) : value;
    return { ok: true, value: document.toJS({ maxAliasCount: -1, reviver }) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: 'other',
      message: /call stack/i.test(message) ? TOO_DEEP : `it could not be read: ${message}`,
      range: rangeOf(document.contents),
    };
  }
}
