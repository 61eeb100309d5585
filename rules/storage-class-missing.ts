import {
  asString,
  claimClass,
  code,
  defineRule,
  get,
  nameList,
  objectLabel,
  referencesTo,
  reportMissing,
} from '../src/api.js';
import type { KObject, Path } from '../src/api.js';

const DEFAULT_ANNOTATIONS = [
  'storageclass.kubernetes.io/is-default-class',
  'storageclass.beta.kubernetes.io/is-default-class',
];

function isDefaultClass(sc: KObject): boolean {
  return DEFAULT_ANNOTATIONS.some((a) => sc.annotations[a] === 'true');
}

export default defineRule({
  id: 'storage-class-missing',
  category: 'wiring',
  severity: 'error',
  description: 'Require the StorageClass of every claim to exist, and a default class for claims that name none',
  rationale:
    'A PersistentVolumeClaim (or a StatefulSet volumeClaimTemplate, or a generic ephemeral volume) ' +
    'naming a StorageClass the cluster lacks stays Pending forever, and so do the pods that mount it. ' +
    'StorageClasses usually come with the cluster, so the rule only judges when it knows them: from ' +
    'StorageClass objects in related files of the input (the same folder, or one containing the ' +
    'other) and `cluster.storageClasses` in .kubewire.yaml. With neither, ' +
    "no class is reported. A claim with no class uses the default class; when the cluster's classes " +
    'are declared and none is the default, such a claim can only bind a pre-created volume. ' +
    '`storageClassName: ""` means no class (static provisioning) and is never reported, and neither is ' +
    'a class named by a claim bound to a volume (`volumeName`) or by a PersistentVolume of the input: a ' +
    'statically provisioned volume only needs the class name to match, the StorageClass is used only to ' +
    'provision new volumes.',
  messages: {
    missing: '{{via}} of {{from}} asks for {{target}}, which {{known}}: the claim stays Pending{{hint}}',
    noDefault:
      '{{from}} names no StorageClass, so it uses the default class, but none of the declared classes ' +
      '({{classes}}) is the default: the claim stays Pending unless a matching volume exists; set `storageClassName`',
  },
  check(ctx) {
    const inputClasses = ctx.graph.ofKind('StorageClass', 'storage.k8s.io');
    const declared = ctx.graph.cluster.storageClasses;
    const names = [...new Set([...inputClasses.map((c) => c.name), ...declared.map((c) => c.name)])].sort();
    if (names.length === 0) return; // nothing known about the cluster's classes
    // When the cluster's classes are declared, a class outside them certainly does not exist.
    const certain = declared.length > 0 ? 'error' : undefined;
    // PersistentVolumes of the input, by class: a claim can bind them without the class existing.
    const volumesOf = new Map<string, KObject[]>();
    for (const pv of ctx.graph.ofKind('PersistentVolume', '')) {
      const cls = asString(get(pv.raw, 'spec', 'storageClassName'));
      if (cls !== undefined) volumesOf.set(cls, [...(volumesOf.get(cls) ?? []), pv]);
    }
    for (const ref of referencesTo(ctx.graph, 'uses-class', 'StorageClass')) {
      const r = ref.resolution;
      // A claim bound to a volume (statically provisioned) only needs the class name to match the volume's:
      // the StorageClass itself is consulted only to provision a new volume.
      const field = ref.path[ref.path.length - 1] === 'storageClassName' ? ref.path.slice(0, -1) : undefined;
      if (field !== undefined && asString(get(ref.from.raw, ...field, 'volumeName')) !== undefined) continue;
      if ((volumesOf.get(ref.target.name) ?? []).some((pv) => ctx.graph.related(pv.source.path, ref.from.source.path)))
        continue;
      // Classes the input defines count only in related files: one sample's classes say nothing about another's.
      const near = [
        ...new Set([
          ...inputClasses.filter((c) => ctx.graph.related(c.source.path, ref.from.source.path)).map((c) => c.name),
          ...declared.map((c) => c.name),
        ]),
      ].sort();
      if (near.length === 0) continue;
      const known = `is not among the known classes (${nameList(near, 5)})`;
      // The declared classes are the cluster's whole list: a missing one belongs there, not in cluster.objects.
      const data: Record<string, string> = { known };
      if (declared.length > 0 && r.status === 'missing' && r.suggestion === undefined)
        data.hint = '; if the cluster has it, add it to cluster.storageClasses in .kubewire.yaml';
      reportMissing(ctx, ref, 'missing', 'StorageClasses', data, certain);
    }
    const hasDefault = inputClasses.some(isDefaultClass) || declared.some((c) => c.default);
    if (hasDefault || declared.length === 0) return;
    const classes = nameList(names, 5);
    const unset = (object: KObject, spec: unknown, metadata: unknown, path: Path, label: string) => {
      if (claimClass(spec, metadata) !== undefined) return;
      // A claim bound statically (by volumeName or a selector) needs no class.
      if (asString(get(spec, 'volumeName')) !== undefined || get(spec, 'selector') !== undefined) return;
      ctx.report({ object, path, messageId: 'noDefault', data: { from: label, classes }, severity: 'warning' });
    };
    for (const pvc of ctx.graph.ofKind('PersistentVolumeClaim', ''))
      unset(pvc, get(pvc.raw, 'spec'), pvc.raw.metadata, ['spec'], objectLabel(pvc));
    for (const sts of ctx.graph.ofKind('StatefulSet', 'apps')) {
      const templates = get(sts.raw, 'spec', 'volumeClaimTemplates');
      if (!Array.isArray(templates)) continue;
      templates.forEach((t, i) => {
        unset(
          sts,
          get(t, 'spec'),
          get(t, 'metadata'),
          ['spec', 'volumeClaimTemplates', i, 'spec'],
          `volumeClaimTemplate ${code(asString(get(t, 'metadata', 'name')) ?? '?')} of ${objectLabel(sts)}`,
        );
      });
    }
  },
});
