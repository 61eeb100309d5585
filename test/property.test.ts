/**
 * Property-based tests: hostile and malformed input thrown at the loader and the engine with every
 * rule. For any input, lint() must not throw, no rule may fail, every finding must have a sane
 * position inside its file, findings must be sorted, and linting twice must give the same output.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { rules } from '../rules/index.js';
import { compareFindings, lint } from '../src/engine.js';
import type { LintResult } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import type { Finding, Source } from '../src/types.js';

const RUNS = 250;
/** For the properties over the whole wired application (about 500 lines of YAML per run). */
const HEAVY_RUNS = 200;

/** The checks every lint result must pass, for sources built from `make()` (called twice). */
function checkLint(make: () => Source[]): LintResult {
  const sources = make();
  const result = lint(sources, { rules });
  if (result.ruleFailures.length > 0) {
    throw new Error(`rule failures: ${result.ruleFailures.map((f) => `${f.ruleId}: ${f.message}`).join('\n')}`);
  }
  const lines = new Map(sources.map((s) => [s.path, s.text.split('\n')]));
  const checkRange = (what: string, file: string, line: number, column: number, endLine: number, endColumn: number) => {
    const text = lines.get(file);
    assert.ok(text, `${what}: unknown file ${file}`);
    const at = `${what} ${file}:${line}:${column}-${endLine}:${endColumn}`;
    assert.ok(
      Number.isInteger(line) && Number.isInteger(column) && Number.isInteger(endLine) && Number.isInteger(endColumn),
      at,
    );
    assert.ok(line >= 1 && line <= text.length + 1, `${at}: line outside the file (${text.length} lines)`);
    assert.ok(column >= 1, `${at}: column < 1`);
    assert.ok(column <= (text[line - 1] ?? '').length + 1, `${at}: column past the end of the line`);
    assert.ok(endLine > line || (endLine === line && endColumn >= column), `${at}: range ends before it starts`);
    assert.ok(endLine <= text.length + 1, `${at}: end outside the file`);
  };
  for (const f of result.findings) {
    checkRange(f.ruleId, f.file, f.line, f.column, f.endLine, f.endColumn);
    for (const r of f.related) checkRange(`${f.ruleId} (related)`, r.file, r.line, r.column, r.endLine, r.endColumn);
  }
  result.findings.forEach((f, i) => {
    const previous = result.findings[i - 1];
    if (previous)
      assert.ok(
        compareFindings(previous, f) < 0,
        `findings out of order or duplicated: ${brief(previous)} / ${brief(f)}`,
      );
  });
  const expected = JSON.stringify(result.findings);
  assert.equal(
    JSON.stringify(lint(sources, { rules }).findings),
    expected,
    'linting the same sources twice gives different findings',
  );
  if (sources.reduce((n, s) => n + s.text.length, 0) < 4000) {
    // Small inputs are also parsed afresh: the whole pipeline is deterministic, not only the engine.
    assert.equal(
      JSON.stringify(lint(make(), { rules }).findings),
      expected,
      'linting a fresh parse gives different findings',
    );
  }
  return result;
}

function brief(f: Finding): string {
  return `${f.file}:${f.line}:${f.column} ${f.ruleId} ${f.message}`;
}

const one =
  (content: string | Uint8Array, file = 'input.yaml') =>
  () => [createSource(file, content)];

// ---------------------------------------------------------------------------------------------
// Arbitraries

/** Pieces of YAML syntax, so that random text is often almost-YAML rather than plain noise. */
const YAML_PIECES = [
  ' ',
  '  ',
  '\n',
  '\r\n',
  '\t',
  ':',
  ': ',
  '- ',
  '-',
  '---\n',
  '...\n',
  '{',
  '}',
  '[',
  ']',
  ',',
  '"',
  "'",
  '#',
  '# ',
  '&a ',
  '*a',
  '&b ',
  '*b',
  '!',
  '!!str ',
  '!!map',
  '|',
  '|-',
  '>',
  '? ',
  '%YAML 1.2\n',
  '<<: ',
  '{{',
  '}}',
  '\\',
  '\u00a0',
  '\ufeff',
  '\0',
  'é',
  '✓',
  'apiVersion: v1\n',
  'apiVersion: apps/v1\n',
  'kind: ',
  'Deployment',
  'Service',
  'List',
  'ConfigMap',
  'items:\n',
  'metadata:\n',
  'name: ',
  'namespace: ',
  'spec:\n',
  'selector:\n',
  'template:\n',
  'containers:\n',
  'ports:\n',
  'labels:\n',
  'app: web',
  'null',
  '~',
  '0',
  '80',
  'true',
  'x',
  'web',
];
const yamlish = fc.array(fc.constantFrom(...YAML_PIECES), { maxLength: 80 }).map((parts) => parts.join(''));

