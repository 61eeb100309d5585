import { defineRule, objectLabel, relatedFiles } from '../src/api.js';
import type { KObject } from '../src/api.js';

/** Groups that serve the same resources: an old-group object and a new-group one are the same object. */
const SAME_RESOURCE: Record<string, Record<string, string>> = {
  extensions: {
    Deployment: 'apps',
    DaemonSet: 'apps',
    ReplicaSet: 'apps',
    Ingress: 'networking.k8s.io',
    NetworkPolicy: 'networking.k8s.io',
  },
  'networking.k8s.io': {},
  apps: {},
};

function identity(o: KObject): string {
  const group = SAME_RESOURCE[o.group]?.[o.kind] ?? o.group;
  return `${group}\u0000${o.kind}\u0000${o.namespace ?? ''}\u0000${o.name}`;
}

export default defineRule({
  id: 'duplicate-object',
  category: 'wiring',
  severity: 'error',
  description: 'Disallow two documents that define the same object',
  rationale:
    'Two documents with the same group, kind, namespace and name are one object in the cluster: ' +
    '`kubectl apply` applies both and the later one silently replaces the earlier, so whichever file ' +
    'sorts last wins. Namespaces are compared after defaulting, so an object without a namespace and ' +
    'one in `default` are the same. It is an error when both are in one file, where it cannot be intended, ' +
    'and a warning across files, where the input may combine variants of one app (a base and a bundle). ' +
    'Files in unrelated folders (neither folder contains the other) are taken to be separate ' +
    'applications, as in a repository of independent samples, and are not compared.',
  messages: {
    duplicate:
      '{{object}} is defined again here (first defined {{first}}): when both are applied, ' +
      'this one silently replaces the other; remove or rename one of them',
  },
  check(ctx) {
    const seen = new Map<string, KObject[]>();
    for (const object of ctx.graph.objects) {
      if (object.name === '') continue;
      const key = identity(object);
      const earlier = seen.get(key) ?? [];
      const first = earlier.find((o) => relatedFiles(o.source.path, object.source.path));
      if (first === undefined) {
        seen.set(key, [...earlier, object]);
        continue;
      }
      const sameFile = first.source === object.source;
      ctx.report({
        object,
        path: ['metadata', 'name'],
        messageId: 'duplicate',
        data: {
          object: objectLabel(object),
          first: sameFile ? 'earlier in this file' : `in ${first.source.path}`,
        },
        related: [{ object: first, path: ['metadata', 'name'], message: `first definition of ${objectLabel(first)}` }],
        severity: sameFile ? 'error' : 'warning',
      });
    }
  },
});
