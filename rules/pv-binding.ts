import {
  asArray,
  asString,
  claimClass,
  code,
  defineRule,
  get,
  nameList,
  objectLabel,
  parseQuantity,
  referencesTo,
  reportMissing,
} from '../src/api.js';
import type { KObject } from '../src/api.js';

function modes(object: KObject): string[] {
  return asArray(get(object.raw, 'spec', 'accessModes')).filter((m): m is string => typeof m === 'string');
}

export default defineRule({
  id: 'pv-binding',
  category: 'wiring',
  severity: 'error',
  description: 'Require a claim bound by volumeName to a PersistentVolume that can take it, and claimRefs that agree',
  rationale:
    'A claim with `volumeName` binds only that PersistentVolume, and only if the volume exists, is ' +
    'not reserved for another claim (`claimRef`), has the same storage class, offers every access ' +
    'mode the claim asks for and is at least as large as the request. Otherwise the claim stays ' +
    'Pending with no event that names the cause. A volume whose `claimRef` names a claim of the input ' +
    'that binds a different volume is reported on the volume, and so is a `claimRef` without a ' +
    'namespace: it matches no claim at all.',
  messages: {
    missing: '{{from}} binds {{target}}, which is not defined{{evidence}}: the claim stays Pending{{hint}}',
    reserved:
      '{{from}} binds {{pv}}, but that volume is reserved for claim {{claim}} (its claimRef): ' +
      'the claim stays Pending; bind another volume or change the claimRef',
    classMismatch:
      '{{from}} has storage class `{{pvcClass}}` but binds {{pv}} of class `{{pvClass}}`: classes must match, ' +
      'so the claim stays Pending; give both the same storageClassName',
    modes:
      '{{from}} asks for access modes {{wanted}}, but {{pv}} offers only {{offered}}: the claim stays Pending; ' +
      'ask only for modes the volume offers',
    tooSmall:
      '{{from}} requests {{request}} of storage, but {{pv}} has only {{capacity}}: the claim stays Pending; ' +
      'request at most {{capacity}} or bind a larger volume',
    claimRefOther:
      '{{pv}} is reserved for {{pvc}}, but that claim binds volume `{{other}}`: neither binds the other; ' +
      'make claimRef and volumeName agree',
    claimRefNamespace:
      '{{pv}} is reserved for claim `{{claim}}`, but its claimRef has no namespace, so it matches no claim ' +
      'and the volume never binds; set `claimRef.namespace`{{hint}}',
  },
  check(ctx) {
    for (const ref of referencesTo(ctx.graph, 'binds', 'PersistentVolume')) {
      const r = ref.resolution;
      const pvc = ref.from;
      const from = objectLabel(pvc);
      if (r.status === 'missing') {
        reportMissing(ctx, ref, 'missing', 'PersistentVolumes');
        continue;
      }
      if (r.status !== 'found') continue;
      for (const pv of r.objects) {
        const data = { from, pv: objectLabel(pv) };
        const related = [{ object: pv, path: ['metadata', 'name'], message: `${objectLabel(pv)} is defined here` }];
        const claimRef = get(pv.raw, 'spec', 'claimRef');
        const refName = asString(get(claimRef, 'name'));
        // A claimRef without a namespace matches no claim (reported on the volume below).
        const refNs = asString(get(claimRef, 'namespace'));
        if (refName !== undefined && refNs === undefined && refName === pvc.name) continue;
        if (refName !== undefined && (refName !== pvc.name || refNs !== pvc.namespace)) {
          ctx.report({
            object: pvc,
            path: ref.path,
            messageId: 'reserved',
            data: { ...data, claim: code(refNs === undefined ? refName : `${refNs}/${refName}`) },
            related: [{ object: pv, path: ['spec', 'claimRef'], message: "the volume's claimRef" }],
          });
          continue;
        }
        const pvcClass = claimClass(get(pvc.raw, 'spec'), pvc.raw.metadata);
        const pvClass =
          asString(get(pv.raw, 'spec', 'storageClassName')) ??
          pv.annotations['volume.beta.kubernetes.io/storage-class'] ??
          '';
        if (pvcClass !== undefined && pvcClass !== pvClass) {
          ctx.report({
            object: pvc,
            path: ['spec', 'storageClassName'],
            messageId: 'classMismatch',
            data: { ...data, pvcClass, pvClass },
            related,
          });
        }
        const wanted = modes(pvc);
        const offered = modes(pv);
        if (wanted.length > 0 && offered.length > 0 && wanted.some((m) => !offered.includes(m))) {
          ctx.report({
            object: pvc,
            path: ['spec', 'accessModes'],
            messageId: 'modes',
            data: { ...data, wanted: nameList(wanted), offered: nameList(offered) },
            related,
          });
        }
        const request = get(pvc.raw, 'spec', 'resources', 'requests', 'storage');
        const capacity = get(pv.raw, 'spec', 'capacity', 'storage');
        const requested = parseQuantity(request);
        const available = parseQuantity(capacity);
        if (requested !== undefined && available !== undefined && available < requested) {
          ctx.report({
            object: pvc,
            path: ['spec', 'resources', 'requests', 'storage'],
            messageId: 'tooSmall',
            data: { ...data, request: code(String(request)), capacity: code(String(capacity)) },
            related,
          });
        }
      }
    }
    for (const pv of ctx.graph.ofKind('PersistentVolume', '')) {
      const refName = asString(get(pv.raw, 'spec', 'claimRef', 'name'));
      if (refName === undefined) continue;
      const refNs = asString(get(pv.raw, 'spec', 'claimRef', 'namespace'));
      if (refNs === undefined) {
        // The claim the volume is meant for: one of that name that binds it by volumeName.
        const meant = ctx.graph
          .ofKind('PersistentVolumeClaim', '')
          .find((c) => c.name === refName && asString(get(c.raw, 'spec', 'volumeName')) === pv.name);
        ctx.report({
          object: pv,
          path: ['spec', 'claimRef', 'name'],
          messageId: 'claimRefNamespace',
          data: {
            pv: objectLabel(pv),
            claim: refName,
            hint: meant?.namespace ? ` to ${code(meant.namespace)} (${objectLabel(meant)} binds it by volumeName)` : '',
          },
          related: meant
            ? [{ object: meant, path: ['spec', 'volumeName'], message: `the volumeName of ${objectLabel(meant)}` }]
            : [],
        });
        continue;
      }
      for (const pvc of ctx.graph.find('PersistentVolumeClaim', refNs, refName)) {
        const other = asString(get(pvc.raw, 'spec', 'volumeName'));
        if (other === undefined || other === pv.name) continue;
        ctx.report({
          object: pv,
          path: ['spec', 'claimRef', 'name'],
          messageId: 'claimRefOther',
          data: { pv: objectLabel(pv), pvc: objectLabel(pvc), other },
          related: [{ object: pvc, path: ['spec', 'volumeName'], message: `the volumeName of ${objectLabel(pvc)}` }],
        });
      }
    }
  },
});
