/**
 * The positions of a YAML document without the document: node ranges that `locate()` walks to turn a
 * path into a range. The parsers build a tree of plain arrays (`PositionNode`), which documents keep
 * packed (`PackedPositions`, below); the packed form is also what the cache stores, so that a cached
 * file needs no parse to report at its exact fields.
 *
 * The tree:
 * - a scalar `[0, start, end]`, an alias `[3, start, end]`;
 * - a mapping `[1, start, end, flow, keys, keyRanges, values]`: `keys[i]` is the key as a string
 *   when it is a scalar (else null), `keyRanges[2i..2i+1]` its range (-1 when it has none),
 *   `values[i]` the value's node (null when the pair has no value node);
 * - a sequence `[2, start, end, items]`;
 * - anything else (a pair written directly in a flow sequence) `[4]`: it has no range of its own.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';

export type ScalarPositions = readonly [kind: 0 | 3, start: number, end: number];
export type MapPositions = readonly [
  kind: 1,
  start: number,
  end: number,
  flow: 0 | 1,
  keys: readonly (string | null)[],
  keyRanges: readonly number[],
  values: readonly (PositionNode | null)[],
];
export type SeqPositions = readonly [kind: 2, start: number, end: number, items: readonly (PositionNode | null)[]];
export type OtherPositions = readonly [kind: 4];
export type PositionNode = ScalarPositions | MapPositions | SeqPositions | OtherPositions;

/** The position tree of a parsed document's contents. */
export function positionsOf(document: Document.Parsed): PositionNode | null {
  return positionsOfNode(document.contents);
}

const packedTrees = new WeakMap<Document.Parsed, PackedPositions>();

/** The packed positions of a parsed document's contents (built once per document). */
export function packedPositionsOf(document: Document.Parsed): PackedPositions {
  let packed = packedTrees.get(document);
  if (packed === undefined) {
    packed = packPositions(positionsOf(document));
    packedTrees.set(document, packed);
  }
  return packed;
}

function positionsOfNode(node: unknown): PositionNode | null {
  if (node === null || node === undefined) return null;
  if (isScalar(node) || isAlias(node)) {
    const r = node.range;
    return r ? [isAlias(node) ? 3 : 0, r[0], r[1]] : [4];
  }
  if (isMap(node)) {
    const keys: (string | null)[] = [];
    const keyRanges: number[] = [];
    const values: (PositionNode | null)[] = [];
    for (const pair of node.items) {
      const key = isPair(pair) ? (pair.key as Node | null) : null;
      keys.push(isScalar(key) ? String(key.value) : null);
      const kr = key?.range;
      keyRanges.push(kr ? kr[0] : -1, kr ? kr[1] : -1);
      values.push(isPair(pair) ? positionsOfNode(pair.value) : null);
    }
    const r = node.range;
    return r ? [1, r[0], r[1], node.flow === true ? 1 : 0, keys, keyRanges, values] : [4];
  }
  if (isSeq(node)) {
    const r = node.range;
    return r ? [2, r[0], r[1], node.items.map(positionsOfNode)] : [4];
  }
  return [4];
}

/**
 * A position tree packed into numbers: what documents keep and what the cache stores. A tree of JavaScript
 * arrays costs about six times the packed form (40 MB against 7 MB on the shared corpus), and the packed form
 * is walked as it is (`walkPacked`), never unpacked. The nodes in pre-order: a scalar or alias is its kind and
 * range; a mapping adds `flow`, its pair count and the index just after its last pair, then per pair the key's
 * index in `keys` (-1 when it is not a scalar), the key's range and the value; a sequence adds its item count
 * and the index just after its last item, then the items; -1 stands for a missing value.
 */
export interface PackedPositions {
  nodes: Int32Array;
  keys: readonly string[];
}

export function packPositions(tree: PositionNode | null): PackedPositions {
  const nodes: number[] = [];
  const keys: string[] = [];
  const put = (node: PositionNode | null | undefined): void => {
    if (node === null || node === undefined) {
      nodes.push(-1);
      return;
    }
    switch (node[0]) {
      case 0:
      case 3:
        nodes.push(node[0], node[1], node[2]);
        return;
      case 1: {
        const [, start, end, flow, names, ranges, values] = node;
        const at = nodes.push(1, start, end, flow, names.length, 0) - 1;
        names.forEach((name, i) => {
          if (name === null) nodes.push(-1);
          else nodes.push(keys.push(name) - 1);
          nodes.push(ranges[2 * i] ?? -1, ranges[2 * i + 1] ?? -1);
          put(values[i]);
        });
        nodes[at] = nodes.length;
        return;
      }
      case 2: {
        const at = nodes.push(2, node[1], node[2], node[3].length, 0) - 1;
        for (const item of node[3]) put(item);
        nodes[at] = nodes.length;
        return;
      }
      default:
        nodes.push(4);
    }
  };
  if (tree !== null) put(tree);
  return { nodes: Int32Array.from(nodes), keys };
}

