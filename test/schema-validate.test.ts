/**
 * The schema pass (src/schema/): version selection, the lifecycle table, lazily compiled and shared
 * validators, CRD schemas, and the CLI's --kubernetes-version and `crds:`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { lint, targetVersion } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import {
  API_LIFECYCLE,
  BUNDLED_MINORS,
  NEWEST_BUNDLED,
  apiStatus,
  bundledFor,
  bundledKinds,
  findKind,
  minorsServing,
  parseKubernetesVersion,
  splitApiVersion,
} from '../src/schema/apis.js';
import { createMinorAjv, definitionValidator, dropNulls, fieldName } from '../src/schema/validate.js';
import { standaloneValidator } from '../src/schema/lazy.js';
import { loadObjects } from '../src/load/objects.js';
import { ENUMS, withEnums } from '../src/schema/enums.js';
import { validateStructural } from '../src/schema/structural.js';
import { FIXTURES, listFiles, lintText, ROOT, runCli, sourcesFrom } from './helpers.js';

const run = runCli;

const SCHEMA_RULES = ['schema-invalid', 'unknown-field', 'unknown-kind', 'api-removed', 'api-deprecated', 'crd-schema'];

describe('Kubernetes versions', () => {
  it('parse 1.34, v1.34 and 1.34.2, and nothing else', () => {
    assert.deepEqual(parseKubernetesVersion('1.34'), { major: 1, minor: 34 });
    assert.deepEqual(parseKubernetesVersion('v1.34'), { major: 1, minor: 34 });
    assert.deepEqual(parseKubernetesVersion('1.34.2'), { major: 1, minor: 34 });
    for (const bad of ['1', 'latest', '1.34.x', 'v1', '']) assert.equal(parseKubernetesVersion(bad), undefined, bad);
  });

  it('map any version to the nearest bundled at or below it, or the oldest', () => {
    assert.equal(bundledFor('1.34'), '1.34');
    assert.equal(bundledFor('v1.31.4'), '1.30');
    assert.equal(bundledFor('1.35'), '1.34');
    assert.equal(bundledFor('1.99'), NEWEST_BUNDLED);
    assert.equal(bundledFor('1.20'), BUNDLED_MINORS[0]);
    assert.deepEqual(BUNDLED_MINORS, ['1.28', '1.29', '1.30', '1.32', '1.33', '1.34', '1.36']);
  });

  it('default to the newest bundled minor in the engine, and refuse nonsense', () => {
    assert.equal(targetVersion(undefined), NEWEST_BUNDLED);
    assert.equal(targetVersion('v1.31.2'), '1.31');
    assert.throws(() => targetVersion('banana'), /invalid Kubernetes version/);
  });
});

describe('the API lifecycle table', () => {
  it('is exact for every version, bundled or not', () => {
    assert.equal(apiStatus('autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.22').status, 'served');
    assert.equal(apiStatus('autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.25').status, 'deprecated');
    assert.equal(apiStatus('autoscaling/v2beta2', 'HorizontalPodAutoscaler', '1.26').status, 'removed');
    assert.equal(apiStatus('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.31').status, 'deprecated');
    assert.equal(apiStatus('flowcontrol.apiserver.k8s.io/v1beta3', 'FlowSchema', '1.32').status, 'removed');
    assert.equal(apiStatus('apps/v1', 'Deployment', '1.36').status, 'served');
  });

  it('has one entry per apiVersion and kind, deprecation before removal', () => {
    const keys = API_LIFECYCLE.map((a) => `${a.apiVersion} ${a.kind}`);
    assert.equal(new Set(keys).size, keys.length);
    for (const a of API_LIFECYCLE) {
      assert.ok(parseKubernetesVersion(a.deprecatedIn), `${a.apiVersion} ${a.kind}: deprecatedIn`);
      if (a.removedIn !== null) assert.ok(apiStatus(a.apiVersion, a.kind, a.removedIn).status === 'removed');
    }
  });

  it('names replacements that the newest bundled version serves, and never bundles a removed kind', () => {
    for (const a of API_LIFECYCLE) {
      if (a.replacement) {
        const { group, version } = splitApiVersion(a.replacement.apiVersion);
        assert.ok(
          findKind(NEWEST_BUNDLED, group, version, a.replacement.kind),
          `${a.apiVersion} ${a.kind} → ${a.replacement.apiVersion} ${a.replacement.kind}`,
        );
      }
      if (a.removedIn === null) continue;
      const { group, version } = splitApiVersion(a.apiVersion);
      for (const m of minorsServing(group, version, a.kind))
        assert.equal(
          apiStatus(a.apiVersion, a.kind, m).status === 'removed',
          false,
          `${m} bundles removed ${a.apiVersion} ${a.kind}`,
        );
    }
  });
});

describe('validators', () => {
  it('add enumerations that all match a property of the newest schema', () => {
    const schema = JSON.parse(
      readFileSync(path.join(ROOT, 'schemas', 'kubernetes', `v${NEWEST_BUNDLED}.json`), 'utf8'),
    ) as { definitions: Record<string, unknown> };
    const { applied } = withEnums(schema.definitions);
    const listed = Object.entries(ENUMS).flatMap(([base, props]) => Object.keys(props).map((p) => `${base}.${p}`));
    assert.deepEqual(
      listed.filter((e) => !applied.has(e)),
      [],
    );
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n      imagePullPolicy: ""\n      ports: [{containerPort: 80, protocol: tcp}]\n';
    assert.deepEqual(
      lintText(text, ['schema-invalid']).findings.map((f) => `${f.line} ${f.message}`),
      [
        '10 `spec.containers[0].ports[0].protocol` must be one of `TCP`, `UDP` or `SCTP`, got the string "tcp"; did you mean `TCP`?',
      ],
    );
  });

  it('are compiled once and shared', () => {
    assert.equal(definitionValidator('1.34', 'V1Deployment'), definitionValidator('1.34', 'V1Deployment'));
  });

  it('come from the code generated at build time for every kind of every bundled minor', () => {
    for (const minor of BUNDLED_MINORS) {
      for (const { definition } of bundledKinds(minor)) {
        assert.ok(standaloneValidator(minor, definition), `${minor} ${definition}`);
      }
      assert.ok(standaloneValidator(minor, 'V1ObjectMeta'), minor);
    }
    assert.equal(definitionValidator('1.34', 'V1Deployment'), standaloneValidator('1.34', 'V1Deployment'));
  });

  it('generated at build time give the errors of the in-process compiler, on every fixture object', () => {
    // Each object as written, and with every scalar of the wrong type, so that most keywords fail somewhere.
    const spoil = (value: unknown): unknown =>
      Array.isArray(value)
        ? value.map(spoil)
        : typeof value === 'object' && value !== null
          ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, spoil(v)]))
          : typeof value === 'string'
            ? 5
            : typeof value === 'number'
              ? 'five'
              : value;
    for (const minor of [BUNDLED_MINORS[0] as string, NEWEST_BUNDLED]) {
      const { ajv, schema } = createMinorAjv(minor);
      const objects = loadObjects(
        sourcesFrom(
          FIXTURES,
          listFiles(FIXTURES).filter((f) => /\.ya?ml$/.test(f)),
        ),
      ).objects;
      let compared = 0;
      for (const object of objects) {
        const kind = bundledKinds(minor).find(
          (k) => k.group === object.group && k.version === object.version && k.kind === object.kind,
        );
        if (!kind) continue;
        const generated = standaloneValidator(minor, kind.definition);
        const compiled = ajv.getSchema(`${schema.$id}#/definitions/${kind.definition}`);
        assert.ok(generated && compiled);
        for (const value of [dropNulls(object.raw), spoil(object.raw)]) {
          assert.equal(generated(value), compiled(value));
          assert.deepEqual(generated.errors, compiled.errors, `${minor} ${object.source.path} ${object.name}`);
          compared++;
        }
      }
      assert.ok(compared > 500, `only ${String(compared)} objects compared`);
    }
  });

  it('see null as unset', () => {
    assert.deepEqual(dropNulls({ a: null, b: { c: null, d: 1 }, e: [1, { f: null }] }), { b: { d: 1 }, e: [1, {}] });
    // A value with no null is itself, and so is every untouched part of one with some.
    const clean = { a: [1, { b: 'x' }, null], c: { d: true } };
    assert.equal(dropNulls(clean), clean);
    const mixed = { a: clean, b: [clean, { c: null }] };
    const dropped = dropNulls(mixed) as { a: unknown; b: unknown[] };
    assert.deepEqual(dropped, { a: clean, b: [clean, {}] });
    assert.equal(dropped.a, clean);
    assert.equal(dropped.b[0], clean);
    assert.deepEqual(mixed, { a: clean, b: [clean, { c: null }] });
    // Anything but a plain object becomes a plain object of its own keys, a `__proto__` key stays no key.
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1 });
    assert.equal(Object.getPrototypeOf(dropNulls(bare)), Object.prototype);
    assert.deepEqual(dropNulls(new Date(0)), {});
    const proto = JSON.parse('{"__proto__": {"x": 1}, "y": 2}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(dropNulls(proto) as object), ['y']);
  });

  it('name fields as users write them', () => {
    assert.equal(
      fieldName(['spec', 'template', 'spec', 'containers', 0, 'image']),
      'spec.template.spec.containers[0].image',
    );
    assert.equal(
      fieldName(['metadata', 'labels', 'app.kubernetes.io/name']),
      'metadata.labels["app.kubernetes.io/name"]',
    );
  });

  it('run the schema pass once per lint, whatever the number of schema rules', () => {
    const text = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n    - port: eighty\n';
    const result = lintText(text, SCHEMA_RULES);
    assert.deepEqual(
      result.findings.map((f) => `${f.line}:${f.column} ${f.ruleId}`),
      ['7:13 schema-invalid'],
    );
  });

  it('follow the targeted version', () => {
    const source = createSource(
      'hpa.yaml',
      'apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: web\nspec:\n  maxReplicas: 3\n  scaleTargetRef: {kind: Deployment, name: web}\n',
    );
    const selected = rules.filter((r) => SCHEMA_RULES.includes(r.id));
    const at = (kubernetesVersion: string) =>
      lint([source], { rules: selected, kubernetesVersion }).findings.map((f) => f.ruleId);
    assert.deepEqual(at('1.22'), []);
    assert.deepEqual(at('1.25'), ['api-deprecated']);
    assert.deepEqual(at('1.26'), ['api-removed']);
  });
});

describe('CRD schemas', () => {
  const schema = {
    type: 'object',
    properties: {
      spec: {
        type: 'object',
        properties: {
          port: { 'x-kubernetes-int-or-string': true },
          free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          pod: {
            type: 'object',
            'x-kubernetes-embedded-resource': true,
            properties: { spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
          },
          mode: { type: 'string', pattern: '(?i)^(fast|slow)$' },
          either: {
            type: 'object',
            properties: { a: { type: 'string' }, b: { type: 'string' } },
            oneOf: [{ required: ['a'] }, { required: ['b'] }],
          },
        },
      },
    },
  };
  const keywords = (data: unknown) =>
    validateStructural(schema, data, { preserveUnknown: false }).map((e) => `${e.instancePath} ${e.keyword}`);

  it('take the x-kubernetes extensions as the API server does', () => {
    assert.deepEqual(
      keywords({
        apiVersion: 'x/v1',
        kind: 'X',
        metadata: { name: 'n' },
        spec: {
          port: 80,
          free: { any: 1 },
          pod: { apiVersion: 'v1', kind: 'Pod', metadata: {}, spec: { x: 1 } },
          mode: 'FAST',
          either: { a: 'x' },
        },
      }),
      [],
    );
    assert.deepEqual(keywords({ spec: { port: 'http' } }), []);
    assert.deepEqual(keywords({ spec: { port: 1.5 } }), ['/spec/port anyOf']);
    assert.deepEqual(keywords({ spec: { extra: 1 } }), ['/spec additionalProperties']);
    assert.deepEqual(keywords({ spec: { either: { a: 'x', b: 'y' } } }), ['/spec/either oneOf']);
    assert.deepEqual(keywords({ spec: { mode: 'medium' } }), ['/spec/mode pattern']);
  });

  it('keep unknown fields for apiextensions v1beta1 CRDs that preserve them', () => {
    assert.deepEqual(validateStructural(schema, { spec: { extra: 1 } }, { preserveUnknown: true }), []);
  });
});

describe('command line', () => {
  it('takes --kubernetes-version and refuses a version that is none', async () => {
    const old = await run([
      'test-fixtures/rules/api-deprecated/exact-1.24/cronjob.yaml',
      '--no-color',
      '--kubernetes-version',
      'v1.24.3',
    ]);
    assert.match(old.stdout, /api-deprecated/);
    assert.equal(old.code, 0);
    const current = await run(['test-fixtures/rules/api-deprecated/exact-1.24/cronjob.yaml', '--no-color']);
    assert.match(current.stdout, /api-removed/);
    assert.equal(current.code, 1);
    const bad = await run([
      'test-fixtures/rules/api-deprecated/exact-1.24/cronjob.yaml',
      '--kubernetes-version',
      'banana',
    ]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--kubernetes-version needs a version such as 1.34/);
  });

  it('reads the CRD files of `crds:` for schemas, without linting them', async () => {
    const { code, stdout } = await run([
      'test-fixtures/rules/crd-schema/from-config/widget.yaml',
      '-f',
      'json',
      '--config',
      'test-fixtures/rules/crd-schema/from-config/.kubewire.yaml',
    ]);
    assert.equal(code, 1);
    const findings = (
      JSON.parse(stdout) as { findings: { ruleId: string; file: string; message: string }[] }
    ).findings.filter((f) => SCHEMA_RULES.includes(f.ruleId));
    assert.deepEqual(
      findings.map((f) => [f.ruleId, f.file]),
      [['crd-schema', 'test-fixtures/rules/crd-schema/from-config/widget.yaml']],
    );
    assert.match(findings[0]!.message, /did you mean `small`\?/);
  });

  it('reports a `crds:` path that does not exist as a configuration error', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubewire-crds-'));
    try {
      writeFileSync(path.join(dir, '.kubewire.yaml'), 'crds:\n  - vendor/crds/\n');
      const { code, stderr } = await run([
        'test-fixtures/rules/crd-schema/no-crd.yaml',
        '--config',
        path.join(dir, '.kubewire.yaml'),
      ]);
      assert.equal(code, 2);
      assert.match(stderr, /crds: no such file or directory: vendor\/crds\//);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
