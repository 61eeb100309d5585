/** Shared check of ConfigMap and Secret references (env, envFrom, volumes, projected volumes, pull secrets). */
import type { RuleContext } from '../rule-types.js';
import { code, nameList, objectLabel, suggestion } from '../model/phrase.js';
import { asRecord, closestMatch } from '../model/values.js';
import type { KObject } from '../types.js';
import { reportMissing, whereText } from './evidence.js';
import { referencesTo } from './references.js';

export type DataRefMessages = 'missing' | 'missingKey';

/** The keys a ConfigMap or Secret provides (data, binaryData, stringData), or undefined when unknowable. */
export function dataKeys(object: KObject): Set<string> | undefined {
  const keys = new Set<string>();
  // No data at all: filled in by a controller (service-account tokens, cert-manager, operators).
  if (['data', 'binaryData', 'stringData'].every((f) => object.raw[f] === undefined || object.raw[f] === null))
    return undefined;
  for (const field of ['data', 'binaryData', 'stringData']) {
    const map = object.raw[field];
    if (map === undefined || map === null) continue;
    const record = asRecord(map);
    if (record === undefined) return undefined;
    for (const k of Object.keys(record)) keys.add(k);
  }
  return keys;
}

export function checkDataReferences(ctx: RuleContext<DataRefMessages>, kind: 'ConfigMap' | 'Secret'): void {
  for (const ref of referencesTo(ctx.graph, 'references', kind)) {
    if (ref.optional) continue;
    const r = ref.resolution;
    const data = {
      via: ref.via,
      from: objectLabel(ref.from),
      kind,
      name: ref.target.name,
      target: objectLabel({ kind, name: ref.target.name, namespace: null }),
      where: whereText(ref.target),
    };
    if (r.status === 'missing') {
      reportMissing(ctx, ref, 'missing', `${kind}s`, {
        consequence:
          ref.via === 'imagePullSecrets'
            ? 'images from a private registry cannot be pulled'
            : 'the pod cannot start until it exists',
      });
      continue;
    }
    if (r.status !== 'found' || ref.keys.length === 0) continue;
    // Several definitions (variants, kustomize patches): a key any of them provides counts.
    const keys = new Set<string>();
    for (const target of r.objects) {
      const own = dataKeys(target);
      if (own === undefined) continue;
      for (const k of own) keys.add(k);
    }
    const target = r.objects[0];
    if (target === undefined || r.objects.every((t) => dataKeys(t) === undefined)) continue;
    for (const k of ref.keys) {
      if (keys.has(k.key)) continue;
      const guess = closestMatch(k.key, keys);
      const field =
        target.raw.data !== undefined
          ? 'data'
          : target.raw.stringData !== undefined
            ? 'stringData'
            : target.raw.binaryData !== undefined
              ? 'binaryData'
              : undefined;
      ctx.report({
        object: ref.from,
        path: k.path,
        messageId: 'missingKey',
        data: {
          ...data,
          key: k.key,
          keys: nameList([...keys].sort(), 5),
          hint:
            guess !== undefined ? suggestion(guess) : `; add key ${code(k.key)} to the ${kind} or read one of its keys`,
        },
        ...(guess !== undefined ? { suggestion: { value: guess } } : {}),
        related: [
          {
            object: target,
            path: field !== undefined ? [field] : ['metadata', 'name'],
            message: `${objectLabel(target)} is defined here`,
          },
        ],
      });
    }
  }
}
