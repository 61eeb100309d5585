import { defineRule } from '../src/api.js';

export default defineRule({
  id: 'manifest-shape',
  category: 'syntax',
  severity: 'error',
  description: 'Require each document to be a well-formed Kubernetes object',
  rationale:
    'A document with `kind` but no `apiVersion` (or the reverse), a `kind: 5`, a missing ' +
    '`metadata.name` or a list item that is not an object is rejected by the API server, or worse, ' +
    'half-applied. Documents with neither `apiVersion` nor `kind` (Helm values, application ' +
    'configuration) are not Kubernetes objects and are skipped quietly. A `metadata.namespace` on a ' +
    'cluster-scoped object is an info: the API server ignores it.',
  messages: {
    shape: '{{message}}',
  },
  check(ctx) {
    for (const issue of ctx.shapeIssues) {
      ctx.reportSource({
        source: issue.source,
        range: issue.range,
        messageId: 'shape',
        data: { message: issue.message },
        severity: issue.severity,
        object: issue.object,
      });
    }
  },
});
