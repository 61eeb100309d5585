import { allows, code, defineRule, eachHeldRule, grantReport, nameList, objectLabel } from '../src/api.js';

const READ = ['get', 'list', 'watch'] as const;

export default defineRule({
  id: 'rbac-secrets-read',
  category: 'security',
  severity: 'info',
  description: 'Report roles that let their subjects read Secrets',
  rationale:
    'Reading Secrets (`get`, and also `list` and `watch`, which return their data) gives the holder every ' +
    'token and password in the namespace, or the cluster for a ClusterRole: the usual path from one ' +
    'compromised pod to the rest. Many controllers need it, so it is an info; the message says who ' +
    'holds it. A role is reported only when the input shows someone holding it: a binding of the input ' +
    'with subjects (also through an aggregated ClusterRole that selects it), or an ' +
    '`aggregate-to-view|edit|admin` label. It is a warning when the label aggregates it into `view`, ' +
    'which is meant to exclude Secrets. Rules limited by `resourceNames` to named Secrets are the ' +
    'recommended form and are not reported; the rules of an aggregated ClusterRole are checked in the ' +
    'ClusterRoles it selects.',
  messages: {
    read: 'rule {{index}} of {{role}} lets its holders {{verbs}} Secrets ({{grantees}}): they can read every token and password in {{scope}}; limit it with `resourceNames` or drop it if they do not need it',
  },
  check(ctx) {
    eachHeldRule(ctx.graph, (rule, grantees) => {
      if (rule.resourceNames.length > 0) return;
      const verbs = READ.filter((v) => allows(rule, v, '', 'secrets'));
      if (verbs.length === 0) return;
      ctx.report({
        object: rule.role,
        path: [...rule.path, 'verbs'],
        key: true,
        messageId: 'read',
        data: {
          index: rule.index + 1,
          role: objectLabel(rule.role),
          verbs: nameList(verbs, 3, 'or'),
          grantees: grantees.text,
          scope: rule.role.kind === 'Role' ? `namespace ${code(rule.role.namespace ?? '')}` : 'the cluster',
        },
        ...grantReport(grantees),
      });
    });
  },
});
