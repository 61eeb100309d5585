import { allows, defineRule, eachHeldRule, grantReport, nameList, objectLabel } from '../src/api.js';

const SUBRESOURCES = ['pods/exec', 'pods/attach'] as const;

export default defineRule({
  id: 'rbac-pods-exec',
  category: 'security',
  severity: 'info',
  description: 'Report roles that let their subjects exec into or attach to pods',
  rationale:
    '`create` on `pods/exec` or `pods/attach` runs commands in any pod the role reaches, with that ' +
    "pod's service account token, mounted Secrets and network access: it is as strong as reading every " +
    'Secret those pods use. Since WebSocket exec (Kubernetes 1.30) the upgrade request is a GET, so `get` ' +
    'on these subresources allows it too unless the `AuthorizePodWebsocketUpgradeCreatePermission` check ' +
    '(1.35) is on. Debugging tools and CI runners need it, so it is an info naming who holds it, reported ' +
    'only when the input shows a holder (a binding with subjects, possibly through an aggregated ' +
    'ClusterRole, or an `aggregate-to-view|edit|admin` label; `view` is meant to exclude it: warning).',
  messages: {
    exec: 'rule {{index}} of {{role}} allows {{verbs}} on {{subresources}} ({{grantees}}): they can run commands in those pods with their credentials; grant it only to the people and tools that debug them',
  },
  check(ctx) {
    eachHeldRule(ctx.graph, (rule, grantees) => {
      const subresources = SUBRESOURCES.filter((s) => allows(rule, 'create', '', s) || allows(rule, 'get', '', s));
      if (subresources.length === 0) return;
      const verbs = (['create', 'get'] as const).filter((v) => subresources.some((s) => allows(rule, v, '', s)));
      ctx.report({
        object: rule.role,
        path: [...rule.path, 'resources'],
        key: true,
        messageId: 'exec',
        data: {
          index: rule.index + 1,
          role: objectLabel(rule.role),
          verbs: nameList(verbs),
          subresources: nameList(subresources),
          grantees: grantees.text,
        },
        ...grantReport(grantees),
      });
    });
  },
});
