import {
  asArray,
  code,
  defineRule,
  eachViolation,
  get,
  levelRequested,
  namespacePolicy,
  objectLabel,
  reportPodSecurity,
} from '../src/api.js';
import type { KObject } from '../src/api.js';

/** Host directories whose contents control the node or hold its credentials. */
const SENSITIVE = [
  '/',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib64',
  '/proc',
  '/root',
  '/sys',
  '/usr',
  '/var/run',
  '/run',
  '/var/lib/docker',
  '/var/lib/containerd',
];
/** Subtrees that hold cluster credentials (the kubelet's holds every pod's Secrets and tokens). */
const SENSITIVE_TREES = ['/etc/kubernetes', '/var/lib/kubelet', '/var/lib/etcd'];
/** Sockets of container runtimes (`docker.sock`, `containerd/containerd.sock`…); other sockets are not theirs. */
const RUNTIME = /(^|\/)(docker|containerd|crio|cri-dockerd|podman|dockershim)(\.sock)?$/;

function normalize(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed.replace(/\/{2,}/g, '/');
}

function hostPathKind(path: string): 'socket' | 'sensitive' | 'other' {
  const p = normalize(path);
  if (RUNTIME.test(p) && (p.startsWith('/var/run/') || p.startsWith('/run/') || p.startsWith('/var/lib/')))
    return 'socket';
  if (SENSITIVE.includes(p) || SENSITIVE_TREES.some((t) => p === t || p.startsWith(`${t}/`))) return 'sensitive';
  return 'other';
}

/** Whether some container mounts the volume without `readOnly: true`. */
function writable(object: KObject, volumeName: unknown): boolean {
  return (object.podTemplate?.containers ?? []).some((c) =>
    asArray(c.raw.volumeMounts).some((m) => get(m, 'name') === volumeName && get(m, 'readOnly') !== true),
  );
}

export default defineRule({
  id: 'host-path-sensitive',
  category: 'security',
  severity: 'warning',
  description: "Disallow hostPath volumes on the node's system directories and container runtime sockets",
  rationale:
    'A hostPath volume on `/`, `/etc`, `/proc`, `/sys`, `/dev`, `/boot`, `/lib`, `/usr`, `/root`, `/run`, ' +
    "the kubelet or etcd directories gives the pod the node's configuration and credentials; a container " +
    'runtime socket (`docker.sock`, `containerd.sock`, `crio.sock`) lets it start privileged containers ' +
    'on the node: both are root on the node. These are warnings (errors where a namespace enforces ' +
    '`baseline`; infos for a DaemonSet, a node agent, unless its namespace or `podSecurity:` asks for ' +
    '`baseline`). The Pod Security Standards forbid every hostPath from `baseline` up (control ' +
    '`hostPathVolumes`); other hostPaths (`/var/log`, a data directory) are reported only where ' +
    '`baseline` is asked for, by a namespace label or `podSecurity:` in `.kubewire.yaml`, because log ' +
    'shippers and node agents use them routinely. The message says "writable" when a container mounts the ' +
    'volume without `readOnly: true`.',
  messages: {
    socket:
      'hostPath volume {{subject}} mounts the container runtime socket {{path}}{{writable}}: the pod can start privileged containers on the node{{pss}}; remove it unless this is a node agent',
    sensitive:
      "hostPath volume {{subject}} mounts the node directory {{path}}{{writable}}: it exposes the node's configuration and credentials{{pss}}; mount a narrower directory, read-only, or use a ConfigMap, Secret or PersistentVolumeClaim",
    other:
      'hostPath volume {{subject}} mounts the node directory {{path}}{{writable}}{{pss}}; use a PersistentVolumeClaim or an emptyDir unless the pod must read the node',
  },
  check(ctx) {
    eachViolation(ctx, ['hostPathVolumes'], (object, v) => {
      const kind = hostPathKind(v.value);
      if (kind === 'other' && !levelRequested(namespacePolicy(ctx.graph, object.namespace ?? 'default'), 'baseline'))
        return;
      const volumeName = get(object.raw, ...v.path.slice(0, -2), 'name');
      const data = {
        subject: `${typeof volumeName === 'string' ? `${code(volumeName)} ` : ''}of ${objectLabel(object)}`,
        path: code(v.value),
        writable: writable(object, volumeName) ? ' writable' : '',
      };
      reportPodSecurity(ctx, object, v, kind, data);
    });
  },
});
