/**
 * Build step (`npm run build`): ajv's standalone validation code of every bundled Kubernetes schema, so
 * that no run compiles a schema (compiling a Deployment's closure costs more than half a second; loading
 * its generated code a few tens of milliseconds).
 *
 * Each definition's validate function becomes one small CommonJS module in `dist/validators/`, named by
 * the hash of its code; the modules of the definitions it references are loaded through `rt.load(hash)`,
 * so a run loads the closure of the kinds it meets and nothing else, and a definition that is the same in
 * several minors (its closure included) is stored once. `dist/validators/index.json` maps each minor's
 * validated definitions (the kinds and `V1ObjectMeta`) to their module. The code is ajv's own, generated
 * with the options of the in-process compiler of src/schema/validate.ts (which stays the fallback), so
 * its errors are the same; formats and the RE2 pattern engine come in through `rt` from the modules of
 * src/schema, which are ES modules a CommonJS module cannot require.
 *
 * Skipped when its inputs have not changed since the last run (their hash is kept in the index).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _ } from 'ajv';
import type { Ajv, ValidateFunction } from 'ajv';
import { UsedValueState } from 'ajv/dist/compile/codegen/scope.js';
import type { ValueScopeName } from 'ajv/dist/compile/codegen/scope.js';
import type { SourceCode } from 'ajv/dist/types/index.js';
import { BUNDLED_MINORS, bundledKinds } from '../src/schema/apis.js';
import { VALIDATORS_FORMAT } from '../src/schema/lazy.js';
import { re2RegExp } from '../src/schema/regexp.js';
import { isRecord } from '../src/model/values.js';
import { createMinorAjv } from '../src/schema/validate.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const out = join(root, 'dist', 'validators');

/** Everything the generated code depends on: when none of it changed, the last output stands. */
function inputsHash(): string {
  const hash = createHash('sha256');
  const files = [
    ...readdirSync(join(root, 'schemas', 'kubernetes')).map((f) => join(root, 'schemas', 'kubernetes', f)),
    join(root, 'dist', 'src', 'schema', 'enums.js'),
    join(root, 'dist', 'src', 'schema', 'formats.js'),
    join(root, 'dist', 'src', 'schema', 'regexp.js'),
    join(root, 'dist', 'src', 'schema', 'validate.js'),
    join(here, 'gen-validators.js'),
    join(root, 'node_modules', 'ajv', 'package.json'),
  ].sort();
  for (const file of files) hash.update(file.slice(root.length)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

interface Index {
  format: number;
  inputs: string;
  minors: Record<string, Record<string, string>>;
}

function previousInputs(): string | undefined {
  try {
    const index = JSON.parse(readFileSync(join(out, 'index.json'), 'utf8')) as Partial<Index>;
    return index.format === VALIDATORS_FORMAT ? index.inputs : undefined;
  } catch {
    return undefined;
  }
}

/** The module of one validate function, and (first) those of the functions it calls; returns its hash. */
function emitter(ajv: Ajv, files: Map<string, string>) {
  const done = new Map<SourceCode, string>();
  const active = new Set<SourceCode>();
  const emit = (source: SourceCode | undefined): string => {
    if (!source) throw new Error('ajv gave a validate function without source code');
    const known = done.get(source);
    if (known !== undefined) return known;
    if (active.has(source)) throw new Error(`definitions reference each other in a cycle (${source.validateName.str})`);
    active.add(source);
    // A function that refers to itself (a recursive definition) needs no module for that reference.
    const used = { validate: new Map([[source.validateName, UsedValueState.Started]]) };
    const scope = ajv.scope.scopeCode(source.scopeValues, used, (name: ValueScopeName) => {
      const ref: unknown = name.value?.ref;
      if (name.prefix === 'validate' && typeof ref === 'function') {
        return _`const ${name} = rt.load(${emit((ref as ValidateFunction).source)});`;
      }
      // A recursive definition calls itself through a wrapper.
      if (name.prefix === 'wrapper' && isRecord(ref) && ref.validateName === source.validateName) {
        return _`const ${name} = {validate: ${source.validateName}};`;
      }
      throw new Error(`unexpected reference ${name.str} in the code of ${source.validateName.str}`);
    });
    if (source.evaluated !== undefined) throw new Error('unevaluated keywords are not supported');
    const body = `${scope.toString()}\n${source.validateCode}\nreturn ${source.validateName.str};`;
    // Names of the shared scope carry ajv-wide counters: number them per module, so that equal code is equal text.
    const names = new Map<string, string>();
    const counters = new Map<string, number>();
    const canonical = body.replace(/\b(schema|func|formats|pattern|validate)(\d+)\b/g, (whole, prefix: string) => {
      let name = names.get(whole);
      if (name === undefined) {
        const n = counters.get(prefix) ?? 0;
        counters.set(prefix, n + 1);
        name = `${prefix}${n}`;
        names.set(whole, name);
      }
      return name;
    });
    const code =
      `"use strict";\n// Generated by scripts/gen-validators.ts from ajv's standalone code: do not edit.\n` +
      `module.exports = function (rt) {\nconst formats = rt.formats;\nconst re2RegExp = rt.re2RegExp;\n${canonical}\n};\n`;
    const hash = createHash('sha256').update(code).digest('hex').slice(0, 20);
    files.set(hash, code);
    active.delete(source);
    done.set(source, hash);
    return hash;
  };
  return emit;
}

function generate(): void {
  const inputs = inputsHash();
  if (previousInputs() === inputs) return;
  const started = Date.now();
  const files = new Map<string, string>();
  const index: Index = { format: VALIDATORS_FORMAT, inputs, minors: {} };
  for (const minor of BUNDLED_MINORS) {
    // In the generated code, `formats` and `re2RegExp` are the module's parameters from `rt` (see lazy.ts).
    const { ajv, schema } = createMinorAjv(minor, {
      source: true,
      formats: _`formats`,
      // ajv's type says `code: string`, but a string would be quoted into the code: a Code is what it emits as is.
      regExp: Object.assign((source: string) => re2RegExp(source), { code: _`re2RegExp` as unknown as string }),
    });
    const emit = emitter(ajv, files);
    const entries: Record<string, string> = {};
    const definitions = [...new Set([...bundledKinds(minor).map((k) => k.definition), 'V1ObjectMeta'])].sort();
    for (const definition of definitions) {
      const fn = ajv.getSchema(`${schema.$id}#/definitions/${definition}`);
      if (!fn) throw new Error(`Kubernetes ${minor}: no definition ${definition}`);
      entries[definition] = emit(fn.source);
    }
    index.minors[minor] = entries;
  }
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const [hash, code] of files) writeFileSync(join(out, `${hash}.cjs`), code);
  writeFileSync(join(out, 'index.json'), `${JSON.stringify(index)}\n`);
  const bytes = [...files.values()].reduce((sum, code) => sum + code.length, 0);
  process.stdout.write(
    `gen-validators: ${String(files.size)} modules, ${(bytes / 1e6).toFixed(1)} MB, ` +
      `${String(BUNDLED_MINORS.length)} minors, ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

generate();
