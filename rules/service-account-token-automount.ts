import { asString, code, defineRule, isKustomizePatch, objectLabel, serviceAccountBound } from '../src/api.js';

export default defineRule({
  id: 'service-account-token-automount',
  category: 'security',
  severity: 'info',
  preset: 'strict',
  description: 'Report pods that mount a service account token they do not appear to use',
  rationale:
    'Every pod gets a token of its service account mounted at ' +
    '`/var/run/secrets/kubernetes.io/serviceaccount` unless the pod or the ServiceAccount sets ' +
    '`automountServiceAccountToken: false`. Whoever gets code execution in the pod can then call the API ' +
    'server as that account. Most applications never call the API, but the field is left unset on ' +
    'nearly every workload (538 of 539 in the corpus), so the rule is off by default and on in ' +
    '`kubewire:strict`. It stays silent when the pod or its ServiceAccount (in the input) sets the field, ' +
    'and when a RoleBinding or ClusterRoleBinding of the input names the ServiceAccount as a subject: ' +
    'the pod evidently uses the API. Kustomize patches are not checked.',
  messages: {
    mounted:
      '{{object}} mounts a token of {{account}} but nothing in the input binds that account to a role: code running in the pods can call the API server with it; set `automountServiceAccountToken: false` on the pod (or the ServiceAccount) unless it calls the Kubernetes API',
  },
  check(ctx) {
    for (const object of ctx.graph.withPodTemplates()) {
      const template = object.podTemplate;
      if (template === undefined || template.spec.automountServiceAccountToken !== undefined) continue;
      if (isKustomizePatch(ctx, object)) continue;
      const namespace = object.namespace ?? 'default';
      const name = asString(template.spec.serviceAccountName) || asString(template.spec.serviceAccount) || 'default';
      const account = ctx.graph.find('ServiceAccount', namespace, name)[0];
      if (account?.raw.automountServiceAccountToken === false || serviceAccountBound(ctx.graph, namespace, name))
        continue;
      const named = template.spec.serviceAccountName !== undefined;
      ctx.report({
        object,
        path: named ? [...template.specPath, 'serviceAccountName'] : template.specPath,
        key: !named,
        messageId: 'mounted',
        data: {
          object: objectLabel(object),
          account:
            name === 'default' && account === undefined
              ? `the \`default\` ServiceAccount`
              : objectLabel({ kind: 'ServiceAccount', namespace, name }),
        },
        ...(account !== undefined
          ? { related: [{ object: account, path: ['metadata', 'name'], message: `ServiceAccount ${code(name)}` }] }
          : {}),
      });
    }
  },
});
