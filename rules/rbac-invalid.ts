import {
  asArray,
  asRecord,
  asString,
  defineRule,
  dns1123SubdomainProblem,
  isRecord,
  looksLikePlaceholder,
  objectLabel,
  pathSegmentProblem,
  serverValue,
} from '../src/api.js';
import type { KObject, Path, RuleContext } from '../src/api.js';

type MessageId =
  | 'verbsEmpty'
  | 'nonResourceNamespaced'
  | 'nonResourceMixed'
  | 'apiGroupsEmpty'
  | 'resourcesEmpty'
  | 'resourceNamesMultiple'
  | 'roleRefGroup'
  | 'roleRefKind'
  | 'roleRefName'
  | 'subjectNameEmpty'
  | 'serviceAccountName'
  | 'serviceAccountGroup'
  | 'serviceAccountNamespace'
  | 'subjectGroup';
type Ctx = RuleContext<MessageId>;

const RBAC_GROUP = 'rbac.authorization.k8s.io';

function count(value: unknown): number {
  return asArray(value).length;
}

/** validatePolicyRule. */
function checkRule(ctx: Ctx, object: KObject, rule: Record<string, unknown>, at: Path, namespaced: boolean): void {
  const data = { object: objectLabel(object), kind: object.kind };
  if (Array.isArray(rule.verbs) && rule.verbs.length === 0)
    ctx.report({ object, path: [...at, 'verbs'], key: true, messageId: 'verbsEmpty', data });
  if (count(rule.nonResourceURLs) > 0) {
    if (namespaced)
      ctx.report({ object, path: [...at, 'nonResourceURLs'], key: true, messageId: 'nonResourceNamespaced', data });
    if (count(rule.apiGroups) > 0 || count(rule.resources) > 0 || count(rule.resourceNames) > 0)
      ctx.report({ object, path: [...at, 'nonResourceURLs'], key: true, messageId: 'nonResourceMixed', data });
    return;
  }
  const where = (field: string): Path => (rule[field] === undefined ? at : [...at, field]);
  if (count(rule.apiGroups) === 0)
    ctx.report({
      object,
      path: where('apiGroups'),
      key: rule.apiGroups !== undefined,
      messageId: 'apiGroupsEmpty',
      data,
    });
  if (count(rule.resources) === 0)
    ctx.report({
      object,
      path: where('resources'),
      key: rule.resources !== undefined,
      messageId: 'resourcesEmpty',
      data,
    });
  if (count(rule.resourceNames) > 0 && count(rule.resources) > 1)
    ctx.report({ object, path: [...at, 'resourceNames'], key: true, messageId: 'resourceNamesMultiple', data });
}

/** validateRoleBindingSubject. */
function checkSubject(
  ctx: Ctx,
  object: KObject,
  subject: Record<string, unknown>,
  at: Path,
  namespaced: boolean,
): void {
  const name = asString(subject.name);
  const kind = asString(subject.kind);
  const group = asString(subject.apiGroup) ?? '';
  if (name === '')
    ctx.report({ object, path: [...at, 'name'], messageId: 'subjectNameEmpty', data: { kind: kind ?? '' } });
  if (kind === 'ServiceAccount') {
    if (name !== undefined && name !== '' && !looksLikePlaceholder(name)) {
      const problem = dns1123SubdomainProblem(name);
      if (problem !== undefined)
        ctx.report({ object, path: [...at, 'name'], messageId: 'serviceAccountName', data: { name, problem } });
    }
    if (group !== '')
      ctx.report({ object, path: [...at, 'apiGroup'], messageId: 'serviceAccountGroup', data: { group } });
    const namespace = asString(subject.namespace) ?? '';
    if (!namespaced && namespace === '')
      ctx.report({
        object,
        path: subject.namespace === undefined ? at : [...at, 'namespace'],
        messageId: 'serviceAccountNamespace',
        data: { name: name ?? '', object: objectLabel(object) },
      });
  } else if ((kind === 'User' || kind === 'Group') && group !== '' && group !== RBAC_GROUP)
    // SetDefaults_Subject gives an empty apiGroup of a User or Group the RBAC group.
    ctx.report({ object, path: [...at, 'apiGroup'], messageId: 'subjectGroup', data: { kind, group } });
}

