/**
 * kubeconform as the anchor: every manifest of its fixtures (../shared/corpus/kubeconform/fixtures,
 * never copied here) gets the verdict kubeconform's own tests assert (acceptance.bats,
 * acceptance-nonetwork.bats, pkg/validator/validator_test.go of yannh/kubeconform), kubewire being
 * stricter only where it means to be: unknown fields are warnings by default (kubeconform: only with
 * -strict), duplicate keys are errors (kubeconform: only with -strict).
 *
 * valid   → no error of the schema category (other rules, e.g. probes, may still speak);
 * invalid → at least one error (schema or syntax category) at the offending line.
 *
 * Skipped when the shared corpus is absent.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { rules } from '../rules/index.js';
import { lint } from '../src/engine.js';
import { createSource } from '../src/load/source.js';
import type { Finding } from '../src/types.js';
import { ROOT } from './helpers.js';

const DIR = path.resolve(ROOT, '..', 'shared', 'corpus', 'kubeconform', 'fixtures');
const present = existsSync(DIR);

interface Case {
  /** Fixture file or folder, relative to the fixtures folder. */
  file: string;
  /** What kubeconform's tests assert (or, where they assert nothing, what kubeconform does). */
  kubeconform: string;
  /** quiet: deliberately not linted (see the case's note). */
  verdict: 'valid' | 'invalid' | 'quiet';
  /** The line an error must be reported at, for invalid fixtures. */
  line?: number;
  /** CRD files (relative to the fixtures folder) given as `crds:`. */
  crds?: string[];
  kubernetesVersion?: string;
  /** A known divergence, reported: the case runs but does not fail. */
  todo?: string;
}

/**
 * A deliberate difference: kubewire lints folders that also hold Helm values and application
 * settings, and the core issue asks that documents with neither `apiVersion` nor `kind` be skipped
 * quietly. A document that writes either key (even empty) is reported.
 */
const NOT_AN_OBJECT =
  'deliberately quiet: a document with neither apiVersion nor kind is not a Kubernetes object (values files, app settings)';

