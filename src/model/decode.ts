/**
 * What the API server decodes. kubectl and the API server turn YAML into JSON with sigs.k8s.io/yaml, which
 * parses with go-yaml v2 (YAML 1.1 resolution, `YAMLToJSON` without a target type) and then decodes the JSON
 * into the typed object. The loader parses with YAML 1.2 (the `yaml` package's core schema), so a few plain
 * scalars mean something else to the server:
 *
 * - `y`, `Y`, `yes`, `Yes`, `YES`, `on`, `On`, `ON` are `true`; `n`, `N`, `no`, `No`, `NO`, `off`, `Off`,
 *   `OFF` are `false` (YAML 1.2: strings);
 * - integers are read by Go's `strconv.ParseInt(s, 0, 64)` after every `_` is removed: `0755` is octal 493
 *   (1.2: 755), `0o755`/`0O755` 493, `0x1F`/`0X1F` 31, `0b101`/`0B101` 5, signs before a prefix allowed
 *   (`-0x1F`), `1_000` is 1000 (1.2: the string "1_000"); what ParseInt refuses but matches go-yaml's float
 *   pattern (`08`, `1_0.5`) is a float;
 * - map keys are turned into strings after that resolution (`on:` becomes the key `"true"`, `0755:` the key
 *   `"493"`); a null key (`~:`, `null:`) makes the conversion fail;
 * - merge keys (`<<: *base`) are merged (YAML 1.2 keeps `<<` as an ordinary key).
 *
 * Base-60 numbers (`1:30`) are deliberately not supported by go-yaml v2, and timestamps stay strings when
 * decoded into an untyped value: both are read as YAML 1.2 reads them. See goyaml.v2/resolve.go and yaml.go
 * (`convertToJSONableObject`) in kubernetes-sigs/yaml.
 *
 * `serverView()` rebuilds an object's value from its YAML nodes with these rules and lists every place where
 * the result differs from the YAML 1.2 value the rest of kubewire reads.
 */
import { isAlias, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Document } from 'yaml';
import type { DecodeQuirk, KObject, Path, PodTemplate } from '../types.js';

export type { DecodeQuirk };
import { get, isRecord } from './values.js';
import { MAX_EXPANDED_NODES } from '../load/data.js';

export interface ServerView {
  /** The object as the API server decodes it; keys stay as YAML 1.2 reads them, so paths still locate. */
  readonly value: Record<string, unknown>;
  readonly quirks: readonly DecodeQuirk[];
}

