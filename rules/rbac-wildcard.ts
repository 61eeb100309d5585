import { code, defineRule, isAggregating, listOf, nameList, objectLabel, ownRules, roles } from '../src/api.js';

const FIELDS = ['apiGroups', 'resources', 'verbs'] as const;

export default defineRule({
  id: 'rbac-wildcard',
  category: 'security',
  severity: 'warning',
  description: 'Report `*` in the API groups, resources or verbs of Role and ClusterRole rules',
  rationale:
    'A `*` grants every current and future verb, resource or API group, including ones added later by ' +
    'CRDs and upgrades: `verbs: ["*"]` includes `escalate`, `bind` and `impersonate` where they apply, and ' +
    '`*` on all three fields is cluster-admin. It is a warning when it reaches every API group, the core ' +
    'group (Secrets, Pods, ServiceAccounts) or the RBAC group; a `*` confined to named API groups of an ' +
    'add-on (`resources: ["*"]` on `cilium.io`, as operators write for their own CRDs) is an info. The ' +
    'rules of an aggregated ClusterRole (one with an `aggregationRule`) are not checked: the controller ' +
    'overwrites them with the rules of the ClusterRoles it selects, which are checked where they are ' +
    'written. Non-resource URLs are not checked.',
  messages: {
    wildcard:
      'rule {{index}} of {{role}} has `*` in {{fields}}{{scope}}: it grants every current and future one, including those that later CRDs and upgrades add; list the ones it needs',
  },
  check(ctx) {
    for (const role of roles(ctx.graph)) {
      if (isAggregating(role)) continue;
      for (const rule of ownRules(role)) {
        const wild = FIELDS.filter((f) => rule[f].includes('*'));
        const first = wild[0];
        if (first === undefined) continue;
        const broad =
          rule.apiGroups.includes('*') ||
          rule.apiGroups.includes('') ||
          rule.apiGroups.includes('rbac.authorization.k8s.io');
        ctx.report({
          object: role,
          path: [...rule.path, first, rule[first].indexOf('*')],
          messageId: 'wildcard',
          data: {
            index: rule.index + 1,
            role: objectLabel(role),
            fields: listOf(wild.map((f) => code(f))),
            scope: broad ? '' : ` (only in API groups ${nameList(rule.apiGroups)})`,
          },
          ...(broad ? {} : { severity: 'info' as const }),
        });
      }
    }
  },
});
