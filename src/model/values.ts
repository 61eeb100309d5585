/** Defensive readers for manifest values: any field of user input may have any type. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return isRecord(value) ? value : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** Read a nested field; undefined when any step is missing or of the wrong type. */
export function get(value: unknown, ...path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[key];
    } else {
      if (!isRecord(current)) return undefined;
      current = current[key];
    }
  }
  return current;
}

/**
 * A string map such as labels: scalar values are kept as strings (`version: 1` reads as "1", so the
 * wiring reflects the author's intent while the schema check reports the type), others are dropped.
 */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/** A short, human description of a value's type for messages: "the number 5", "a list". */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (null)';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${String(value)}`;
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

/** Structural equality for plain JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => deepEqual(x, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}

/**
 * Edit distance with adjacent transpositions (optimal string alignment: `ngnix` → `nginx` is one
 * edit), bounded: returns max+1 as soon as the distance exceeds max.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let before: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, (before[j - 2] ?? 0) + 1);
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    before = prev;
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * Whether `candidate` differs from `name` the way a typo does, not by a word: an edit that only inserts
 * (or only deletes) a block of three or more characters adds a word or a part of one
 * (`application-controller` → `applicationset-controller`, `web` → `web-v2`), while typos drop, add or
 * swap a character or two (`redis-conf` → `redis-config`, `sockshop` → `sock-shop`).
 */
function plausibleTypo(name: string, candidate: string): boolean {
  const a = name.toLowerCase();
  const b = candidate.toLowerCase();
  let prefix = 0;
  while (prefix < a.length && prefix < b.length && a[prefix] === b[prefix]) prefix++;
  let suffix = 0;
  while (
    suffix < a.length - prefix &&
    suffix < b.length - prefix &&
    a[a.length - 1 - suffix] === b[b.length - 1 - suffix]
  )
    suffix++;
  const restA = a.length - prefix - suffix;
  const restB = b.length - prefix - suffix;
  return !((restA === 0 && restB >= 3) || (restB === 0 && restA >= 3));
}

/**
 * The closest candidate to `name`, if one is close enough to be its likely intent: at most one edit per
 * four characters (three at most), and a typo rather than another word (see plausibleTypo).
 */
export function closestMatch(name: string, candidates: Iterable<string>): string | undefined {
  const max = Math.max(1, Math.min(3, Math.floor(name.length / 4)));
  let best: string | undefined;
  let bestDistance = max + 1;
  const lower = name.toLowerCase();
  const digitless = name.replace(/\d+/g, '#');
  for (const candidate of candidates) {
    // Numbered siblings (`lun-07` and `lun-08`, `node-1` and `node-2`) are distinct objects, not typos.
    if (candidate === name || (/\d/.test(name) && candidate.replace(/\d+/g, '#') === digitless)) continue;
    const d = candidate.toLowerCase() === lower ? 0 : editDistance(lower, candidate.toLowerCase(), max);
    if (d > max || !plausibleTypo(name, candidate)) continue;
    if (d < bestDistance || (d === bestDistance && best !== undefined && candidate < best)) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= max ? best : undefined;
}

/** The value kept under `key`, or `value` kept there first: one copy of values that recur. */
export function keepOne<K, V>(map: Map<K, V>, key: K, value: V): V {
  const known = map.get(key);
  if (known !== undefined) return known;
  map.set(key, value);
  return value;
}

/** Append to the list of a key in a map of lists, creating the list. */
export function pushTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