/** Index just after the node at `i`. */
function skip(nodes: Int32Array, i: number): number {
  switch (nodes[i]) {
    case 0:
    case 3:
      return i + 3;
    case 1:
      return nodes[i + 5] ?? nodes.length;
    case 2:
      return nodes[i + 4] ?? nodes.length;
    default:
      return i + 1;
  }
}

/** A node of a packed tree, as `walkPacked` gives it. */
export interface PackedNode {
  kind: -1 | 0 | 1 | 2 | 3 | 4;
  /** Index of the node in `nodes`. */
  at: number;
}

/** The node at an index (kind -1: a missing value). */
export function packedNode(packed: PackedPositions, at: number): PackedNode {
  const kind = packed.nodes[at] ?? -1;
  return { kind: (kind >= -1 && kind <= 4 ? kind : 4) as PackedNode['kind'], at };
}

/** A node's range (scalars, aliases, mappings and sequences). */
export function packedRange(packed: PackedPositions, node: PackedNode): [number, number] {
  return [packed.nodes[node.at + 1] ?? 0, packed.nodes[node.at + 2] ?? 0];
}

/** Whether a mapping is a flow mapping (`{…}`). */
export function packedFlow(packed: PackedPositions, node: PackedNode): boolean {
  return packed.nodes[node.at + 3] === 1;
}

/** The pairs of a mapping: each key (null when not a scalar), its range (undefined when it has none) and value. */
export function* packedPairs(
  packed: PackedPositions,
  node: PackedNode,
): Generator<{ key: string | null; keyRange: [number, number] | undefined; value: PackedNode }> {
  const { nodes, keys } = packed;
  const count = nodes[node.at + 4] ?? 0;
  let i = node.at + 6;
  for (let n = 0; n < count; n++) {
    const k = nodes[i] ?? -1;
    const ks = nodes[i + 1] ?? -1;
    const value = packedNode(packed, i + 3);
    yield {
      key: k === -1 ? null : (keys[k] ?? null),
      keyRange: ks === -1 ? undefined : [ks, nodes[i + 2] ?? ks],
      value,
    };
    i = skip(nodes, i + 3);
  }
}

/** The item at an index of a sequence, if it has one. */
export function packedItem(packed: PackedPositions, node: PackedNode, index: number): PackedNode | undefined {
  const { nodes } = packed;
  if (!Number.isInteger(index) || index < 0 || index >= (nodes[node.at + 3] ?? 0)) return undefined;
  let i = node.at + 5;
  for (let n = 0; n < index; n++) i = skip(nodes, i);
  return packedNode(packed, i);
}

export function unpackPositions(packed: PackedPositions): PositionNode | null {
  if (packed.nodes.length === 0) return null;
  const take = (node: PackedNode): PositionNode | null => {
    switch (node.kind) {
      case -1:
        return null;
      case 0:
      case 3:
        return [node.kind, ...packedRange(packed, node)];
      case 1: {
        const names: (string | null)[] = [];
        const ranges: number[] = [];
        const values: (PositionNode | null)[] = [];
        for (const pair of packedPairs(packed, node)) {
          names.push(pair.key);
          ranges.push(...(pair.keyRange ?? [-1, -1]));
          values.push(take(pair.value));
        }
        return [1, ...packedRange(packed, node), packedFlow(packed, node) ? 1 : 0, names, ranges, values];
      }
      case 2: {
        const items: (PositionNode | null)[] = [];
        const count = packed.nodes[node.at + 3] ?? 0;
        let i = node.at + 5;
        for (let n = 0; n < count; n++) {
          items.push(take(packedNode(packed, i)));
          i = skip(packed.nodes, i);
        }
        return [2, ...packedRange(packed, node), items];
      }
      default:
        return [4];
    }
  };
  return take(packedNode(packed, 0));
}
