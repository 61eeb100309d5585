import {
  asArray,
  asNumber,
  asRecord,
  asString,
  closestMatch,
  code,
  containerLabel,
  defineRule,
  dns1123LabelProblem,
  isKustomizePatch,
  isRecord,
  looksLikePlaceholder,
  nameList,
  objectLabel,
  serverValue,
  suggestion,
} from '../src/api.js';
import type { KObject, Path, RuleContext } from '../src/api.js';

type MessageId =
  | 'name'
  | 'duplicateName'
  | 'manySources'
  | 'mountNotFound'
  | 'mountPathDuplicate'
  | 'subPathAbsolute'
  | 'subPathBackstep'
  | 'subPathBoth'
  | 'mode'
  | 'recursiveReadOnly'
  | 'deviceNotFound'
  | 'deviceNotClaim'
  | 'deviceMountClash';
type Ctx = RuleContext<MessageId>;

/** The fields of core/v1 VolumeSource: a volume names at most one (none is defaulted to `emptyDir`). */
const SOURCES = [
  'hostPath',
  'emptyDir',
  'gcePersistentDisk',
  'awsElasticBlockStore',
  'gitRepo',
  'secret',
  'nfs',
  'iscsi',
  'glusterfs',
  'persistentVolumeClaim',
  'rbd',
  'flexVolume',
  'cinder',
  'cephfs',
  'flocker',
  'downwardAPI',
  'fc',
  'azureFile',
  'configMap',
  'vsphereVolume',
  'quobyte',
  'azureDisk',
  'photonPersistentDisk',
  'projected',
  'portworxVolume',
  'scaleIO',
  'storageos',
  'csi',
  'ephemeral',
  'image',
];

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** validateLocalDescendingPath: relative, and no `..` element. */
function subPathProblem(value: string): 'subPathAbsolute' | 'subPathBackstep' | undefined {
  if (value.startsWith('/') || /^[A-Za-z]:[\\/]/.test(value) || value.startsWith('\\')) return 'subPathAbsolute';
  if (value.split(/[\\/]/).includes('..')) return 'subPathBackstep';
  return undefined;
}

/** fileModeErrorMsg: 0 to 0777 (511). */
function checkMode(ctx: Ctx, object: KObject, value: unknown, path: Path): void {
  const mode = asNumber(value);
  if (mode === undefined || (Number.isInteger(mode) && mode >= 0 && mode <= 0o777)) return;
  ctx.report({ object, path, messageId: 'mode', data: { field: String(path.at(-1)), value: String(mode) } });
}

function checkModes(ctx: Ctx, object: KObject, volume: Record<string, unknown>, at: Path): void {
  for (const source of ['secret', 'configMap', 'downwardAPI', 'projected']) {
    const s = asRecord(volume[source]);
    if (s === undefined) continue;
    checkMode(ctx, object, s.defaultMode, [...at, source, 'defaultMode']);
    asArray(s.items).forEach((item, i) => {
      checkMode(ctx, object, get(item, 'mode'), [...at, source, 'items', i, 'mode']);
    });
    asArray(s.sources).forEach((projection, p) => {
      if (!isRecord(projection)) return;
      for (const [kind, value] of Object.entries(projection))
        asArray(get(value, 'items')).forEach((item, i) => {
          checkMode(ctx, object, get(item, 'mode'), [...at, source, 'sources', p, kind, 'items', i, 'mode']);
        });
    });
  }
}

