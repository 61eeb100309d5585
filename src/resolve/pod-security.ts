/**
 * The Pod Security Standards, control by control, as the Pod Security admission controller evaluates them
 * (k8s.io/pod-security-admission/policy/check_*.go, policy versions up to 1.36), and the policy of each
 * namespace: the `pod-security.kubernetes.io/enforce|warn|audit` labels of Namespaces in the input or in
 * `cluster.namespaces`, else the configuration's `podSecurity:` level.
 *
 * `podSecurityViolations()` lists every offending field of a pod template (one violation per field, so a
 * rule can point at it); `judgePodSecurity()` turns a violation into a severity and the words that explain
 * it: an enforced level is an error (admission rejects the pod), a `warn`/`audit` label or the configured
 * level is a warning, a restricted-only violation below them is an info. A node agent (a DaemonSet) breaking
 * the default baseline is an info: the privileged level is meant for such system workloads, and only a
 * namespace label or `podSecurity:` written in the configuration asks it for more. A restricted-only violation that
 * comes from a field left unset (no `runAsNonRoot`, no `seccompProfile`, no `drop: [ALL]`…) is reported
 * only where the restricted level is asked for: almost every manifest leaves them unset, and the kubelet
 * may already default some of them.
 */
import type { Graph } from '../model/graph.js';
import { code, containerLabel, objectLabel } from '../model/phrase.js';
import type { MessageData, RuleContext } from '../rule-types.js';
import { asArray, asRecord, asString, get, isRecord } from '../model/values.js';
import { atLeast } from '../schema/apis.js';
import type { ContainerInfo, KObject, Path, PodTemplate, Severity } from '../types.js';

export type PodSecurityLevel = 'privileged' | 'baseline' | 'restricted';
export const POD_SECURITY_LEVELS: readonly PodSecurityLevel[] = ['privileged', 'baseline', 'restricted'];

/** The check ids of k8s.io/pod-security-admission. */
export type PodSecurityControl =
  | 'hostNamespaces'
  | 'privileged'
  | 'capabilities_baseline'
  | 'hostPathVolumes'
  | 'hostPorts'
  | 'appArmorProfile'
  | 'seLinuxOptions'
  | 'procMount'
  | 'seccompProfile_baseline'
  | 'sysctls'
  | 'windowsHostProcess'
  | 'hostProbesAndHostLifecycle'
  | 'restrictedVolumes'
  | 'allowPrivilegeEscalation'
  | 'runAsNonRoot'
  | 'runAsUser'
  | 'seccompProfile_restricted'
  | 'capabilities_restricted';

export interface PodSecurityViolation {
  control: PodSecurityControl;
  /** The lowest level that forbids it. */
  level: 'baseline' | 'restricted';
  /** The offending field, relative to the object (for something missing: the nearest field that exists). */
  path: Path;
  /** Underline the key rather than the value. */
  key?: boolean;
  /** The container concerned, when the field is a container's. */
  container?: ContainerInfo;
  /** True when the violation is a field left unset (the restricted level requires it set). */
  implicit: boolean;
  /** The offending value as written (a capability, a path, a sysctl…), or '' when implicit. */
  value: string;
  /** A sub-case, for rules with several messages (e.g. `pod` vs `container` level, `annotation`). */
  variant?: string;
}

export const LABEL_PREFIX = 'pod-security.kubernetes.io/';
export type PodSecurityMode = 'enforce' | 'warn' | 'audit';
const MODES: readonly PodSecurityMode[] = ['enforce', 'warn', 'audit'];

export interface ModePolicy {
  level: PodSecurityLevel;
  /** The pinned policy version ("1.30"), or undefined for `latest` / no `-version` label. */
  version: string | undefined;
  /** Where the label is: a Namespace of the input, or `cluster.namespaces` of the configuration. */
  from: KObject | 'cluster';
}

export interface NamespacePolicy {
  namespace: string;
  modes: Partial<Record<PodSecurityMode, ModePolicy>>;
  /** The configuration's `podSecurity:`, or baseline. */
  target: PodSecurityLevel;
  /** Whether `podSecurity:` was written in the configuration. */
  targetExplicit: boolean;
}

