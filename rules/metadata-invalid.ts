import {
  asArray,
  code,
  defineRule,
  dns1123SubdomainProblem,
  isRecord,
  objectLabel,
  perDocument,
  serverValue,
} from '../src/api.js';

/** TotalAnnotationSizeLimitB of k8s.io/apimachinery/pkg/api/validation/objectmeta.go. */
const ANNOTATIONS_LIMIT = 256 * 1024;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

/** IsQualifiedName, in plain words. */
function finalizerProblem(value: string): string | undefined {
  const slash = value.indexOf('/');
  const prefix = slash === -1 ? undefined : value.slice(0, slash);
  const name = slash === -1 ? value : value.slice(slash + 1);
  if (prefix !== undefined && (prefix.length === 0 || dns1123SubdomainProblem(prefix) !== undefined))
    return 'the prefix before `/` must be a lowercase DNS subdomain (e.g. `example.com`)';
  if (name.length === 0 || name.length > 63) return 'the name part must be 1 to 63 characters';
  if (name.includes('/')) return 'it may contain only one `/`';
  if (!QUALIFIED_NAME.test(name))
    return 'the name part must be letters, digits, `-`, `_` and `.`, starting and ending with a letter or digit';
  return undefined;
}

const NOT_ASCII = /[\u0080-\uffff]/;

/**
 * The length of a text in UTF-8, as TextEncoder would encode it (a lone surrogate as U+FFFD), without
 * encoding it: the rule measures the JSON of every object, and encoding it all was a tenth of a second on
 * the corpus.
 */
export function utf8Length(text: string): number {
  let bytes = text.length;
  if (!NOT_ASCII.test(text)) return bytes;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
      continue;
    }
    const next = text.charCodeAt(i + 1);
    if (unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) i++; // a pair: 4 bytes
    bytes += 2;
  }
  return bytes;
}

export default defineRule({
  id: 'metadata-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report object metadata the API server rejects: annotation size and finalizers',
  rationale:
    '`ValidateObjectMeta` (k8s.io/apimachinery/pkg/api/validation/objectmeta.go) limits the annotations of ' +
    'an object to 256 KiB in all (keys plus values: `kubectl apply` adds the whole object as the ' +
    '`kubectl.kubernetes.io/last-applied-configuration` annotation, so a large ConfigMap or CRD breaks ' +
    'client-side apply with "metadata.annotations: Too long"), requires every finalizer to be a qualified ' +
    'name (`example.com/cleanup`), and refuses `orphan` together with `foregroundDeletion`. Names by kind, ' +
    'label keys and values and annotation keys are checked by `schema-invalid`.',
  messages: {
    annotationsTooLong:
      'the annotations of {{object}} take {{size}} bytes, above the 262144 (256 KiB) the API server ' +
      'accepts: move large values into a ConfigMap or the object itself',
    lastAppliedTooLong:
      '{{object}} is {{size}} bytes as JSON: `kubectl apply` stores it in the ' +
      '`kubectl.kubernetes.io/last-applied-configuration` annotation, above the 262144 bytes (256 KiB) ' +
      'annotations may take, and fails with "Too long"; apply it with `kubectl apply --server-side` or ' +
      '`kubectl create`',
    finalizer: 'finalizer {{finalizer}} of {{object}} is not a qualified name: {{problem}}',
    finalizerPair:
      '{{object}} has both the `orphan` and the `foregroundDeletion` finalizers, which the API server ' +
      'refuses together: keep one',
  },
  check(ctx) {
    for (const object of ctx.graph.objects) {
      const annotations = serverValue(object, ['metadata', 'annotations']);
      let size = 0;
      if (isRecord(annotations))
        for (const [k, v] of Object.entries(annotations))
          size += utf8Length(k) + (typeof v === 'string' ? utf8Length(v) : 0);
      if (size > ANNOTATIONS_LIMIT) {
        ctx.report({
          object,
          path: ['metadata', 'annotations'],
          key: true,
          messageId: 'annotationsTooLong',
          data: { object: objectLabel(object), size },
        });
      } else {
        // Client-side apply adds the object (without that annotation) as an annotation of its own.
        // The object as JSON, measured once per document text (object.raw is the document's object with the
        // server's defaults, which depend on nothing else).
        const json = perDocument(object, 'metadata-invalid:json-length', () => utf8Length(JSON.stringify(object.raw)));
        const applied = size + utf8Length('kubectl.kubernetes.io/last-applied-configuration') + json;
        if (applied > ANNOTATIONS_LIMIT)
          ctx.report({
            object,
            path: ['kind'],
            messageId: 'lastAppliedTooLong',
            data: { object: objectLabel(object), size: json },
            severity: 'info',
          });
      }
      const finalizers = asArray(serverValue(object, ['metadata', 'finalizers']));
      finalizers.forEach((finalizer, i) => {
        if (typeof finalizer !== 'string') return;
        const problem = finalizerProblem(finalizer);
        if (problem !== undefined)
          ctx.report({
            object,
            path: ['metadata', 'finalizers', i],
            messageId: 'finalizer',
            data: { finalizer: code(finalizer), object: objectLabel(object), problem },
          });
      });
      if (finalizers.includes('orphan') && finalizers.includes('foregroundDeletion'))
        ctx.report({
          object,
          path: ['metadata', 'finalizers', finalizers.indexOf('foregroundDeletion')],
          messageId: 'finalizerPair',
          data: { object: objectLabel(object) },
        });
    }
  },
});
