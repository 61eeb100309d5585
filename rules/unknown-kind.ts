import { defineRule, reportSchemaIssues } from '../src/api.js';

export default defineRule({
  id: 'unknown-kind',
  category: 'schema',
  severity: 'error',
  description: 'Require the apiVersion and kind of every built-in object to exist in the targeted Kubernetes version',
  rationale:
    'The API server answers `no matches for kind "pod" in version "v1"` for a kind it does not serve: ' +
    'a case slip (`kind: pod`), a kind under the wrong group (`apps/v1` CronJob), a version that ' +
    'never existed (`apps/v2`) or an API newer than the targeted cluster. The check covers the API ' +
    'groups of Kubernetes itself; other groups are custom resources (see `crd-schema`), and APIs ' +
    'that Kubernetes removed are reported by `api-removed`.',
  messages: {
    unknownKind: 'Kubernetes {{version}} has no kind `{{kind}}` in `{{apiVersion}}`{{suggestion}}',
    wrongVersion: '`{{apiVersion}}` does not serve {{kind}} in Kubernetes {{version}}; use `apiVersion:` {{served}}',
    notYet:
      '`{{apiVersion}}` {{kind}} is not served by Kubernetes {{version}}: ' +
      'the bundled schemas have it from {{first}} on{{alternative}}',
  },
  check(ctx) {
    reportSchemaIssues(ctx, 'unknown-kind');
  },
});
