// Generates schemas/kubernetes/ from the typed models of @kubernetes/client-node releases.
//
//   cd scripts/schema-gen && npm ci && node generate.js
//
// Reads only the packages installed here (package.json aliases `k8s-<minor>`); no network.
// Writes, with sorted keys and no whitespace:
//   schemas/kubernetes/v<minor>.json  one draft-07 JSON Schema per Kubernetes minor: a `definitions` map
//   schemas/kubernetes/index.json     the top-level kinds of each minor, and the formats used
//   schemas/kubernetes/manifest.json  the source package of each minor, sha256 of every generated file
//                                     and of the generator's own source (checked by test/schemas.test.ts)
// See README.md beside this file for what is taken from the packages and what from tables.js.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import process from 'node:process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { API_LIFECYCLE_FILE, FALLBACK_NUMBER, NOT_CREATABLE_KINDS, QUANTITY_FIELDS, REMOVED_APIS } from './tables.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const OUT = path.join(ROOT, 'schemas', 'kubernetes');
const require = createRequire(import.meta.url);

const INT_OR_STRING = 'IntOrString';
const QUANTITY = 'Quantity';
const SYNTHETIC = {
  // int-or-string: an integer, or a string (a named port, a percentage such as "25%").
  [INT_OR_STRING]: { anyOf: [{ type: 'integer', format: 'int32' }, { type: 'string', format: 'int-or-string' }] },
  // Quantity: a string with quantity syntax ("500m", "1Gi"), or a plain number.
  [QUANTITY]: { anyOf: [{ type: 'string', format: 'quantity' }, { type: 'number' }] },
};

// ---------------------------------------------------------------------------------------------
// Small helpers

/** JSON with object keys sorted at every level, no whitespace: deterministic output. */
export function stableStringify(value) {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text) => createHash('sha256').update(text.replace(/\r\n/g, '\n')).digest('hex');

/** "release-1.28", "v1.34.0" → "1.28" */
function minorOf(text) {
  const m = /(\d+)\.(\d+)/.exec(text);
  return m ? `${m[1]}.${m[2]}` : undefined;
}

const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

const compareMinor = (a, b) => {
  const [a1, a2] = a.split('.').map(Number);
  const [b1, b2] = b.split('.').map(Number);
  return a1 - b1 || a2 - b2;
};

/** V1Deployment → Deployment, AuthenticationV1TokenRequest → TokenRequest, V1beta2DeviceCapacity → DeviceCapacity */
function unversioned(model) {
  const m = /^(?:[A-Z][a-z]+)*V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/.exec(model);
  return m ? model.slice(m[0].length) : model;
}

/** The files the generator's hash covers: every .js beside this file, and package.json. */
export function generatorFiles(dir = HERE) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js') || f === 'package.json')
    .sort();
}

export function generatorHash(dir = HERE) {
  const lines = generatorFiles(dir).map((f) => `${f} ${sha256(readFileSync(path.join(dir, f), 'utf8'))}\n`);
  return sha256(lines.join(''));
}

// ---------------------------------------------------------------------------------------------
// Reading one package

/** The packages to read: the `k8s-<minor>` aliases of package.json. */
function sources() {
  const pkg = JSON.parse(readFileSync(path.join(HERE, 'package.json'), 'utf8'));
  const out = [];
  for (const [alias, spec] of Object.entries(pkg.devDependencies ?? {})) {
    const m = /^k8s-(\d+\.\d+)$/.exec(alias);
    if (!m) continue;
    const dir = path.join(HERE, 'node_modules', alias);
    if (!existsSync(path.join(dir, 'package.json'))) throw new Error(`${alias} is not installed: run \`npm ci\` in ${HERE}`);
    const installed = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const wanted = /@([^@]+)$/.exec(spec)?.[1];
    if (installed.version !== wanted) throw new Error(`${alias}: installed ${installed.version}, package.json wants ${wanted}: run \`npm ci\``);
    out.push({ minor: m[1], alias, dir, name: installed.name, version: installed.version });
  }
  return out.sort((a, b) => compareMinor(a.minor, b.minor));
}

