/**
 * Schema validation of every object against the Kubernetes API of the targeted version, with ajv:
 * bundled schemas per minor (one ajv per minor, created on first use; each kind's validator compiled
 * on first use and shared for the run, and across runs of the process), custom resources against the
 * openAPIV3Schema of the CRDs in the input or listed in the configuration.
 *
 * The analysis runs once per graph (Graph.memo) and yields issues tagged with the rule that reports
 * them, so that every schema rule reads the same pass.
 */
import type { Ajv, CodeOptions, ErrorObject, ValidateFunction } from 'ajv';
import { loadObjects } from '../load/objects.js';
import { serverView } from '../model/decode.js';
import type { Graph } from '../model/graph.js';
import { code, nameList, objectLabel, plural, suggestion } from '../model/phrase.js';
import { closestMatch, describeValue, isRecord } from '../model/values.js';
import type { KObject, Path, SchemaProblem, Severity, Source } from '../types.js';
import {
  BUNDLED_MINORS,
  apiStatus,
  apiVersionOf,
  bundledFor,
  bundledKinds,
  findKind,
  isBuiltinGroup,
  lifecycleOf,
  minorsServing,
  parseKubernetesVersion,
  splitApiVersion,
} from './apis.js';
import type { BundledKind } from './apis.js';
import { checkNames } from './names.js';
import { withEnums } from './enums.js';
import { addFormats, describeFormat } from './formats.js';
import { kustomizeRoles, normalizePath } from './kustomize.js';
import { validateStructural } from './structural.js';
import { ajvClass, bundledSchema, standaloneValidator } from './lazy.js';
import { re2RegExp } from './regexp.js';

export type SchemaRuleId =
  'schema-invalid' | 'unknown-field' | 'unknown-kind' | 'api-removed' | 'api-deprecated' | 'crd-schema' | 'yaml-decode';

export interface SchemaIssue {
  ruleId: SchemaRuleId;
  object: KObject;
  path: Path;
  key?: boolean;
  messageId: string;
  data: Readonly<Record<string, string | number>>;
  severity?: Severity;
  /** A did-you-mean for the field (its key when `key` is set), see ReportDescriptor.suggestion. */
  suggestion?: { value: string; key?: boolean };
}

export interface SchemaOptions {
  /** The targeted Kubernetes version, "major.minor". */
  kubernetesVersion: string;
  /** Sources holding CustomResourceDefinitions that are not linted (`crds:` of the configuration). */
  crdSources: readonly Source[];
  /** The linted sources (kustomizations among them tell which files are patches). */
  sources: readonly Source[];
}

export interface VersionSchema {
  $id: string;
  definitions: Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------
// Validators: generated at build time, else compiled lazily; shared

/**
 * An ajv holding the bundled schema of a minor, with the options both the in-process compiler and the
 * build's standalone code generator (scripts/gen-validators.ts, which adds `code` options) use, so that
 * both give the same errors.
 */
export function createMinorAjv(minor: string, code: CodeOptions = {}): { ajv: Ajv; schema: VersionSchema } {
  if (!BUNDLED_MINORS.includes(minor)) throw new Error(`no bundled schema for Kubernetes ${minor}`);
  const schema = bundledSchema(minor) as VersionSchema;
  const Ajv = ajvClass();
  // inlineRefs off and no code optimisation: compiling is about twice as fast, validation as fast.
  // The bundled schemas are checked against the meta-schema by test/schemas.test.ts, not per run.
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    verbose: true,
    logger: false,
    inlineRefs: false,
    validateSchema: false,
    code: { optimize: false, regExp: re2RegExp, ...code },
  });
  addFormats(ajv);
  const patched: VersionSchema = { ...schema, definitions: withEnums(schema.definitions).definitions };
  ajv.addSchema(patched);
  return { ajv, schema: patched };
}

const byMinor = new Map<string, { ajv: Ajv; schema: VersionSchema }>();
const validators = new Map<string, ValidateFunction>();

/**
 * The validator of a definition of a bundled minor: the build's standalone code when there is one,
 * else compiled here (once per process).
 */
