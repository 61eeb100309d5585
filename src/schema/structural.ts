/**
 * Validation against the openAPIV3Schema of a CustomResourceDefinition, by walking the schema.
 *
 * Not compiled with ajv on purpose: CRD schemas are large (the Prometheus CRD alone has thousands of
 * nodes, and ajv takes about a second to compile it) while an input holds a handful of objects per
 * custom kind; walking the schema costs time in proportion to the object, not to the schema. The
 * errors have the shape of ajv's (`ErrorObject`), so that one function words both.
 *
 * Semantics of the API server's structural schemas: an object with `properties` prunes (and, under
 * kubectl's strict validation, rejects) unknown fields unless `x-kubernetes-preserve-unknown-fields`;
 * `x-kubernetes-int-or-string` takes an integer or a string; `x-kubernetes-embedded-resource` takes
 * apiVersion, kind and metadata; the root takes apiVersion, kind and metadata (validated elsewhere).
 * CEL rules (`x-kubernetes-validations`) are not evaluated.
 */
import type { ErrorObject } from 'ajv';
import { isRecord } from '../model/values.js';
import { checkFormat } from './formats.js';
import { schemaPattern } from './regexp.js';

type Schema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(type: string, value: unknown): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

const escape = (segment: string | number) => String(segment).replace(/~/g, '~0').replace(/\//g, '~1');

export interface StructuralOptions {
  /** Keep unknown fields everywhere (apiextensions v1beta1 CRDs without `preserveUnknownFields: false`). */
  preserveUnknown: boolean;
}

/** Validate `data` against a CRD's openAPIV3Schema; returns ajv-shaped errors (empty when valid). */
export function validateStructural(schema: unknown, data: unknown, options: StructuralOptions): ErrorObject[] {
  const errors: ErrorObject[] = [];
  walk(schema, data, '', true, options, errors);
  return errors;
}

function error(
  errors: ErrorObject[],
  keyword: string,
  instancePath: string,
  schema: Schema,
  data: unknown,
  params: Record<string, unknown>,
  message: string,
): void {
  errors.push({
    keyword,
    instancePath,
    schemaPath: '',
    params,
    message,
    data,
    parentSchema: schema,
    schema: schema[keyword],
  });
}

function walk(
  node: unknown,
  data: unknown,
  at: string,
  root: boolean,
  options: StructuralOptions,
  errors: ErrorObject[],
): void {
  if (!isRecord(node)) return;
  const s = node;
  if (data === null || data === undefined) return; // null is "unset" to the API server
  if (s['x-kubernetes-int-or-string'] === true) {
    if (!(typeOf(data) === 'integer' || typeof data === 'string')) {
      error(
        errors,
        'anyOf',
        at,
        { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        data,
        {},
        'must be an integer or a string',
      );
      return;
    }
  } else if (typeof s.type === 'string' && !typeMatches(s.type, data)) {
    error(errors, 'type', at, s, data, { type: s.type }, `must be ${s.type}`);
    return;
  }
  if (
    Array.isArray(s.enum) &&
    !s.enum.some((v) => v === data || (typeof v === 'object' && JSON.stringify(v) === JSON.stringify(data)))
  ) {
    error(errors, 'enum', at, s, data, { allowedValues: s.enum }, 'must be equal to one of the allowed values');
  }
  if (typeof data === 'string') {
    if (typeof s.format === 'string' && !checkFormat(s.format, data))
      error(errors, 'format', at, s, data, { format: s.format }, `must match format "${s.format}"`);
    if (typeof s.pattern === 'string') {
      const re = schemaPattern(s.pattern);
      if (re && !re.test(data))
        error(errors, 'pattern', at, s, data, { pattern: s.pattern }, `must match the pattern \`${s.pattern}\``);
    }
    const length = Array.from(data).length; // code points, as the API server counts
    if (typeof s.maxLength === 'number' && length > s.maxLength)
      error(errors, 'maxLength', at, s, data, { limit: s.maxLength }, `must be at most ${s.maxLength} characters long`);
    if (typeof s.minLength === 'number' && length < s.minLength)
      error(
        errors,
        'minLength',
        at,
        s,
        data,
        { limit: s.minLength },
        `must be at least ${s.minLength} characters long`,
      );
  }
  if (typeof data === 'number') {
    if (typeof s.format === 'string' && !checkFormat(s.format, data))
      error(errors, 'format', at, s, data, { format: s.format }, `must match format "${s.format}"`);
    if (typeof s.minimum === 'number' && (s.exclusiveMinimum === true ? data <= s.minimum : data < s.minimum)) {
      error(
        errors,
        'minimum',
        at,
        s,
        data,
        { limit: s.minimum },
        `must be ${s.exclusiveMinimum === true ? '>' : '>='} ${s.minimum}`,
      );
    }
    if (typeof s.maximum === 'number' && (s.exclusiveMaximum === true ? data >= s.maximum : data > s.maximum)) {
      error(
        errors,
        'maximum',
        at,
        s,
        data,
        { limit: s.maximum },
        `must be ${s.exclusiveMaximum === true ? '<' : '<='} ${s.maximum}`,
      );
    }
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0 && !Number.isInteger(data / s.multipleOf))
      error(errors, 'multipleOf', at, s, data, { multipleOf: s.multipleOf }, `must be a multiple of ${s.multipleOf}`);
  }
  if (Array.isArray(data)) {
    if (typeof s.maxItems === 'number' && data.length > s.maxItems)
      error(errors, 'maxItems', at, s, data, { limit: s.maxItems }, `must have at most ${s.maxItems} items`);
    if (typeof s.minItems === 'number' && data.length < s.minItems)
      error(errors, 'minItems', at, s, data, { limit: s.minItems }, `must have at least ${s.minItems} items`);
    if (s.uniqueItems === true && new Set(data.map((v) => JSON.stringify(v))).size !== data.length)
      error(errors, 'uniqueItems', at, s, data, {}, 'must not have duplicate items');
    if (isRecord(s.items)) {
      data.forEach((item, i) => {
        walk(s.items, item, `${at}/${i}`, false, options, errors);
      });
    }
  }
  if (isRecord(data)) {
    const properties = isRecord(s.properties) ? s.properties : undefined;
    if (Array.isArray(s.required)) {
      for (const r of s.required)
        if (typeof r === 'string' && (data[r] === undefined || data[r] === null))
          error(errors, 'required', at, s, data, { missingProperty: r }, `must have required property '${r}'`);
    }
    const count = Object.keys(data).length;
    if (typeof s.maxProperties === 'number' && count > s.maxProperties)
      error(
        errors,
        'maxProperties',
        at,
        s,
        data,
        { limit: s.maxProperties },
        `must have at most ${s.maxProperties} fields`,
      );
    if (typeof s.minProperties === 'number' && count < s.minProperties)
      error(
        errors,
        'minProperties',
        at,
        s,
        data,
        { limit: s.minProperties },
        `must have at least ${s.minProperties} fields`,
      );
    const preserve = options.preserveUnknown || s['x-kubernetes-preserve-unknown-fields'] === true;
    const embedded = root || s['x-kubernetes-embedded-resource'] === true;
    for (const [key, value] of Object.entries(data)) {
      const path = `${at}/${escape(key)}`;
      if (root && key === 'metadata') continue; // ObjectMeta: validated against the bundled schema
      if (properties && Object.hasOwn(properties, key)) walk(properties[key], value, path, false, options, errors);
      else if (embedded && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
      else if (isRecord(s.additionalProperties)) walk(s.additionalProperties, value, path, false, options, errors);
      else if (properties && s.additionalProperties !== true && !preserve) {
        error(
          errors,
          'additionalProperties',
          at,
          { ...s, properties },
          data,
          { additionalProperty: key },
          'must NOT have additional properties',
        );
      }
    }
  }
  // Combinators constrain values that the properties above already typed: check them whole.
  for (const keyword of ['allOf', 'anyOf', 'oneOf'] as const) {
    const list = s[keyword];
    if (!Array.isArray(list) || list.length === 0) continue;
    const passes = list.map((sub) => {
      const sink: ErrorObject[] = [];
      walk(sub, data, at, false, { preserveUnknown: true }, sink);
      return sink;
    });
    if (keyword === 'allOf') for (const sink of passes) errors.push(...sink);
    else {
      const ok = passes.filter((sink) => sink.length === 0).length;
      if (keyword === 'anyOf' ? ok === 0 : ok !== 1) {
        error(
          errors,
          keyword,
          at,
          s,
          data,
          {},
          keyword === 'oneOf' && ok > 1
            ? 'must match exactly one of the allowed forms'
            : 'must match one of the allowed forms',
        );
      }
    }
  }
  if (isRecord(s.not)) {
    const sink: ErrorObject[] = [];
    walk(s.not, data, at, false, { preserveUnknown: true }, sink);
    if (sink.length === 0) error(errors, 'not', at, s, data, {}, 'must not match the excluded form');
  }
}