const RANK: Record<PodSecurityLevel, number> = { privileged: 0, baseline: 1, restricted: 2 };

/** Whether a level forbids what a violation of `level` does. */
export function levelForbids(policy: PodSecurityLevel, level: 'baseline' | 'restricted'): boolean {
  return RANK[policy] >= RANK[level];
}

function parseLevel(value: string | undefined): PodSecurityLevel | undefined {
  return value === 'privileged' || value === 'baseline' || value === 'restricted' ? value : undefined;
}

function parseVersion(value: string | undefined): string | undefined {
  const m = value === undefined ? null : /^v(\d+)\.(\d+)$/.exec(value.trim());
  return m ? `${m[1] ?? ''}.${m[2] ?? ''}` : undefined;
}

/** The Pod Security policy of a namespace (memoised per graph). */
export function namespacePolicy(graph: Graph, namespace: string): NamespacePolicy {
  return graph.memo(`pod-security:policy:${namespace}`, () => {
    const modes: Partial<Record<PodSecurityMode, ModePolicy>> = {};
    const read = (labels: Readonly<Record<string, string>>, from: KObject | 'cluster') => {
      for (const mode of MODES) {
        const level = parseLevel(labels[`${LABEL_PREFIX}${mode}`]);
        if (level === undefined) continue;
        modes[mode] = { level, version: parseVersion(labels[`${LABEL_PREFIX}${mode}-version`]), from };
      }
    };
    const declared = graph.cluster.namespaceLabels?.[namespace];
    if (declared !== undefined) read(declared, 'cluster');
    // A Namespace of the input wins over the declaration: it is what gets applied.
    const object = graph.find('Namespace', null, namespace)[0];
    if (object !== undefined) read(object.labels, object);
    const target = graph.cluster.podSecurity;
    return { namespace, modes, target: target ?? 'baseline', targetExplicit: target !== undefined };
  });
}

/** Whether anything asks for the restricted level in a namespace (a label or the configuration). */
export function restrictedRequested(policy: NamespacePolicy): boolean {
  return policy.target === 'restricted' || MODES.some((m) => policy.modes[m]?.level === 'restricted');
}

/** Whether baseline is asked for explicitly (a label or `podSecurity:` written in the configuration). */
export function levelRequested(policy: NamespacePolicy, level: 'baseline' | 'restricted'): boolean {
  return (
    (policy.targetExplicit && levelForbids(policy.target, level)) ||
    MODES.some((m) => {
      const p = policy.modes[m];
      return p !== undefined && levelForbids(p.level, level);
    })
  );
}

export interface PodSecurityJudgement {
  severity: Severity;
  /** Words for the message, starting with "; ": why this severity (the label, the level). */
  reason: string;
  /** Where the deciding label is, for a related location. */
  label?: { object: KObject; path: Path; message: string };
}

/**
 * The severity of a violation in its namespace, or undefined when it should not be reported (an implicit
 * restricted-only violation where nothing asks for restricted).
 */
