/**
 * What exists in the cluster outside the manifests, as declared in `.kubewire.yaml` (`cluster:`):
 * namespaces, storage classes (and the default one), ingress classes, and any object by
 * kind/namespace/name. Reference checks count these as present.
 */

export interface DeclaredObject {
  kind: string;
  /** null for cluster-scoped kinds (and for the "Kind/name" shorthand). */
  namespace: string | null;
  name: string;
}

export interface ClusterDeclaration {
  namespaces: readonly string[];
  storageClasses: readonly { name: string; default: boolean }[];
  ingressClasses: readonly { name: string; default: boolean }[];
  objects: readonly DeclaredObject[];
  /**
   * Nodes for the dry-run scheduler: entries of the compact form (`{name | namePrefix, count, cpu,
   * memory, …}`) or whole Node objects (from `--cluster FILE`). See src/schedule/cluster.ts.
   */
  nodes?: readonly Record<string, unknown>[];
  /** PriorityClasses that exist (`{name, value, globalDefault, preemptionPolicy}`) or PriorityClass objects. */
  priorityClasses?: readonly Record<string, unknown>[];
  /** StorageClass objects with their provisioner and binding mode (from `--cluster FILE`). */
  storageClassObjects?: readonly Record<string, unknown>[];
  /** Labels of namespaces declared as `{name, labels}` (the Pod Security labels are read from them). */
  namespaceLabels?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The Pod Security level pods are checked against outside labelled namespaces (`podSecurity:`). */
  podSecurity?: 'privileged' | 'baseline' | 'restricted';
  /** What set `podSecurity` when a preset did (`extends: kubewire:strict`); unset: `podSecurity:` itself. */
  podSecurityFrom?: string;
  /** Unsafe sysctls the kubelets allow (`--allowed-unsafe-sysctls`); a trailing `*` matches a prefix. */
  allowedUnsafeSysctls?: readonly string[];
}

export const EMPTY_CLUSTER: ClusterDeclaration = {
  namespaces: [],
  storageClasses: [],
  ingressClasses: [],
  objects: [],
};

/** Namespaces every cluster has. */
export const BUILTIN_NAMESPACES: readonly string[] = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

/** Namespaces the cluster and its add-ons fill: the input is no evidence of what they hold. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(['kube-system', 'kube-public', 'kube-node-lease']);

/** Roles every cluster has, by namespace (besides the `system:` ones). */
export const BUILTIN_ROLES: readonly { namespace: string; name: string }[] = [
  { namespace: 'kube-system', name: 'extension-apiserver-authentication-reader' },
];

/** Cluster roles every cluster has (besides the `system:` ones). */
export const BUILTIN_CLUSTER_ROLES: readonly string[] = ['admin', 'cluster-admin', 'edit', 'view'];

/** PriorityClasses every cluster has (the API server creates them; the `system-` prefix is reserved for them). */
export const BUILTIN_PRIORITY_CLASSES: readonly string[] = ['system-cluster-critical', 'system-node-critical'];

/** Parse the `Kind/namespace/name` and `Kind/name` shorthands. */
export function parseObjectShorthand(text: string): DeclaredObject | undefined {
  const parts = text.split('/');
  if (parts.some((p) => p === '')) return undefined;
  if (parts.length === 2) return { kind: parts[0] ?? '', namespace: null, name: parts[1] ?? '' };
  if (parts.length === 3) return { kind: parts[0] ?? '', namespace: parts[1] ?? '', name: parts[2] ?? '' };
  return undefined;
}
