import { asString, code, defineRule, objectLabel } from '../src/api.js';

export default defineRule({
  id: 'service-account-deprecated-field',
  category: 'practice',
  severity: 'info',
  description: 'Report the deprecated `serviceAccount` field of pod specs',
  rationale:
    '`spec.serviceAccount` is a deprecated alias of `serviceAccountName`, kept since Kubernetes 1.0. The API ' +
    'server copies it into `serviceAccountName` when that is empty; when both are set and differ, the pod ' +
    'runs as `serviceAccountName` and the alias silently means nothing, which misleads the reader (and ' +
    'tools that read only one of the two). Renaming it is enough. Both set to the same name is reported ' +
    'as redundant; both set to different names is a warning.',
  messages: {
    alias:
      '{{object}} names its service account with the deprecated field `serviceAccount`; rename it to `serviceAccountName`',
    redundant:
      '{{object}} sets the deprecated `serviceAccount` besides `serviceAccountName` (both {{name}}); remove `serviceAccount`',
    conflict:
      '{{object}} sets the deprecated `serviceAccount: {{alias}}` but `serviceAccountName: {{name}}`: the pods run as {{name}}, not {{alias}}; remove `serviceAccount` (or fix `serviceAccountName`)',
  },
  check(ctx) {
    for (const object of ctx.graph.withPodTemplates()) {
      const template = object.podTemplate;
      if (template === undefined) continue;
      const alias = asString(template.spec.serviceAccount);
      if (alias === undefined || alias === '') continue;
      const name = asString(template.spec.serviceAccountName) ?? '';
      const messageId = name === '' ? 'alias' : name === alias ? 'redundant' : 'conflict';
      ctx.report({
        object,
        path: [...template.specPath, 'serviceAccount'],
        key: true,
        messageId,
        data: { object: objectLabel(object), alias: code(alias), name: code(name) },
        ...(messageId === 'conflict' ? { severity: 'warning' as const } : {}),
        ...(name !== ''
          ? {
              related: [
                {
                  object,
                  path: [...template.specPath, 'serviceAccountName'],
                  message: `serviceAccountName ${code(name)}`,
                },
              ],
            }
          : {}),
      });
    }
  },
});