export function definitionValidator(minor: string, definition: string): ValidateFunction {
  const key = `${minor}|${definition}`;
  let fn = validators.get(key) ?? standaloneValidator(minor, definition);
  if (!fn) {
    let entry = byMinor.get(minor);
    if (!entry) byMinor.set(minor, (entry = createMinorAjv(minor)));
    fn = entry.ajv.getSchema(`${entry.schema.$id}#/definitions/${definition}`);
    if (!fn) throw new Error(`Kubernetes ${minor}: no definition ${definition}`);
  }
  validators.set(key, fn);
  return fn;
}

// ---------------------------------------------------------------------------------------------
// Values

/**
 * The API server reads `null` as "unset": drop null-valued keys (kubeconform accepts them too). What has
 * nothing to drop is returned itself, not copied: most documents have no null, and a copy of every object
 * (kept with its view) was some 3% of a cold run over the corpus, in copying and in collecting garbage.
 * Anything but a plain object or array (another prototype, a `__proto__` key) is copied as a plain object of
 * its own keys, as a copy always did.
 */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const kept = dropNulls(item);
      if (out === undefined && kept !== item) out = value.slice(0, i);
      out?.push(kept);
    }
    return out ?? value;
  }
  if (isRecord(value)) {
    const entries = Object.entries(value);
    let out: Record<string, unknown> | undefined = Object.getPrototypeOf(value) === Object.prototype ? undefined : {};
    for (let i = 0; i < entries.length; i++) {
      const [k, v] = entries[i] as [string, unknown];
      const kept = v === null || v === undefined ? undefined : dropNulls(v);
      if (out === undefined && (kept !== v || k === '__proto__')) {
        out = {};
        for (const [before, same] of entries.slice(0, i)) out[before] = same;
      }
      if (out !== undefined && kept !== undefined) out[k] = kept;
    }
    return out ?? value;
  }
  return value;
}

/**
 * `dropNulls` of an object's server view, kept as long as the view (which is kept with its document): the
 * same for every lint of an unchanged document, where the language server lints again after each edit.
 * Nothing writes to the views or to this copy.
 */
const withoutNulls = new WeakMap<object, Record<string, unknown>>();

function serverValueWithoutNulls(object: KObject): Record<string, unknown> {
  const view = serverView(object).value;
  let value = withoutNulls.get(view);
  if (value === undefined) {
    value = dropNulls(view) as Record<string, unknown>;
    withoutNulls.set(view, value);
  }
  return value;
}

/** `spec.template.spec.containers[0].image`, `metadata.labels["app.kubernetes.io/name"]` */
export function fieldName(path: Path): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

const PLACEHOLDERS = [
  /\$\{[^}]*\}/,
  /\$\([A-Za-z_][A-Za-z0-9_]*\)/,
  /\{\{.*\}\}/,
  /<[^<>]+>/,
  /^%[A-Z_]+%$/,
  /__[A-Z0-9_]+__/,
  /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/,
];

/**
 * `${VAR}`, `$(VAR)`, `{{ .Values.x }}`, `<your-value>` (also inside a value: `registry.<your domain>`),
 * `__VAR__`, and bare upper-case words (`PORT`, `FILESTORE_CAPACITY`) that sed-style tutorials replace
 * before applying.
 */
export function looksLikePlaceholder(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const trimmed = value.trim();
  return PLACEHOLDERS.some((p) => p.test(trimmed));
}

const TYPE_WORDS: Record<string, string> = {
  integer: 'an integer',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'null',
};

function typeWords(type: unknown): string {
  const list = Array.isArray(type) ? type.map(String) : [String(type)];
  return list.map((t) => TYPE_WORDS[t] ?? t).join(' or ');
}

function typeHint(expected: unknown, value: unknown): string {
  if (looksLikePlaceholder(value))
    return ' (an unsubstituted placeholder? render or substitute the manifest before applying it)';
  const types = Array.isArray(expected) ? expected.map(String) : [String(expected)];
  if (
    typeof value === 'string' &&
    (types.includes('integer') || types.includes('number')) &&
    /^[+-]?\d+(\.\d+)?$/.test(value.trim())
  )
    return '; remove the quotes';
  if ((typeof value === 'number' || typeof value === 'boolean') && types.includes('string')) return '; quote it';
  if (typeof value === 'string' && types.includes('boolean') && /^(true|false)$/i.test(value))
    return '; remove the quotes';
  if (types.includes('array') && value !== null && !Array.isArray(value)) return '; write it as a list (`- item`)';
  return '';
}

// ---------------------------------------------------------------------------------------------
// From ajv errors to issues

