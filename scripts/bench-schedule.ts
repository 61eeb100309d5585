/**
 * Measure the dry-run scheduler: 5,000 pods on 500 nodes (`npm run build && node
 * dist/scripts/bench-schedule.js [pods] [nodes]`). Deployments of 20 replicas with requests, a
 * share with zone spread constraints, hostname anti-affinity, node selectors and tolerations.
 */
import { lint } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import { EMPTY_CLUSTER } from '../src/model/cluster.js';
import { schedule } from '../src/schedule/simulate.js';

const pods = Number(process.argv[2] ?? 5000);
const nodeCount = Number(process.argv[3] ?? 500);
const perDeployment = 20;
const docs: string[] = [];
for (let d = 0; d < Math.ceil(pods / perDeployment); d++) {
  const name = `app-${String(d)}`;
  const extra: string[] = [];
  if (d % 4 === 1)
    extra.push(
      `      topologySpreadConstraints:\n        - {maxSkew: 1, topologyKey: topology.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: ${name}}}}`,
    );
  if (d % 4 === 2)
    extra.push(
      `      affinity:\n        podAntiAffinity:\n          requiredDuringSchedulingIgnoredDuringExecution:\n            - {labelSelector: {matchLabels: {app: ${name}}}, topologyKey: kubernetes.io/hostname}`,
    );
  if (d % 8 === 3) extra.push('      nodeSelector: {pool: general}');
  if (d % 8 === 7) extra.push('      tolerations: [{key: dedicated, operator: Exists, effect: NoSchedule}]');
  docs.push(`apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}, namespace: ns-${String(d % 10)}}
spec:
  replicas: ${String(Math.min(perDeployment, pods - d * perDeployment))}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}, tier: t${String(d % 3)}}}
    spec:
${extra.join('\n')}${extra.length > 0 ? '\n' : ''}      containers:
        - name: c
          image: example/app:1
          resources: {requests: {cpu: ${String(50 + (d % 7) * 25)}m, memory: ${String(64 + (d % 5) * 64)}Mi}}
`);
}
const nodes = [
  {
    namePrefix: 'general',
    count: Math.floor(nodeCount * 0.9),
    cpu: '8',
    memory: '32Gi',
    zone: ['z1', 'z2', 'z3'],
    labels: { pool: 'general' },
  },
  {
    namePrefix: 'dedicated',
    count: nodeCount - Math.floor(nodeCount * 0.9),
    cpu: '16',
    memory: '64Gi',
    zone: ['z1', 'z2', 'z3'],
    taints: ['dedicated=db:NoSchedule'],
  },
];
const source = createSource('bench.yaml', docs.join('---\n'));
const t0 = performance.now();
const result = lint([source], { rules: [], cluster: { ...EMPTY_CLUSTER, nodes } });
const t1 = performance.now();
const run = schedule(result.graph);
const t2 = performance.now();
const failed = run.pods.filter((p) => p.node === null).length;
console.log(
  `${String(run.pods.length)} pods on ${String(run.nodes.length)} nodes: load+index ${(t1 - t0).toFixed(0)} ms, schedule ${(t2 - t1).toFixed(0)} ms (${String(run.pods.length - failed)} placed, ${String(failed)} unschedulable)`,
);
