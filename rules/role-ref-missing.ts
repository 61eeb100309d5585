import { defineRule, references, reportMissing } from '../src/api.js';

export default defineRule({
  id: 'role-ref-missing',
  category: 'wiring',
  severity: 'error',
  description: "Require the Role or ClusterRole named by a binding's roleRef to exist",
  rationale:
    'A RoleBinding or ClusterRoleBinding whose `roleRef` names a role that does not exist grants ' +
    'nothing, and `roleRef` cannot be changed after creation: the binding must be deleted and created ' +
    "again. A RoleBinding's Role is looked up in the binding's namespace; ClusterRoles are cluster-" +
    'wide. The built-in cluster roles (`cluster-admin`, `admin`, `edit`, `view` and every `system:` ' +
    'role) always exist. Severity follows the evidence: a close name is an error, a role missing ' +
    'among others the input defines a warning, otherwise an info that says how to declare it.',
  messages: {
    missing:
      'the roleRef of {{from}} names {{target}}, which is not defined{{where}}{{evidence}}: ' +
      'the binding grants nothing{{hint}}',
  },
  check(ctx) {
    for (const ref of references(ctx.graph)) {
      if (ref.type !== 'binds' || (ref.target.kind !== 'Role' && ref.target.kind !== 'ClusterRole')) continue;
      reportMissing(ctx, ref, 'missing', `${ref.target.kind}s`);
    }
  },
});