/** Layout of a package: 0.x (CommonJS, dist/gen/model + dist/gen/api) or 1.x/2.x (ESM, dist/gen/models + dist/gen/apis). */
function layout(dir) {
  if (existsSync(path.join(dir, 'dist/gen/models/all.js'))) {
    return { modern: true, models: path.join(dir, 'dist/gen/models'), apis: path.join(dir, 'dist/gen/apis') };
  }
  return { modern: false, models: path.join(dir, 'dist/gen/model'), apis: path.join(dir, 'dist/gen/api') };
}

async function loadModels(dir) {
  const l = layout(dir);
  const mod = l.modern ? await import(pathToFileURL(path.join(l.models, 'all.js')).href) : require(path.join(l.models, 'models.js'));
  const models = new Map();
  for (const [name, cls] of Object.entries(mod)) {
    if (typeof cls === 'function' && Array.isArray(cls.attributeTypeMap)) models.set(name, cls.attributeTypeMap);
  }
  return models;
}

/** Required properties: the non-optional properties of each class in the .d.ts files. */
function loadRequired(dir) {
  const l = layout(dir);
  const required = new Map();
  for (const file of readdirSync(l.models).filter((f) => f.endsWith('.d.ts')).sort()) {
    const text = readFileSync(path.join(l.models, file), 'utf8');
    for (const m of text.matchAll(/export declare class (\w+) \{([\s\S]*?)\n\}/g)) {
      const props = [];
      for (const p of m[2].matchAll(/^ {4}'?([\w$-]+)'?(\??): /gm)) if (p[2] !== '?') props.push(p[1]);
      required.set(m[1], props);
    }
  }
  return required;
}

/** The Kubernetes version the models were generated from (most common header of the model files). */
function openapiVersion(dir) {
  const l = layout(dir);
  const counts = new Map();
  for (const file of readdirSync(l.models).filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(path.join(l.models, file), 'utf8').slice(0, 1000);
    const m = /(?:OpenAPI spec version|The version of the OpenAPI document): (\S+)/.exec(text);
    if (m) counts.set(m[1], (counts.get(m[1]) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]))[0]?.[0];
}

/**
 * The API classes the package exports (its apis directory also holds leftovers of APIs that the
 * newer generation dropped, which are not exported and must not count).
 */
function liveApiFiles(dir) {
  const l = layout(dir);
  if (l.modern) {
    const index = readFileSync(path.join(dir, 'dist/gen/index.js'), 'utf8');
    return [...index.matchAll(/Object(\w+)Api as /g)].map((m) => path.join(l.apis, `${m[1]}Api.js`));
  }
  const apis = readFileSync(path.join(l.apis, 'apis.js'), 'utf8');
  return [...new Set([...apis.matchAll(/require\("\.\/(\w+)Api"\)/g)].map((m) => m[1]))].map((n) => path.join(l.apis, `${n}Api.js`));
}

/**
 * Top-level kinds: the request body of every `create` endpoint on a collection path. A path with
 * `{name}` is a subresource (pods/{name}/eviction, serviceaccounts/{name}/token): not a kind.
 */
