import { code, defineRule, isAggregating, listOf, nameList, objectLabel, ownRules, roles } from '../src/api.js';
import type { PolicyRule } from '../src/api.js';

const FIELDS = ['apiGroups', 'resources', 'verbs'] as const;
const RBAC = 'rbac.authorization.k8s.io';
/** Resources where `*` verbs include `escalate`, `bind` or `impersonate`. */
const ESCALATING = new Set([
  'roles',
  'clusterroles',
  'rolebindings',
  'clusterrolebindings',
  'users',
  'groups',
  'serviceaccounts',
]);

/**
 * Whether a wildcard reaches beyond what an add-on manages: every API group; every resource of the core or
 * RBAC group (Secrets, Pods, roles); or every verb on RBAC objects or identities (escalate, bind,
 * impersonate). `verbs: ["*"]` on ConfigMaps, or `resources: ["*"]` of an add-on's own API group, are not.
 */
function reachesEverything(rule: PolicyRule): boolean {
  const coreOrRbac = rule.apiGroups.includes('') || rule.apiGroups.includes(RBAC);
  return (
    rule.apiGroups.includes('*') ||
    (rule.resources.includes('*') && coreOrRbac) ||
    (rule.verbs.includes('*') && (rule.apiGroups.includes(RBAC) || rule.resources.some((r) => ESCALATING.has(r))))
  );
}

/** `` `configmaps` and `secrets` of the core API group ``, `` API group `cilium.io` ``. */
function limits(rule: PolicyRule): string {
  const named = rule.apiGroups.filter((g) => g !== '');
  const groups = listOf([
    ...(rule.apiGroups.includes('') ? ['the core API group'] : []),
    ...(named.length > 0 ? [`${named.length > 1 ? 'API groups' : 'API group'} ${nameList(named)}`] : []),
  ]);
  return rule.resources.includes('*') ? groups : `${nameList(rule.resources)} of ${groups}`;
}

export default defineRule({
  id: 'rbac-wildcard',
  category: 'security',
  severity: 'warning',
  description: 'Report `*` in the API groups, resources or verbs of Role and ClusterRole rules',
  rationale:
    'A `*` grants every current and future verb, resource or API group, including ones added later by ' +
    'CRDs and upgrades: `verbs: ["*"]` includes `escalate`, `bind` and `impersonate` where they apply, and ' +
    '`*` on all three fields is cluster-admin. It is a warning when it reaches every API group, every ' +
    'resource of the core or RBAC group (Secrets, Pods, roles), or every verb on RBAC objects, users, ' +
    'groups or ServiceAccounts; a narrower `*` (`resources: ["*"]` on an add-on\'s own `cilium.io`, ' +
    '`verbs: ["*"]` on the ConfigMaps an operator manages) is an info. The ' +
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
        const broad = reachesEverything(rule);
        ctx.report({
          object: role,
          path: [...rule.path, first, rule[first].indexOf('*')],
          messageId: 'wildcard',
          data: {
            index: rule.index + 1,
            role: objectLabel(role),
            fields: listOf(wild.map((f) => code(f))),
            scope: broad ? '' : ` (limited to ${limits(rule)})`,
          },
          ...(broad ? {} : { severity: 'info' as const }),
        });
      }
    }
  },
});
