import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { interpolate } from '../src/engine.js';
import { locate } from '../src/model/locate.js';
import { closestMatch, deepEqual, editDistance } from '../src/model/values.js';
import { matchesLabels, parseEqualitySelector, parseLabelSelector, selectsTemplate } from '../src/resolve/selectors.js';
import { createSource } from '../src/load/source.js';
import { lintText } from './helpers.js';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'frontend' };
  it('ANDs all requirements of matchLabels and matchExpressions', () => {
    const parse = (v: unknown) => {
      const { selector } = parseLabelSelector(v);
      assert.ok(selector);
      return selector;
    };
    assert.ok(matchesLabels(parse({ matchLabels: { app: 'web' } }), labels));
    assert.ok(!matchesLabels(parse({ matchLabels: { app: 'web', tier: 'backend' } }), labels));
    assert.ok(
      matchesLabels(
        parse({ matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend', 'edge'] }] }),
        labels,
      ),
    );
    assert.ok(
      !matchesLabels(parse({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] }), labels),
    );
    assert.ok(
      matchesLabels(parse({ matchExpressions: [{ key: 'track', operator: 'NotIn', values: ['canary'] }] }), labels),
    );
    assert.ok(matchesLabels(parse({ matchExpressions: [{ key: 'app', operator: 'Exists' }] }), labels));
    assert.ok(!matchesLabels(parse({ matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] }), labels));
    assert.ok(matchesLabels(parse({}), labels), 'an empty selector selects everything');
  });

  it('rejects malformed selectors instead of guessing', () => {
    assert.equal(parseLabelSelector({ matchExpressions: [{ key: 'a', operator: 'Equals' }] }).selector, undefined);
    assert.equal(parseLabelSelector('app=web').selector, undefined);
    assert.equal(parseLabelSelector(undefined).selector, undefined);
  });

  it('reads equality selectors, with scalar values as strings', () => {
    const s = parseEqualitySelector({ app: 'web', version: 2 });
    assert.ok(s && matchesLabels(s, { app: 'web', version: '2' }));
    assert.equal(parseEqualitySelector(['a']), undefined);
  });

  it('matches generated pod labels by their possible values', () => {
    const template = {
      path: [],
      specPath: [],
      labels: { app: 'db' },
      generatedLabels: { 'statefulset.kubernetes.io/pod-name': ['db-0', 'db-1'], 'pod-template-hash': null },
      spec: {},
      containers: [],
      restartPolicy: 'Always',
      longRunning: true,
    };
    const sel = (v: Record<string, string>) => parseEqualitySelector(v) ?? assert.fail();
    assert.ok(selectsTemplate(sel({ app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-1' }), template));
    assert.ok(!selectsTemplate(sel({ 'statefulset.kubernetes.io/pod-name': 'db-2' }), template));
    assert.ok(
      selectsTemplate(sel({ 'pod-template-hash': 'abc' }), template),
      'unknown values get the benefit of the doubt',
    );
  });
});

describe('graph', () => {
  it('selects pods through the label index, within the namespace only', () => {
    const text = [
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: x}]}',
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b, namespace: other}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: x}]}',
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: migrate}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {restartPolicy: Never, containers: [{name: c, image: x}]}',
    ].join('\n---\n');
    const { graph } = lintText(text, []);
    const selector = parseEqualitySelector({ app: 'web' }) ?? assert.fail();
    assert.deepEqual(
      graph.selectPods('default', selector).map((o) => o.name),
      ['a', 'migrate'],
    );
    assert.deepEqual(
      graph.selectPods('other', selector).map((o) => o.name),
      ['b'],
    );
    const byJob = parseEqualitySelector({ 'job-name': 'migrate' }) ?? assert.fail();
    assert.deepEqual(
      graph.selectPods('default', byJob).map((o) => o.name),
      ['migrate'],
    );
    assert.deepEqual(
      graph.find('Deployment', 'default', 'a').map((o) => o.name),
      ['a'],
    );
  });
});

