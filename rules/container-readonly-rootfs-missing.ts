import { asString, containerAnchor, containerLabel, defineRule, get, isKustomizePatch, isRecord } from '../src/api.js';

export default defineRule({
  id: 'container-readonly-rootfs-missing',
  category: 'security',
  severity: 'warning',
  preset: 'strict',
  description: 'Require containers to mount their root filesystem read-only',
  rationale:
    'With `securityContext.readOnlyRootFilesystem: true` an intruder cannot drop tools or modify binaries ' +
    'in the container, and the application cannot fill the node disk by writing to its writable layer. ' +
    "All four peers check it, but it is the noisiest of their checks (86% of the corpus's containers): " +
    'most images write to `/tmp`, caches or pid files and need an `emptyDir` there first, so whether a ' +
    'container can run read-only is known only to its owner. The rule is therefore off by default and on ' +
    'in `kubewire:strict`. Not reported: ephemeral containers (debugging), Windows pods (the field is ' +
    'not supported there) and kustomize patches (the base may set it).',
  messages: {
    missing:
      '{{container}} does not set `securityContext.readOnlyRootFilesystem: true`: anything running in it can modify its files; set it, and mount an `emptyDir` where the program writes (e.g. `/tmp`)',
    false:
      '{{container}} sets `readOnlyRootFilesystem: false`: anything running in it can modify its files; set it to true, and mount an `emptyDir` where the program writes (e.g. `/tmp`)',
  },
  check(ctx) {
    for (const object of ctx.graph.withPodTemplates()) {
      const template = object.podTemplate;
      if (template === undefined || asString(get(template.spec, 'os', 'name')) === 'windows') continue;
      if (isKustomizePatch(ctx, object)) continue;
      for (const container of template.containers) {
        if (container.kind === 'ephemeral') continue;
        const sc = container.raw.securityContext;
        const value = isRecord(sc) ? sc.readOnlyRootFilesystem : undefined;
        if (value === true) continue;
        const explicit = value === false;
        ctx.report({
          object,
          path: explicit
            ? [...container.path, 'securityContext', 'readOnlyRootFilesystem']
            : containerAnchor(container),
          messageId: explicit ? 'false' : 'missing',
          data: { container: containerLabel(object, container) },
        });
      }
    }
  },
});