export const CASES: readonly Case[] = [
  {
    file: 'valid.yaml',
    kubeconform: 'acceptance.bats "Pass when parsing a valid Kubernetes config YAML file": exit 0, Valid: 1',
    verdict: 'valid',
  },
  {
    file: 'valid.json',
    kubeconform:
      'acceptance.bats "Pass when parsing a valid Kubernetes config JSON file" (-kubernetes-version 1.20.0): exit 0',
    verdict: 'valid',
  },
  {
    file: 'folder',
    kubeconform: 'acceptance.bats "Pass when parsing a folder containing valid YAML files": 7 resources, all valid',
    verdict: 'valid',
  },
  {
    file: 'int_or_string.yaml',
    kubeconform: 'acceptance.bats "… with int_to_string vars": Service heapster is valid',
    verdict: 'valid',
  },
  {
    file: 'generate_name.yaml',
    kubeconform: 'acceptance.bats "… with generate name": Job pi-{{ generateName }} is valid',
    verdict: 'valid',
  },
  {
    file: 'quantity.yaml',
    kubeconform: 'acceptance.bats "… with string and integer quantities": LimitRange mem-limit-range is valid',
    verdict: 'valid',
  },
  {
    file: 'null_string.yaml',
    kubeconform: 'acceptance.bats "… with null strings" / "… with null arrays": Service frontend is valid',
    verdict: 'valid',
  },
  {
    file: 'null_array.yaml',
    kubeconform: 'null arrays (`args:` with every item commented out) are accepted: valid',
    verdict: 'valid',
  },
  {
    file: 'multi_valid.yaml',
    kubeconform: 'acceptance.bats "Pass when parsing a multi-document config file": 6 resources, all valid',
    verdict: 'valid',
  },
  {
    file: 'multi_valid_source.yaml',
    kubeconform: 'multi-document file with `# Source:` comments (helm template output): all valid',
    verdict: 'valid',
  },
  {
    file: 'multi_invalid.yaml',
    kubeconform: 'acceptance.bats "Fail when parsing a multi-document config file with one invalid resource": exit 1',
    verdict: 'invalid',
    line: 12,
  },
  {
    file: 'invalid.yaml',
    kubeconform:
      'acceptance.bats "Fail when parsing an invalid Kubernetes config file": exit 1 (/spec/replicas: expected integer, got string)',
    verdict: 'invalid',
    line: 6,
  },
  {
    file: 'blank.yaml',
    kubeconform: 'acceptance.bats "Pass when parsing a blank config file": 0 resources, exit 0',
    verdict: 'valid',
  },
  {
    file: 'comment.yaml',
    kubeconform: 'acceptance.bats "… blank config file with a comment": 0 resources, exit 0',
    verdict: 'valid',
  },
  {
    file: 'missing_apiversion.yaml',
    kubeconform:
      'acceptance.bats "Fail when parsing a config that is missing an apiVersion": exit 1, "missing \'apiVersion\' key"',
    verdict: 'invalid',
    line: 1,
  },
  {
    file: 'missing_kind.yaml',
    kubeconform: `acceptance.bats "Fail when parsing a config that is missing a Kind": exit 1, "missing 'kind' key"; ${NOT_AN_OBJECT}`,
    verdict: 'quiet',
  },
  {
    file: 'missing_kind_value.yaml',
    kubeconform:
      'acceptance.bats "Fail when parsing a config that is missing a Kind value": exit 1, "missing \'kind\' key"',
    verdict: 'invalid',
    line: 1,
  },
  {
    file: 'multi_invalid_resources.yaml',
    kubeconform: 'five documents `kind:` with no value: each fails with "missing \'kind\' key"',
    verdict: 'invalid',
    line: 1,
  },
  {
    file: 'test_crd.yaml',
    kubeconform:
      'acceptance.bats "Fail when parsing a config with CRD": exit 1 (no schema); "… ignoring missing schemas" (-ignore-missing-schemas): exit 0. kubewire behaves like -ignore-missing-schemas, with one info finding (crd-schema) saying how to provide the CRD',
    verdict: 'valid',
  },
  {
    file: 'test_crd.yaml',
    kubeconform:
      'acceptance-nonetwork.bats "Pass when parsing a Custom Resource and using a local schema registry with appropriate CRD": exit 0 (here: the CRD of fixtures/registry given as `crds:`)',
    verdict: 'valid',
    crds: ['registry/sagemaker.aws.amazon.com_trainingjobs.yaml'],
  },
  {
    file: 'extra_property.yaml',
    kubeconform:
      'acceptance.bats "Pass when parsing a config with additional properties": valid; "… and strict set": exit 1. kubewire: a warning (unknown-field), no error',
    verdict: 'valid',
  },
  {
    file: 'duplicate_property.yaml',
    kubeconform:
      'acceptance.bats "Pass … with duplicate properties and strict NOT set": exit 0; "Fail … with duplicate properties and strict set": exit 1. kubewire: duplicate keys are errors (yaml-syntax), as with -strict',
    verdict: 'invalid',
    line: 16,
  },
  {
    file: 'list_valid.yaml',
    kubeconform: 'acceptance.bats "Pass when parsing a file containing a List": 6 resources, all valid',
    verdict: 'valid',
  },
  {
    file: 'list_invalid.yaml',
    kubeconform:
      'acceptance.bats "Fail when parsing a List that contains an invalid resource": ReplicationController bob, /spec/replicas expected integer',
    verdict: 'invalid',
    line: 26,
  },
  {
    file: 'list_empty_valid.yaml',
    kubeconform: 'acceptance.bats "Pass on valid, empty list": 0 resources, exit 0',
    verdict: 'valid',
  },
  {
    file: 'multi_with_list.yaml',
    kubeconform: 'acceptance.bats "Pass on multi-yaml containing one resource, one list": 2 resources, all valid',
    verdict: 'valid',
  },
  {
    file: 'httpproxy.yaml',
    kubeconform:
      'acceptance.bats "passes when trying to use a CRD that does not have the JSONSchema set": exit 0. kubewire: an info finding (no CRD in the input)',
    verdict: 'valid',
  },
  {
    file: 'grafana-alert-rule-group-sample.yaml',
    kubeconform:
      'valid against fixtures/grafanaalertrulegroup_v1beta1.json (duration formats). kubewire: an info finding (no CRD in the input)',
    verdict: 'valid',
  },
  {
    file: 'unconventional_keys.yaml',
    kubeconform: 'ConfigMap with integer, float and boolean data keys: valid (YAML keys become strings)',
    verdict: 'valid',
  },
  {
    file: 'full_domain_group.yaml',
    kubeconform: 'RoleBinding of rbac.authorization.k8s.io/v1 (a group with dots): valid',
    verdict: 'valid',
  },
  {
    file: 'valid_version.yaml',
    kubeconform:
      'autoscaling/v1 HPA whose scaleTargetRef names extensions/v1beta1 (a string, not an API in use): valid',
    verdict: 'valid',
  },
  {
    file: 'crd_schema.yaml',
    kubeconform:
      'used only as an ignored file (-ignore-filename-pattern); apiextensions.k8s.io/v1beta1 has no schema in current Kubernetes, so kubeconform fails on it. kubewire: api-removed (removed in 1.22)',
    verdict: 'invalid',
    line: 3,
  },
  {
    file: 'same-kind-different-api.yaml',
    kubeconform:
      'apps/v1 Deployment valid; apps/v1beta1 has no schema in current Kubernetes (kubeconform fails). kubewire: api-removed (removed in 1.16)',
    verdict: 'invalid',
    line: 29,
  },
  {
    file: 'duplicates.yaml',
    kubeconform: 'two identical ReplicationControllers: each is schema-valid (duplicates are another check)',
    verdict: 'valid',
  },
  {
    file: 'duplicates-non-namespaced.yaml',
    kubeconform: 'duplicate cluster-scoped objects: schema-valid',
    verdict: 'valid',
  },
  {
    file: 'duplicates-with-namespace.yaml',
    kubeconform: 'duplicates in one namespace: schema-valid',
    verdict: 'valid',
  },
  {
    file: 'duplicates-with-namespace-default.yaml',
    kubeconform: 'duplicates, namespace defaulted: schema-valid',
    verdict: 'valid',
  },
  {
    file: 'same-object-different-namespace.yaml',
    kubeconform: 'same name, different namespaces: valid',
    verdict: 'valid',
  },
  {
    file: 'same-object-different-namespace-default.yaml',
    kubeconform: 'same name, default and explicit namespace: valid',
    verdict: 'valid',
  },
  {
    file: 'duplicates-skipped-kinds.yaml',
    kubeconform:
      'kind SkipThisKind is valid only when skipped (-skip SkipThisKind); without it kubeconform finds no schema and fails. kubewire: unknown-kind',
    verdict: 'invalid',
    line: 4,
  },
];

