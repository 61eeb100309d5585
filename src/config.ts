/** The configuration file: its schema, validation with clear messages, and rule settings. */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { documentData } from './load/data.js';
import configSchema from '../schemas/kubewire-config.schema.json' with { type: 'json' };
import type { RuleSetting } from './engine.js';
import { createSource, rangeToPositions } from './load/source.js';
import { locate } from './model/locate.js';
import { ajvClass } from './schema/lazy.js';
import { EMPTY_CLUSTER, parseObjectShorthand } from './model/cluster.js';
import type { ClusterDeclaration, DeclaredObject } from './model/cluster.js';
import { asArray, asString, closestMatch, isRecord } from './model/values.js';
import { code, suggestion } from './model/phrase.js';
import { parsePresetId, presetPodSecurity } from './presets.js';
import type { PresetName } from './presets.js';

export const CONFIG_FILE_NAMES = ['.kubewire.yaml', '.kubewire.yml'] as const;

export interface KubewireConfig {
  /** The preset of `extends:` (src/presets.ts); `recommended` when none is named. */
  preset: PresetName;
  /** The rule settings written in the configuration (the preset's are added by `effectiveRuleSettings`). */
  rules: Record<string, RuleSetting>;
  kubernetesVersion: string | undefined;
  /** The namespace of objects that set none (`kubectl apply -n`); undefined: inferred or `default`. */
  namespace: string | undefined;
  ignore: string[];
  /**
   * The application roots (`roots:`): folders or globs of folders relative to the configuration file, each
   * one application; normalized ('.' for the configuration's own folder, no `./` or trailing `/`). Empty:
   * the whole folder is one application.
   */
  roots: string[];
  /** CRD files or folders (relative to the configuration file) that give custom resources a schema. */
  crds: string[];
  cluster: ClusterDeclaration;
  /** Rule settings for some files (`overrides:`), in file order: later entries win. */
  overrides: ConfigOverride[];
}

export interface ConfigOverride {
  /** Globs relative to the configuration file's folder. */
  files: string[];
  rules: Record<string, RuleSetting>;
}

export interface ConfigError {
  line: number;
  column: number;
  message: string;
}

export type ConfigResult = { ok: true; config: KubewireConfig } | { ok: false; errors: ConfigError[] };

export const EMPTY_CONFIG: KubewireConfig = {
  preset: 'recommended',
  rules: {},
  kubernetesVersion: undefined,
  namespace: undefined,
  ignore: [],
  roots: [],
  crds: [],
  cluster: EMPTY_CLUSTER,
  overrides: [],
};

let compiled: ValidateFunction | undefined;

/** The validator of the configuration schema, compiled when a configuration is first read (not at start-up). */
function configValidator(): ValidateFunction {
  const Ajv = ajvClass();
  compiled ??= new Ajv({ allErrors: true, strict: true, verbose: true }).compile(configSchema);
  return compiled;
}

