/**
 * `kubewire graph` on a small application (test-fixtures/graph/): golden files for the three formats,
 * and assertions on the JSON that do not depend on layout. The application has two broken references
 * of different kinds (an Ingress backend and a ConfigMap key reference), one object declared to exist
 * outside the manifests (a Secret, in test-fixtures/graph/.kubewire.yaml) and an IngressClass that
 * nothing in the input says anything about. Set UPDATE_GOLDEN=1 (`npm run golden` runs only
 * golden.test.js; run `UPDATE_GOLDEN=1 node --test dist/test/graph.test.js`) to rewrite the golden
 * files after an intended change, and review the diff.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import type { WiringEdge, WiringNode } from '../src/resolve/wiring.js';
import { assertGolden, FIXTURES, runCli } from './helpers.js';

const APP = 'test-fixtures/graph';
// Configuration is found from the working directory upward, not from the linted paths: name it.
const CONFIG = ['--config', `${APP}/.kubewire.yaml`];

const run = runCli;

const golden = assertGolden;

interface GraphJson {
  version: number;
  nodes: WiringNode[];
  edges: WiringEdge[];
}

async function graphJson(): Promise<GraphJson> {
  const result = await run(['graph', APP, '--format', 'json', ...CONFIG]);
  assert.equal(result.stderr, '');
  assert.equal(result.code, 0);
  return JSON.parse(result.stdout) as GraphJson;
}

function nodeOf(graph: GraphJson, id: string): WiringNode {
  const node = graph.nodes.find((n) => n.id === id);
  assert.ok(node, `edge points at node ${id}, which is not in the graph`);
  return node;
}

function findNode(graph: GraphJson, kind: string, name: string): WiringNode {
  const node = graph.nodes.find((n) => n.kind === kind && n.name === name);
  assert.ok(node, `no ${kind} node named ${name}`);
  return node;
}

describe('kubewire graph', () => {
  for (const [format, file] of [
    ['mermaid', 'graph.mmd'],
    ['dot', 'graph.dot'],
    ['json', 'graph.json'],
  ] as const) {
    it(`--format ${format} matches ${file}`, async () => {
      const result = await run(['graph', APP, '--format', format, ...CONFIG]);
      assert.equal(result.stderr, '');
      assert.equal(result.code, 0);
      golden(file, result.stdout);
    });
  }

  it('draws Mermaid by default', async () => {
    const result = await run(['graph', APP, ...CONFIG]);
    assert.equal(result.code, 0);
    assert.equal(result.stdout, readFileSync(path.join(FIXTURES, 'golden', 'graph.mmd'), 'utf8'));
  });

  it('writes the graph to --output-file', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-graph-'));
    try {
      const out = path.join(dir, 'wiring.dot');
      const result = await run(['graph', APP, '--format', 'dot', '--output-file', out, ...CONFIG]);
      assert.equal(result.code, 0);
      assert.equal(result.stdout, '');
      assert.equal(readFileSync(out, 'utf8'), readFileSync(path.join(FIXTURES, 'golden', 'graph.dot'), 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every edge joins two nodes of the graph, and node ids are unique', async () => {
    const graph = await graphJson();
    assert.equal(graph.version, 1);
    assert.equal(new Set(graph.nodes.map((n) => n.id)).size, graph.nodes.length);
    for (const e of graph.edges) {
      nodeOf(graph, e.from);
      nodeOf(graph, e.to);
    }
  });

  it('every broken reference is a broken edge to a missing node carrying the missing name', async () => {
    const graph = await graphJson();
    const broken = graph.edges.filter((e) => e.broken);
    for (const e of broken) {
      const to = nodeOf(graph, e.to);
      assert.equal(to.status, 'missing', `broken edge ${e.from} → ${e.to} must end at a missing node`);
      assert.equal(to.file, null);
    }
    const described = broken.map((e) => {
      const from = nodeOf(graph, e.from);
      const to = nodeOf(graph, e.to);
      return `${from.kind}/${from.name} -${e.type}-> ${to.kind}/${to.namespace ?? ''}/${to.name}`;
    });
    assert.deepEqual(described.sort(), [
      'Deployment/web -references-> ConfigMap/bookstore/feature-flag',
      'Ingress/bookstore -routes-to-> Service/bookstore/search',
    ]);
    // Missing nodes exist only as the ends of broken references.
    for (const n of graph.nodes.filter((x) => x.status === 'missing')) {
      assert.ok(
        broken.some((e) => e.to === n.id),
        `missing node ${n.id} is the end of no broken edge`,
      );
    }
  });

  it('references that resolve are not broken', async () => {
    const graph = await graphJson();
    for (const e of graph.edges) {
      const to = nodeOf(graph, e.to);
      if (to.status !== 'missing')
        assert.equal(e.broken, false, `edge ${e.from} → ${e.to} (${to.status}) is drawn broken`);
    }
    const present = (kind: string, name: string) => {
      const n = findNode(graph, kind, name);
      assert.equal(n.status, 'present');
      assert.ok(n.file?.startsWith(`${APP}/`), `${kind}/${name} has no file`);
      return n;
    };
    const ingress = present('Ingress', 'bookstore');
    const service = present('Service', 'web');
    const deployment = present('Deployment', 'web');
    const claim = present('PersistentVolumeClaim', 'web-uploads');
    const storageClass = present('StorageClass', 'shared-nfs');
    const hpa = present('HorizontalPodAutoscaler', 'web');
    const pdb = present('PodDisruptionBudget', 'web');
    const edge = (from: WiringNode, to: WiringNode, type: string) => {
      const found = graph.edges.find((e) => e.from === from.id && e.to === to.id && e.type === type);
      assert.ok(found, `no ${type} edge ${from.kind}/${from.name} → ${to.kind}/${to.name}`);
      assert.equal(found.broken, false);
    };
    edge(ingress, service, 'routes-to');
    edge(service, deployment, 'selects');
    edge(deployment, present('ConfigMap', 'web-config'), 'references');
    edge(deployment, present('Secret', 'web-db'), 'references');
    edge(deployment, claim, 'claims');
    edge(claim, storageClass, 'uses-class');
    edge(hpa, deployment, 'scales');
    edge(pdb, deployment, 'selects');
  });

  it('objects declared in .kubewire.yaml are external, not missing', async () => {
    const graph = await graphJson();
    const secret = findNode(graph, 'Secret', 'stripe-api-key');
    assert.equal(secret.status, 'declared');
    const edges = graph.edges.filter((e) => e.to === secret.id);
    assert.equal(edges.length, 1);
    assert.equal(edges[0]?.broken, false);
  });

  it('a class the input knows nothing about is unknown, not missing', async () => {
    const graph = await graphJson();
    const cls = findNode(graph, 'IngressClass', 'nginx');
    assert.equal(cls.status, 'unknown');
    assert.ok(graph.edges.filter((e) => e.to === cls.id).every((e) => !e.broken));
  });

  it('without the declaration, that Secret is a broken reference', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-graph-'));
    try {
      const config = path.join(dir, '.kubewire.yaml');
      writeFileSync(config, 'rules: {}\n');
      const result = await run(['graph', APP, '--format', 'json', '--config', config]);
      assert.equal(result.code, 0);
      const graph = JSON.parse(result.stdout) as GraphJson;
      const secret = findNode(graph, 'Secret', 'stripe-api-key');
      assert.equal(secret.status, 'missing');
      assert.ok(graph.edges.some((e) => e.to === secret.id && e.broken));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
