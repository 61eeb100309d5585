import { bindings, defineRule, listOf, objectLabel, subjectLabel } from '../src/api.js';

export default defineRule({
  id: 'rbac-cluster-admin-binding',
  category: 'security',
  severity: 'warning',
  description: 'Report bindings to the cluster-admin ClusterRole',
  rationale:
    '`cluster-admin` allows every verb on every resource. A ClusterRoleBinding to it makes its subjects ' +
    'superusers; a RoleBinding to it gives them every permission in the namespace, including Roles and ' +
    'RoleBindings (so they can grant themselves anything there) and every Secret. Workloads rarely need ' +
    'it: bind a role that lists what they use. Bindings without subjects grant nothing and are not ' +
    'reported.',
  messages: {
    cluster:
      '{{binding}} binds {{subjects}} to the ClusterRole `cluster-admin`: they can do anything in the cluster; bind a role that lists only what they need',
    namespace:
      '{{binding}} binds {{subjects}} to the ClusterRole `cluster-admin` in namespace `{{namespace}}`: they can do anything there, including granting themselves more; bind `admin`, `edit` or a role of their own',
  },
  check(ctx) {
    for (const b of bindings(ctx.graph)) {
      if (b.roleKind !== 'ClusterRole' || b.roleName !== 'cluster-admin' || b.subjects.length === 0) continue;
      const cluster = b.binding.kind === 'ClusterRoleBinding';
      ctx.report({
        object: b.binding,
        path: ['roleRef', 'name'],
        messageId: cluster ? 'cluster' : 'namespace',
        data: {
          binding: objectLabel(b.binding),
          subjects: listOf(b.subjects.map(subjectLabel)),
          namespace: b.binding.namespace ?? '',
        },
      });
    }
  },
});
