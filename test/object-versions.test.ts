/**
 * Versions of one object (ObjectVersions in src/model/variants.ts) and duplicate-object's choice of the
 * first definition are indexed by folder, so that n files repeating an object do not cost n² questions.
 * These properties compare both with the all-pairs definitions they replaced, on generated layouts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { letters } from '../scripts/hostile.js';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import { loadObjects } from '../src/load/objects.js';
import { Graph } from '../src/model/graph.js';
import { directoryOf, relatedFiles } from '../src/model/paths.js';
import { versionedNames } from '../src/model/variants.js';
import type { KObject, Source } from '../src/types.js';

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

/** The all-pairs definition: the code ObjectVersions had before it was indexed. */
function referenceVersions(objects: readonly KObject[]): (a: KObject, b: KObject) => boolean {
  const id = (o: KObject) => `${o.kind}\u0000${o.namespace ?? ''}\u0000${o.name}`;
  const filesOf = new Map<string, string[]>();
  const idsOf = new Map<string, Set<string>>();
  for (const o of objects) {
    if (o.name === '') continue;
    const files = filesOf.get(id(o)) ?? filesOf.set(id(o), []).get(id(o)) ?? [];
    if (!files.includes(o.source.path)) files.push(o.source.path);
    (idsOf.get(o.source.path) ?? idsOf.set(o.source.path, new Set()).get(o.source.path))?.add(id(o));
  }
  const overrides = new Set<string>();
  for (const [file, ids] of idsOf)
    if ([...ids].every((i) => (filesOf.get(i) ?? []).some((f) => f !== file && relatedFiles(f, file))))
      overrides.add(file);
  return (a, b) => {
    const fa = a.source.path;
    const fb = b.source.path;
    if (fa === fb) return false;
    const files = filesOf.get(id(a)) ?? [];
    const folder = directoryOf(fa);
    if (
      folder === directoryOf(fb) &&
      (versionedNames(fa, fb) ||
        files.some((f) => directoryOf(f) === folder && versionedNames(fa, f) && versionedNames(fb, f)))
    )
      return true;
    const near = files.filter((f) => relatedFiles(f, fa) || relatedFiles(f, fb));
    return near.length >= 3 && (overrides.has(fa) || overrides.has(fb));
  };
}

/** Generated files: folders that nest, names that read as versions of each other or not, shared objects. */
const layout = (minFiles: number, maxFiles: number, folders: readonly string[]) =>
  fc.array(
    fc.record({
      folder: fc.constantFrom(...folders),
      name: fc.constantFrom(
        'app-1',
        'app-2',
        'app-v3',
        'app-config',
        'cart',
        'hub-ui-auto',
        'hub-ui-128',
        'hub-ui-std',
      ),
      objects: fc.uniqueArray(fc.constantFrom('p', 'q', 'r', 's'), { minLength: 1, maxLength: 3 }),
    }),
    { minLength: minFiles, maxLength: maxFiles },
  );

/**
 * The files of a layout; each name made unique by a suffix with a digit (`app-config-b1`), or with letters
 * only (`app-config-b`), so that names without any digit, which never read as versions, occur too.
 */
function sourcesOf(
  files: readonly { folder: string; name: string; objects: readonly string[] }[],
  digits = true,
): Source[] {
  return files.map((f, i) =>
    createSource(
      `${f.folder === '' ? '' : `${f.folder}/`}${f.name}-${digits ? `${String.fromCharCode(97 + (i % 26))}${String(i)}` : letters(i)}.yaml`,
      f.objects.map(configMap).join('---\n'),
    ),
  );
}

describe('ObjectVersions', () => {
  it('answers as the all-pairs definition, on generated layouts', () => {
    const folders = ['', 'a', 'a/b', 'a/b/c', 'a/x', 'b', 'ab'];
    fc.assert(
      fc.property(layout(2, 40, folders), (files) => {
        const objects = loadObjects(sourcesOf(files)).objects;
        const graph = new Graph(objects);
        const reference = referenceVersions(objects);
        for (const a of objects)
          for (const b of objects)
            if (a.name === b.name) assert.equal(graph.versionsOfOneObject(a, b), reference(a, b), `${a.id} ${b.id}`);
      }),
      { numRuns: 150 },
    );
  });
});

