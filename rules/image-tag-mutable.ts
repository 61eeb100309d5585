import { code, containerLabel, defineRule, movingImages } from '../src/api.js';

export default defineRule({
  id: 'image-tag-mutable',
  category: 'practice',
  severity: 'info',
  strictSeverity: 'warning',
  description: 'Require container images to name a fixed tag or a digest, not `latest` or no tag',
  rationale:
    'An image without a tag means `:latest`, and `:latest` points at whatever was pushed last: two nodes ' +
    'can run different code for one Deployment, a rollback redeploys the same moving tag, and nothing ' +
    'records which version ran. An image pinned by digest (`@sha256:…`) is fixed whatever its tag says. ' +
    'The reference is parsed as the runtime parses it, so `registry:5000/app` has no tag (the colon is a ' +
    'port) and `registry:5000/app:1.2` has one. Not reported: templated references (`${IMAGE}`, ' +
    '`$(IMAGE)`, `{{ .Values.image }}`, `<image>`), images that a kustomization of the input rewrites ' +
    'with `images: [{name, newTag | digest}]`, and images a Skaffold configuration of the input builds ' +
    '(`build.artifacts[].image`): the tool sets their tag at deploy time.',
  messages: {
    untagged:
      'image {{image}} of {{container}} has no tag, so it means `:latest`: nodes pull whatever was pushed last and two pods can run different code; pin a version tag or a digest',
    latest:
      'image {{image}} of {{container}} uses the moving tag `latest`: nodes pull whatever was pushed last and two pods can run different code; pin a version tag or a digest',
  },
  check(ctx) {
    for (const { object, container, text, image } of movingImages(ctx.graph, ctx.sources))
      ctx.report({
        object,
        path: [...container.path, 'image'],
        messageId: image.tag === undefined ? 'untagged' : 'latest',
        data: {
          image: code(text),
          container: containerLabel(object, container),
        },
      });
  },
});
