/**
 * The dry-run scheduler: full-pipeline scenarios (test-fixtures/scheduler/scenarios/<name>/, golden
 * `expected.json` = `kubewire schedule --format json`; UPDATE_GOLDEN=1 rewrites them), kube-scheduler's
 * exact messages, the cluster profile, pod expansion and the CLI.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { lint } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import { EMPTY_CLUSTER } from '../src/model/cluster.js';
import type { ClusterDeclaration } from '../src/model/cluster.js';
import { DEFAULT_PROFILE, nodesFromCompact, parseClusterFile, parseTaint } from '../src/schedule/cluster.js';
import { fitErrorMessage, histogram } from '../src/schedule/message.js';
import { podRequests } from '../src/schedule/pods.js';
import { numFeasibleNodesToFind, schedule } from '../src/schedule/simulate.js';
import type { ScheduleResult } from '../src/schedule/simulate.js';
import { FIXTURES, ROOT, runCli } from './helpers.js';

const UPDATE = process.env.UPDATE_GOLDEN === '1';
const SCENARIOS = path.join(FIXTURES, 'scheduler', 'scenarios');

const run = runCli;

function simulate(text: string, cluster: Partial<ClusterDeclaration> = {}): ScheduleResult {
  const result = lint([createSource('test.yaml', text)], { rules: [], cluster: { ...EMPTY_CLUSTER, ...cluster } });
  return schedule(result.graph);
}

function messageOf(result: ScheduleResult, name: string): string | null | undefined {
  return result.pods.find((p) => p.name === name)?.message;
}

const THREE_NODES = parseClusterFile(readFileSync(path.join(SCENARIOS, 'three-nodes.yaml'), 'utf8')).cluster;

function deployment(name: string, replicas: number, spec: string, labels = `{app: ${name}}`): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${String(replicas)}
  selector: {matchLabels: ${labels}}
  template:
    metadata: {labels: ${labels}}
    spec:
${spec
  .split('\n')
  .map((l) => `      ${l}`)
  .join('\n')}
`;
}

describe('scheduler scenarios (full pipeline, golden JSON)', () => {
  const dirs = readdirSync(SCENARIOS)
    .filter((d) => statSync(path.join(SCENARIOS, d)).isDirectory())
    .sort();
  for (const d of dirs) {
    it(d, async () => {
      const dir = path.join(SCENARIOS, d);
      const cluster = existsSync(path.join(dir, 'cluster.yaml'))
        ? path.join(dir, 'cluster.yaml')
        : path.join(SCENARIOS, 'three-nodes.yaml');
      const files = readdirSync(dir)
        .filter((f) => f.endsWith('.yaml') && f !== 'cluster.yaml')
        .map((f) => path.relative(ROOT, path.join(dir, f)));
      const result = await run(['schedule', ...files, '--cluster', path.relative(ROOT, cluster), '--format', 'json']);
      assert.equal(result.stderr, '');
      const expectedFile = path.join(dir, 'expected.json');
      if (UPDATE || !existsSync(expectedFile)) {
        if (!UPDATE)
          assert.fail(`${d}/expected.json is missing: run UPDATE_GOLDEN=1 node --test dist/test/schedule.test.js`);
        writeFileSync(expectedFile, result.stdout);
      } else {
        assert.equal(result.stdout, readFileSync(expectedFile, 'utf8'), `output differs from ${d}/expected.json`);
      }
      const json = JSON.parse(result.stdout) as { pods: { node: string | null }[] };
      assert.equal(result.code, json.pods.some((p) => p.node === null) ? 1 : 0);
    });
  }
});

describe("kube-scheduler's messages, verbatim", () => {
  it('taints and insufficient cpu, with the preemption suffix (the example of the issue)', () => {
    const r = simulate(
      deployment('api', 1, 'containers: [{name: a, image: x, resources: {requests: {cpu: "64"}}}]'),
      THREE_NODES,
    );
    assert.equal(
      messageOf(r, 'api-0'),
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });

  it('a missing claim fails in PreFilter', () => {
    const r = simulate(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: x}]\n  volumes: [{name: d, persistentVolumeClaim: {claimName: data}}]\n',
      THREE_NODES,
    );
    assert.equal(
      messageOf(r, 'p'),
      '0/3 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
    );
  });

  it('node selectors and cpu and memory together', () => {
    const r = simulate(
      deployment('w', 1, 'nodeSelector: {disktype: ssd}\ncontainers: [{name: a, image: x}]'),
      THREE_NODES,
    );
    assert.equal(
      messageOf(r, 'w-0'),
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
    const both = simulate(
      deployment('big', 1, 'containers: [{name: a, image: x, resources: {requests: {cpu: "500", memory: 1000Gi}}}]'),
      { nodes: [{ name: 'solo', cpu: '8', memory: '3.8Gi' }] },
    );
    assert.equal(
      messageOf(both, 'big-0'),
      '0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });

  it('preemptionPolicy Never', () => {
    const text =
      'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: never}\nvalue: 10\npreemptionPolicy: Never\n---\n' +
      deployment(
        'x',
        1,
        'priorityClassName: never\ncontainers: [{name: a, image: x, resources: {requests: {cpu: "64"}}}]',
      );
    assert.equal(
      messageOf(simulate(text, THREE_NODES), 'x-0'),
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: not eligible due to preemptionPolicy=Never.',
    );
  });

  it('an unreachable node: the default NoExecute toleration does not cover the NoSchedule taint', () => {
    const nodes = [
      { name: 'controlplane', taints: ['node-role.kubernetes.io/control-plane:NoSchedule'] },
      {
        name: 'node01',
        taints: ['node.kubernetes.io/unreachable:NoExecute', 'node.kubernetes.io/unreachable:NoSchedule'],
      },
    ];
    const r = simulate(
      'apiVersion: v1\nkind: Pod\nmetadata: {name: nginx}\nspec: {containers: [{name: nginx, image: nginx}]}\n',
      { nodes },
    );
    assert.equal(
      messageOf(r, 'nginx'),
      '0/2 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had untolerated taint {node.kubernetes.io/unreachable: }. preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
    );
  });

  it('too many pods', () => {
    const r = simulate(deployment('m', 3, 'containers: [{name: a, image: x}]'), { nodes: [{ name: 'tiny', pods: 2 }] });
    assert.equal(
      messageOf(r, 'm-2'),
      '0/1 nodes are available: 1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.',
    );
  });

  it('reason counts sort as strings, like upstream (10 before 2)', () => {
    assert.deepEqual(histogram([...Array.from({ length: 10 }, () => ['Insufficient cpu']), ['a'], ['a']]), [
      '10 Insufficient cpu',
      '2 a',
    ]);
    assert.equal(
      fitErrorMessage({
        numAllNodes: 2,
        preFilterMsg: undefined,
        nodeReasons: [['Insufficient cpu', 'Insufficient memory'], ['Insufficient cpu']],
        absent: undefined,
      }),
      '0/2 nodes are available: 1 Insufficient memory, 2 Insufficient cpu.',
    );
  });

  it('an unknown PriorityClass stops the pod at admission', () => {
    const r = simulate(deployment('p', 1, 'priorityClassName: nope\ncontainers: [{name: a, image: x}]'), THREE_NODES);
    assert.equal(messageOf(r, 'p-0'), 'pods "p-0" is forbidden: no PriorityClass with name nope was found');
  });
});

describe('pods', () => {
  it('requests: max(app + sidecars, each init + the sidecars started before it) + overhead', () => {
    const spec = {
      initContainers: [
        { name: 'i1', resources: { requests: { cpu: '500m' } } },
        { name: 's1', restartPolicy: 'Always', resources: { requests: { cpu: '100m', memory: '1Gi' } } },
        { name: 'i2', resources: { requests: { cpu: '1', memory: '128Mi' } } },
      ],
      containers: [{ name: 'a', resources: { requests: { cpu: '200m' }, limits: { memory: '256Mi' } } }],
      overhead: { cpu: '10m' },
    };
    const r = podRequests(spec);
    // app + sidecar = 300m cpu, 1Gi+256Mi memory; i2 + s1 = 1100m cpu: the max wins, then overhead.
    assert.equal(r.get('cpu'), 1110);
    assert.equal(r.get('memory'), 2 ** 30 + 256 * 2 ** 20);
    const nonZero = podRequests(
      { containers: [{ name: 'a' }, { name: 'b', resources: { requests: { cpu: '1' } } }] },
      true,
    );
    assert.equal(nonZero.get('cpu'), 1100);
    assert.equal(nonZero.get('memory'), 400 * 2 ** 20);
  });

  it('expands workloads with their controllers names, counts and ordering', () => {
    const text = [
      deployment('web', 2, 'containers: [{name: a, image: x}]'),
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  replicas: 2\n  ordinals: {start: 5}\n  serviceName: db\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: a, image: x}]}\n',
      'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  parallelism: 3\n  completions: 2\n  template: {spec: {restartPolicy: Never, containers: [{name: a, image: x}]}}\n',
      'apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: c}\nspec:\n  schedule: "* * * * *"\n  jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: a, image: x}]}}}}\n',
      'apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ds}\nspec:\n  selector: {matchLabels: {app: ds}}\n  template:\n    metadata: {labels: {app: ds}}\n    spec: {containers: [{name: a, image: x}]}\n',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: bound}\nspec: {nodeName: worker-2, containers: [{name: a, image: x}]}\n',
    ].join('---\n');
    const r = simulate(text, THREE_NODES);
    assert.deepEqual(
      r.pods.map((p) => p.name),
      ['bound', 'web-0', 'web-1', 'db-5', 'db-6', 'j-0', 'j-1', 'c-0', 'ds-worker-1', 'ds-worker-2'],
    );
    assert.equal(r.pods.find((p) => p.name === 'bound')?.node, 'worker-2');
    assert.ok(r.pods.every((p) => p.node !== null));
    assert.deepEqual(
      r.pods.filter((p) => p.name.startsWith('ds-')).map((p) => p.node),
      ['worker-1', 'worker-2'],
    );
  });

  it('schedules by priority, then input order', () => {
    const text =
      'apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\nmetadata: {name: high}\nvalue: 1000\n---\n' +
      deployment('low', 1, 'containers: [{name: a, image: x, resources: {requests: {cpu: "3"}}}]') +
      '---\n' +
      deployment(
        'high',
        1,
        'priorityClassName: high\ncontainers: [{name: a, image: x, resources: {requests: {cpu: "3"}}}]',
      );
    const r = simulate(text, { nodes: [{ name: 'n', cpu: '4' }] });
    assert.deepEqual(
      r.pods.map((p) => [p.name, p.node]),
      [
        ['high-0', 'n'],
        ['low-0', null],
      ],
    );
  });

  it('stops an OrderedReady StatefulSet at its first unschedulable pod, not a Parallel one', () => {
    const sts = (policy: string) =>
      `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: s}\nspec:\n  replicas: 3\n  podManagementPolicy: ${policy}\n  serviceName: s\n  selector: {matchLabels: {app: s}}\n  template:\n    metadata: {labels: {app: s}}\n    spec: {containers: [{name: a, image: x, resources: {requests: {cpu: "3"}}}]}\n`;
    assert.deepEqual(
      simulate(sts('OrderedReady'), { nodes: [{ name: 'n', cpu: '4' }] }).pods.map((p) => p.name),
      ['s-0', 's-1'],
    );
    assert.deepEqual(
      simulate(sts('Parallel'), { nodes: [{ name: 'n', cpu: '4' }] }).pods.map((p) => p.name),
      ['s-0', 's-1', 's-2'],
    );
  });

  it('spreads identical replicas by least-allocated scoring, ties by node name', () => {
    const r = simulate(
      deployment('web', 4, 'containers: [{name: a, image: x, resources: {requests: {cpu: "500m", memory: 256Mi}}}]'),
      THREE_NODES,
    );
    assert.deepEqual(
      r.pods.map((p) => p.node),
      ['worker-1', 'worker-2', 'worker-1', 'worker-2'],
    );
  });

  it('binds a WaitForFirstConsumer claim in the zone of its first pod', () => {
    const text = [
      'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: zonal}\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\n',
      'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec: {storageClassName: zonal, accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}\n',
      deployment(
        'a',
        1,
        'containers: [{name: a, image: x}]\nvolumes: [{name: d, persistentVolumeClaim: {claimName: data}}]',
      ),
      deployment(
        'b',
        1,
        'nodeSelector: {topology.kubernetes.io/zone: zone-b}\ncontainers: [{name: a, image: x}]\nvolumes: [{name: d, persistentVolumeClaim: {claimName: data}}]',
      ),
    ].join('---\n');
    const r = simulate(text, THREE_NODES);
    assert.equal(r.pods.find((p) => p.name === 'a-0')?.node, 'worker-1');
    assert.equal(
      messageOf(r, 'b-0'),
      "0/3 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 1 node(s) had volume node affinity conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it('output is deterministic', () => {
    const text = deployment('web', 7, 'containers: [{name: a, image: x, resources: {requests: {cpu: "700m"}}}]');
    assert.deepEqual(
      simulate(text).pods.map((p) => [p.name, p.node, p.message]),
      simulate(text).pods.map((p) => [p.name, p.node, p.message]),
    );
  });
});

describe('cluster profile', () => {
  it('the default profile: three workers in three zones and a tainted control plane', () => {
    const r = simulate(deployment('x', 1, 'containers: [{name: a, image: x}]'));
    assert.equal(r.profile.source, 'default');
    assert.deepEqual(
      r.nodes.map((n) => [n.name, n.zone, n.open]),
      [
        ['control-plane', 'zone-a', false],
        ['worker-1', 'zone-a', true],
        ['worker-2', 'zone-b', true],
        ['worker-3', 'zone-c', true],
      ],
    );
    assert.equal(DEFAULT_PROFILE.nodes.length, 2);
  });

  it('Node objects of the input replace the default profile', () => {
    const r = simulate(
      'apiVersion: v1\nkind: Node\nmetadata: {name: n1, labels: {disk: ssd}}\nstatus: {allocatable: {cpu: "2", memory: 4Gi, pods: "20"}}\n---\n' +
        deployment('x', 1, 'containers: [{name: a, image: x}]'),
    );
    assert.equal(r.profile.source, 'input');
    assert.deepEqual(
      r.nodes.map((n) => [n.name, n.allocatable.cpu, n.allocatable.pods]),
      [['n1', 2000, 20]],
    );
  });

  it('expands the compact form', () => {
    const nodes = nodesFromCompact(
      { namePrefix: 'w', count: 3, cpu: '2', memory: '4Gi', zone: ['a', 'b'], taints: ['k=v:NoSchedule'] },
      'declared',
    );
    assert.deepEqual(
      nodes.map((n) => [n.name, n.labels['topology.kubernetes.io/zone'], n.allocatable.cpu, n.taints.length]),
      [
        ['w-1', 'a', 2000, 1],
        ['w-2', 'b', 2000, 1],
        ['w-3', 'a', 2000, 1],
      ],
    );
    assert.deepEqual(parseTaint('node-role.kubernetes.io/control-plane:NoSchedule'), {
      key: 'node-role.kubernetes.io/control-plane',
      value: '',
      effect: 'NoSchedule',
    });
  });

  it('reads cluster files: objects, lists and the compact form', () => {
    const parsed = parseClusterFile(
      'apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Node, metadata: {name: a}}\n---\nnodes: [{name: b}]\npriorityClasses: [{name: p, value: 5}]\n',
    );
    assert.deepEqual(parsed.errors, []);
    assert.equal(parsed.cluster.nodes?.length, 2);
    assert.equal(parsed.cluster.priorityClasses?.length, 1);
    assert.equal(parseClusterFile('foo: bar\n').errors.length, 1);
  });
});

describe('kubewire schedule (CLI)', () => {
  it('prints bars per node and the unschedulable pods', async () => {
    const r = await run([
      'schedule',
      'test-fixtures/scheduler/scenarios/taint-and-cpu',
      '--cluster',
      'test-fixtures/scheduler/scenarios/three-nodes.yaml',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^Cluster: 3 nodes from the declared cluster/);
    assert.match(r.stdout, /worker-1 {7}zone zone-a {2}pods 0\/110\n {2}cpu {5}\[\.{20}\] {3}0% {2}0 \/ 4\n/);
    assert.match(r.stdout, /default\/trackr-api-0: 0\/3 nodes are available: /);
  });

  it('the demo application schedules on the default profile', async () => {
    const r = await run(['schedule', 'test-fixtures/demo', '--format', 'json']);
    assert.equal(r.code, 0);
    const json = JSON.parse(r.stdout) as {
      nodes: unknown[];
      pods: { namespace: string; name: string; node: string | null; message: string | null }[];
    };
    assert.equal(json.nodes.length, 4);
    assert.ok(json.pods.length > 0 && json.pods.every((p) => p.node !== null && p.message === null));
  });

  it('reports an unreadable or invalid --cluster file as a usage error', async () => {
    const r = await run(['schedule', 'test-fixtures/demo', '--cluster', 'no/such/file.yaml']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read --cluster/);
  });

  it('lint takes --cluster too', async () => {
    const r = await run([
      'test-fixtures/scheduler/scenarios/taint-and-cpu',
      '--cluster',
      'test-fixtures/scheduler/scenarios/three-nodes.yaml',
      '-f',
      'json',
    ]);
    const json = JSON.parse(r.stdout) as { findings: { ruleId: string; message: string }[] };
    const finding = json.findings.find((f) => f.ruleId === 'pod-unschedulable');
    assert.ok(finding);
    assert.match(finding.message, /on the declared cluster \(3 nodes\): 0\/3 nodes are available/);
  });
});

describe('percentageOfNodesToScore', () => {
  it('numFeasibleNodesToFind: all below 100 nodes, then 50% minus 1% per 125 nodes, at least 5% and 100', () => {
    assert.deepEqual([50, 100, 500, 1000, 5000, 10000].map(numFeasibleNodesToFind), [50, 100, 230, 420, 500, 500]);
  });
});