function pathOf(instancePath: string, data: unknown): Path {
  const out: (string | number)[] = [];
  let node: unknown = data;
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node)) {
      const i = Number(segment);
      out.push(i);
      node = node[i];
    } else {
      out.push(segment);
      node = isRecord(node) ? node[segment] : undefined;
    }
  }
  return out;
}

/** Whether a schema is `anyOf` of exactly two branches, each of the fields given (the rest of a branch is free). */
function isAnyOfPair(schema: unknown, first: Record<string, string>, second: Record<string, string>): boolean {
  const anyOf = isRecord(schema) ? schema.anyOf : undefined;
  const fits = (branch: unknown, fields: Record<string, string>) =>
    isRecord(branch) && Object.entries(fields).every(([k, v]) => branch[k] === v);
  return Array.isArray(anyOf) && anyOf.length === 2 && fits(anyOf[0], first) && fits(anyOf[1], second);
}

/** `anyOf: [integer, string]`: the bundled IntOrString and its like in CRD schemas. */
function isIntOrString(schema: unknown): boolean {
  return isAnyOfPair(schema, { type: 'integer' }, { type: 'string' });
}

/**
 * The bundled Quantity definition (the only schema of the bundled files with a `quantity` format), which
 * an error's `parentSchema` is a copy of in generated code: recognised by its form.
 */
function isQuantity(schema: unknown): boolean {
  return isAnyOfPair(schema, { format: 'quantity', type: 'string' }, { type: 'number' });
}

export type Problem = SchemaProblem;

/**
 * Turn ajv errors into problems in the user's words. `prefix` is the path of the validated value in
 * its object (for messages); `bundled` whether the schema is a bundled one (whose Quantity is known).
 */
export function problemsOf(errors: readonly ErrorObject[], data: unknown, prefix: Path, bundled: boolean): Problem[] {
  // An alternative (anyOf/oneOf) that fails: one message for it, not one per branch.
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.instancePath);
  const underAlternative = (e: ErrorObject) =>
    e.keyword !== 'anyOf' &&
    e.keyword !== 'oneOf' &&
    alternatives.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`));
  const out: Problem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (underAlternative(e)) continue;
    if (e.keyword === 'if') continue;
    const path = pathOf(e.instancePath, data);
    const full = [...prefix, ...path];
    const field = code(fieldName(full) || '(root)');
    const value: unknown = e.data;
    let problem: Problem;
    switch (e.keyword) {
      case 'type':
        problem = {
          path,
          key: false,
          kind: 'type',
          text:
            `${field} must be ${typeWords((e.params as { type: unknown }).type)}, got ${describeValue(value)}` +
            typeHint((e.params as { type: unknown }).type, value),
        };
        break;
      case 'required': {
        const missing = (e.params as { missingProperty: string }).missingProperty;
        const where = full.length === 0 ? 'the object' : field;
        problem = {
          path,
          key: false,
          kind: 'required',
          text: `${where} is missing the required field ${code(missing)}`,
        };
        break;
      }
      case 'additionalProperties': {
        const name = (e.params as { additionalProperty: string }).additionalProperty;
        const allowed = Object.keys(
          (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
        );
        const guess = closestMatch(name, allowed);
        const where = full.length === 0 ? 'the object' : field;
        problem = {
          path: [...path, name],
          key: true,
          kind: 'unknown',
          text: `${where} has no field ${code(name)}${suggestion(guess)}`,
          ...(guess !== undefined ? { guess } : {}),
        };
        break;
      }
      case 'format': {
        const format = (e.params as { format: string }).format;
        const hint = looksLikePlaceholder(value)
          ? ' (an unsubstituted placeholder?)'
          : format === 'byte' && full[0] === 'data'
            ? ' (plain text goes in `stringData`)'
            : '';
        problem = {
          path,
          key: false,
          kind: 'format',
          text: `${field} must be ${describeFormat(format)}, got ${describeValue(value)}${hint}`,
        };
        break;
      }
      case 'enum': {
        const allowed = (e.params as { allowedValues: unknown[] }).allowedValues
          .map((v) => String(v))
          .filter((v) => v !== '');
        const guess = typeof value === 'string' ? closestMatch(value, allowed) : undefined;
        const list = nameList(allowed, 8, 'or');
        const hint = looksLikePlaceholder(value) ? ' (an unsubstituted placeholder?)' : suggestion(guess);
        problem = {
          path,
          key: false,
          kind: 'enum',
          text: `${field} must be one of ${list}, got ${describeValue(value)}${hint}`,
          ...(guess !== undefined && !looksLikePlaceholder(value) ? { guess } : {}),
        };
        break;
      }
      case 'anyOf':
      case 'oneOf': {
        const schema = e.parentSchema;
        let text: string;
        if (bundled && isQuantity(schema))
          text =
            `${field} must be ${describeFormat('quantity')}, got ${describeValue(value)}` +
            (looksLikePlaceholder(value) ? ' (an unsubstituted placeholder?)' : '');
        else if (isIntOrString(schema))
          text =
            `${field} must be an integer or a string (a number, a name or a percentage), ` +
            `got ${describeValue(value)}`;
        else text = `${field} matches none of the forms its schema allows, got ${describeValue(value)}`;
        problem = {
          path,
          key: false,
          kind: e.keyword === 'anyOf' && isIntOrString(schema) ? 'type' : 'other',
          text,
        };
        break;
      }
      default:
        problem = {
          path,
          key: false,
          kind: 'other',
          text:
            `${field} ${e.message ?? 'is invalid'}` +
            (value !== undefined && typeof value !== 'object' ? `, got ${describeValue(value)}` : ''),
        };
    }
    const id = `${JSON.stringify(problem.path)}\u0000${problem.text}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(problem);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Custom resources