/** Parse and validate a configuration file's text. Errors carry 1-based positions in that file. */
export function parseConfig(path: string, text: string, knownRules: readonly string[]): ConfigResult {
  const source = createSource(path, text);
  const errors: ConfigError[] = [];
  const at = (docPath: readonly (string | number)[], message: string, key = false) => {
    const doc = source.documents[0];
    const pos = doc ? rangeToPositions(source, locate(doc, docPath, { key }).range) : { line: 1, column: 1 };
    errors.push({ line: pos.line, column: pos.column, message });
  };
  for (const p of source.problems) {
    const pos = rangeToPositions(source, p.range);
    errors.push({ line: pos.line, column: pos.column, message: `YAML: ${p.message}` });
  }
  if (source.skipped) errors.push({ line: 1, column: 1, message: source.skipped.message });
  if (errors.length > 0) return { ok: false, errors };
  if (source.documents.length > 1) at([], 'the configuration must be a single YAML document');
  const doc = source.documents[0];
  const data = doc === undefined ? { ok: true as const, value: {} } : documentData(doc, 100_000);
  if (!data.ok) {
    const pos = rangeToPositions(source, data.range);
    errors.push({ line: pos.line, column: pos.column, message: `YAML: ${data.message}` });
    return { ok: false, errors };
  }
  const value = data.value ?? {};
  const validateSchema = configValidator();
  if (!validateSchema(value)) {
    const all = validateSchema.errors ?? [];
    // An item that fits no branch of an anyOf gets one message, not one per branch.
    const anyOf = all.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath);
    const kept = all.filter(
      (e) => e.keyword === 'anyOf' || !anyOf.some((p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`)),
    );
    for (const e of kept) at(errorPath(e), describeError(e), e.keyword === 'additionalProperties');
  }
  const config: KubewireConfig = { ...EMPTY_CONFIG, rules: {}, ignore: [], roots: [], crds: [], overrides: [] };
  if (errors.length === 0 && isRecord(value) && isRecord(value.cluster)) config.cluster = readCluster(value.cluster);
  if (errors.length === 0 && isRecord(value) && typeof value.extends === 'string') {
    config.preset = parsePresetId(value.extends) ?? 'recommended';
    // A preset's Pod Security level is written for the reader only when it is not the default.
    if (config.preset !== 'recommended' && value.podSecurity === undefined)
      config.cluster = {
        ...config.cluster,
        podSecurity: presetPodSecurity(config.preset),
        podSecurityFrom: `extends: ${value.extends}`,
      };
  }
  if (errors.length === 0 && isRecord(value) && typeof value.podSecurity === 'string')
    config.cluster = { ...config.cluster, podSecurity: value.podSecurity as 'privileged' | 'baseline' | 'restricted' };
  if (errors.length === 0 && isRecord(value)) {
    const rules = (value.rules ?? {}) as Record<string, RuleSetting>;
    const checkRuleIds = (where: (string | number)[], ids: readonly string[]) => {
      for (const id of ids) {
        if (knownRules.includes(id)) continue;
        const guess = closestMatch(id, knownRules);
        at([...where, id], `unknown rule ${code(id)}${suggestion(guess)} (\`kubewire rules\` lists them)`, true);
      }
    };
    checkRuleIds(['rules'], Object.keys(rules));
    Object.assign(config.rules, rules);
    config.overrides = ((value.overrides as ConfigOverride[] | undefined) ?? []).map((o, i) => {
      checkRuleIds(['overrides', i, 'rules'], Object.keys(o.rules));
      return { files: [...o.files], rules: { ...o.rules } };
    });
    config.kubernetesVersion = value.kubernetesVersion as string | undefined;
    config.namespace = value.namespace as string | undefined;
    config.ignore = (value.ignore as string[] | undefined) ?? [];
    config.crds = (value.crds as string[] | undefined) ?? [];
    config.roots = checkRoots((value.roots as string[] | undefined) ?? [], at);
  }
  errors.sort((a, b) => a.line - b.line || a.column - b.column);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

/** Whether a root is a glob (`apps/*`) rather than one folder. */
export function isRootGlob(root: string): boolean {
  return /[*?[\]{}()!]/.test(root);
}

/** A root as written, normalized: '/'-separated, without `./` or a trailing `/`; '.' for the folder itself. */
export function normalizeRoot(root: string): string {
  const parts = root
    .replace(/\\/g, '/')
    .split('/')
    .filter((p) => p !== '' && p !== '.');
  return parts.length === 0 ? '.' : parts.join('/');
}

/** Whether folder `inner` is `outer` or inside it (both normalized). */
export function rootContains(outer: string, inner: string): boolean {
  return outer === '.' || inner === outer || inner.startsWith(`${outer}/`);
}

/**
 * The `roots:` entries, normalized. Each must stay inside the configuration's folder, and no folder may be
 * inside another: a file belongs to one application. (Roots that overlap only once globs are expanded are
 * reported when they are.)
 */
function checkRoots(roots: readonly string[], at: (path: (string | number)[], message: string) => void): string[] {
  const out: string[] = [];
  roots.forEach((raw, i) => {
    const root = normalizeRoot(raw);
    if (raw.startsWith('/') || /^[A-Za-z]:[\\/]/.test(raw))
      at(
        ['roots', i],
        `root ${code(raw)} must be a folder relative to the configuration file's folder, not an absolute path`,
      );
    else if (root.split('/').includes('..'))
      at(['roots', i], `root ${code(raw)} must be inside the configuration file's folder (no \`..\`)`);
    else {
      const j = out.findIndex(
        (other) => !isRootGlob(other) && !isRootGlob(root) && (rootContains(other, root) || rootContains(root, other)),
      );
      const other = j === -1 ? undefined : out[j];
      if (other !== undefined)
        at(
          ['roots', i],
          other === root
            ? `root ${code(raw)} is listed twice`
            : `roots ${code(other)} and ${code(root)} overlap: each file must belong to one application root ` +
                '(list the inner folders instead of the outer one, or only the outer one)',
        );
    }
    out.push(root);
  });
  return out;
}

/** The `cluster:` section, already validated against the schema. */
function readCluster(raw: Record<string, unknown>): ClusterDeclaration {
  const classes = (list: unknown) =>
    asArray(list).map((c) =>
      typeof c === 'string'
        ? { name: c, default: false }
        : { name: asString(isRecord(c) ? c.name : undefined) ?? '', default: isRecord(c) && c.default === true },
    );
  const objects: DeclaredObject[] = [];
  for (const o of asArray(raw.objects)) {
    const parsed =
      typeof o === 'string'
        ? parseObjectShorthand(o)
        : isRecord(o)
          ? { kind: asString(o.kind) ?? '', namespace: asString(o.namespace) ?? null, name: asString(o.name) ?? '' }
          : undefined;
    if (parsed) objects.push(parsed);
  }
  const namespaceLabels: Record<string, Record<string, string>> = {};
  for (const n of asArray(raw.namespaces))
    if (isRecord(n) && typeof n.name === 'string' && isRecord(n.labels))
      namespaceLabels[n.name] = n.labels as Record<string, string>;
  return {
    namespaces: asArray(raw.namespaces).flatMap((n) =>
      typeof n === 'string' ? [n] : isRecord(n) && typeof n.name === 'string' ? [n.name] : [],
    ),
    ...(Object.keys(namespaceLabels).length > 0 ? { namespaceLabels } : {}),
    ...(raw.allowedUnsafeSysctls !== undefined
      ? { allowedUnsafeSysctls: asArray(raw.allowedUnsafeSysctls).filter((s) => typeof s === 'string') }
      : {}),
    storageClasses: classes(raw.storageClasses),
    ingressClasses: classes(raw.ingressClasses),
    objects,
    ...(raw.nodes !== undefined ? { nodes: asArray(raw.nodes).filter(isRecord) } : {}),
    ...(raw.priorityClasses !== undefined ? { priorityClasses: asArray(raw.priorityClasses).filter(isRecord) } : {}),
  };
}

function errorPath(e: ErrorObject): (string | number)[] {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (e.keyword === 'additionalProperties') parts.push((e.params as { additionalProperty: string }).additionalProperty);
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function describeError(e: ErrorObject): string {
  const where = e.instancePath === '' ? 'the configuration' : code(e.instancePath.slice(1).replace(/\//g, '.'));
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      const allowed = Object.keys(
        (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {},
      );
      const guess = closestMatch(key, allowed);
      return `unknown setting ${code(key)}${suggestion(guess)} (allowed: ${allowed.join(', ')})`;
    }
    case 'enum':
      return `${where} must be one of ${(e.params as { allowedValues: string[] }).allowedValues.join(', ')}`;
    case 'type':
      return `${where} must be ${article((e.params as { type: string }).type)}`;
    case 'pattern':
      return e.instancePath === '/namespace'
        ? `${where} must be a namespace name: lower-case letters, digits and inner hyphens`
        : `${where} must look like 1.34 (also v1.34 or 1.34.2)`;
    case 'maxLength':
      return `${where} must be at most ${String((e.params as { limit: number }).limit)} characters long`;
    case 'anyOf':
      if (e.instancePath.includes('/nodes/')) {
        if (e.instancePath.includes('/taints/'))
          return (
            `${where} must be key=value:Effect or {key, value, effect} ` +
            '(effect NoSchedule, PreferNoSchedule or NoExecute)'
          );
        if (e.instancePath.endsWith('/zone')) return `${where} must be a zone name or a list of them`;
        return `${where} must be a quantity such as 3920m, 16Gi or 2`;
      }
      if (e.instancePath.includes('/namespaces/')) return `${where} must be a name or {name, labels}`;
      return e.instancePath.includes('/objects/')
        ? `${where} must be Kind/namespace/name, Kind/name (cluster-scoped) or {kind, namespace, name}`
        : `${where} must be a name or {name, default}`;
    default:
      return `${where} ${e.message ?? 'is invalid'}`;
  }
}

function article(type: string): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'an integer',
    number: 'a number',
    boolean: 'true or false',
  };
  return names[type] ?? type;
}
