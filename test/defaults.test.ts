/**
 * The API server's defaulting (src/model/defaults.ts) copies on write: it must give exactly the values the
 * `structuredClone`-and-change version gave (kept in test/defaults-reference.ts), on every object of the
 * fixtures and of the shared corpus, without ever changing the object as written, and share what it does
 * not default.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { loadObjects } from '../src/load/objects.js';
import { createSource } from '../src/load/source.js';
import { withServerDefaults } from '../src/model/defaults.js';
import { get } from '../src/model/values.js';
import type { KObject } from '../src/types.js';
import { withServerDefaultsByClone } from './defaults-reference.js';
import { FIXTURES, SHARED, listFiles, sourcesFrom } from './helpers.js';

function deepFreeze(value: unknown, seen = new Set<unknown>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child, seen);
}

/** Every object of the manifests under a folder. */
function objectsUnder(dir: string): KObject[] {
  const files = listFiles(dir).filter((f) => /\.(ya?ml|json)$/i.test(f));
  return loadObjects(sourcesFrom(dir, files)).objects;
}

/** Compares both versions on each object; returns how many objects had something defaulted. */
function compareAll(objects: readonly KObject[]): number {
  let defaulted = 0;
  for (const object of objects) {
    const where = `${object.source.path}: ${object.kind} ${object.name}`;
    const before = structuredClone(object.written);
    const expected = withServerDefaultsByClone(object.group, object.kind, before);
    // Frozen: a write into the object as written throws (modules are strict) instead of passing unseen.
    deepFreeze(object.written);
    const actual = withServerDefaults(object.group, object.kind, object.written);
    assert.deepEqual(actual, expected, where);
    assert.deepEqual(object.written, before, `${where}: the object as written changed`);
    assert.deepEqual(object.raw, expected, `${where}: the loaded object's raw`);
    if (actual !== object.written) defaulted++;
  }
  return defaulted;
}

describe('server defaults copy on write', () => {
  it('gives the values of structuredClone-and-change on every object of the fixtures', () => {
    const objects = objectsUnder(FIXTURES);
    assert.ok(objects.length > 1000, `only ${objects.length} objects in the fixtures`);
    assert.ok(compareAll(objects) > 500);
  });

  const corpus = path.join(SHARED, 'corpus');
  it(
    'gives the values of structuredClone-and-change on every object of the shared corpus',
    {
      skip: !existsSync(corpus) && 'shared corpus absent',
    },
    () => {
      const objects = objectsUnder(corpus);
      assert.ok(objects.length > 1000, `only ${objects.length} objects in the corpus`);
      assert.ok(compareAll(objects) > 500);
    },
  );

  it('copies only the way to what it defaults, and shares the rest with the object as written', () => {
    const [deployment, configMap] = loadObjects([
      createSource(
        'app.yaml',
        [
          'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n',
          '  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n',
          '      containers:\n        - name: web\n          image: web:1\n          env: [{name: A, value: b}]\n',
          '          ports: [{containerPort: 80}]\n      volumes: [{name: v, emptyDir: {}}]\n---\n',
          'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n',
        ].join(''),
      ),
    ]).objects;
    assert.ok(deployment !== undefined && configMap !== undefined);
    const { raw, written } = deployment;
    assert.notEqual(raw, written);
    const path = ['spec', 'template', 'spec', 'containers', 0] as const;
    for (const at of [[], ['spec'], ['spec', 'template'], ['spec', 'template', 'spec'], path, [...path, 'ports', 0]])
      assert.notEqual(get(raw, ...at), get(written, ...at), `${at.join('.')} is a copy`);
    assert.equal(get(raw, ...path, 'ports', 0, 'protocol'), 'TCP');
    assert.equal(get(written, ...path, 'ports', 0, 'protocol'), undefined);
    for (const at of [['metadata'], ['spec', 'selector'], ['spec', 'template', 'metadata'], [...path, 'env']])
      assert.equal(get(raw, ...at), get(written, ...at), `${at.join('.')} is shared`);
    assert.equal(get(raw, 'spec', 'template', 'spec', 'volumes'), get(written, 'spec', 'template', 'spec', 'volumes'));
    assert.equal(configMap.raw, configMap.written, 'nothing to default: the object as written itself');
  });

  it('returns the object itself when every defaulted field is already set', () => {
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 's' },
      spec: {
        type: 'NodePort',
        sessionAffinity: 'ClientIP',
        ports: [{ port: 80, targetPort: 8080, protocol: 'UDP' }],
      },
    };
    deepFreeze(service);
    assert.equal(withServerDefaults('', 'Service', service), service);
  });

  it('defaults every place a YAML alias reaches on its own, leaving the anchored value as written', () => {
    const probe = { httpGet: { port: 80 } };
    const container = { name: 'a', image: 'a:1', livenessProbe: probe, readinessProbe: probe };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', annotations: { probe } }, spec: {} };
    (pod.spec as Record<string, unknown>).containers = [container, container];
    deepFreeze(pod);
    const out = withServerDefaults('', 'Pod', pod);
    const defaulted = { httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10 };
    for (const i of [0, 1])
      for (const which of ['livenessProbe', 'readinessProbe'])
        assert.deepEqual(get(out, 'spec', 'containers', i, which), {
          ...defaulted,
          successThreshold: 1,
          failureThreshold: 3,
        });
    assert.equal(get(out, 'metadata', 'annotations', 'probe'), probe, 'not a defaulted place: as written');
  });
});