interface CrdVersion {
  name: string;
  served: boolean;
  schema: unknown;
}

interface Crd {
  object: KObject;
  group: string;
  kind: string;
  name: string;
  versions: Map<string, CrdVersion>;
  /** apiextensions v1beta1 defaults to keeping unknown fields. */
  preserveUnknown: boolean;
}

function collectCrds(objects: readonly KObject[], into: Map<string, Crd>): void {
  for (const o of objects) {
    if (o.group !== 'apiextensions.k8s.io' || o.kind !== 'CustomResourceDefinition') continue;
    const spec = o.raw.spec;
    if (!isRecord(spec)) continue;
    const group = spec.group;
    const names = spec.names;
    const kind = isRecord(names) ? names.kind : undefined;
    if (typeof group !== 'string' || typeof kind !== 'string') continue;
    const key = `${group}/${kind}`;
    if (into.has(key)) continue;
    const versions = new Map<string, CrdVersion>();
    const topSchema = isRecord(spec.validation) ? spec.validation.openAPIV3Schema : undefined;
    if (Array.isArray(spec.versions)) {
      spec.versions.forEach((v: unknown) => {
        if (!isRecord(v) || typeof v.name !== 'string') return;
        const own = isRecord(v.schema) ? v.schema.openAPIV3Schema : undefined;
        versions.set(v.name, {
          name: v.name,
          served: v.served !== false,
          schema: own ?? topSchema,
        });
      });
    }
    if (typeof spec.version === 'string' && !versions.has(spec.version)) {
      versions.set(spec.version, { name: spec.version, served: true, schema: topSchema });
    }
    const preserveUnknown = o.version === 'v1beta1' ? spec.preserveUnknownFields !== false : false;
    into.set(key, { object: o, group, kind, name: o.name, versions, preserveUnknown });
  }
}

// ---------------------------------------------------------------------------------------------
// The pass

/** Validate every object of the graph; memoized per graph and options. */
export function schemaIssues(graph: Graph, options: SchemaOptions): readonly SchemaIssue[] {
  return graph.memo(`schema:${options.kubernetesVersion}`, () => analyse(graph, options));
}

/** Objects whose metadata is malformed are reported by manifest-shape: leave those fields alone. */
function shapeReported(object: KObject, path: Path): boolean {
  if (path[0] !== 'metadata') return false;
  const metadata = object.raw.metadata;
  if (metadata !== undefined && metadata !== null && !isRecord(metadata)) return true;
  return path.length === 2 && (path[1] === 'name' || path[1] === 'namespace');
}

/**
 * The problems of a value of an object (at `at`) against a bundled definition. They depend only on
 * the object's content, so they are kept with its document, and with it in the cache of repeated runs.
 */
