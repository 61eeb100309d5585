import { asArray, asString, code, containerLabel, defineRule, isRecord } from '../src/api.js';

export default defineRule({
  id: 'env-duplicate',
  category: 'practice',
  severity: 'warning',
  description: 'Disallow setting the same environment variable twice in one container',
  rationale:
    'When `env` names a variable twice, the container sees only the later value: the earlier entry is ' +
    'dead, and whoever edits it changes nothing. Worse, `env` is merged by name, so `kubectl apply` and ' +
    'strategic-merge patches keep only one of the two entries, and which one depends on the tool: the ' +
    'API server warns that the entry "hides previous definition" and "may be dropped when using apply". Variables from `envFrom` are not counted: an `env` ' +
    'entry that overrides a ConfigMap key on purpose is the documented way to do it.',
  messages: {
    duplicate:
      'env {{name}} of {{container}} is set a second time: the container sees only this later value, and `kubectl apply` may drop one of the two entries; remove the one that is not meant',
  },
  check(ctx) {
    for (const object of ctx.graph.withPodTemplates()) {
      for (const container of object.podTemplate?.containers ?? []) {
        const seen = new Map<string, number>();
        asArray(container.raw.env).forEach((env, i) => {
          const name = isRecord(env) ? asString(env.name) : undefined;
          if (name === undefined || name === '') return;
          const first = seen.get(name);
          if (first === undefined) {
            seen.set(name, i);
            return;
          }
          ctx.report({
            object,
            path: [...container.path, 'env', i, 'name'],
            messageId: 'duplicate',
            data: { name: code(name), container: containerLabel(object, container) },
            related: [
              {
                object,
                path: [...container.path, 'env', first, 'name'],
                message: `first definition of ${code(name)}`,
              },
            ],
          });
        });
      }
    }
  },
});
