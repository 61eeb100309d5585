/**
 * Loading ajv, the bundled Kubernetes schemas and the validators generated from them on first use
 * rather than at start-up: a run whose schema problems all come from the cache, or that validates
 * nothing, never loads them. Module loading, synchronous like the engine; not file access.
 */
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { ValidateFunction } from 'ajv';
import { FORMATS } from './formats.js';
import { re2RegExp } from './regexp.js';

const load = createRequire(import.meta.url);

/** The ajv class. */
export function ajvClass(): typeof AjvModule.Ajv {
  return (load('ajv') as typeof AjvModule).Ajv;
}

/** The bundled schema of a Kubernetes minor ("1.34"), as generated into schemas/kubernetes/. */
export function bundledSchema(minor: string): unknown {
  return load(`../../schemas/kubernetes/v${minor}.json`);
}

/**
 * The version of the protocol between scripts/gen-validators.ts and this loader: a generated module is
 * `module.exports = function (rt) { … return validate; }`, and `dist/validators/index.json` maps each
 * minor's definitions to modules. An index of another version is not used.
 */
export const VALIDATORS_FORMAT = 1;

interface ValidatorIndex {
  format: number;
  minors: Record<string, Record<string, string> | undefined>;
}

/** What a generated module receives: the formats, the pattern engine, and the loader of its references. */
interface Runtime {
  formats: typeof FORMATS;
  re2RegExp: typeof re2RegExp;
  load(hash: string): ValidateFunction;
}

let index: ValidatorIndex | null | undefined;
const modules = new Map<string, ValidateFunction>();
const runtime: Runtime = {
  formats: FORMATS,
  re2RegExp,
  load(hash) {
    let fn = modules.get(hash);
    if (fn === undefined) {
      fn = (load(`../../validators/${hash}.cjs`) as (rt: Runtime) => ValidateFunction)(runtime);
      modules.set(hash, fn);
    }
    return fn;
  },
};

/**
 * The validator of a bundled definition generated at build time (scripts/gen-validators.ts), loaded with
 * the definitions it references; undefined when the build did not generate it (a `tsc`-only build).
 */
export function standaloneValidator(minor: string, definition: string): ValidateFunction | undefined {
  if (index === undefined) {
    try {
      const read = load('../../validators/index.json') as ValidatorIndex;
      index = read.format === VALIDATORS_FORMAT ? read : null;
    } catch {
      index = null;
    }
  }
  const hash = index?.minors[minor]?.[definition];
  return hash === undefined ? undefined : runtime.load(hash);
}