/** Arbitrary JSON-ish values, with the awkward ones over-represented. */
const awkward = fc.constantFrom<unknown>(
  null,
  '',
  0,
  -1,
  1.5,
  1e21,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  [],
  {},
  [null],
  { '': null },
  '*',
  'http',
  '80',
  'a b',
  '{{ x }}',
  'default',
  '-1',
  '0x1F',
  'kube-system',
);
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: awkward },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(
      fc.constantFrom('name', 'port', 'key', 'app', 'matchLabels', 'kind', 'apiVersion', 'items', 'spec'),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  },
);

// ---------------------------------------------------------------------------------------------
// A realistic, fully wired application: every rule has something to follow.

function skeleton(): Record<string, unknown>[] {
  const labels = () => ({ app: 'web', tier: 'frontend' });
  const container = () => ({
    name: 'web',
    image: 'nginx:1.27',
    ports: [
      { name: 'http', containerPort: 8080 },
      { name: 'metrics', containerPort: 9090, protocol: 'TCP' },
    ],
    env: [
      { name: 'MODE', valueFrom: { configMapKeyRef: { name: 'web-config', key: 'mode' } } },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'web-secret', key: 'password' } } },
    ],
    envFrom: [{ configMapRef: { name: 'web-config' } }, { secretRef: { name: 'web-secret', optional: true } }],
    readinessProbe: { httpGet: { path: '/ready', port: 'http' }, periodSeconds: 5 },
    livenessProbe: { tcpSocket: { port: 8080 } },
    volumeMounts: [
      { name: 'data', mountPath: '/data' },
      { name: 'config', mountPath: '/etc/web' },
    ],
    resources: { requests: { cpu: '100m', memory: '128Mi' }, limits: { memory: '256Mi' } },
  });
  const podSpec = () => ({
    serviceAccountName: 'web',
    initContainers: [{ name: 'init', image: 'busybox', command: ['sh', '-c', 'true'] }],
    containers: [container()],
    volumes: [
      { name: 'data', persistentVolumeClaim: { claimName: 'web-data' } },
      { name: 'config', configMap: { name: 'web-config', items: [{ key: 'mode', path: 'mode' }] } },
      { name: 'secret', secret: { secretName: 'web-secret' } },
      {
        name: 'projected',
        projected: { sources: [{ configMap: { name: 'web-config' } }, { secret: { name: 'web-secret' } }] },
      },
    ],
    nodeSelector: { 'kubernetes.io/os': 'linux' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'web', effect: 'NoSchedule' }],
    affinity: {
      podAntiAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          {
            weight: 1,
            podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: labels() } },
          },
        ],
      },
    },
  });
  const meta = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    namespace: 'shop',
    labels: labels(),
    ...extra,
  });
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: meta('web'),
      spec: {
        replicas: 2,
        selector: { matchLabels: labels() },
        template: { metadata: { labels: labels() }, spec: podSpec() },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('web'),
      spec: {
        selector: labels(),
        ports: [
          { name: 'http', port: 80, targetPort: 'http' },
          { name: 'metrics', port: 9090, targetPort: 9090 },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: meta('web-config'),
      data: { mode: 'fast', 'app.properties': 'a=b' },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: meta('web-secret'),
      type: 'Opaque',
      stringData: { password: 'hunter2' },
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta('web') },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: meta('web-data'),
      spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'fast', resources: { requests: { storage: '1Gi' } } },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: 'pv-1' },
      spec: {
        capacity: { storage: '5Gi' },
        accessModes: ['ReadWriteOnce'],
        storageClassName: 'fast',
        claimRef: { namespace: 'shop', name: 'web-data' },
        hostPath: { path: '/tmp' },
      },
    },
    {
      apiVersion: 'storage.k8s.io/v1',
      kind: 'StorageClass',
      metadata: { name: 'fast' },
      provisioner: 'kubernetes.io/no-provisioner',
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'IngressClass',
      metadata: { name: 'nginx' },
      spec: { controller: 'k8s.io/ingress-nginx' },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: meta('web'),
      spec: {
        ingressClassName: 'nginx',
        defaultBackend: { service: { name: 'web', port: { number: 80 } } },
        tls: [{ hosts: ['shop.example.com'], secretName: 'web-secret' }],
        rules: [
          {
            host: 'shop.example.com',
            http: {
              paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'web', port: { name: 'http' } } } }],
            },
          },
        ],
      },
    },
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: meta('web'),
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        minReplicas: 2,
        maxReplicas: 5,
      },
    },
    {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: meta('web'),
      spec: {
        minAvailable: 1,
        selector: { matchLabels: labels(), matchExpressions: [{ key: 'tier', operator: 'In', values: ['frontend'] }] },
      },
    },
    {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: meta('web'),
      spec: {
        podSelector: { matchLabels: labels() },
        policyTypes: ['Ingress'],
        ingress: [
          {
            from: [{ podSelector: { matchLabels: { app: 'web' } } }, { namespaceSelector: {} }],
            ports: [{ port: 'http' }],
          },
        ],
      },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'Role',
      metadata: meta('reader'),
      rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['get'] }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: meta('reader'),
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'view' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
      subjects: [{ kind: 'ServiceAccount', name: 'web', namespace: 'shop' }],
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: meta('db'),
      spec: {
        serviceName: 'db',
        replicas: 3,
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: {
            containers: [
              {
                name: 'db',
                image: 'postgres',
                ports: [{ name: 'pg', containerPort: 5432 }],
                volumeMounts: [{ name: 'pgdata', mountPath: '/var/lib/postgresql' }],
              },
            ],
          },
        },
        volumeClaimTemplates: [
          {
            metadata: { name: 'pgdata' },
            spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta('db'),
      spec: {
        clusterIP: 'None',
        selector: { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-0' },
        ports: [{ port: 5432, targetPort: 'pg' }],
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: meta('backup'),
      spec: {
        schedule: '0 * * * *',
        jobTemplate: {
          spec: {
            template: {
              spec: {
                restartPolicy: 'OnFailure',
                containers: [{ name: 'b', image: 'backup', envFrom: [{ configMapRef: { name: 'web-config' } }] }],
              },
            },
          },
        },
      },
    },
    {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: meta('migrate'),
      spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'migrate' }] } } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: meta('agent'),
      spec: {
        selector: { matchLabels: { app: 'agent' } },
        template: {
          metadata: { labels: { app: 'agent' } },
          spec: { containers: [{ name: 'a', image: 'agent', livenessProbe: { exec: { command: ['true'] } } }] },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: meta('debug'),
      spec: { containers: [{ name: 'd', image: 'busybox', readinessProbe: { grpc: { port: 9090 } } }] },
    },
    {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'widgets.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { kind: 'Widget', plural: 'widgets' },
        versions: [{ name: 'v1', served: true, storage: true }],
      },
    },
    { apiVersion: 'example.com/v1', kind: 'Widget', metadata: meta('w'), spec: { size: 3 } },
    {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta('listed') },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: meta('listed'),
          spec: { selector: { app: 'db' }, ports: [{ port: 1, targetPort: 'pg' }] },
        },
      ],
    },
  ];
}

