/**
 * Loading ajv and the bundled Kubernetes schemas on first use rather than at start-up: a run whose
 * schema problems all come from the cache, or that validates nothing, never loads them (about a
 * fifth of a second of start-up). Module loading, synchronous like the engine; not file access.
 */
import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';

const load = createRequire(import.meta.url);

/** The ajv class. */
export function ajvClass(): typeof AjvModule.Ajv {
  return (load('ajv') as typeof AjvModule).Ajv;
}

/** The bundled schema of a Kubernetes minor ("1.34"), as generated into schemas/kubernetes/. */
export function bundledSchema(minor: string): unknown {
  return load(`../../schemas/kubernetes/v${minor}.json`);
}
