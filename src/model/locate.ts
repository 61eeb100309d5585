/** Mapping a path into a YAML document to the exact range of the field it names. */
import type { Document } from 'yaml';
import { packedFlow, packedItem, packedNode, packedPairs, packedPositionsOf, packedRange } from '../load/positions.js';
import type { PackedNode, PackedPositions } from '../load/positions.js';
import type { OffsetRange, Path } from '../types.js';

export interface Located {
  range: OffsetRange;
  /** How many segments of the path were found (the range is that of the deepest one found). */
  depth: number;
}

/** Anything that can give the positions of a document: a parsed `yaml` Document or a loaded document. */
export type Locatable = Document.Parsed | { positions(): PackedPositions | null };

/**
 * The range a finding about `path` should underline:
 * - a scalar value: the value itself (`targetPort: http` → `http`);
 * - a mapping or list reached through a key: the key (`readinessProbe:`);
 * - a list item that is a mapping: its first line (`- name: web`);
 * - a path that does not exist fully: the deepest part that exists.
 * With `key: true`, a path that ends at a mapping key underlines the key itself (unknown fields).
 */
export function locate(document: Locatable, path: Path, options: { key?: boolean } = {}): Located {
  const packed = 'positions' in document ? document.positions() : packedPositionsOf(document);
  if (packed === null || packed.nodes.length === 0) return { range: [0, 0], depth: 0 };
  let node: PackedNode | undefined = packedNode(packed, 0);
  let keyRange: OffsetRange | undefined;
  let depth = 0;
  for (const segment of path) {
    if (node.kind === -1 || node.kind === 3) break;
    let next: PackedNode | undefined;
    let nextKey: OffsetRange | undefined;
    if (node.kind === 1) {
      // The last pair with the key: with duplicate keys, its value is the one the object holds.
      const name = String(segment);
      for (const pair of packedPairs(packed, node))
        if (pair.key === name) {
          next = pair.value;
          nextKey = pair.keyRange;
        }
      if (next === undefined) break;
      if (next.kind === -1) {
        // `key:` with no value: underline the key.
        keyRange = nextKey;
        node = undefined;
        depth++;
        break;
      }
    } else if (node.kind === 2 && typeof segment === 'number') {
      const item = packedItem(packed, node, segment);
      if (item === undefined || item.kind === -1) break;
      next = item;
      nextKey = undefined;
    } else {
      break;
    }
    node = next;
    keyRange = nextKey;
    depth++;
  }
  if (options.key === true && keyRange && depth === path.length) return { range: keyRange, depth };
  return { range: rangeFor(packed, node, keyRange), depth };
}

function rangeOf(packed: PackedPositions, node: PackedNode | undefined): OffsetRange | undefined {
  return node === undefined || node.kind === -1 || node.kind === 4 ? undefined : packedRange(packed, node);
}

function rangeFor(
  packed: PackedPositions,
  node: PackedNode | undefined,
  keyRange: OffsetRange | undefined,
): OffsetRange {
  if (node === undefined || node.kind === -1) return keyRange ?? [0, 0];
  if (node.kind === 0 || node.kind === 3) {
    const r = packedRange(packed, node);
    // `key:` with an empty value: underline the key.
    return r[0] === r[1] && keyRange ? keyRange : r;
  }
  if (keyRange) return keyRange;
  if (node.kind === 1 && !packedFlow(packed, node)) {
    // A mapping that is a list item: its first entry's line.
    const [start] = packedRange(packed, node);
    const first = packedPairs(packed, node).next();
    if (first.done === true) return [start, start];
    const { keyRange: firstKey, value } = first.value;
    const end = rangeOf(packed, value)?.[1] ?? firstKey?.[1] ?? start;
    return value.kind === -1 || value.kind === 0 ? [start, end] : (firstKey ?? [start, start]);
  }
  const r = rangeOf(packed, node) ?? [0, 0];
  return [r[0], r[0] + 1];
}