type Path = (string | number)[];

/** Every path into a value (to objects, lists and leaves alike). */
function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([...prefix, i]);
      paths(item, [...prefix, i], out);
    });
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      out.push([...prefix, key]);
      paths(item, [...prefix, key], out);
    }
  }
  return out;
}

const SKELETON_PATHS = paths(skeleton());

/** Replace (or delete, for `undefined`) the value at `path`. */
function replaceAt(root: unknown, path: Path, replacement: unknown): void {
  let node = root;
  for (const segment of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[segment];
  const last = path[path.length - 1];
  if (last === undefined || typeof node !== 'object' || node === null) return;
  const container = node as Record<string | number, unknown>;
  if (replacement === undefined) {
    if (Array.isArray(container) && typeof last === 'number') container.splice(last, 1);
    else container[last] = undefined;
  } else {
    container[last] = replacement;
  }
}

interface Edit {
  path: number;
  value: unknown;
}

const edit: fc.Arbitrary<Edit> = fc.record({
  path: fc.nat({ max: SKELETON_PATHS.length - 1 }),
  value: fc.oneof({ weight: 5, arbitrary: value }, { weight: 1, arbitrary: fc.constant(undefined) }),
});

/** The skeleton with the edits applied (edits whose path vanished under an earlier edit are dropped). */
function edited(edits: readonly Edit[]): Record<string, unknown>[] {
  const docs = skeleton();
  for (const e of edits) {
    const path = SKELETON_PATHS[e.path] ?? [];
    let node: unknown = docs;
    let present = true;
    for (const segment of path.slice(0, -1)) {
      node =
        typeof node === 'object' && node !== null ? (node as Record<string | number, unknown>)[segment] : undefined;
      if (typeof node !== 'object' || node === null) present = false;
    }
    if (present) replaceAt(docs, path, e.value);
  }
  return docs;
}

function asYaml(docs: readonly unknown[]): string {
  return docs.map((d) => stringify(d, { aliasDuplicateObjects: false })).join('---\n');
}

// ---------------------------------------------------------------------------------------------

describe('properties: lint never fails and its findings are well-formed', () => {
  // The core never prints, not even through a library's process warnings.
  const warnings: string[] = [];
  const onWarning = (warning: Error) => warnings.push(warning.message);
  before(() => process.on('warning', onWarning));
  after(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);
    assert.deepEqual(warnings, [], 'process warnings were emitted');
  });

  it('on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), yamlish), (text) => {
        checkLint(one(text));
      }),
      { numRuns: RUNS },
    );
  });

  it('on arbitrary bytes', () => {
    const manifest = Buffer.from(asYaml(skeleton().slice(1, 4)));
    const spliced = fc
      .tuple(fc.nat({ max: manifest.length }), fc.uint8Array({ maxLength: 8 }))
      .map(([at, inserted]) => Buffer.concat([manifest.subarray(0, at), inserted, manifest.subarray(at)]));
    fc.assert(
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 300 }), spliced), (content) => {
        checkLint(one(content));
      }),
      { numRuns: RUNS },
    );
  });

  it('on arbitrary JSON values written as YAML and as JSON', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 3 }), fc.boolean(), (values, json) => {
        if (json) checkLint(one(JSON.stringify(values[0] ?? null, null, 2), 'input.json'));
        else checkLint(one(asYaml(values)));
      }),
      { numRuns: RUNS },
    );
  });

  it('on arbitrary values as documents beside real objects, and as List items', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 3 }), (values) => {
        const docs = [...skeleton().slice(0, 6), ...values, { apiVersion: 'v1', kind: 'List', items: values }];
        checkLint(one(asYaml(docs)));
      }),
      { numRuns: RUNS },
    );
  });

  it('on a wired application with arbitrary values at random paths (wrong types anywhere)', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.boolean(), (edits, split) => {
        const docs = edited(edits);
        if (split) {
          // The same objects spread over several files, some of them JSON.
          checkLint(() =>
            docs.map((d, i) =>
              createSource(
                i % 3 === 0 ? `f${i}.json` : `f${i}.yaml`,
                i % 3 === 0 ? JSON.stringify(d) : stringify(d, { aliasDuplicateObjects: false }),
              ),
            ),
          );
        } else {
          checkLint(one(asYaml(docs)));
        }
      }),
      { numRuns: HEAVY_RUNS },
    );
  });

  it('on a pod template whose containers list is replaced by an arbitrary value', () => {
    fc.assert(
      fc.property(
        value,
        fc.constantFrom('containers', 'initContainers', 'ports', 'volumes', 'spec', 'template', 'selector', 'metadata'),
        (replacement, field) => {
          const docs = skeleton().slice(0, 14);
          const deployment = docs[1] as { spec: { template: { spec: Record<string, unknown> } } };
          const podSpec = deployment.spec.template.spec;
          if (field === 'ports')
            (podSpec.containers as Record<string, unknown>[])[0] = {
              ...(podSpec.containers as Record<string, unknown>[])[0],
              ports: replacement,
            };
          else if (field === 'spec' || field === 'template' || field === 'selector')
            (deployment.spec as Record<string, unknown>)[field] = replacement;
          else if (field === 'metadata') (deployment as Record<string, unknown>).metadata = replacement;
          else podSpec[field] = replacement;
          checkLint(one(asYaml(docs)));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('on a wired application with random text spliced into its YAML', () => {
    const text = asYaml(skeleton().slice(0, 14));
    fc.assert(
      fc.property(
        fc.nat({ max: text.length }),
        fc.nat({ max: 40 }),
        fc.oneof(yamlish, fc.string({ unit: 'binary', maxLength: 20 })),
        (at, cut, inserted) => {
          checkLint(one(text.slice(0, at) + inserted + text.slice(at + cut)));
        },
      ),
      { numRuns: RUNS },
    );
  });
});
