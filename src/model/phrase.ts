/**
 * One voice for messages: the recurring parts of every finding's text, phrased the same way by every rule.
 * The style these follow is written down in docs/writing-rules.md.
 */
import type { ContainerInfo, ContainerPort, KObject } from '../types.js';

/** Names and values quoted into messages are capped so that a hostile or generated name cannot flood output. */
export const MAX_NAME_LENGTH = 120;

/** A name or value as code: `x`, cut with an ellipsis past MAX_NAME_LENGTH characters. */
export function code(value: string | number): string {
  const text = String(value);
  return `\`${text.length > MAX_NAME_LENGTH ? `${text.slice(0, MAX_NAME_LENGTH - 1)}…` : text}\``;
}

/**
 * An object: `Deployment \`shop/cart\``, or `Deployment \`cart\`` in `default`; an object without a name is
 * `Deployment (unnamed)`. Cluster-scoped objects never show a namespace.
 */
export function objectLabel(object: Pick<KObject, 'kind' | 'name' | 'namespace'>): string {
  if (object.name === '') return `${object.kind} (unnamed)`;
  return object.namespace !== null && object.namespace !== 'default'
    ? `${object.kind} ${code(`${object.namespace}/${object.name}`)}`
    : `${object.kind} ${code(object.name)}`;
}

/** A namespace: namespace `shop`. */
export function namespaceLabel(namespace: string): string {
  return `namespace ${code(namespace)}`;
}

const CONTAINER_NOUN: Record<ContainerInfo['kind'], string> = {
  app: 'container',
  init: 'init container',
  sidecar: 'sidecar container',
  ephemeral: 'ephemeral container',
};

/**
 * A container within its pod: container `web`; init, sidecar and ephemeral containers say so; a container
 * without a name is `container (unnamed)`. For use where the object is named separately.
 */
export function containerName(container: Pick<ContainerInfo, 'kind' | 'name'>): string {
  return `${CONTAINER_NOUN[container.kind]} ${container.name === '' ? '(unnamed)' : code(container.name)}`;
}

/** A container of an object: container `web` of Deployment `shop/cart` (see containerName). */
export function containerLabel(
  object: Pick<KObject, 'kind' | 'name' | 'namespace'>,
  container: Pick<ContainerInfo, 'kind' | 'name'>,
): string {
  return `${containerName(container)} of ${objectLabel(object)}`;
}

/**
 * A port: `http=8080/TCP`, `8080/TCP` without a name, `smtp (no number)` without a number. Service
 * ports fit too: pass their `port` as `containerPort`.
 */
export function portLabel(port: Pick<ContainerPort, 'name' | 'containerPort' | 'protocol'>): string {
  const name = port.name ?? '';
  if (port.containerPort === undefined) return name === '' ? '(no name or number)' : `${name} (no number)`;
  const number = `${String(port.containerPort)}/${port.protocol}`;
  return name === '' ? number : `${name}=${number}`;
}

/**
 * Phrased items in the order given: `a`; `a and b`; `a, b and c`; past `max` items: `a, b, c and 3 more`.
 * With `or`: `a, b or c`; past `max`: `a, b, c or 3 others`. An empty list is `none`.
 */
export function listOf(items: readonly string[], max = 3, conjunction: 'and' | 'or' = 'and'): string {
  if (items.length === 0) return 'none';
  if (items.length > max) {
    const rest = items.length - max;
    const tail = conjunction === 'and' ? `and ${String(rest)} more` : `or ${plural(rest, 'other')}`;
    return `${items.slice(0, max).join(', ')} ${tail}`;
  }
  if (items.length === 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} ${conjunction} ${items[items.length - 1] ?? ''}`;
}

/** A list of names as code, in the order given: `a`, `b` and `c`; past `max`: `a`, `b`, `c` and 3 more. */
export function nameList(names: readonly (string | number)[], max = 3, conjunction: 'and' | 'or' = 'and'): string {
  return listOf(names.map(code), max, conjunction);
}

/** A list of ports: http=8080/TCP and metrics=9090/TCP (see portLabel); `none` when empty. */
export function portList(
  ports: readonly Pick<ContainerPort, 'name' | 'containerPort' | 'protocol'>[],
  max = 5,
): string {
  return listOf(ports.map(portLabel), max);
}

/**
 * The ending of a message that offers a likely intent: `; did you mean \`x\`?`, or nothing. `where` follows
 * the guess (e.g. ` in \`apps/v1\``).
 */
export function suggestion(guess: string | number | undefined, where = ''): string {
  return guess === undefined ? '' : `; did you mean ${code(guess)}${where}?`;
}

/** `1 pod`, `3 pods`: a count with its noun, plural by English's simplest rule unless a plural is given. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${String(count)} ${count === 1 ? noun : nouns}`;
}
