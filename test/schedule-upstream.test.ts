/**
 * Upstream plugin tests as data: test-fixtures/scheduler/upstream/*.yaml hold table-driven cases
 * transcribed from kubernetes/kubernetes pkg/scheduler/framework/plugins/**\/*_test.go. Each case
 * declares nodes (compact form), pods already bound to them (`existing`) and the incoming pod, and
 * the Filter verdict expected on each node (`reasons`, [] = fits; `want` per node for several nodes)
 * or the PreFilter failure (`prefilter`).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { lint } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import { EMPTY_CLUSTER } from '../src/model/cluster.js';
import { fitErrorMessage } from '../src/schedule/message.js';
import { filterVerdicts } from '../src/schedule/simulate.js';
import { FIXTURES } from './helpers.js';

type Json = Record<string, unknown>;

const CONTAINER_KEYS = new Set(['name', 'image', 'resources', 'ports', 'restartPolicy']);

/** A container written either as a real container or as a map of requests (`{cpu: 1m, memory: "1"}`). */
function container(entry: Json, i: number, prefix: string): Json {
  const out: Json = { name: `${prefix}${String(i)}`, image: 'registry.k8s.io/pause:3.10' };
  const requests: Json = {};
  for (const [k, v] of Object.entries(entry)) {
    if (CONTAINER_KEYS.has(k)) out[k] = v;
    else requests[k] = typeof v === 'number' ? String(v) : v;
  }
  if (Object.keys(requests).length > 0) out.resources = { requests };
  return out;
}

function podSpec(spec: Json | undefined): Json {
  const s: Json = { ...(spec ?? {}) };
  s.containers = ((s.containers as Json[] | undefined) ?? []).map((c, i) => container(c, i, 'c'));
  if (Array.isArray(s.initContainers))
    s.initContainers = (s.initContainers as Json[]).map((c, i) => container(c, i, 'init'));
  return s;
}

interface Case {
  name: string;
  nodes?: Json[];
  existing?: (Json & { node?: string; labels?: Record<string, string>; namespace?: string; podName?: string })[];
  objects?: Json[];
  pod: Json;
  podLabels?: Record<string, string>;
  podNamespace?: string;
  reasons?: string[];
  want?: Record<string, string[]>;
  prefilter?: string;
}

interface MessageCase {
  name: string;
  numAllNodes: number;
  preFilterMsg?: string;
  nodeReasons: string[][];
  postFilterMsg?: string;
  want: string;
}

interface CaseFile {
  source: string;
  test: string;
  nodes?: Json[];
  cases: Case[];
  /** FitError cases: the diagnosis and the message. */
  messages?: MessageCase[];
}

function runCase(file: CaseFile, c: Case): void {
  const nodes = c.nodes ?? file.nodes ?? [];
  const firstNode = typeof nodes[0]?.name === 'string' ? nodes[0].name : '';
  const docs: Json[] = [...(c.objects ?? [])];
  (c.existing ?? []).forEach((e, i) => {
    const { node, labels, namespace, podName, ...spec } = e;
    docs.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: podName ?? `existing-${String(i)}`,
        namespace: namespace ?? 'default',
        ...(labels ? { labels } : {}),
      },
      spec: { ...podSpec(spec), nodeName: node ?? firstNode },
    });
  });
  const namespace = c.podNamespace ?? 'default';
  docs.push({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'incoming', namespace, ...(c.podLabels ? { labels: c.podLabels } : {}) },
    spec: podSpec(c.pod),
  });
  const text = docs.map((d) => stringify(d)).join('---\n');
  const result = lint([createSource('case.yaml', text)], { rules: [], cluster: { ...EMPTY_CLUSTER, nodes } });
  const verdicts = filterVerdicts(result.graph, namespace, 'incoming', { pluginLevel: true });
  if (c.prefilter !== undefined) {
    assert.equal(verdicts, c.prefilter);
    return;
  }
  if (typeof verdicts === 'string') assert.fail(`unexpected PreFilter failure: ${verdicts}`);
  const want = c.want ?? { [firstNode]: c.reasons ?? [] };
  const got: Record<string, string[]> = {};
  for (const node of Object.keys(want)) got[node] = [...(verdicts.get(node) ?? ['(no such node)'])].sort();
  const sorted = Object.fromEntries(Object.entries(want).map(([k, v]) => [k, [...v].sort()]));
  assert.deepEqual(got, sorted);
}

const dir = path.join(FIXTURES, 'scheduler', 'upstream');
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('upstream scheduler plugin tests (transcribed)', () => {
  it('has transcribed tables', () => {
    assert.ok(files.length >= 5);
  });
  for (const f of files) {
    const file = parse(readFileSync(path.join(dir, f), 'utf8')) as CaseFile;
    describe(`${file.source} ${file.test}`, () => {
      for (const c of file.cases)
        it(c.name, () => {
          runCase(file, c);
        });
      for (const m of file.messages ?? []) {
        it(m.name, () => {
          assert.equal(
            fitErrorMessage(
              {
                numAllNodes: m.numAllNodes,
                preFilterMsg: m.preFilterMsg,
                nodeReasons: m.nodeReasons,
                absent: undefined,
              },
              m.postFilterMsg,
            ),
            m.want,
          );
        });
      }
    });
  }
});
