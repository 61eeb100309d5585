/** Mapping a path into a YAML document to the exact range of the field it names. */
import type { Document } from 'yaml';
import { positionsOf } from '../load/positions.js';
import type { MapPositions, PositionNode } from '../load/positions.js';
import type { OffsetRange, Path } from '../types.js';

export interface Located {
  range: OffsetRange;
  /** How many segments of the path were found (the range is that of the deepest one found). */
  depth: number;
}

/** Anything that can give the position tree of a document: a parsed `yaml` Document or a loaded document. */
export type Locatable = Document.Parsed | { positions(): PositionNode | null };

/**
 * The range a finding about `path` should underline:
 * - a scalar value: the value itself (`targetPort: http` → `http`);
 * - a mapping or list reached through a key: the key (`readinessProbe:`);
 * - a list item that is a mapping: its first line (`- name: web`);
 * - a path that does not exist fully: the deepest part that exists.
 * With `key: true`, a path that ends at a mapping key underlines the key itself (unknown fields).
 */
export function locate(document: Locatable, path: Path, options: { key?: boolean } = {}): Located {
  const root = 'positions' in document ? document.positions() : positionsOf(document);
  let node: PositionNode | null | undefined = root;
  let keyRange: OffsetRange | undefined;
  let depth = 0;
  for (const segment of path) {
    if (node === null || node[0] === 3) break;
    let next: PositionNode | null | undefined;
    let nextKey: OffsetRange | undefined;
    if (node[0] === 1) {
      // The last pair with the key: with duplicate keys, its value is the one the object holds.
      const map: MapPositions = node;
      const keys: readonly (string | null)[] = map[4];
      const keyRanges: readonly number[] = map[5];
      const values: readonly (PositionNode | null)[] = map[6];
      const i: number = keys.lastIndexOf(String(segment));
      if (i === -1) break;
      next = values[i];
      const ks = keyRanges[2 * i] ?? -1;
      nextKey = ks === -1 ? undefined : [ks, keyRanges[2 * i + 1] ?? ks];
      if (next === null || next === undefined) {
        // `key:` with no value: underline the key.
        keyRange = nextKey;
        node = undefined;
        depth++;
        break;
      }
    } else if (node[0] === 2 && typeof segment === 'number') {
      const items: readonly (PositionNode | null)[] = node[3];
      const item: PositionNode | null | undefined = items[segment];
      if (item === undefined || item === null) break;
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
  return { range: rangeFor(node, keyRange), depth };
}

function rangeOf(node: PositionNode | null | undefined): OffsetRange | undefined {
  return node === null || node === undefined || node[0] === 4 ? undefined : [node[1], node[2]];
}

function rangeFor(node: PositionNode | null | undefined, keyRange: OffsetRange | undefined): OffsetRange {
  if (node === undefined || node === null) return keyRange ?? [0, 0];
  if (node[0] === 0 || node[0] === 3) {
    const r: OffsetRange = [node[1], node[2]];
    // `key:` with an empty value: underline the key.
    return r[0] === r[1] && keyRange ? keyRange : r;
  }
  if (keyRange) return keyRange;
  if (node[0] === 1 && node[3] === 0) {
    // A mapping that is a list item: its first entry's line.
    const [, start, , , keys, keyRanges, values] = node;
    const hasFirst = keys.length > 0;
    const value = values[0];
    const ks = keyRanges[0] ?? -1;
    const firstKey: OffsetRange | undefined = hasFirst && ks !== -1 ? [ks, keyRanges[1] ?? ks] : undefined;
    const end = rangeOf(value)?.[1] ?? firstKey?.[1] ?? start;
    return hasFirst && (value === null || value?.[0] === 0) ? [start, end] : (firstKey ?? [start, start]);
  }
  const r = rangeOf(node) ?? [0, 0];
  return [r[0], r[0] + 1];
}
