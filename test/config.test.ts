import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { parseConfig } from '../src/config.js';
import { EMPTY_CLUSTER } from '../src/model/cluster.js';

const ids = rules.map((r) => r.id);

function errors(text: string): string[] {
  const result = parseConfig('.kubewire.yaml', text, ids);
  return result.ok ? [] : result.errors.map((e) => `${e.line}:${e.column} ${e.message}`);
}

describe('configuration', () => {
  it('accepts a full, valid configuration', () => {
    const result = parseConfig(
      '.kubewire.yaml',
      'rules:\n  liveness-probe-missing: off\n  duplicate-object: error\nkubernetesVersion: "1.34"\nnamespace: shop\nignore:\n  - "vendor/**"\n',
      ids,
    );
    assert.ok(result.ok);
    assert.deepEqual(result.config, {
      preset: 'recommended',
      rules: { 'liveness-probe-missing': 'off', 'duplicate-object': 'error' },
      kubernetesVersion: '1.34',
      namespace: 'shop',
      ignore: ['vendor/**'],
      roots: [],
      crds: [],
      cluster: EMPTY_CLUSTER,
      overrides: [],
    });
  });

  it('reads application roots, normalized', () => {
    const result = parseConfig('.kubewire.yaml', 'roots: ["./apps/*/", "infra/", "."]\n', ids);
    assert.ok(!result.ok, 'the folder itself overlaps every other root');
    const ok = parseConfig('.kubewire.yaml', 'roots:\n  - ./apps/*/\n  - infra/base/\n  - infra/prod\n', ids);
    assert.ok(ok.ok, JSON.stringify(ok));
    assert.deepEqual(ok.config.roots, ['apps/*', 'infra/base', 'infra/prod']);
  });

  it('reports roots that are not relative folders inside its folder, or that overlap, at the entry', () => {
    assert.deepEqual(errors('roots: apps\n'), ['1:8 `roots` must be a list']);
    assert.deepEqual(errors('roots:\n  - 3\n  - ""\n'), [
      '2:5 `roots.0` must be a string',
      '3:5 `roots.1` must NOT have fewer than 1 characters',
    ]);
    assert.deepEqual(errors('roots:\n  - /srv/k8s\n  - ../other\n'), [
      "2:5 root `/srv/k8s` must be a folder relative to the configuration file's folder, not an absolute path",
      "3:5 root `../other` must be inside the configuration file's folder (no `..`)",
    ]);
    assert.deepEqual(errors('roots:\n  - apps\n  - apps/shop/\n  - ./apps\n'), [
      '3:5 roots `apps` and `apps/shop` overlap: each file must belong to one application root ' +
        '(list the inner folders instead of the outer one, or only the outer one)',
      '4:5 root `./apps` is listed twice',
    ]);
    assert.deepEqual(errors('roots: [apps-a, apps]\n'), [], '`apps` does not contain `apps-a`');
  });

  it('reports a namespace that is not a namespace name', () => {
    assert.deepEqual(errors('namespace: Shop_1\n'), [
      '1:12 `namespace` must be a namespace name: lower-case letters, digits and inner hyphens',
    ]);
  });

  it('accepts an empty file', () => {
    assert.deepEqual(errors(''), []);
    assert.deepEqual(errors('# nothing yet\n'), []);
  });

  it('reports an unknown top-level key at its line, with a suggestion', () => {
    assert.deepEqual(errors('rules: {}\nignores:\n  - x\n'), [
      '2:1 unknown setting `ignores`; did you mean `ignore`? (allowed: extends, rules, kubernetesVersion, namespace, roots, crds, ignore, overrides, cluster, podSecurity)',
    ]);
  });

  it('reports an unknown rule id with a suggestion', () => {
    assert.deepEqual(errors('rules:\n  readiness-probe-mising: warning\n'), [
      '2:3 unknown rule `readiness-probe-mising`; did you mean `readiness-probe-missing`? (`kubewire rules` lists them)',
    ]);
  });

  it('reports a bad severity at the value', () => {
    assert.deepEqual(errors('rules:\n  yaml-syntax: warn\n'), [
      '2:16 `rules.yaml-syntax` must be one of off, info, warning, error',
    ]);
  });

  it('reports wrong types and version syntax', () => {
    assert.deepEqual(errors('ignore: vendor\n'), ['1:9 `ignore` must be a list']);
    assert.deepEqual(errors('kubernetesVersion: latest\n'), [
      '1:20 `kubernetesVersion` must look like 1.34 (also v1.34 or 1.34.2)',
    ]);
    assert.deepEqual(errors('kubernetesVersion: 1.34\n'), ['1:20 `kubernetesVersion` must be a string']);
    assert.deepEqual(errors('- a\n- b\n'), ['1:1 the configuration must be a mapping']);
  });

  it('reports YAML errors with positions', () => {
    const e = errors('rules:\n\tyaml-syntax: off\n');
    assert.equal(e.length > 0, true);
    assert.match(e[0] ?? '', /^2:1 YAML: tab/);
  });
});