function findKinds(dir, log) {
  const kinds = [];
  for (const file of liveApiFiles(dir)) {
    // CustomObjectsApi creates custom resources of any kind: its body is an untyped object.
    if (/^customObjectsApi\.js$/i.test(path.basename(file))) continue;
    const text = readFileSync(file, 'utf8');
    const starts = [...text.matchAll(/^ {4}(?:async )?(\w+)\(/gm)];
    for (let i = 0; i < starts.length; i++) {
      const method = starts[i][1];
      if (!/^create[A-Z]/.test(method) || method.endsWith('WithHttpInfo')) continue;
      const chunk = text.slice(starts[i].index, starts[i + 1]?.index ?? text.length);
      const urlPath = /localVarPath = (?:this\.basePath \+ )?'([^']+)'/.exec(chunk)?.[1];
      const post = /HttpMethod\.POST|method: 'POST'/.test(chunk);
      const body = /serialize\(body, "(\w+)"/.exec(chunk)?.[1];
      if (!urlPath || !post || !body) throw new Error(`${path.basename(file)} ${method}: cannot read path/method/body`);
      if (urlPath.includes('{name}')) continue;
      const m = /^\/api\/(v1)\/(.+)$/.exec(urlPath) ?? /^\/apis\/([^/]+)\/([^/]+)\/(.+)$/.exec(urlPath);
      if (!m) throw new Error(`${method}: unexpected path ${urlPath}`);
      const [group, version, rest] = m.length === 3 ? ['', m[1], m[2]] : [m[1], m[2], m[3]];
      const kind = method.replace(/^create(?:Namespaced)?/, '');
      if (unversioned(body) !== kind) log(`  note: ${method} creates ${body}; kind taken as ${kind}`);
      kinds.push({ group, version, kind, definition: body, namespaced: rest.startsWith('namespaces/{namespace}/') });
    }
  }
  return kinds;
}

// ---------------------------------------------------------------------------------------------
// Building one version's schema

/** Formats of the 1.x/2.x models, to fill in the formats the 0.x models lack. Oldest package first wins. */
function formatIndex(all) {
  const index = new Map();
  for (const { models } of all) {
    for (const [name, attrs] of models) {
      for (const a of attrs) {
        const key = `${name}.${a.name}`;
        if (a.format && !index.has(key)) index.set(key, { type: a.type, format: a.format });
      }
    }
  }
  return index;
}

function buildVersion(src, formats, stats, log) {
  const { models, required, kinds } = src;
  const definitions = {};
  const queue = [];
  const want = (name) => {
    if (SYNTHETIC[name]) {
      definitions[name] ??= SYNTHETIC[name];
      return;
    }
    if (!models.has(name)) throw new Error(`${src.alias}: model ${name} is referenced but not exported`);
    if (!(name in definitions)) {
      definitions[name] = null;
      queue.push(name);
    }
  };
  const ref = (name) => {
    want(name);
    return { $ref: `#/definitions/${name}` };
  };

  const schemaOf = (type, format, quantity, where) => {
    let m;
    if ((m = /^Array<(.+)>$/.exec(type))) return { type: 'array', items: schemaOf(m[1], format, quantity, where) };
    if ((m = /^\{ \[key: string\]: (.+); \}$/.exec(type))) return { type: 'object', additionalProperties: schemaOf(m[1], format, quantity, where) };
    switch (type) {
      case 'string':
        if (quantity) {
          stats.quantity.add(where);
          return ref(QUANTITY);
        }
        return format ? { type: 'string', format } : { type: 'string' };
      case 'boolean':
        return { type: 'boolean' };
      case 'number':
        if (format === 'double' || format === 'float') return { type: 'number', format };
        if (format === 'int32' || format === 'int64') return { type: 'integer', format };
        stats.fallbackNumbers.push(`${src.minor} ${where}`);
        return { ...FALLBACK_NUMBER };
      case 'Date':
        return { type: 'string', format: format || 'date-time' };
      case 'V1MicroTime': // 0.x packages: MicroTime is a type alias, not a model
        return { type: 'string', format: 'date-time-micro' };
      case 'IntOrString':
        return ref(INT_OR_STRING);
      case 'any':
      case 'object':
        return {};
      default:
        if (!/^\w+$/.test(type)) throw new Error(`${src.alias}: unknown type ${type} at ${where}`);
        return ref(type);
    }
  };

  for (const k of kinds) want(k.definition);
  while (queue.length > 0) {
    const name = queue.shift();
    const attrs = models.get(name);
    const base = unversioned(name);
    const quantityProps = QUANTITY_FIELDS[base] ?? [];
    const properties = {};
    for (const a of attrs) {
      const where = `${name}.${a.baseName}`;
      let format = a.format || undefined;
      if (!format) {
        const borrowed = formats.get(`${name}.${a.name}`);
        if (borrowed && borrowed.type === a.type) format = borrowed.format;
      }
      const quantity = quantityProps.includes(a.baseName) && /^(?:string|Array<string>|\{ \[key: string\]: string; \})$/.test(a.type);
      if (quantityProps.includes(a.baseName)) stats.quantityEntries.add(`${base}.${a.baseName}`);
      properties[a.baseName] = schemaOf(a.type, format, quantity, where);
    }
    const byName = new Map(attrs.map((a) => [a.name, a.baseName]));
    const req = (required.get(name) ?? []).map((n) => {
      const baseName = byName.get(n);
      if (!baseName) throw new Error(`${src.alias}: ${name}.d.ts requires ${n}, which the attribute map lacks`);
      return baseName;
    });
    const schema = { type: 'object', properties, additionalProperties: false };
    if (req.length > 0) schema.required = [...new Set(req)].sort();
    definitions[name] = schema;
  }
  if (models.has(INT_OR_STRING) || models.has(QUANTITY)) throw new Error(`${src.alias}: a model name clashes with a synthetic definition`);
  log(`  ${Object.keys(definitions).length} definitions reachable from ${kinds.length} kinds`);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `kubewire:kubernetes/v${src.minor}`,
    definitions,
  };
}