describe('duplicate-object', () => {
  const rule = rules.filter((r) => r.id === 'duplicate-object');

  /** Each duplicate and the first definition it is compared with, by the all-pairs search. */
  function referencePairs(sources: readonly Source[]): string[] {
    const objects = loadObjects(sources).objects;
    const graph = new Graph(objects);
    const pairs: string[] = [];
    for (const name of ['p', 'q', 'r', 's']) {
      const group = graph.find('ConfigMap', 'default', name);
      const firsts = new Set<KObject>();
      for (const object of group) {
        const first = graph
          .relatedIn(group, object.source.path)
          .find((o) => firsts.has(o) && !graph.versionsOfOneObject(o, object));
        if (first === undefined) firsts.add(object);
        else pairs.push(`${object.source.path} ${object.name} → ${first.source.path}`);
      }
    }
    return pairs.sort();
  }

  const found = (sources: readonly Source[]) =>
    lint(sources, { rules: rule })
      .findings.map((f) => `${f.file} ${/`([^`]*)`/.exec(f.message)?.[1] ?? ''} → ${f.related[0]?.file ?? ''}`)
      .sort();

  it('compares each duplicate with the first definition the all-pairs search finds, with few or many firsts', () => {
    // 200 sibling folders (and a few nested ones): more first definitions of an object than the rule asks one
    // by one, so that it also asks the locality index.
    const folders = ['s0/a', 's0/a/b', ...Array.from({ length: 200 }, (_, i) => `s${String(i)}`)];
    fc.assert(
      fc.property(layout(250, 300, folders), fc.boolean(), (files, digits) => {
        const sources = sourcesOf(files, digits);
        assert.deepEqual(found(sources), referencePairs(sources));
      }),
      { numRuns: 25 },
    );
  });

  it('compares as the all-pairs search in a few folders crowded with files', () => {
    // Many firsts per folder: versions of one name, alternatives of each other, and names without digits.
    fc.assert(
      fc.property(layout(60, 120, ['', 'a', 'a/b', 'c']), fc.boolean(), (files, digits) => {
        const sources = sourcesOf(files, digits);
        assert.deepEqual(found(sources), referencePairs(sources));
      }),
      { numRuns: 40 },
    );
  });

  it('finds no duplicate among n versions of one file name in one folder, nor among n alternative files', () => {
    // Each file a first of `p`: the case the per-folder name keys and common identities skip together.
    const versions = Array.from({ length: 300 }, (_, i) =>
      createSource(`m/app-v${String(i)}.yaml`, `${configMap('p')}---\n${configMap(`own${String(i)}`)}`),
    );
    assert.deepEqual(found(versions), referencePairs(versions));
    assert.equal(found(versions).length, 0);
    const alternatives = Array.from({ length: 300 }, (_, i) =>
      createSource(
        `m/${letters(i)}.yaml`,
        `${configMap('q')}---\n${configMap('r')}---\n${configMap(`own${String(i)}`)}`,
      ),
    );
    assert.equal(found(alternatives).length, 0);
    assert.deepEqual(found(alternatives), referencePairs(alternatives));
    // One more file that repeats `p` beside its own object, under a name of another word, is a duplicate
    // of the first version.
    const other = createSource('m/other.yaml', `${configMap('p')}---\n${configMap('mine')}`);
    assert.deepEqual(found([...versions, other]), ['m/other.yaml p → m/app-v0.yaml']);
    assert.deepEqual(found([...versions, other]), referencePairs([...versions, other]));
  });

  it('finds one first for n files of one folder that repeat an object beside their own', () => {
    const sources = Array.from({ length: 300 }, (_, i) =>
      createSource(`m/f${String(i)}.yaml`, `${configMap('shared')}---\n${configMap(`own${String(i)}`)}`),
    );
    const findings = lint(sources, { rules: rule }).findings;
    assert.equal(findings.length, 299);
    assert.ok(findings.every((f) => f.related[0]?.file === 'm/f0.yaml'));
  });
});
