/**
 * One voice for messages: the recurring parts of every finding's text, phrased the same way by every rule.
 * The style these follow is written down in docs/writing-rules.md.
 */
import type { ContainerPort, KObject } from '../types.js';

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

/** A container of an object: container `web` of Deployment `shop/cart` (init containers say so). */
export function containerLabel(
  object: Pick<KObject, 'kind' | 'name' | 'namespace'>,
  container: { readonly name: string; readonly init?: boolean },
): string {
  const name = container.name === '' ? '(unnamed)' : code(container.name);
  return `${container.init === true ? 'init container' : 'container'} ${name} of ${objectLabel(object)}`;
}

/** A container port: `http=8080/TCP`, `8080/TCP` without a name, `smtp (no number)/TCP` without a number. */
export function portLabel(port: Pick<ContainerPort, 'name' | 'containerPort' | 'protocol'>): string {
  const number = port.containerPort === undefined ? ' (no number)' : String(port.containerPort);
  const name = port.name !== undefined && port.name !== '' ? port.name : '';
  if (name === '') return `${number.trim()}/${port.protocol}`;
  return port.containerPort === undefined ? `${name}${number}/${port.protocol}` : `${name}=${number}/${port.protocol}`;
}

/**
 * A list of names as code, sorted as given: `a`, `b` and `c`; past `max` names: `a`, `b`, `c` and 3 more.
 * An empty list is `none`.
 */
export function nameList(names: readonly (string | number)[], max = 3): string {
  const quoted = names.map(code);
  if (quoted.length === 0) return 'none';
  if (quoted.length > max) return `${quoted.slice(0, max).join(', ')} and ${quoted.length - max} more`;
  if (quoted.length === 1) return quoted[0] ?? '';
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1] ?? ''}`;
}

/** The ending of a message that offers a likely intent: `; did you mean \`x\`?`, or nothing. */
export function suggestion(guess: string | number | undefined, where = ''): string {
  return guess === undefined ? '' : `; did you mean ${code(guess)}${where}?`;
}

/** `1 pod`, `3 pods`: a count with its noun, plural by English's simplest rule unless a plural is given. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}
