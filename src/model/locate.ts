/** Mapping a path into a YAML document to the exact range of the field it names. */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import type { OffsetRange, Path } from '../types.js';

export interface Located {
  range: OffsetRange;
  /** How many segments of the path were found (the range is that of the deepest one found). */
  depth: number;
}

function keyMatches(pair: Pair, segment: string | number): boolean {
  const key = pair.key;
  if (isScalar(key)) return String(key.value) === String(segment);
  return false;
}

function nodeRange(node: Node | null | undefined): OffsetRange | undefined {
  const r = node?.range;
  return r ? [r[0], r[1]] : undefined;
}

/**
 * The range a finding about `path` should underline:
 * - a scalar value: the value itself (`targetPort: http` → `http`);
 * - a mapping or list reached through a key: the key (`readinessProbe:`);
 * - a list item that is a mapping: its first line (`- name: web`);
 * - a path that does not exist fully: the deepest part that exists.
 * With `key: true`, a path that ends at a mapping key underlines the key itself (unknown fields).
 */
export function locate(document: Document.Parsed, path: Path, options: { key?: boolean } = {}): Located {
  let node: Node | null | undefined = document.contents;
  let keyNode: Node | null | undefined;
  let depth = 0;
  for (const segment of path) {
    if (isAlias(node)) break;
    let next: Node | null | undefined;
    let nextKey: Node | null | undefined;
    if (isMap(node)) {
      // The last pair with the key: with duplicate keys, its value is the one the object holds.
      const pair = node.items.findLast((p) => isPair(p) && keyMatches(p, segment));
      if (!pair) break;
      next = pair.value as Node | null | undefined;
      nextKey = pair.key as Node | null;
      if (next === null || next === undefined) {
        // `key:` with no value: underline the key.
        keyNode = nextKey;
        node = undefined;
        depth++;
        break;
      }
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined || item === null) break;
      next = item as Node;
      nextKey = undefined;
    } else {
      break;
    }
    node = next;
    keyNode = nextKey;
    depth++;
  }
  if (options.key === true && keyNode && depth === path.length) return { range: nodeRange(keyNode) ?? [0, 0], depth };
  return { range: rangeFor(node, keyNode), depth };
}

function rangeFor(node: Node | null | undefined, keyNode: Node | null | undefined): OffsetRange {
  if (node === undefined || node === null) return nodeRange(keyNode) ?? [0, 0];
  if (isScalar(node) || isAlias(node)) {
    const r = nodeRange(node) ?? [0, 0];
    // `key:` with an empty value: underline the key.
    return r[0] === r[1] && keyNode ? (nodeRange(keyNode) ?? r) : r;
  }
  if (keyNode) return nodeRange(keyNode) ?? [0, 0];
  if (isMap(node) && !node.flow) {
    // A mapping that is a list item: its first entry's line.
    const first = node.items[0];
    const start = node.range?.[0] ?? 0;
    const end = nodeRange(first?.value as Node | null)?.[1] ?? nodeRange(first?.key as Node | null)?.[1] ?? start;
    return isScalar(first?.value) || first?.value === null
      ? [start, end]
      : (nodeRange(first?.key as Node) ?? [start, start]);
  }
  const r = nodeRange(node) ?? [0, 0];
  return [r[0], r[0] + 1];
}