function get(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

export default defineRule<MessageId>({
  id: 'volume-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report volumes and volume mounts the API server rejects',
  rationale:
    'The API server checks the volumes of a pod and how each container mounts them (`ValidateVolumes` in ' +
    'pkg/apis/core/validation/volumes.go, `ValidateVolumeMounts` and `ValidateVolumeDevices` in ' +
    'validation.go): volume names are DNS-1123 labels, unique in the pod; a volume has at most one source ' +
    '(none at all is defaulted to `emptyDir`); every volumeMount names a volume of the pod, and a mountPath ' +
    'is used once per container; `subPath` and `subPathExpr` are relative paths without `..` and exclusive; ' +
    '`recursiveReadOnly` needs `readOnly: true`; file modes (`defaultMode`, `mode`) lie between 0 and 0777 ' +
    '(read as the API server decodes them: `0644` is octal); a volumeDevice names a claim-backed volume not ' +
    'also mounted as a filesystem. `kubectl apply` rejects the whole object on any of these.',
  messages: {
    name: 'volume name `{{name}}` of {{workload}} is not valid: {{problem}}',
    duplicateName:
      'two volumes of {{workload}} are named `{{name}}`: volume names must be unique in a pod; rename or merge one',
    manySources:
      'volume `{{name}}` of {{workload}} has {{count}} sources ({{sources}}): a volume has exactly one ' +
      'source; split it into one volume per source',
    mountNotFound:
      'volumeMount `{{name}}` of {{container}} names no volume of the pod (its volumes: ' +
      '{{volumes}}): add the volume or fix the name{{guess}}',
    mountPathDuplicate:
      'mountPath `{{path}}` of {{container}} is used by two volumeMounts: a path can hold one mount; use ' +
      'another path or a `subPath`',
    subPathAbsolute:
      '`{{field}}` `{{value}}` of {{container}} must be a relative path inside the volume: remove the leading `/`',
    subPathBackstep: '`{{field}}` `{{value}}` of {{container}} must not contain `..`: it may not leave the volume',
    subPathBoth:
      'a volumeMount of {{container}} sets both `subPath` and `subPathExpr`, which are mutually exclusive: keep one',
    mode:
      '`{{field}}` is {{value}}, outside the file modes 0 to 0777 (octal; 511 in decimal): write the mode ' +
      'in octal with a leading zero, e.g. `0644`, or in decimal, e.g. `420`',
    recursiveReadOnly:
      'volumeMount `{{name}}` of {{container}} sets `recursiveReadOnly: {{value}}` without `readOnly: ' +
      'true`: set `readOnly: true` or remove it',
    deviceNotFound:
      'volumeDevice `{{name}}` of {{container}} names no volume of the pod (its volumes: {{volumes}}): ' +
      'add the volume or fix the name',
    deviceNotClaim:
      'volumeDevice `{{name}}` of {{container}} uses a volume that is not a `persistentVolumeClaim` or ' +
      '`ephemeral` volume: block devices come only from claims',
    deviceMountClash:
      'volume `{{name}}` is both a volumeMount and a volumeDevice of {{container}}: a volume is mounted as ' +
      'a filesystem or attached as a block device, not both',
  },
  check(ctx) {
    for (const object of ctx.graph.withPodTemplates()) {
      const template = object.podTemplate;
      if (template === undefined) continue;
      const spec = asRecord(serverValue(object, template.specPath)) ?? {};
      const volumes = new Map<string, { path: Path; claim: boolean }>();
      asArray(spec.volumes).forEach((volume, i) => {
        if (!isRecord(volume)) return;
        const at: Path = [...template.specPath, 'volumes', i];
        const name = asString(volume.name) ?? '';
        const sources = Object.keys(volume).filter((s) => SOURCES.includes(s) && present(volume[s]));
        let ok = true;
        if (name !== '' && !looksLikePlaceholder(name)) {
          const problem = dns1123LabelProblem(name);
          if (problem !== undefined) {
            ok = false;
            ctx.report({
              object,
              path: [...at, 'name'],
              messageId: 'name',
              data: { name, workload: objectLabel(object), problem },
            });
          }
          const first = volumes.get(name);
          if (first !== undefined) {
            ok = false;
            ctx.report({
              object,
              path: [...at, 'name'],
              messageId: 'duplicateName',
              data: { name, workload: objectLabel(object) },
              related: [{ object, path: [...first.path, 'name'], message: `the first volume named ${code(name)}` }],
            });
          }
        }
        if (sources.length > 1)
          ctx.report({
            object,
            path: [...at, sources[1] ?? ''],
            key: true,
            messageId: 'manySources',
            data: { name, workload: objectLabel(object), count: sources.length, sources: nameList(sources, 4) },
          });
        checkModes(ctx, object, volume, at);
        if (ok && name !== '' && !volumes.has(name))
          volumes.set(name, {
            path: at,
            claim: present(volume.persistentVolumeClaim) || present(volume.ephemeral),
          });
      });
      // The StatefulSet controller adds a volume per volumeClaimTemplate (replacing a template volume of the
      // same name) to every pod it creates; upstream leaves the template's volumes unvalidated for that reason.
      if (object.kind === 'StatefulSet')
        asArray(serverValue(object, ['spec', 'volumeClaimTemplates'])).forEach((claim, i) => {
          const name = asString(get(get(claim, 'metadata'), 'name'));
          if (name !== undefined && name !== '')
            volumes.set(name, { path: ['spec', 'volumeClaimTemplates', i, 'metadata'], claim: true });
        });
      const volumeNames = [...volumes.keys()];
      // A kustomize patch is partial: the volumes its mounts name may be in the base.
      const partial = isKustomizePatch(ctx, object);
      for (const c of template.containers) {
        const raw = asRecord(serverValue(object, c.path));
        if (raw === undefined) continue;
        const mountPaths = new Set<string>();
        const mounted = new Set<string>();
        asArray(raw.volumeMounts).forEach((mount, i) => {
          if (!isRecord(mount)) return;
          const at: Path = [...c.path, 'volumeMounts', i];
          const name = asString(mount.name);
          if (name !== undefined) {
            mounted.add(name);
            if (name !== '' && !volumes.has(name) && !partial && !looksLikePlaceholder(name)) {
              const guess = closestMatch(name, volumeNames);
              ctx.report({
                object,
                path: [...at, 'name'],
                messageId: 'mountNotFound',
                data: {
                  name,
                  container: containerLabel(object, c),
                  volumes: nameList(volumeNames),
                  guess: suggestion(guess),
                },
                ...(guess !== undefined ? { suggestion: { value: guess } } : {}),
                related:
                  volumeNames.length > 0
                    ? [{ object, path: [...template.specPath, 'volumes'], message: 'the volumes of the pod' }]
                    : [],
              });
            }
          }
          const mountPath = asString(mount.mountPath);
          if (mountPath !== undefined && mountPath !== '') {
            if (mountPaths.has(mountPath))
              ctx.report({
                object,
                path: [...at, 'mountPath'],
                messageId: 'mountPathDuplicate',
                data: { path: mountPath, container: containerLabel(object, c) },
              });
            mountPaths.add(mountPath);
          }
          const subPath = asString(mount.subPath) ?? '';
          const subPathExpr = asString(mount.subPathExpr) ?? '';
          for (const [field, value] of [
            ['subPath', subPath],
            ['subPathExpr', subPathExpr],
          ] as const) {
            if (value === '') continue;
            const problem = subPathProblem(value);
            if (problem !== undefined)
              ctx.report({
                object,
                path: [...at, field],
                messageId: problem,
                data: { field, value, container: containerLabel(object, c) },
              });
          }
          if (subPath !== '' && subPathExpr !== '')
            ctx.report({
              object,
              path: [...at, 'subPathExpr'],
              messageId: 'subPathBoth',
              data: { container: containerLabel(object, c) },
            });
          const recursive = asString(mount.recursiveReadOnly);
          if (recursive !== undefined && recursive !== '' && recursive !== 'Disabled' && mount.readOnly !== true)
            ctx.report({
              object,
              path: [...at, 'recursiveReadOnly'],
              messageId: 'recursiveReadOnly',
              data: { name: name ?? '', value: recursive, container: containerLabel(object, c) },
            });
        });
        asArray(raw.volumeDevices).forEach((device, i) => {
          const name = asString(get(device, 'name'));
          if (name === undefined || name === '') return;
          const at: Path = [...c.path, 'volumeDevices', i, 'name'];
          const data = { name, container: containerLabel(object, c), volumes: nameList(volumeNames) };
          const volume = volumes.get(name);
          if (volume === undefined) {
            if (!partial) ctx.report({ object, path: at, messageId: 'deviceNotFound', data });
          } else if (!volume.claim) ctx.report({ object, path: at, messageId: 'deviceNotClaim', data });
          if (mounted.has(name)) ctx.report({ object, path: at, messageId: 'deviceMountClash', data });
        });
      }
    }
  },
});
