/** How objects are named in messages. */
import type { KObject } from '../types.js';

/** `Deployment web` or `Deployment shop/web` when the namespace is not `default`. */
export function objectLabel(object: KObject): string {
  const name = object.name === '' ? '(unnamed)' : object.name;
  return object.namespace !== null && object.namespace !== 'default'
    ? `${object.kind} \`${object.namespace}/${name}\``
    : `${object.kind} \`${name}\``;
}
