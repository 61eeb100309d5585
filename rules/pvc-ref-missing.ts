import { defineRule, referencesTo, reportMissing } from '../src/api.js';

export default defineRule({
  id: 'pvc-ref-missing',
  category: 'wiring',
  severity: 'error',
  description: 'Require PersistentVolumeClaims mounted by pods to exist in their namespace',
  rationale:
    'A pod whose `persistentVolumeClaim.claimName` names a claim that does not exist is never ' +
    'scheduled: it stays Pending with `persistentvolumeclaim "…" not found`. Claims are looked up in ' +
    "the pod's own namespace. A StatefulSet volume named like one of its `volumeClaimTemplates` is " +
    'replaced by the per-pod claim and is not a reference, and the per-pod claims a StatefulSet ' +
    'creates (`<template>-<statefulset>-<ordinal>`) exist for other pods to mount. Severity follows ' +
    'the evidence: a close name is an error, a name missing among other claims the input defines ' +
    'there a warning, and otherwise an info that says how to declare a claim made elsewhere.',
  messages: {
    missing:
      '{{via}} of {{from}} mounts {{target}}, which is not defined{{where}}{{evidence}}: ' +
      'the pod stays Pending until it exists{{hint}}',
  },
  check(ctx) {
    for (const ref of referencesTo(ctx.graph, 'claims', 'PersistentVolumeClaim'))
      reportMissing(ctx, ref, 'missing', 'claims');
  },
});