describe('cluster section', () => {
  it('reads namespaces, classes and objects in both forms', () => {
    const result = parseConfig(
      '.kubewire.yaml',
      'cluster:\n  namespaces: [monitoring]\n  storageClasses:\n    - standard\n    - {name: premium-rwo, default: true}\n  ingressClasses: [nginx]\n  objects:\n    - ConfigMap/shop/app-config\n    - ClusterRole/reader\n    - {kind: Secret, namespace: shop, name: tls}\n',
      ids,
    );
    assert.ok(result.ok);
    assert.deepEqual(result.config.cluster, {
      namespaces: ['monitoring'],
      storageClasses: [
        { name: 'standard', default: false },
        { name: 'premium-rwo', default: true },
      ],
      ingressClasses: [{ name: 'nginx', default: false }],
      objects: [
        { kind: 'ConfigMap', namespace: 'shop', name: 'app-config' },
        { kind: 'ClusterRole', namespace: null, name: 'reader' },
        { kind: 'Secret', namespace: 'shop', name: 'tls' },
      ],
    });
  });

  it('gives one clear message per malformed entry', () => {
    assert.deepEqual(errors('cluster:\n  objects:\n    - ConfigMap\n    - {kind: Secret}\n'), [
      '3:7 `cluster.objects.0` must be Kind/namespace/name, Kind/name (cluster-scoped) or {kind, namespace, name}',
      '4:7 `cluster.objects.1` must be Kind/namespace/name, Kind/name (cluster-scoped) or {kind, namespace, name}',
    ]);
    assert.deepEqual(errors('cluster:\n  storageClasses: [{default: true}]\n'), [
      '2:20 `cluster.storageClasses.0` must be a name or {name, default}',
    ]);
    assert.deepEqual(errors('cluster:\n  namespace: []\n'), [
      '2:3 unknown setting `namespace`; did you mean `namespaces`? (allowed: namespaces, storageClasses, ingressClasses, objects, nodes, priorityClasses, allowedUnsafeSysctls)',
    ]);
  });
});

describe('Pod Security settings', () => {
  it('reads podSecurity, namespace labels and allowed unsafe sysctls', () => {
    const result = parseConfig(
      '.kubewire.yaml',
      [
        'podSecurity: restricted',
        'cluster:',
        '  namespaces:',
        '    - monitoring',
        '    - name: payments',
        '      labels: {pod-security.kubernetes.io/enforce: restricted}',
        "  allowedUnsafeSysctls: ['kernel.msg*']",
        '',
      ].join('\n'),
      ids,
    );
    assert.ok(result.ok);
    assert.equal(result.config.cluster.podSecurity, 'restricted');
    assert.deepEqual(result.config.cluster.namespaces, ['monitoring', 'payments']);
    assert.deepEqual(result.config.cluster.namespaceLabels, {
      payments: { 'pod-security.kubernetes.io/enforce': 'restricted' },
    });
    assert.deepEqual(result.config.cluster.allowedUnsafeSysctls, ['kernel.msg*']);
  });

  it('rejects an unknown level and a malformed namespace entry', () => {
    assert.deepEqual(errors('podSecurity: strict\n'), [
      '1:14 `podSecurity` must be one of privileged, baseline, restricted',
    ]);
    assert.deepEqual(errors('cluster:\n  namespaces:\n    - {labels: {a: b}}\n'), [
      '3:7 `cluster.namespaces.0` must be a name or {name, labels}',
    ]);
  });
});
