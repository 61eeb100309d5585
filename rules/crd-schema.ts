import { defineRule, reportSchemaIssues } from '../src/api.js';

export default defineRule({
  id: 'crd-schema',
  category: 'schema',
  severity: 'error',
  description: 'Validate custom resources against the openAPIV3Schema of their CustomResourceDefinition',
  rationale:
    'A custom resource is checked by the API server against the schema of its CRD. The CRDs in the ' +
    'input, and those listed under `crds:` in .kubewire.yaml, give their custom resources a schema for ' +
    'the same run: each served version validates the objects of that group, version and kind ' +
    '(`x-kubernetes-int-or-string`, `x-kubernetes-preserve-unknown-fields` and ' +
    '`x-kubernetes-embedded-resource` included; CEL rules are not evaluated). A custom resource ' +
    'whose CRD is unknown gets one info finding per kind, saying how to provide it.',
  messages: {
    invalid: '{{problem}}{{note}}',
    versionNotServed: 'CustomResourceDefinition `{{crd}}` does not serve `{{apiVersion}}`{{served}}',
    noSchema:
      'no schema is known for {{kind}} (`{{apiVersion}}`), so {{count}} not validated: add its ' +
      'CustomResourceDefinition to the input, or list the CRD file under `crds:` in .kubewire.yaml',
  },
  check(ctx) {
    reportSchemaIssues(ctx, 'crd-schema');
  },
});
