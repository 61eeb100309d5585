import { deepEqual, defineRule, objectLabel } from '../src/api.js';
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
    'and a warning across files of one application. Files in unrelated folders (neither folder contains ' +
    'the other) are taken to be separate applications, as in a repository of independent samples, and ' +
    'alternative variants of one application are not compared either: two files (or two folders) that ' +
    'define largely the same set of objects (the same set exactly, or at least two objects and half of ' +
    'the smaller set; a Deployment and a StatefulSet of one name count as one component), such as an ' +
    'all-in-one file next to per-service files, or a Deployment and a StatefulSet version of a ' +
    'database. They are never applied together. Within one folder, two definitions of one object are ' +
    'alternative versions of it when the file names read as versions of one thing (they start with the ' +
    'same word, and what differs holds a number: `route-reviews-v3.yaml` and `route-all-v1.yaml`, ' +
    '`job-2b.yaml` and `job-7b.yaml`), or when three or more files of the folder define the object and ' +
    'one of the two adds nothing of its own (every object in it is defined in another file there: a file ' +
    'to apply instead of, or on top of, the others). Two identical copies in different files are an ' +
    'info: applying both changes nothing, but they can drift apart.',
  messages: {
    duplicate:
      '{{object}} is defined again here (first defined {{first}}): when both are applied, ' +
      'this one silently replaces the other; remove or rename one of them',
    identical:
      '{{object}} is defined again here, identically (first defined {{first}}): applying both changes nothing ' +
      'today, but the two copies can drift apart; keep one of them',
  },
  check(ctx) {
    const groups = new Map<string, KObject[]>();
    for (const object of ctx.graph.objects) {
      // A kustomize patch restates part of an object of its base: not a second definition.
      if (object.name === '' || ctx.graph.isPatch(object.source.path)) continue;
      const key = identity(object);
      const group = groups.get(key);
      if (group) group.push(object);
      else groups.set(key, [object]);
    }
    for (const group of groups.values()) {
      if (group.length < 2) continue;
      // A definition is compared with the first earlier one in a related file that is not itself a duplicate
      // and is neither an alternative variant of its file nor an alternative version of the object.
      const firsts = ctx.graph.firstDefinitions();
      for (const object of group) {
        const first = firsts.find(object);
        if (first === undefined) firsts.add(object);
        else report(object, first);
      }
    }
    function report(object: KObject, first: KObject): void {
      const sameFile = first.source === object.source;
      // Two identical copies in two files change nothing when both are applied; they can only drift apart.
      const identical = !sameFile && deepEqual(first.written, object.written);
      ctx.report({
        object,
        path: ['metadata', 'name'],
        messageId: identical ? 'identical' : 'duplicate',
        data: {
          object: objectLabel(object),
          first: sameFile ? 'earlier in this file' : `in ${first.source.path}`,
        },
        related: [{ object: first, path: ['metadata', 'name'], message: `first definition of ${objectLabel(first)}` }],
        severity: sameFile ? 'error' : identical ? 'info' : 'warning',
      });
    }
  },
});