export function judgePodSecurity(
  graph: Graph,
  object: KObject,
  violation: Pick<PodSecurityViolation, 'level' | 'implicit'>,
): PodSecurityJudgement | undefined {
  const policy = namespacePolicy(graph, object.namespace ?? 'default');
  const where = code(policy.namespace);
  const labelled = (mode: PodSecurityMode, p: ModePolicy, severity: Severity, consequence: string) => {
    const label = `${LABEL_PREFIX}${mode}`;
    const origin = p.from === 'cluster' ? ' (declared in .kubewire.yaml)' : '';
    return {
      severity,
      reason: `; namespace ${where} ${mode === 'enforce' ? 'enforces' : mode === 'warn' ? 'warns on' : 'audits'} the Pod Security level ${code(p.level)} (label ${code(`${label}: ${p.level}`)}${origin})${consequence}`,
      ...(p.from !== 'cluster'
        ? {
            label: {
              object: p.from,
              path: ['metadata', 'labels', label],
              message: `namespace ${where} ${mode}s Pod Security ${code(p.level)}`,
            },
          }
        : {}),
    };
  };
  const enforce = policy.modes.enforce;
  if (enforce !== undefined && levelForbids(enforce.level, violation.level))
    return labelled('enforce', enforce, 'error', ': admission rejects the pod');
  for (const mode of ['warn', 'audit'] as const) {
    const p = policy.modes[mode];
    if (p !== undefined && levelForbids(p.level, violation.level))
      return labelled(mode, p, 'warning', mode === 'warn' ? ': kubectl warns on every apply' : '');
  }
  if (violation.implicit && violation.level === 'restricted' && !restrictedRequested(policy)) return undefined;
  if (enforce !== undefined) {
    // The namespace states its level: what it allows is the owner's decision, worth an info at most.
    const lower = labelled('enforce', enforce, 'info', '');
    return {
      ...lower,
      reason: lower.reason.replace(' enforces the Pod Security level', ' enforces only the Pod Security level'),
    };
  }
  const configured = policy.targetExplicit
    ? ` (${code(graph.cluster.podSecurityFrom ?? 'podSecurity')} in .kubewire.yaml)`
    : '';
  if (levelForbids(policy.target, violation.level) && !policy.targetExplicit && object.kind === 'DaemonSet')
    // A node agent (log shipper, metrics exporter, CNI or CSI plugin) needs the node: the privileged level is
    // meant for such system workloads, and nothing in the input asks this namespace for more.
    return {
      severity: 'info',
      reason:
        `; the Pod Security level ${code(violation.level)} forbids it, but a DaemonSet is a node agent, ` +
        'a system workload the level `privileged` is meant for; to hold it to ' +
        `${code(violation.level)}, label namespace ${where} ${code(`${LABEL_PREFIX}warn: ${violation.level}`)} ` +
        'or set `podSecurity:` in .kubewire.yaml',
    };
  if (levelForbids(policy.target, violation.level))
    return { severity: 'warning', reason: `; the Pod Security level ${code(violation.level)} forbids it${configured}` };
  return {
    severity: 'info',
    reason: `; only the Pod Security level ${code(violation.level)} forbids it${configured}`,
  };
}

/** The policy version the namespace's pods are checked at: the pinned `enforce-version`, else the target. */
export function policyVersion(graph: Graph, object: KObject, kubernetesVersion: string): string {
  return namespacePolicy(graph, object.namespace ?? 'default').modes.enforce?.version ?? kubernetesVersion;
}

// ---------------------------------------------------------------------------------------------------------
// The controls.

/** check_capabilities_baseline.go: capabilities a container may add under baseline. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

/** check_sysctls.go: the safe sysctls, by the policy version that made them safe. */
const SAFE_SYSCTLS: readonly (readonly [string, string])[] = [
  ['kernel.shm_rmid_forced', '1.0'],
  ['net.ipv4.ip_local_port_range', '1.0'],
  ['net.ipv4.tcp_syncookies', '1.0'],
  ['net.ipv4.ping_group_range', '1.0'],
  ['net.ipv4.ip_unprivileged_port_start', '1.0'],
  ['net.ipv4.ip_local_reserved_ports', '1.27'],
  ['net.ipv4.tcp_keepalive_time', '1.29'],
  ['net.ipv4.tcp_fin_timeout', '1.29'],
  ['net.ipv4.tcp_keepalive_intvl', '1.29'],
  ['net.ipv4.tcp_keepalive_probes', '1.29'],
  ['net.ipv4.tcp_rmem', '1.32'],
  ['net.ipv4.tcp_wmem', '1.32'],
  ['net.ipv4.tcp_slow_start_after_idle', '1.37'],
  ['net.ipv4.tcp_notsent_lowat', '1.37'],
];