function collectFormats(value, out) {
  if (Array.isArray(value)) for (const v of value) collectFormats(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'format' && typeof v === 'string') out.add(v);
      else collectFormats(v, out);
    }
  }
  return out;
}

/** Heuristic: string properties whose names suggest a Quantity but that the table does not list. */
function quantitySuspects(src) {
  const out = [];
  for (const [name, attrs] of src.models) {
    const listed = QUANTITY_FIELDS[unversioned(name)] ?? [];
    for (const a of attrs) {
      if (listed.includes(a.baseName)) continue;
      if (!/^(?:string|Array<string>|\{ \[key: string\]: string; \})$/.test(a.type)) continue;
      if (/(?:capacity|allocatable|limits|requests|^hard$|^used$|sizeLimit|divisor|overhead|podFixed|^value$|averageValue|quantity|allocatedResources|^default$|^min$|^max$|^step$|tolerance)/i.test(a.baseName)) {
        out.push(`${name}.${a.baseName}: ${a.type}`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const log = (line) => process.stdout.write(`${line}\n`);
  const all = [];
  for (const s of sources()) {
    const openapi = openapiVersion(s.dir);
    if (minorOf(openapi ?? '') !== s.minor) throw new Error(`${s.alias} (${s.name}@${s.version}) was generated from ${openapi}, not Kubernetes ${s.minor}`);
    all.push({ ...s, openapi, models: await loadModels(s.dir), required: loadRequired(s.dir), modern: layout(s.dir).modern });
  }
  const formats = formatIndex(all.filter((s) => s.modern));
  const stats = { quantity: new Set(), quantityEntries: new Set(), fallbackNumbers: [] };

  mkdirSync(OUT, { recursive: true });
  const files = {};
  const index = { generatedBy: 'scripts/schema-gen/generate.js', versions: {} };
  const versions = {};
  const usedFormats = new Set();
  for (const src of all) {
    log(`Kubernetes ${src.minor}: ${src.name}@${src.version} (OpenAPI ${src.openapi}), ${src.models.size} models`);
    let kinds = findKinds(src.dir, log);
    kinds = kinds.filter((k) => {
      const apiVersion = k.group ? `${k.group}/${k.version}` : k.version;
      const removal = REMOVED_APIS.find((r) => r.apiVersion === apiVersion && r.kinds.includes(k.kind) && compareMinor(r.removed, src.minor) <= 0);
      if (removal) log(`  dropped ${apiVersion} ${k.kind}: removed in ${removal.removed}`);
      if (NOT_CREATABLE_KINDS.includes(k.kind)) log(`  dropped ${apiVersion} ${k.kind}: not creatable`);
      return !removal && !NOT_CREATABLE_KINDS.includes(k.kind);
    });
    const seen = new Set();
    for (const k of kinds) {
      const key = `${k.group}/${k.version}/${k.kind}`;
      if (seen.has(key)) throw new Error(`${src.alias}: kind ${key} found twice`);
      seen.add(key);
    }
    kinds.sort((a, b) => cmp(a.group, b.group) || compareApiVersion(a.version, b.version) || cmp(a.kind, b.kind));
    src.kinds = kinds;
    const schema = buildVersion(src, formats, stats, log);
    collectFormats(schema, usedFormats);
    const file = `v${src.minor}.json`;
    const text = `${stableStringify(schema)}\n`;
    writeFileSync(path.join(OUT, file), text);
    files[file] = { bytes: Buffer.byteLength(text), sha256: sha256(text) };
    index.versions[src.minor] = { file, kinds };
    versions[src.minor] = { openapi: src.openapi, package: `${src.name}@${src.version}` };
    log(`  ${kinds.length} kinds, ${file}: ${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`);
    const suspects = quantitySuspects(src);
    if (suspects.length > 0) log(`  review (not in QUANTITY_FIELDS): ${suspects.join(', ')}`);
  }
  index.formats = [...usedFormats].sort();

  // Every table entry must match something.
  const dead = Object.entries(QUANTITY_FIELDS).flatMap(([base, props]) => props.map((p) => `${base}.${p}`)).filter((e) => !stats.quantityEntries.has(e));
  if (dead.length > 0) throw new Error(`QUANTITY_FIELDS entries that match no bundled model: ${dead.join(', ')}`);
  if (stats.fallbackNumbers.length > 0) log(`numbers typed integer by fallback (no format in any package): ${stats.fallbackNumbers.join(', ')}`);

  const indexText = `${stableStringify(index)}\n`;
  writeFileSync(path.join(OUT, 'index.json'), indexText);
  files['index.json'] = { bytes: Buffer.byteLength(indexText), sha256: sha256(indexText) };

  // The hand-kept lifecycle table is an input, not an output: hashed so that the schemas are
  // regenerated when it changes (it decides which kinds each version bundles).
  const lifecycleText = readFileSync(API_LIFECYCLE_FILE, 'utf8');
  files[path.basename(API_LIFECYCLE_FILE)] = { bytes: Buffer.byteLength(lifecycleText), sha256: sha256(lifecycleText) };

  // Remove outputs of versions no longer bundled.
  for (const f of readdirSync(OUT)) {
    if (/^v\d+\.\d+\.json$/.test(f) && !files[f]) rmSync(path.join(OUT, f));
  }
  const manifest = {
    generator: { files: generatorFiles().map((f) => `scripts/schema-gen/${f}`), sha256: generatorHash() },
    files,
    versions,
  };
  writeFileSync(path.join(OUT, 'manifest.json'), `${JSON.stringify(JSON.parse(stableStringify(manifest)), null, 2)}\n`);
  log(`wrote ${Object.keys(files).length} files and manifest.json to ${path.relative(ROOT, OUT)}/`);
}

/** v1 < v2 < v1beta1 ordering is not needed: GA first, then beta, then alpha, each by number. */
function compareApiVersion(a, b) {
  const rank = (v) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return [9, 0, 0];
    return [m[2] === undefined ? 0 : m[2] === 'beta' ? 1 : 2, Number(m[1]), Number(m[3] ?? 0)];
  };
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exitCode = 1;
  });
}