const BOOLS = new Map<string, boolean>();
for (const s of ['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON']) BOOLS.set(s, true);
for (const s of ['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF']) BOOLS.set(s, false);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS: Readonly<Record<string, number>> = {
  '.nan': NaN,
  '.NaN': NaN,
  '.NAN': NaN,
  '.inf': Infinity,
  '.Inf': Infinity,
  '.INF': Infinity,
  '+.inf': Infinity,
  '+.Inf': Infinity,
  '+.INF': Infinity,
  '-.inf': -Infinity,
  '-.Inf': -Infinity,
  '-.INF': -Infinity,
};
/** go-yaml v2's `yamlStyleFloat`. */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint` without range checks: base from the prefix. */
function goParseInt(s: string): number | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const digits = m[2] ?? '';
  let value: number;
  if (/^0[xXoObB]/.test(digits)) {
    const base = /^0[xX]/.test(digits) ? 16 : /^0[oO]/.test(digits) ? 8 : 2;
    value = parseInt(digits.slice(2), base);
  } else if (digits.length > 1 && digits.startsWith('0')) value = parseInt(digits.slice(1), 8);
  else value = parseInt(digits, 10);
  return m[1] === '-' ? -value : value;
}

/**
 * go-yaml v2's `resolve()` of an untagged plain scalar, as decoded into an untyped value: a boolean, null,
 * a number, or the string itself.
 */
export function resolvePlain(text: string): unknown {
  if (NULLS.has(text)) return null;
  const bool = BOOLS.get(text);
  if (bool !== undefined) return bool;
  const special = SPECIAL_FLOATS[text];
  if (special !== undefined) return special;
  const first = text.charAt(0);
  if (first === '.') return /^\.[0-9]+([eE][-+]?[0-9]+)?$/.test(text) ? Number(text) : text;
  if (!/[0-9+-]/.test(first)) return text;
  // Timestamps (`2024-05-01`) stay strings in an untyped value, and fail every number parse below anyway.
  const plain = text.replace(/_/g, '');
  const int = goParseInt(plain);
  if (int !== undefined) return int;
  if (YAML_STYLE_FLOAT.test(plain)) return Number(plain);
  return text;
}

/** A key as `convertToJSONableObject` writes it; null when it refuses the key (null keys). */
export function goKeyString(resolved: unknown): string | null {
  if (typeof resolved === 'string') return resolved;
  if (typeof resolved === 'boolean') return resolved ? 'true' : 'false';
  if (typeof resolved === 'number') {
    if (Number.isNaN(resolved)) return '.nan';
    if (resolved === Infinity) return '.inf';
    if (resolved === -Infinity) return '-.inf';
    // strconv.FormatFloat(f, 'g', -1, 32) for floats; integers print as integers.
    return Number.isInteger(resolved) ? String(resolved) : String(Math.fround(resolved));
  }
  return null;
}

export function sameValue(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  return a === b;
}

class Decoder {
  readonly quirks: DecodeQuirk[] = [];
  private aliases = 0;

  constructor(private readonly document: Document.Parsed) {}

  /** `record` is false inside aliases: a quirk is reported once, where the anchored node is written. */
  value(node: unknown, path: Path, record: boolean): unknown {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      // A guard only: the loader refused documents whose aliases expand them beyond this size (and
      // cyclic ones), so it never cuts short a document that was read.
      if (++this.aliases > MAX_EXPANDED_NODES) return null;
      const target = node.resolve(this.document);
      return this.value(target, path, false);
    }
    if (isScalar(node)) {
      // `!!binary` is decoded to text, as the YAML-to-JSON conversion of kubectl does.
      if (node.value instanceof Uint8Array) return new TextDecoder().decode(node.value);
      if (node.type !== 'PLAIN' || node.tag !== undefined) return node.value;
      const written = node.source ?? String(node.value);
      const server = resolvePlain(written);
      if (record && !sameValue(server, node.value))
        this.quirks.push({ path, key: false, written, yaml12: node.value, server });
      return server;
    }
    if (isSeq(node)) return node.items.map((item, i) => this.value(item, [...path, i], record));
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const merges: unknown[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key;
        const plainKey = isScalar(keyNode) && keyNode.type === 'PLAIN' && keyNode.tag === undefined;
        const keySource = isScalar(keyNode) ? (keyNode.source ?? String(keyNode.value)) : '';
        if (plainKey && keySource === '<<') {
          merges.push(pair.value);
          continue;
        }
        const key = isScalar(keyNode) ? String(keyNode.value) : JSON.stringify(keyNode);
        if (plainKey && record) {
          const serverKey = goKeyString(resolvePlain(keySource));
          if (serverKey !== key)
            this.quirks.push({ path: [...path, key], key: true, written: keySource, yaml12: key, server: serverKey });
        }
        out[key] = this.value(pair.value, [...path, key], record);
      }
      // Explicit keys win over merged ones; of several merged mappings, the first wins (go-yaml v2).
      for (const merge of merges) {
        const values = isSeq(merge) ? merge.items : [merge];
        for (const item of values) {
          const merged = this.value(item, path, false);
          if (!isRecord(merged)) continue;
          for (const [k, v] of Object.entries(merged)) if (!Object.hasOwn(out, k)) out[k] = v;
        }
      }
      return out;
    }
    return null;
  }
}

/**
 * A value that the object's own document decides alone (its text and the object's place in it, read
 * through this build's code), computed once per document and kept with it: across the lints of the
 * language server, which parses a file once per text, and in the cache of repeated runs. `compute` must
 * read nothing but the object's values; its result must be plain data.
 */
export function perDocument<T>(object: KObject, key: string, compute: () => T): T {
  const full = `${key}|${object.basePath.join('/')}`;
  const stored = object.document.derived.get(full);
  if (stored !== undefined) return stored as T;
  const value = compute();
  object.document.derived.set(full, value);
  return value;
}

const views = new WeakMap<KObject, ServerView>();

/** The object as the API server decodes it, and where that differs from YAML 1.2 (cached per object). */
export function serverView(object: KObject): ServerView {
  const cached = views.get(object);
  if (cached) return cached;
  // Kept with the document (and in the cache of repeated runs): it depends on the document only.
  const view = perDocument(object, 'decode', () => decodeObject(object));
  views.set(object, view);
  return view;
}

/** Decode an object's node as the API server does: from the document's whole server view when it has one. */
function decodeObject(object: KObject): ServerView {
  const whole = object.document.serverView?.();
  if (whole !== undefined) return partOf(whole, object);
  const document = object.document.yaml();
  let node: unknown = document.contents;
  for (const segment of object.basePath) {
    if (isMap(node)) node = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment))?.value;
    else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
    else node = undefined;
  }
  const decoder = new Decoder(document);
  const value = node === undefined ? undefined : decoder.value(node, [], true);
  return { value: isRecord(value) ? value : object.written, quirks: decoder.quirks };
}

/** An object's part of the server view of its whole document (what the decoder gives for the object's node). */
function partOf(
  whole: { readonly value: unknown; readonly quirks: readonly DecodeQuirk[] },
  object: KObject,
): ServerView {
  const base = object.basePath;
  const value = get(whole.value, ...base);
  const quirks = whole.quirks
    .filter((q) => q.path.length > base.length && base.every((segment, i) => String(q.path[i]) === String(segment)))
    .map((q) => ({ ...q, path: q.path.slice(base.length) }));
  return { value: isRecord(value) ? value : object.written, quirks };
}

/** The server's value of a field of an object (`get` over the server view). */
export function serverValue(object: KObject, path: Path): unknown {
  return get(serverView(object).value, ...path);
}

/** The server's value of an object's PodSpec, with its path; undefined for objects without a pod template. */
export function serverPodSpec(
  object: KObject,
): { template: PodTemplate; spec: Record<string, unknown>; specPath: Path } | undefined {
  const template = object.podTemplate;
  if (template === undefined) return undefined;
  const spec = serverValue(object, template.specPath);
  return isRecord(spec) ? { template, spec, specPath: template.specPath } : undefined;
}
