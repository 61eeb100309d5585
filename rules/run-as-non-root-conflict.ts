import { asString, defineRule, effectiveSecurity, get, containerLabel } from '../src/api.js';

export default defineRule({
  id: 'run-as-non-root-conflict',
  category: 'security',
  severity: 'error',
  description: 'Disallow runAsNonRoot: true together with runAsUser: 0',
  rationale:
    'With `runAsNonRoot: true` the kubelet checks the user the container would run as and refuses to start ' +
    'it when that is UID 0 (`CreateContainerConfigError`: "container\'s runAsUser breaks non-root ' +
    "policy\"). The container's own fields win over the pod's, so a pod-level `runAsNonRoot: true` and " +
    'a container-level `runAsUser: 0` (or the reverse) conflict too. A `runAsNonRoot: true` without ' +
    "`runAsUser` is not reported: it depends on the image's USER, which the manifest does not show. " +
    'Windows pods are not checked.',
  messages: {
    conflict:
      '{{container}} runs as UID 0 but requires `runAsNonRoot: true`: the kubelet refuses to start it (CreateContainerConfigError); set `runAsUser` to a non-zero UID',
  },
  check(ctx) {
    for (const object of ctx.graph.withPodTemplates()) {
      const template = object.podTemplate;
      if (template === undefined || asString(get(template.spec, 'os', 'name')) === 'windows') continue;
      for (const container of template.containers) {
        const e = effectiveSecurity(template, container);
        if (e.runAsNonRoot !== true || e.runAsUser !== 0 || e.runAsUserPath === undefined) continue;
        ctx.report({
          object,
          path: e.runAsUserPath,
          messageId: 'conflict',
          data: { container: containerLabel(object, container) },
          related:
            e.runAsNonRootPath !== undefined
              ? [{ object, path: e.runAsNonRootPath, message: '`runAsNonRoot: true` is set here' }]
              : [],
        });
      }
    }
  },
});