function builtinProblems(
  object: KObject,
  minor: string,
  definition: string,
  value: unknown,
  at: Path,
): readonly Problem[] {
  const key = `${minor}|${definition}|${[...object.basePath, ...at].join('/')}`;
  let problems = object.document.schema.get(key);
  if (problems === undefined) {
    const fn = definitionValidator(minor, definition);
    problems = fn(value) ? [] : problemsOf(fn.errors ?? [], value, at, true);
    object.document.schema.set(key, problems);
  }
  return problems;
}

function analyse(graph: Graph, options: SchemaOptions): SchemaIssue[] {
  const target = options.kubernetesVersion;
  const minor = bundledFor(target);
  const issues: SchemaIssue[] = [];
  const push = (issue: SchemaIssue) => issues.push(issue);

  const crds = new Map<string, Crd>();
  collectCrds(graph.objects, crds);
  if (options.crdSources.length > 0) collectCrds(loadObjects(options.crdSources).objects, crds);
  const unknownCustom = new Map<string, { first: KObject; count: number }>();

  const kustomize = kustomizeRoles(options.sources);
  const report = (
    object: KObject,
    problems: readonly Problem[],
    prefix: Path,
    rule: 'schema-invalid' | 'crd-schema',
    suffix: string,
    skipRequired: boolean,
  ) => {
    const file = normalizePath(object.source.path);
    // A value the API server decodes differently from YAML 1.2 (`yes`, `0755`) is reported by yaml-decode.
    const quirks = new Map(
      serverView(object)
        .quirks.filter((q) => !q.key)
        .map((q) => [JSON.stringify(q.path), q]),
    );
    const decodeReported = new Set<string>();
    // A strategic-merge patch is a partial object; kustomize writes the selectors of its resources.
    const patch = kustomize.patches.has(file);
    const selectorAdded = kustomize.selectorsAdded.has(file);
    for (const p of problems) {
      const path = [...prefix, ...p.path];
      if (shapeReported(object, path)) continue;
      const quirk = p.kind !== 'required' && p.kind !== 'unknown' ? quirks.get(JSON.stringify(path)) : undefined;
      if (quirk !== undefined) {
        if (!decodeReported.has(JSON.stringify(path)))
          push({
            ruleId: 'yaml-decode',
            object,
            path,
            messageId: 'typeChanged',
            data: {
              field: fieldName(path),
              written: quirk.written,
              reads: describeValue(quirk.server),
              expected: /must be (.+?), got /.exec(p.text)?.[1] ?? 'of another type',
            },
          });
        decodeReported.add(JSON.stringify(path));
        continue;
      }
      if (
        p.kind === 'required' &&
        (skipRequired || patch || (path.length === 0 && /`(apiVersion|kind|metadata)`$/.test(p.text)))
      )
        continue;
      if (p.kind === 'required' && selectorAdded && p.text.endsWith('`selector`')) continue;
      if (p.kind === 'required' && path.length === 0) {
        // A field missing at the top: point at the kind, and name it.
        push({
          ruleId: rule,
          object,
          path: ['kind'],
          messageId: 'invalid',
          data: { problem: p.text.replace(/^the object/, `the ${object.kind}`), note: suffix },
        });
        continue;
      }
      const guessed = p.guess !== undefined ? { suggestion: { value: p.guess, key: p.kind === 'unknown' } } : {};
      if (p.kind === 'unknown')
        push({
          ruleId: 'unknown-field',
          object,
          path,
          key: true,
          messageId: 'unknown',
          data: { problem: p.text, note: suffix },
          ...guessed,
        });
      else
        push({ ruleId: rule, object, path, messageId: 'invalid', data: { problem: p.text, note: suffix }, ...guessed });
    }
  };

  const validateBuiltin = (
    object: KObject,
    kind: BundledKind,
    value: Record<string, unknown>,
    suffix: string,
    skipRequired: boolean,
  ) => {
    const problems = builtinProblems(object, minor, kind.definition, value, []);
    if (problems.length === 0) return;
    report(object, problems, [], 'schema-invalid', suffix, skipRequired);
  };

  for (const object of graph.objects) {
    const before = issues.length;
    validateObject(object);
    collapsePlaceholders(issues, before, object.kind);
  }

  function validateObject(object: KObject): void {
    // What the API server decodes (YAML 1.1 scalars: `yes` is true, `0644` is 420), not YAML 1.2's reading.
    const value = serverValueWithoutNulls(object);
    const { group, version, kind, apiVersion } = object;

    // Removed and deprecated APIs (exact for every version, from the lifecycle table).
    const status = apiStatus(apiVersion, kind, target);
    if (status.status === 'removed') {
      const e = status.entry;
      const replacement = e.replacement
        ? `; use ${code(`apiVersion: ${e.replacement.apiVersion}`)}` +
          (e.replacement.kind !== kind ? ` ${code(`kind: ${e.replacement.kind}`)}` : '')
        : '; nothing replaces it';
      push({
        ruleId: 'api-removed',
        object,
        path: ['apiVersion'],
        messageId: 'removed',
        data: {
          apiVersion,
          kind,
          removedIn: e.removedIn ?? '',
          version: target,
          replacement,
          note: e.note !== undefined ? ` (${e.note})` : '',
        },
      });
      if (e.replacement && e.schemaCompatible) {
        const { group: g, version: v } = splitApiVersion(e.replacement.apiVersion);
        const replacementKind = findKind(minor, g, v, e.replacement.kind);
        if (replacementKind)
          validateBuiltin(
            object,
            replacementKind,
            value,
            ` (checked against ${e.replacement.apiVersion}, which replaces ${apiVersion})`,
            true,
          );
      }
      return;
    }
    if (status.status === 'deprecated') {
      const e = status.entry;
      push({
        ruleId: 'api-deprecated',
        object,
        path: ['apiVersion'],
        messageId: 'deprecated',
        data: {
          apiVersion,
          kind,
          deprecatedIn: e.deprecatedIn,
          removal: e.removedIn !== null ? ` and removed in ${e.removedIn}` : '',
          replacement: e.replacement
            ? `; migrate to ${code(e.replacement.apiVersion)}` +
              (e.replacement.kind !== kind ? ` ${e.replacement.kind}` : '')
            : '',
          note: e.note !== undefined ? ` (${e.note})` : '',
        },
      });
    }

    const bundled = findKind(minor, group, version, kind);
    if (bundled) {
      validateBuiltin(object, bundled, value, '', false);
      checkNames(object, value, bundled, (path, messageId, data, key) =>
        push({ ruleId: 'schema-invalid', object, path, key, messageId, data }),
      );
      return;
    }
    // Served by the targeted version according to the table, but older than the bundled schemas.
    if (lifecycleOf(apiVersion, kind) !== undefined) return;

    if (isBuiltinGroup(group)) {
      unknownBuiltin(object, target, minor, push);
      return;
    }

    // A custom resource.
    const crd = crds.get(`${group}/${kind}`);
    if (!crd) {
      const key = `${apiVersion}\u0000${kind}`;
      const seen = unknownCustom.get(key);
      if (seen) seen.count++;
      else unknownCustom.set(key, { first: object, count: 1 });
      return;
    }
    const served = crd.versions.get(version);
    if (!served || !served.served) {
      const list = [...crd.versions.values()].filter((v) => v.served).map((v) => apiVersionOf(group, v.name));
      push({
        ruleId: 'crd-schema',
        object,
        path: ['apiVersion'],
        messageId: 'versionNotServed',
        data: { crd: crd.name, apiVersion, served: list.length > 0 ? `; it serves ${nameList(list, 5)}` : '' },
      });
      return;
    }
    const suffix = ` (schema of ${objectLabel({ kind: 'CustomResourceDefinition', name: crd.name, namespace: null })})`;
    const errors = isRecord(served.schema)
      ? validateStructural(served.schema, value, { preserveUnknown: crd.preserveUnknown })
      : [];
    if (errors.length > 0) report(object, problemsOf(errors, value, [], false), [], 'crd-schema', suffix, false);
    // Metadata of a custom resource is an ordinary ObjectMeta.
    if (isRecord(value.metadata)) {
      const problems = builtinProblems(object, minor, 'V1ObjectMeta', value.metadata, ['metadata']);
      if (problems.length > 0) report(object, problems, ['metadata'], 'schema-invalid', '', false);
    }
    checkNames(object, value, undefined, (path, messageId, data, key) =>
      push({ ruleId: 'schema-invalid', object, path, key, messageId, data }),
    );
  }

  for (const { first, count } of unknownCustom.values()) {
    push({
      ruleId: 'crd-schema',
      object: first,
      path: ['kind'],
      messageId: 'noSchema',
      severity: 'info',
      data: {
        kind: first.kind,
        apiVersion: first.apiVersion,
        count: count === 1 ? 'this object was' : `its ${plural(count, 'object')} were`,
      },
    });
  }
  return issues;
}

