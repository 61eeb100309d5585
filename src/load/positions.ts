/**
 * The positions of a YAML document without the document: a compact tree of node ranges that
 * `locate()` walks to turn a path into a range. It is built from a parsed `yaml` Document on first
 * use (only documents something is reported on pay for it), and it is what the cache stores, so
 * that a cached file needs no parse to report at its exact fields.
 *
 * Plain arrays, so that it serializes as it is:
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

const trees = new WeakMap<Document.Parsed, PositionNode | null>();

/** The position tree of a parsed document's contents (built once per document). */
export function positionsOf(document: Document.Parsed): PositionNode | null {
  let tree = trees.get(document);
  if (tree === undefined) {
    tree = positionsOfNode(document.contents);
    trees.set(document, tree);
  }
  return tree;
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
 * A position tree packed for storage: the nodes in pre-order as numbers (a node is its kind and
 * range, a mapping adds `flow` and its pair count and per pair the key's index in `keys` (-1 when
 * it is not a scalar), the key's range and the value, a sequence adds its item count and the
 * items; -1 stands for a missing value), and the keys as a JSON array. Restoring a run's cache
 * then costs a copy; a tree is unpacked only for the documents something is reported on.
 */
export interface PackedPositions {
  nodes: Int32Array;
  keys: string;
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
        nodes.push(1, start, end, flow, names.length);
        names.forEach((name, i) => {
          if (name === null) nodes.push(-1);
          else nodes.push(keys.push(name) - 1);
          nodes.push(ranges[2 * i] ?? -1, ranges[2 * i + 1] ?? -1);
          put(values[i]);
        });
        return;
      }
      case 2:
        nodes.push(2, node[1], node[2], node[3].length);
        for (const item of node[3]) put(item);
        return;
      default:
        nodes.push(4);
    }
  };
  if (tree !== null) put(tree);
  return { nodes: Int32Array.from(nodes), keys: JSON.stringify(keys) };
}

export function unpackPositions(packed: PackedPositions): PositionNode | null {
  const { nodes } = packed;
  if (nodes.length === 0) return null;
  const keys = JSON.parse(packed.keys) as string[];
  let at = 0;
  const next = (): number => nodes[at++] ?? -1;
  const take = (): PositionNode | null => {
    const kind = next();
    switch (kind) {
      case -1:
        return null;
      case 0:
      case 3:
        return [kind, next(), next()];
      case 1: {
        const start = next();
        const end = next();
        const flow = next() === 1 ? 1 : 0;
        const count = next();
        const names: (string | null)[] = [];
        const ranges: number[] = [];
        const values: (PositionNode | null)[] = [];
        for (let i = 0; i < count; i++) {
          const key = next();
          names.push(key === -1 ? null : (keys[key] ?? null));
          ranges.push(next(), next());
          values.push(take());
        }
        return [1, start, end, flow, names, ranges, values];
      }
      case 2: {
        const start = next();
        const end = next();
        const count = next();
        const items: (PositionNode | null)[] = [];
        for (let i = 0; i < count; i++) items.push(take());
        return [2, start, end, items];
      }
      default:
        return [4];
    }
  };
  return take();
}