/** Whether a sysctl is in the safe set at a version (the kubelet's safe set follows the same list). */
export function isSafeSysctl(name: string, version: string): boolean {
  // The kubelet accepts the slash-separated form too (net/ipv4/ip_local_port_range).
  const dotted = name.includes('/') && !name.includes('.') ? name.replace(/\//g, '.') : name;
  return SAFE_SYSCTLS.some(([n, since]) => n === dotted && atLeast(version, since));
}

/** check_restrictedVolumes.go: the volume types restricted allows (`image` since the fix in 1.33). */
const RESTRICTED_VOLUME_TYPES = new Set([
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret',
]);

const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t']);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** Container security context fields, with the pod-level ones they inherit. */
export interface EffectiveSecurity {
  runAsNonRoot: boolean | undefined;
  /** Where runAsNonRoot is set (container or pod). */
  runAsNonRootPath: Path | undefined;
  runAsUser: number | undefined;
  runAsUserPath: Path | undefined;
}

/** runAsNonRoot and runAsUser of a container, the container's own value winning over the pod's. */
export function effectiveSecurity(template: PodTemplate, container: ContainerInfo): EffectiveSecurity {
  const podSc = asRecord(template.spec.securityContext);
  const sc = asRecord(container.raw.securityContext);
  const pick = (field: string, test: (v: unknown) => boolean) => {
    if (sc !== undefined && test(sc[field]))
      return { value: sc[field], path: [...container.path, 'securityContext', field] as Path };
    if (podSc !== undefined && test(podSc[field]))
      return { value: podSc[field], path: [...template.specPath, 'securityContext', field] as Path };
    return undefined;
  };
  const nonRoot = pick('runAsNonRoot', (v) => typeof v === 'boolean');
  const user = pick('runAsUser', (v) => typeof v === 'number');
  return {
    runAsNonRoot: nonRoot?.value as boolean | undefined,
    runAsNonRootPath: nonRoot?.path,
    runAsUser: user?.value as number | undefined,
    runAsUserPath: user?.path,
  };
}

/** A scalar as written (`80`, `true`, `ALL`); other values as JSON. */
function scalarText(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
}

/** The path to point at for a container: its name when it has one. */
export function containerAnchor(container: ContainerInfo): Path {
  return typeof container.raw.name === 'string' ? [...container.path, 'name'] : container.path;
}

/**
 * Every Pod Security violation of an object's pod template at a policy version, in field order. Objects
 * without a pod template have none.
 */
export function podSecurityViolations(object: KObject, version: string): PodSecurityViolation[] {
  const template = object.podTemplate;
  if (template === undefined) return [];
  const out: PodSecurityViolation[] = [];
  const spec = template.spec;
  const specPath = template.specPath;
  const podSc = asRecord(spec.securityContext);
  const podScPath: Path = [...specPath, 'securityContext'];
  const windows = asString(get(spec, 'os', 'name')) === 'windows' && atLeast(version, '1.25');
  const userNamespace = spec.hostUsers === false && atLeast(version, '1.35');
  const add = (v: Omit<PodSecurityViolation, 'implicit' | 'value'> & { implicit?: boolean; value?: string }) =>
    out.push({ implicit: false, value: '', ...v });

  // hostNamespaces
  for (const field of ['hostNetwork', 'hostPID', 'hostIPC'])
    if (spec[field] === true)
      add({ control: 'hostNamespaces', level: 'baseline', path: [...specPath, field], value: field });

  // hostPathVolumes (baseline) and restrictedVolumes (restricted)
  asArray(spec.volumes).forEach((volume, i) => {
    if (!isRecord(volume)) return;
    const path: Path = [...specPath, 'volumes', i];
    if (isRecord(volume.hostPath)) {
      add({
        control: 'hostPathVolumes',
        level: 'baseline',
        path: [...path, 'hostPath', 'path'],
        value: asString(volume.hostPath.path) ?? '',
      });
      return;
    }
    const type = Object.keys(volume).find((k) => k !== 'name');
    if (type !== undefined && !RESTRICTED_VOLUME_TYPES.has(type))
      add({ control: 'restrictedVolumes', level: 'restricted', path: [...path, type], key: true, value: type });
  });

  // Pod-level security context: sysctls, seccomp, SELinux, AppArmor, Windows host process.
  if (podSc !== undefined) {
    asArray(podSc.sysctls).forEach((s, i) => {
      const name = asString(get(s, 'name'));
      if (name !== undefined && !isSafeSysctl(name, version))
        add({ control: 'sysctls', level: 'baseline', path: [...podScPath, 'sysctls', i, 'name'], value: name });
    });
  }
  securityOptions(out, podSc, podScPath, version, undefined);

  // Annotations: AppArmor (every version), seccomp before 1.19.
  const annotationsPath: Path = [...template.path, 'metadata', 'annotations'];
  const annotations = asRecord(get(object.raw, ...annotationsPath)) ?? {};
  for (const [key, raw] of Object.entries(annotations)) {
    const value = typeof raw === 'string' ? raw : '';
    if (
      key.startsWith(APPARMOR_ANNOTATION) &&
      value !== '' &&
      value !== 'runtime/default' &&
      !value.startsWith('localhost/')
    )
      add({
        control: 'appArmorProfile',
        level: 'baseline',
        path: [...annotationsPath, key],
        value,
        variant: 'annotation',
      });
    if (
      !atLeast(version, '1.19') &&
      (key === 'seccomp.security.alpha.kubernetes.io/pod' ||
        key.startsWith('container.seccomp.security.alpha.kubernetes.io/')) &&
      value === 'unconfined'
    )
      add({
        control: 'seccompProfile_baseline',
        level: 'baseline',
        path: [...annotationsPath, key],
        value,
        variant: 'annotation',
      });
  }

  const podSeccomp = asString(get(podSc, 'seccompProfile', 'type'));
  const podSeccompOk = podSeccomp === 'RuntimeDefault' || podSeccomp === 'Localhost';
  const podNonRoot = get(podSc, 'runAsNonRoot');
  if (podNonRoot === false && !userNamespace)
    add({
      control: 'runAsNonRoot',
      level: 'restricted',
      path: [...podScPath, 'runAsNonRoot'],
      value: 'false',
      variant: 'pod',
    });
  if (get(podSc, 'runAsUser') === 0 && !userNamespace && atLeast(version, '1.23'))
    add({ control: 'runAsUser', level: 'restricted', path: [...podScPath, 'runAsUser'], value: '0', variant: 'pod' });
  // Restricted seccomp: the pod sets a profile, or every container does. Reported per container below.

  for (const container of template.containers) {
    const sc = asRecord(container.raw.securityContext);
    const scPath: Path = [...container.path, 'securityContext'];
    const anchor = sc !== undefined ? scPath : containerAnchor(container);
    const key = sc !== undefined;
    const c = { container };

    if (sc?.privileged === true)
      add({ control: 'privileged', level: 'baseline', path: [...scPath, 'privileged'], value: 'true', ...c });

    // Capabilities
    const caps = asRecord(sc?.capabilities);
    const added = asArray(caps?.add);
    added.forEach((cap, i) => {
      const name = typeof cap === 'string' ? cap : String(cap);
      const path: Path = [...scPath, 'capabilities', 'add', i];
      if (!BASELINE_CAPABILITIES.has(name))
        add({ control: 'capabilities_baseline', level: 'baseline', path, value: name, ...c });
      else if (name !== 'NET_BIND_SERVICE' && !windows && atLeast(version, '1.22'))
        add({ control: 'capabilities_restricted', level: 'restricted', path, value: name, variant: 'add', ...c });
    });
    const dropped = asArray(caps?.drop);
    if (!windows && atLeast(version, '1.22') && !dropped.includes('ALL')) {
      // Admission compares case-sensitively; container runtimes accept `all` and drop everything.
      const lower = dropped.findIndex((d) => typeof d === 'string' && d.toUpperCase() === 'ALL');
      if (lower !== -1)
        add({
          control: 'capabilities_restricted',
          level: 'restricted',
          path: [...scPath, 'capabilities', 'drop', lower],
          value: scalarText(dropped[lower]),
          variant: 'case',
          ...c,
        });
      else
        add({
          control: 'capabilities_restricted',
          level: 'restricted',
          path: caps !== undefined ? [...scPath, 'capabilities'] : anchor,
          key: caps !== undefined || key,
          implicit: true,
          variant: caps !== undefined ? 'drop' : 'none',
          ...c,
        });
    }

    // hostPorts
    asArray(container.raw.ports).forEach((p, i) => {
      const hostPort = get(p, 'hostPort');
      if (hostPort !== undefined && hostPort !== null && hostPort !== 0)
        add({
          control: 'hostPorts',
          level: 'baseline',
          path: [...container.path, 'ports', i, 'hostPort'],
          value: scalarText(hostPort),
          ...c,
        });
    });

    securityOptions(out, sc, scPath, version, container);

    const procMount = asString(sc?.procMount);
    if (procMount !== undefined && procMount !== 'Default') {
      // 1.35: baseline allows any procMount in a user namespace; restricted still does not.
      add({
        control: 'procMount',
        level: userNamespace ? 'restricted' : 'baseline',
        path: [...scPath, 'procMount'],
        value: procMount,
        ...c,
      });
    }

    if (atLeast(version, '1.34')) {
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'])
        for (const handler of ['httpGet', 'tcpSocket']) hostField(add, container, [probe, handler]);
      for (const hook of ['postStart', 'preStop'])
        for (const handler of ['httpGet', 'tcpSocket']) hostField(add, container, ['lifecycle', hook, handler]);
    }

    // Restricted
    if (!windows) {
      const ape = sc?.allowPrivilegeEscalation;
      if (ape !== false)
        add({
          control: 'allowPrivilegeEscalation',
          level: 'restricted',
          path: ape !== undefined ? [...scPath, 'allowPrivilegeEscalation'] : anchor,
          key: ape === undefined && key,
          implicit: ape === undefined,
          value: ape === undefined ? '' : scalarText(ape),
          ...c,
        });
      const type = asString(get(sc, 'seccompProfile', 'type'));
      if (atLeast(version, '1.19') && type !== 'RuntimeDefault' && type !== 'Localhost' && type !== 'Unconfined') {
        if (type !== undefined)
          add({
            control: 'seccompProfile_restricted',
            level: 'restricted',
            path: [...scPath, 'seccompProfile', 'type'],
            value: type,
            ...c,
          });
        else if (!podSeccompOk && podSeccomp !== 'Unconfined')
          add({ control: 'seccompProfile_restricted', level: 'restricted', path: anchor, key, implicit: true, ...c });
      }
    }
    if (!userNamespace) {
      const nonRoot = sc?.runAsNonRoot;
      if (nonRoot === false)
        add({ control: 'runAsNonRoot', level: 'restricted', path: [...scPath, 'runAsNonRoot'], value: 'false', ...c });
      else if (nonRoot !== true && podNonRoot !== true && podNonRoot !== false)
        add({ control: 'runAsNonRoot', level: 'restricted', path: anchor, key, implicit: true, ...c });
      if (sc?.runAsUser === 0 && atLeast(version, '1.23'))
        add({ control: 'runAsUser', level: 'restricted', path: [...scPath, 'runAsUser'], value: '0', ...c });
    }
  }
  return out;
}

/** seccompProfile (Unconfined), seLinuxOptions, appArmorProfile and windowsOptions.hostProcess of a context. */
function securityOptions(
  out: PodSecurityViolation[],
  sc: Record<string, unknown> | undefined,
  scPath: Path,
  version: string,
  container: ContainerInfo | undefined,
): void {
  if (sc === undefined) return;
  const c = container !== undefined ? { container } : {};
  const variant = container !== undefined ? 'container' : 'pod';
  const seccomp = asString(get(sc, 'seccompProfile', 'type'));
  if (seccomp === 'Unconfined' && atLeast(version, '1.19'))
    out.push({
      control: 'seccompProfile_baseline',
      level: 'baseline',
      path: [...scPath, 'seccompProfile', 'type'],
      implicit: false,
      value: seccomp,
      variant,
      ...c,
    });
  const se = asRecord(sc.seLinuxOptions);
  if (se !== undefined) {
    const type = asString(se.type) ?? '';
    const allowed = SELINUX_TYPES.has(type) || (type === 'container_engine_t' && atLeast(version, '1.31'));
    if (!allowed)
      out.push({
        control: 'seLinuxOptions',
        level: 'baseline',
        path: [...scPath, 'seLinuxOptions', 'type'],
        implicit: false,
        value: type,
        variant: 'type',
        ...c,
      });
    for (const field of ['user', 'role']) {
      const v = asString(se[field]);
      if (v !== undefined && v !== '')
        out.push({
          control: 'seLinuxOptions',
          level: 'baseline',
          path: [...scPath, 'seLinuxOptions', field],
          implicit: false,
          value: v,
          variant: field,
          ...c,
        });
    }
  }
  const apparmor = asString(get(sc, 'appArmorProfile', 'type'));
  if (apparmor !== undefined && apparmor !== 'RuntimeDefault' && apparmor !== 'Localhost')
    out.push({
      control: 'appArmorProfile',
      level: 'baseline',
      path: [...scPath, 'appArmorProfile', 'type'],
      implicit: false,
      value: apparmor,
      variant,
      ...c,
    });
  if (get(sc, 'windowsOptions', 'hostProcess') === true)
    out.push({
      control: 'windowsHostProcess',
      level: 'baseline',
      path: [...scPath, 'windowsOptions', 'hostProcess'],
      implicit: false,
      value: 'true',
      variant,
      ...c,
    });
}

function hostField(
  add: (v: Omit<PodSecurityViolation, 'implicit' | 'value'> & { value?: string }) => void,
  container: ContainerInfo,
  path: readonly string[],
): void {
  const host = asString(get(container.raw, ...path, 'host'));
  if (host !== undefined && host !== '')
    add({
      control: 'hostProbesAndHostLifecycle',
      level: 'baseline',
      path: [...container.path, ...path, 'host'],
      value: host,
      variant: path[0] ?? '',
      container,
    });
}

/**
 * The violations of an object at its namespace's policy version, memoised per graph (several rules read
 * them).
 */
export function podSecurityOf(
  graph: Graph,
  object: KObject,
  kubernetesVersion: string,
): readonly PodSecurityViolation[] {
  const version = policyVersion(graph, object, kubernetesVersion);
  const all = graph.memo(`pod-security:violations:${version}`, () => new Map<number, PodSecurityViolation[]>());
  let list = all.get(object.id);
  if (list === undefined) all.set(object.id, (list = podSecurityViolations(object, version)));
  return list;
}

/**
 * Report a violation with the severity its namespace's policy gives it (nothing when the policy does not
 * ask for it): `data.pss` receives the reason, and the deciding Namespace label is a related location.
 */
export function reportPodSecurity<M extends string>(
  ctx: RuleContext<M>,
  object: KObject,
  violation: PodSecurityViolation,
  messageId: M,
  data: MessageData,
  fallback?: Severity,
): void {
  const judgement = judgePodSecurity(ctx.graph, object, violation);
  if (judgement === undefined && fallback === undefined) return;
  ctx.report({
    object,
    path: violation.path,
    ...(violation.key === true ? { key: true } : {}),
    messageId,
    data: { ...data, pss: judgement?.reason ?? '' },
    severity: judgement?.severity ?? fallback,
    related: judgement?.label !== undefined ? [judgement.label] : [],
  });
}

/** Each violation of the given controls, with its object and the container's label for messages. */
export function eachViolation(
  ctx: Pick<RuleContext, 'graph' | 'kubernetesVersion'>,
  controls: readonly PodSecurityControl[],
  visit: (object: KObject, violation: PodSecurityViolation, subject: string) => void,
): void {
  for (const object of ctx.graph.withPodTemplates()) {
    if (object.podTemplate === undefined) continue;
    for (const v of podSecurityOf(ctx.graph, object, ctx.kubernetesVersion)) {
      if (!controls.includes(v.control)) continue;
      const subject = v.container !== undefined ? containerLabel(object, v.container) : objectLabel(object);
      visit(object, v, subject);
    }
  }
}
