import { defineRule, reportSchemaIssues } from '../src/api.js';

export default defineRule({
  id: 'unknown-field',
  category: 'schema',
  severity: 'warning',
  description: 'Report fields that the Kubernetes API (or the CRD of a custom resource) does not define',
  rationale:
    'A misspelled field (`imagePullPolice`, `readinesProbe`) or a field at the wrong level is not an ' +
    'error to YAML: `kubectl apply` rejects it under strict field validation (its default since ' +
    'Kubernetes 1.27), and clients that do not ask for strict validation silently drop it, so the ' +
    'setting you wrote never takes effect. Each unknown key is reported at the key, with the closest ' +
    'field name when there is one. Custom resources are checked against the schema of their CRD when ' +
    'it is known, unless it preserves unknown fields.',
  messages: {
    unknown: '{{problem}}{{note}}',
  },
  check(ctx) {
    reportSchemaIssues(ctx, 'unknown-field');
  },
});
