/**
 * Kubernetes versions and APIs: which minors are bundled, which apiVersion/kind each serves, and
 * which APIs are removed or deprecated (schemas/kubernetes/api-lifecycle.json, the one hand-kept table
 * that the schema generator reads too).
 */
import indexJson from '../../schemas/kubernetes/index.json' with { type: 'json' };
import lifecycleJson from '../../schemas/kubernetes/api-lifecycle.json' with { type: 'json' };

export interface BundledKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** Name of the definition in the version's schema file. */
  readonly definition: string;
  readonly namespaced: boolean;
}

export interface ApiLifecycle {
  readonly apiVersion: string;
  readonly kind: string;
  /** The minor ("1.21") that deprecated it. */
  readonly deprecatedIn: string;
  /** The minor that stopped serving it, or null when only deprecated. */
  readonly removedIn: string | null;
  readonly replacement: { readonly apiVersion: string; readonly kind: string } | null;
  /** Whether its objects can be validated against the replacement's schema (required fields aside). */
  readonly schemaCompatible: boolean;
  readonly note?: string;
}

interface IndexFile {
  formats: string[];
  versions: Record<string, { file: string; kinds: BundledKind[] }>;
}

const index = indexJson as unknown as IndexFile;
export const API_LIFECYCLE: readonly ApiLifecycle[] = (lifecycleJson as unknown as { apis: ApiLifecycle[] }).apis;

export interface Minor {
  readonly major: number;
  readonly minor: number;
}

const compare = (a: Minor, b: Minor) => a.major - b.major || a.minor - b.minor;
export const formatMinor = (m: Minor): string => `${m.major}.${m.minor}`;

/** "1.34", "v1.34", "1.34.2" → {1, 34}; anything else → undefined. */
export function parseKubernetesVersion(text: string): Minor | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** Bundled minors, oldest first. */
export const BUNDLED_MINORS: readonly string[] = Object.keys(index.versions)
  .map((v) => parseKubernetesVersion(v) as Minor)
  .sort(compare)
  .map(formatMinor);

export const NEWEST_BUNDLED = BUNDLED_MINORS[BUNDLED_MINORS.length - 1] as string;

/** The bundled schema for a target minor: the nearest at or below it, or the oldest. */
export function bundledFor(target: string): string {
  const t = parseKubernetesVersion(target);
  if (t === undefined) return NEWEST_BUNDLED;
  let best = BUNDLED_MINORS[0] as string;
  for (const m of BUNDLED_MINORS) if (compare(parseKubernetesVersion(m) as Minor, t) <= 0) best = m;
  return best;
}

/** At or after: whether minor `a` ≥ `b`. */
export function atLeast(a: string, b: string): boolean {
  const x = parseKubernetesVersion(a);
  const y = parseKubernetesVersion(b);
  return x !== undefined && y !== undefined && compare(x, y) >= 0;
}

const kindsByMinor = new Map<string, Map<string, BundledKind>>();
const key = (group: string, version: string, kind: string) => `${group}/${version}/${kind}`;

function kindMap(minor: string): Map<string, BundledKind> {
  let map = kindsByMinor.get(minor);
  if (!map) {
    map = new Map((index.versions[minor]?.kinds ?? []).map((k) => [key(k.group, k.version, k.kind), k]));
    kindsByMinor.set(minor, map);
  }
  return map;
}

export function bundledKinds(minor: string): readonly BundledKind[] {
  return index.versions[minor]?.kinds ?? [];
}

/** The kind as served by a bundled minor, if it is. */
export function findKind(minor: string, group: string, version: string, kind: string): BundledKind | undefined {
  return kindMap(minor).get(key(group, version, kind));
}

/** Bundled minors that serve group/version/kind. */
export function minorsServing(group: string, version: string, kind: string): string[] {
  return BUNDLED_MINORS.filter((m) => kindMap(m).has(key(group, version, kind)));
}

let builtinGroups: Set<string> | undefined;

/** API groups of Kubernetes itself (served by some bundled minor, or listed as removed). */
export function isBuiltinGroup(group: string): boolean {
  if (!builtinGroups) {
    builtinGroups = new Set(['', 'extensions']);
    for (const m of BUNDLED_MINORS) for (const k of bundledKinds(m)) builtinGroups.add(k.group);
    for (const a of API_LIFECYCLE) builtinGroups.add(splitApiVersion(a.apiVersion).group);
  }
  return builtinGroups.has(group);
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

export const apiVersionOf = (group: string, version: string): string =>
  group === '' ? version : `${group}/${version}`;

/** The lifecycle entry of apiVersion/kind, if the table has one. */
export function lifecycleOf(apiVersion: string, kind: string): ApiLifecycle | undefined {
  return API_LIFECYCLE.find((a) => a.apiVersion === apiVersion && a.kind === kind);
}

export type ApiStatus =
  { status: 'removed'; entry: ApiLifecycle } | { status: 'deprecated'; entry: ApiLifecycle } | { status: 'served' };

/** Whether apiVersion/kind is removed or deprecated in the target minor (exact for every minor). */
export function apiStatus(apiVersion: string, kind: string, target: string): ApiStatus {
  const entry = lifecycleOf(apiVersion, kind);
  if (entry === undefined) return { status: 'served' };
  if (entry.removedIn !== null && atLeast(target, entry.removedIn)) return { status: 'removed', entry };
  if (atLeast(target, entry.deprecatedIn)) return { status: 'deprecated', entry };
  return { status: 'served' };
}