describe('server defaulting and unnamed objects', () => {
  it('reads targetPort 0 and "" as the port, and keeps the written object for the schema checks', () => {
    const result = lintText(
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n    - {port: 80, targetPort: 0}\n    - {port: 81, targetPort: ""}\n',
      [],
    );
    const service = result.graph.objects[0];
    assert.deepEqual((service?.raw.spec as { ports: unknown[] }).ports, [
      { port: 80, targetPort: 80, protocol: 'TCP' },
      { port: 81, targetPort: 81, protocol: 'TCP' },
    ]);
    assert.deepEqual((service?.written.spec as { ports: unknown[] }).ports, [
      { port: 80, targetPort: 0 },
      { port: 81, targetPort: '' },
    ]);
  });

  it('names the object of a finding about a document without a name', () => {
    const result = lintText('apiVersion: apps/v1\nkind: Deployment\nmetadata: {labels: {app: x}}\n', [
      'manifest-shape',
    ]);
    assert.deepEqual(
      result.findings.map((f) => f.object),
      [{ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'default', name: '' }],
    );
  });
});

describe('locate', () => {
  const source = createSource('x.yaml', 'a:\n  b: [1, 2]\n  c:\n    - name: web\n      image: nginx\n  d:\n');
  const doc = source.documents[0] ?? assert.fail();
  const text = (path: (string | number)[]) => {
    const { range } = locate(doc, path);
    return source.text.slice(range[0], range[1]);
  };
  it('underlines scalar values, keys of collections and first lines of list items', () => {
    assert.equal(text(['a', 'b', 1]), '2');
    assert.equal(text(['a', 'b']), 'b');
    assert.equal(text(['a', 'c', 0]), 'name: web');
    assert.equal(text(['a', 'c', 0, 'image']), 'nginx');
    assert.equal(text(['a', 'd']), 'd');
  });
  it('falls back to the deepest part of the path that exists', () => {
    assert.equal(text(['a', 'c', 0, 'readinessProbe']), 'name: web');
    assert.equal(locate(doc, ['a', 'c', 0, 'readinessProbe']).depth, 3);
    assert.equal(text(['zzz']), 'a');
  });
});

describe('suppressions', () => {
  const deployment = (extra: string, containerComment = '') =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n${extra}spec:\n  template:\n    metadata: {labels: {app: web}}\n    spec:\n      containers:\n        - name: web${containerComment}\n          image: nginx\n`;
  const count = (text: string) => lintText(text, ['liveness-probe-missing']).findings.length;
  it('honours disable-line, disable-next-line, disable-file and the ignore annotation', () => {
    assert.equal(count(deployment('')), 1);
    assert.equal(count(deployment('', ' # kubewire-disable-line liveness-probe-missing')), 0);
    assert.equal(count(deployment('', ' # kubewire-disable-line readiness-probe-missing')), 1);
    assert.equal(count(deployment('', ' # kubewire-disable-line')), 0);
    assert.equal(
      count(
        deployment('').replace(
          '        - name: web',
          '        # kubewire-disable-next-line liveness-probe-missing -- batch-like worker\n        - name: web',
        ),
      ),
      0,
    );
    assert.equal(count(`# kubewire-disable-file liveness-probe-missing\n${deployment('')}`), 0);
    assert.equal(
      count(
        deployment('  annotations:\n    kubewire.io/ignore: "liveness-probe-missing, other"\n').replace(
          'metadata:\n  name: web\n  annotations',
          'metadata:\n  name: web\n  annotations',
        ),
      ),
      0,
    );
    assert.equal(count(deployment('  annotations:\n    kubewire.io/ignore: "other-rule"\n')), 1);
  });
});

describe('helpers', () => {
  it('interpolates message data and leaves unknown placeholders', () => {
    assert.equal(interpolate('a {{x}} b {{ y }} {{z}}', { x: 1, y: 'two' }), 'a 1 b two {{z}}');
  });
  it('suggests close names only', () => {
    assert.equal(closestMatch('htpp', ['http', 'metrics']), 'http');
    assert.equal(closestMatch('carts', ['cart', 'orders']), 'cart');
    assert.equal(closestMatch('xyz', ['http', 'metrics']), undefined);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    // Typos, not other words: a dropped character or a separator is one; an added word is not.
    assert.equal(closestMatch('redis-conf', ['redis-config']), 'redis-config');
    assert.equal(closestMatch('sockshop', ['sock-shop']), 'sock-shop');
    assert.equal(closestMatch('argocd-application-controller', ['argocd-applicationset-controller']), undefined);
    assert.equal(closestMatch('web', ['web-v2']), undefined);
    assert.equal(closestMatch('premium-ssd', ['premium-rwo']), undefined);
  });
  it('compares JSON values structurally', () => {
    assert.ok(deepEqual({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] }));
    assert.ok(!deepEqual({ a: 1 }, { a: 1, b: 2 }));
    assert.ok(!deepEqual([1], { 0: 1 }));
  });
});