function checkBinding(ctx: Ctx, object: KObject, namespaced: boolean): void {
  const ref = asRecord(serverValue(object, ['roleRef']));
  const label = objectLabel(object);
  if (ref !== undefined) {
    // SetDefaults_RoleBinding and SetDefaults_ClusterRoleBinding: an empty apiGroup becomes the RBAC group.
    const group = asString(ref.apiGroup);
    if (group !== undefined && group !== '' && group !== RBAC_GROUP && !looksLikePlaceholder(group))
      ctx.report({ object, path: ['roleRef', 'apiGroup'], messageId: 'roleRefGroup', data: { group } });
    const kind = asString(ref.kind);
    if (!namespaced && kind === 'Role')
      ctx.report({ object, path: ['roleRef', 'kind'], messageId: 'roleRefKind', data: { object: label } });
    const name = asString(ref.name);
    if (name !== undefined && !looksLikePlaceholder(name)) {
      const problem = name === '' ? 'it is empty' : pathSegmentProblem(name);
      if (problem !== undefined)
        ctx.report({ object, path: ['roleRef', 'name'], messageId: 'roleRefName', data: { name, problem } });
    }
  }
  asArray(serverValue(object, ['subjects'])).forEach((subject, i) => {
    if (isRecord(subject)) checkSubject(ctx, object, subject, ['subjects', i], namespaced);
  });
}

export default defineRule<MessageId>({
  id: 'rbac-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report Roles, ClusterRoles and their bindings that the API server rejects: rules, roleRef, subjects',
  rationale:
    'The RBAC validation (pkg/apis/rbac/validation/validation.go) requires every policy rule to list at ' +
    'least one verb, and either `nonResourceURLs` (only in ClusterRoles, and without `apiGroups`, ' +
    '`resources` or `resourceNames`) or at least one API group and one resource, with `resourceNames` ' +
    'only for a single resource; a binding to reference a Role or ClusterRole of ' +
    '`rbac.authorization.k8s.io` by a name that is a path segment (a ClusterRoleBinding only a ' +
    'ClusterRole); subjects to have a name; ServiceAccount subjects a DNS-subdomain name, no API group, ' +
    'and in a ClusterRoleBinding a namespace; User and Group subjects the RBAC API group (the default ' +
    'when left out). Whether the referenced role exists is `role-ref-missing`.',
  messages: {
    verbsEmpty: 'a rule of {{object}} has an empty `verbs` list: give at least one verb, such as `get`',
    nonResourceNamespaced:
      '{{object}} is a {{kind}}, which is namespaced and cannot grant `nonResourceURLs`: move the rule to a ' +
      'ClusterRole',
    nonResourceMixed:
      'a rule of {{object}} mixes `nonResourceURLs` with `apiGroups`, `resources` or `resourceNames`: a rule ' +
      'applies to resources or to non-resource URLs, not both; split it in two',
    apiGroupsEmpty:
      'a resource rule of {{object}} has no `apiGroups`: list at least one (`""` is the core group of ' +
      'Pods, Services, ConfigMaps…)',
    resourcesEmpty: 'a resource rule of {{object}} has no `resources`: list at least one, such as `pods`',
    resourceNamesMultiple:
      'a rule of {{object}} uses `resourceNames` with several `resources`: names apply to one resource only; ' +
      'split the rule per resource',
    roleRefGroup:
      '`roleRef.apiGroup` is `{{group}}`, but bindings only reference roles of `rbac.authorization.k8s.io`: ' +
      'set it to that',
    roleRefKind:
      '{{object}} references a Role, but a ClusterRoleBinding can only reference a ClusterRole: use a ' +
      "RoleBinding in the Role's namespace, or make the role a ClusterRole",
    roleRefName: '`roleRef.name` `{{name}}` is not valid: {{problem}}',
    subjectNameEmpty: 'the {{kind}} subject has an empty `name`: name the subject',
    serviceAccountName: 'ServiceAccount name `{{name}}` is not valid: {{problem}}',
    serviceAccountGroup:
      'a ServiceAccount subject takes no `apiGroup` (it is in the core group), but it is `{{group}}`: remove it',
    serviceAccountNamespace:
      'ServiceAccount subject `{{name}}` of {{object}} has no `namespace`: a ClusterRoleBinding must say ' +
      'which namespace the ServiceAccount is in',
    subjectGroup:
      'a {{kind}} subject must have `apiGroup: rbac.authorization.k8s.io` (or none), but it is `{{group}}`: fix ' +
      'or remove it',
  },
  check(ctx) {
    for (const object of ctx.graph.objects) {
      if (object.group !== RBAC_GROUP) continue;
      switch (object.kind) {
        case 'Role':
        case 'ClusterRole':
          asArray(serverValue(object, ['rules'])).forEach((rule, i) => {
            if (isRecord(rule)) checkRule(ctx, object, rule, ['rules', i], object.kind === 'Role');
          });
          break;
        case 'RoleBinding':
          checkBinding(ctx, object, true);
          break;
        case 'ClusterRoleBinding':
          checkBinding(ctx, object, false);
          break;
      }
    }
  },
});
