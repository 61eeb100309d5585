import { defineRule, reportSchemaIssues } from '../src/api.js';

export default defineRule({
  id: 'api-deprecated',
  category: 'schema',
  severity: 'warning',
  description: 'Report objects whose apiVersion is deprecated in the targeted Kubernetes version',
  rationale:
    'A deprecated API still works, but the API server answers with a warning and a later release ' +
    'removes it: migrating while both versions are served is a quiet change, migrating after the ' +
    'upgrade is an outage. The table comes from the Kubernetes deprecation guide and is exact for ' +
    'every version; the object is still validated against its own schema.',
  messages: {
    deprecated:
      '`{{apiVersion}}` {{kind}} is deprecated since Kubernetes {{deprecatedIn}}{{removal}}{{replacement}}{{note}}',
  },
  check(ctx) {
    reportSchemaIssues(ctx, 'api-deprecated');
  },
});
