import { defineRule, reportSchemaIssues } from '../src/api.js';

export default defineRule({
  id: 'schema-invalid',
  category: 'schema',
  severity: 'error',
  description:
    'Require every field of a built-in object to have the type, format and syntax the Kubernetes API accepts',
  rationale:
    'The API server rejects an object whose fields have the wrong type (`replicas: "three"`), miss a ' +
    'required field (a Deployment without `selector`), break a format (a quantity `cpu: half`, a ' +
    'port beyond int32), leave a closed set of values (`imagePullPolicy: always`, `protocol: tcp`) ' +
    'or use names and labels it cannot store (`metadata.name: Web_App`, a label ' +
    'value of 64 characters). Each object is validated offline against the bundled schema of the ' +
    'targeted Kubernetes version (`--kubernetes-version`, `kubernetesVersion:` in .kubewire.yaml; ' +
    'default the newest bundled), and each violation is reported at the offending field. `null` ' +
    'means "unset", as it does to the API server. Custom resources are checked by `crd-schema`, ' +
    'unknown fields by `unknown-field`.',
  messages: {
    invalid: '{{problem}}{{note}}',
    name: '`metadata.name` {{name}} is not a valid {{kind}} name: {{problem}}',
    crdName: '`metadata.name` {{name}} of a CustomResourceDefinition must be `<plural>.<group>`: `{{expected}}`',
    namespace: '`metadata.namespace` {{namespace}} is not a valid namespace name: {{problem}}',
    labelKey: '{{what}} key `{{key}}` is not valid: {{problem}}',
    labelValue: '{{what}} value {{value}} of `{{key}}` is not valid: {{problem}}',
  },
  check(ctx) {
    reportSchemaIssues(ctx, 'schema-invalid');
  },
});
