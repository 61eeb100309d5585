/**
 * The locality index of the graph (src/model/locality.ts): Graph.relatedIn() gives exactly the objects
 * that Graph.related() accepts one by one, on generated layouts of files, folders and variants; and the
 * all-pairs cases it replaced stay consistent whatever the number of copies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import { loadObjects } from '../src/load/objects.js';
import { Graph } from '../src/model/graph.js';

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

describe('Graph.relatedIn', () => {
  it('selects what Graph.related accepts, on generated layouts', () => {
    const folder = fc.constantFrom('', 'a', 'a/b', 'a/b/c', 'a/x', 'b', 'ab', 'a-b');
    const file = fc.record({
      folder,
      names: fc.uniqueArray(fc.constantFrom('p', 'q', 'r', 's'), { minLength: 1, maxLength: 3 }),
    });
    fc.assert(
      fc.property(fc.array(file, { minLength: 20, maxLength: 60 }), (files) => {
        const sources = files.map((f, i) =>
          createSource(
            `${f.folder === '' ? '' : `${f.folder}/`}f${String(i)}.yaml`,
            f.names.map(configMap).join('---\n'),
          ),
        );
        const graph = new Graph(loadObjects(sources).objects);
        for (const name of ['p', 'q', 'r', 's']) {
          const list = graph.find('ConfigMap', 'default', name);
          for (const source of sources) {
            const expected = list.filter((o) => graph.related(source.path, o.source.path));
            assert.deepEqual(graph.relatedIn(list, source.path), expected);
          }
        }
      }),
      { numRuns: 100 },
    );
  });

  it('finds the same duplicates and wiring for 30 and 520 copies (past the old cap of 500 on pairs) of one file in one folder', () => {
    const pair =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n' +
      '  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n' +
      '          image: nginx:1.27\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n' +
      '  selector: {app: web}\n  ports:\n    - port: 80\n      targetPort: 8080\n';
    const perCopy = (n: number) => {
      const sources = Array.from({ length: n }, (_, i) => createSource(`m/f-${String(i)}.yaml`, pair));
      const result = lint(sources, { rules });
      for (const f of result.findings) for (const r of f.related) assert.equal(r.file, f.file, f.message);
      const counts = new Map<string, number>();
      for (const f of result.findings) counts.set(f.ruleId, (counts.get(f.ruleId) ?? 0) + 1);
      return Object.fromEntries([...counts].map(([id, count]) => [id, count / n]));
    };
    const few = perCopy(30);
    // Copies of one file are alternative variants: no duplicates, and each Service sends traffic to its own file's pods only.
    assert.equal(few['duplicate-object'], undefined);
    assert.equal(few['readiness-probe-missing'], 1);
    assert.deepEqual(perCopy(520), few);
  });
});