const PLACEHOLDER_NOTE = /\(an unsubstituted placeholder\?[^)]*\)/;

/**
 * A manifest full of `${VAR}` placeholders would get one finding per field: keep the first and say
 * how many more fields of the object hold placeholders.
 */
function collapsePlaceholders(issues: SchemaIssue[], from: number, kind: string): void {
  const indexes: number[] = [];
  for (let i = from; i < issues.length; i++) {
    const problem = issues[i]?.data.problem;
    if (typeof problem === 'string' && PLACEHOLDER_NOTE.test(problem)) indexes.push(i);
  }
  if (indexes.length < 2) return;
  const first = issues[indexes[0] ?? from];
  if (!first) return;
  const more = indexes.length - 1;
  first.data = {
    ...first.data,
    problem:
      `${String(first.data.problem)}; ${plural(more, 'more field')} of this ${kind} ` +
      `hold${more === 1 ? 's' : ''} placeholders too`,
  };
  for (const i of indexes.slice(1).reverse()) issues.splice(i, 1);
}

/** An apiVersion/kind of a Kubernetes API group that the targeted version does not serve. */
function unknownBuiltin(object: KObject, target: string, minor: string, push: (issue: SchemaIssue) => void): void {
  const { group, version, kind, apiVersion } = object;
  const elsewhere = minorsServing(group, version, kind);
  const sameKind = bundledKinds(minor).filter((k) => k.kind === kind);
  const first = sameKind[0];
  const alternative = first ? `; use \`apiVersion: ${apiVersionOf(first.group, first.version)}\`` : '';
  if (elsewhere.length > 0) {
    const t = parseKubernetesVersion(minor);
    const older = elsewhere.filter((m) => {
      const x = parseKubernetesVersion(m);
      return x !== undefined && t !== undefined && (x.major < t.major || (x.major === t.major && x.minor < t.minor));
    });
    const last = older.at(-1);
    if (last !== undefined) {
      push({
        ruleId: 'api-removed',
        object,
        path: ['apiVersion'],
        messageId: 'gone',
        data: { apiVersion, kind, version: target, last, alternative },
      });
    } else {
      push({
        ruleId: 'unknown-kind',
        object,
        path: ['apiVersion'],
        messageId: 'notYet',
        data: { apiVersion, kind, version: target, first: elsewhere[0] ?? '', alternative },
      });
    }
    return;
  }
  if (sameKind.length > 0) {
    const served = nameList(
      sameKind.map((k) => apiVersionOf(k.group, k.version)),
      5,
      'or',
    );
    push({
      ruleId: 'unknown-kind',
      object,
      path: ['apiVersion'],
      messageId: 'wrongVersion',
      data: { apiVersion, kind, version: target, served },
    });
    return;
  }
  const inGroupVersion = bundledKinds(minor).filter((k) => k.group === group && k.version === version);
  const pool = inGroupVersion.length > 0 ? inGroupVersion : bundledKinds(minor).filter((k) => k.group === group);
  let guess = closestMatch(
    kind,
    pool.map((k) => k.kind),
  );
  let match = pool.find((x) => x.kind === guess);
  if (guess === undefined) {
    guess = closestMatch(kind, new Set(bundledKinds(minor).map((k) => k.kind)));
    match = bundledKinds(minor).find((x) => x.kind === guess);
  }
  const where =
    match && (match.group !== group || match.version !== version)
      ? ` (${code(`apiVersion: ${apiVersionOf(match.group, match.version)}`)})`
      : '';
  const knownVersion =
    inGroupVersion.length > 0 ||
    BUNDLED_MINORS.some((m) => bundledKinds(m).some((k) => k.group === group && k.version === version));
  push({
    ruleId: 'unknown-kind',
    object,
    path: ['kind'],
    messageId: 'unknownKind',
    data: {
      kind,
      apiVersion,
      version: target,
      suggestion:
        guess !== undefined
          ? suggestion(guess, where)
          : knownVersion
            ? ''
            : ` (and ${code(apiVersion)} is not an API version it serves)`,
    },
    // The kind alone is the fix when the close match is in the same API version.
    ...(guess !== undefined && where === '' ? { suggestion: { value: guess } } : {}),
  });
}