/** Files of the fixtures folder that are not manifests (schemas, XML schema, cached downloads). */
const NOT_MANIFESTS = new Set(['grafanaalertrulegroup_v1beta1.json', 'junit.xsd', 'cache', 'registry']);

function sourcesOf(entry: string) {
  const full = path.join(DIR, entry);
  const files = existsSync(full) && !entry.includes('.') ? readdirSync(full).map((f) => path.join(entry, f)) : [entry];
  return files.sort().map((f) => createSource(f.split(path.sep).join('/'), readFileSync(path.join(DIR, f))));
}

const describeFinding = (f: Finding) => `${f.file}:${f.line} ${f.ruleId}(${f.severity}) ${f.message}`;

describe(
  'kubeconform fixtures',
  { skip: present ? false : 'the shared corpus (../shared/corpus/kubeconform) is absent' },
  () => {
    it('every manifest fixture has a case', () => {
      const entries = readdirSync(DIR).filter(
        (f) => !NOT_MANIFESTS.has(f) && (f.endsWith('.yaml') || f.endsWith('.json') || !f.includes('.')),
      );
      const covered = new Set(CASES.map((c) => c.file));
      assert.deepEqual(
        entries.filter((f) => !covered.has(f)),
        [],
        'fixtures without a verdict',
      );
    });

    for (const c of CASES) {
      const name = `${c.file}${c.crds ? ' with its CRD' : ''}: ${c.verdict}`;
      it(name, c.todo === undefined ? {} : { todo: c.todo }, () => {
        const crdSources = (c.crds ?? []).flatMap(sourcesOf);
        const result = lint(sourcesOf(c.file), { rules, kubernetesVersion: c.kubernetesVersion, crdSources });
        assert.deepEqual(result.ruleFailures, []);
        const why = `kubeconform: ${c.kubeconform}\nkubewire: ${result.findings.map(describeFinding).join('\n          ') || '(nothing)'}`;
        if (c.verdict === 'quiet') {
          assert.deepEqual(result.findings.map(describeFinding), [], why);
        } else if (c.verdict === 'valid') {
          const schemaErrors = result.findings.filter((f) => f.category === 'schema' && f.severity === 'error');
          assert.deepEqual(schemaErrors.map(describeFinding), [], why);
          if (c.crds)
            assert.ok(
              !result.findings.some((f) => f.ruleId === 'crd-schema'),
              `the CRD given should validate the custom resource\n${why}`,
            );
        } else {
          const errors = result.findings.filter(
            (f) => f.severity === 'error' && (f.category === 'schema' || f.category === 'syntax'),
          );
          assert.ok(errors.length > 0, `expected an error\n${why}`);
          assert.ok(
            errors.some((f) => f.line === c.line),
            `expected an error at line ${c.line}\n${why}`,
          );
        }
      });
    }
  },
);
