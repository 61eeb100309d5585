/**
 * Variant detection (src/model/variants.ts) against the plain all-pairs computation of its definition,
 * on generated inputs: including identities defined in hundreds of different files (a ConfigMap every
 * file repeats), which an earlier version stopped counting past 500 sets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Variants } from '../src/model/variants.js';
import type { Identified } from '../src/model/variants.js';
import { directoryOf } from '../src/model/paths.js';

const WORKLOADS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod']);

function object(path: string, kind: string, name: string, namespace: string | null = 'default'): Identified {
  return { kind, name, namespace, source: { path } };
}

/** The definition, pair by pair: equal sets, or at least two shared identities and half the smaller set. */
function reference(objects: readonly Identified[]) {
  const files = new Map<string, Set<string>>();
  const folders = new Map<string, Set<string>>();
  for (const o of objects) {
    if (o.name === '') continue;
    const id = `${WORKLOADS.has(o.kind) ? 'workload' : o.kind}/${o.namespace ?? ''}/${o.name}`;
    for (const [map, unit] of [
      [files, o.source.path],
      [folders, directoryOf(o.source.path)],
    ] as const) {
      const set = map.get(unit) ?? new Set<string>();
      set.add(id);
      map.set(unit, set);
    }
  }
  const alternative = (x: Set<string> | undefined, y: Set<string> | undefined) => {
    if (x === undefined || y === undefined) return false;
    const shared = [...x].filter((id) => y.has(id)).length;
    if (shared === x.size && shared === y.size) return true;
    return shared >= 2 && shared * 2 >= Math.min(x.size, y.size);
  };
  return {
    files: [...files.keys()],
    folders: [...folders.keys()],
    folderAlternatives: (a: string, b: string) => alternative(folders.get(a), folders.get(b)),
    alternatives: (a: string, b: string) =>
      a !== b &&
      (alternative(files.get(a), files.get(b)) ||
        (directoryOf(a) !== directoryOf(b) && alternative(folders.get(directoryOf(a)), folders.get(directoryOf(b))))),
  };
}

/** Files that each repeat one shared ConfigMap beside a Deployment of their own: `count` different sets. */
function crowd(count: number, folder = 'crowd'): Identified[] {
  const out: Identified[] = [];
  for (let i = 0; i < count; i++) {
    const path = `${folder}/own-${String(i)}.yaml`;
    out.push(object(path, 'ConfigMap', 'shared'), object(path, 'Deployment', `own-${String(i)}`));
  }
  return out;
}

function compare(objects: readonly Identified[], files: readonly string[]) {
  const variants = new Variants(objects);
  const expected = reference(objects);
  for (const a of files)
    for (const b of files)
      assert.equal(variants.alternatives(a, b), expected.alternatives(a, b), `files ${a} and ${b}`);
  for (const a of expected.folders)
    for (const b of expected.folders)
      if (a !== b)
        assert.equal(variants.folderAlternatives(a, b), expected.folderAlternatives(a, b), `folders ${a} and ${b}`);
}

describe('variants', () => {
  it('match the all-pairs definition on generated files, folders and crowds of one shared identity', () => {
    // Few identities, one of them the crowd's shared ConfigMap, so that files overlap often.
    const identity = fc.oneof(
      { arbitrary: fc.constant({ kind: 'ConfigMap', name: 'shared', namespace: 'default' }), weight: 2 },
      {
        arbitrary: fc.record({
          kind: fc.constantFrom('ConfigMap', 'Service', 'Deployment', 'StatefulSet'),
          name: fc.constantFrom('a', 'b', 'c', 'd', ''),
          namespace: fc.constantFrom<string | null>('default', 'other', null),
        }),
        weight: 5,
      },
    );
    const file = fc.record({
      folder: fc.constantFrom('', 'a', 'a/b', 'crowd', 'crowd', 'crowd', 'd/e'),
      objects: fc.array(identity, { minLength: 0, maxLength: 9 }),
    });
    fc.assert(
      fc.property(
        fc.array(file, { minLength: 2, maxLength: 40 }),
        fc.oneof(fc.nat(20), fc.integer({ min: 490, max: 700 })),
        (files, crowdSize) => {
          const objects: Identified[] = crowd(crowdSize);
          const paths: string[] = [];
          files.forEach((f, i) => {
            const path = `${f.folder === '' ? '' : `${f.folder}/`}f${String(i)}.yaml`;
            paths.push(path);
            for (const o of f.objects) objects.push(object(path, o.kind, o.name, o.namespace));
          });
          // Every generated file against every other, and against a few files of the crowd.
          compare(objects, [...paths, 'crowd/own-0.yaml', `crowd/own-${String(Math.max(0, crowdSize - 1))}.yaml`]);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('count an identity that 600 different files define (two files sharing it and one more are alternatives)', () => {
    const objects = [
      ...crowd(600),
      object('x/one.yaml', 'ConfigMap', 'shared'),
      object('x/one.yaml', 'Service', 'p'),
      object('x/one.yaml', 'Secret', 'q'),
      object('x/two.yaml', 'ConfigMap', 'shared'),
      object('x/two.yaml', 'Service', 'p'),
      object('x/two.yaml', 'Secret', 'r'),
      object('z/three.yaml', 'ConfigMap', 'shared'),
      object('z/three.yaml', 'Service', 's'),
      object('z/three.yaml', 'Secret', 't'),
    ];
    const variants = new Variants(objects);
    // In one folder: only the files' own sets decide.
    assert.equal(variants.alternatives('x/one.yaml', 'x/two.yaml'), true);
    // One shared identity is not enough.
    assert.equal(variants.alternatives('x/one.yaml', 'z/three.yaml'), false);
    assert.equal(variants.alternatives('crowd/own-1.yaml', 'crowd/own-2.yaml'), false);
    compare(objects, ['x/one.yaml', 'x/two.yaml', 'z/three.yaml', 'crowd/own-0.yaml', 'crowd/own-599.yaml']);
  });

  it('treat workload kinds as one component and copies as one class', () => {
    const objects = [
      object('a/db.yaml', 'Deployment', 'db'),
      object('a/db.yaml', 'Service', 'db'),
      object('b/db.yaml', 'StatefulSet', 'db'),
      object('b/db.yaml', 'Service', 'db'),
      object('c/copy.yaml', 'StatefulSet', 'db'),
      object('c/copy.yaml', 'Service', 'db'),
    ];
    const variants = new Variants(objects);
    assert.equal(variants.alternatives('a/db.yaml', 'b/db.yaml'), true);
    assert.equal(variants.fileClass('b/db.yaml'), variants.fileClass('c/copy.yaml'));
    assert.equal(variants.classAlternatives(variants.fileClass('a/db.yaml'), variants.fileClass('c/copy.yaml')), true);
    compare(objects, ['a/db.yaml', 'b/db.yaml', 'c/copy.yaml']);
  });
});
