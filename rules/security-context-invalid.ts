import {
  asArray,
  asNumber,
  asRecord,
  asString,
  containerLabel,
  defineRule,
  dns1123SubdomainProblem,
  get,
  looksLikePlaceholder,
  serverValue,
  versionAtLeast,
  serverPodSpec,
} from '../src/api.js';
import type { ContainerInfo, KObject, Path, RuleContext } from '../src/api.js';

type MessageId =
  | 'idRange'
  | 'procMount'
  | 'procMountHostUsers'
  | 'privilegedNoEscalation'
  | 'sysAdminNoEscalation'
  | 'profileType'
  | 'localhostRequired'
  | 'localhostForbidden'
  | 'localhostPath'
  | 'appArmorPadded'
  | 'appArmorTooLong'
  | 'sysctlName'
  | 'sysctlDuplicate'
  | 'hostUsers'
  | 'shareProcessHostPid'
  | 'gmsaName'
  | 'gmsaSpec'
  | 'runAsUserName'
  | 'hostProcessMismatch'
  | 'hostProcessAll'
  | 'hostProcessNetwork'
  | 'windowsField'
  | 'linuxWindowsOptions'
  | 'appArmorAnnotationContainer'
  | 'appArmorAnnotationValue';
type Ctx = RuleContext<MessageId>;

const MAX_ID = 2147483647;
const SYSCTL = /^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$/;
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';
/** Fields validateWindows refuses in a pod's and in a container's securityContext (`os.name: windows`). */
const WINDOWS_POD_FORBIDDEN = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'fsGroup',
  'fsGroupChangePolicy',
  'sysctls',
  'runAsUser',
  'runAsGroup',
  'supplementalGroups',
  'supplementalGroupsPolicy',
];
const WINDOWS_CONTAINER_FORBIDDEN = [
  'appArmorProfile',
  'seLinuxOptions',
  'seccompProfile',
  'capabilities',
  'readOnlyRootFilesystem',
  'privileged',
  'allowPrivilegeEscalation',
  'procMount',
  'runAsUser',
  'runAsGroup',
];
/** validateWindowsSecurityContextOptions: the limits of runAsUserName. */
const NETBIOS = /^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/;
const WINDOWS_DNS =
  /^[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/;
const USER_CHARS = /["/\\:;|=,+*?<>@[\]]/;

function has(record: Record<string, unknown> | undefined, field: string): boolean {
  return record !== undefined && record[field] !== undefined && record[field] !== null;
}

/** IsValidUserID / IsValidGroupID for the id fields of a security context. */
function checkIds(ctx: Ctx, object: KObject, sc: Record<string, unknown>, at: Path, fields: readonly string[]): void {
  for (const field of fields) {
    const value = asNumber(sc[field]);
    if (value !== undefined && (value < 0 || value > MAX_ID))
      ctx.report({ object, path: [...at, field], messageId: 'idRange', data: { field, value } });
  }
  asArray(sc.supplementalGroups).forEach((group, i) => {
    if (typeof group === 'number' && (group < 0 || group > MAX_ID))
      ctx.report({
        object,
        path: [...at, 'supplementalGroups', i],
        messageId: 'idRange',
        data: { field: 'supplementalGroups', value: group },
      });
  });
}

/** validateSeccompProfileField and validateAppArmorProfileField. */
function checkProfile(ctx: Ctx, object: KObject, sc: Record<string, unknown>, at: Path, field: string): void {
  const profile = asRecord(sc[field]);
  if (profile === undefined) return;
  const type = asString(profile.type);
  const here: Path = [...at, field];
  const data = { field, type: type ?? '' };
  // The seccomp type is a schema enum; AppArmor's is not.
  if (
    field === 'appArmorProfile' &&
    type !== undefined &&
    !['Localhost', 'RuntimeDefault', 'Unconfined'].includes(type)
  )
    ctx.report({ object, path: [...here, 'type'], messageId: 'profileType', data });
  const local = profile.localhostProfile;
  if (type === 'Localhost') {
    if (typeof local !== 'string' || local.trim() === '')
      ctx.report({
        object,
        path: typeof local === 'string' ? [...here, 'localhostProfile'] : [...here, 'type'],
        messageId: 'localhostRequired',
        data,
      });
    else if (looksLikePlaceholder(local)) return;
    else if (field === 'seccompProfile') {
      if (local.startsWith('/') || local.split('/').includes('..'))
        ctx.report({ object, path: [...here, 'localhostProfile'], messageId: 'localhostPath', data: { value: local } });
    } else if (local.trim() !== local)
      ctx.report({ object, path: [...here, 'localhostProfile'], messageId: 'appArmorPadded', data });
    else if (local.length > 4095)
      ctx.report({ object, path: [...here, 'localhostProfile'], messageId: 'appArmorTooLong', data });
  } else if (local !== undefined && local !== null && type !== undefined)
    ctx.report({ object, path: [...here, 'localhostProfile'], key: true, messageId: 'localhostForbidden', data });
}

/** validateWindowsSecurityContextOptions. */
function checkWindowsOptions(ctx: Ctx, object: KObject, sc: Record<string, unknown>, at: Path): void {
  const options = asRecord(sc.windowsOptions);
  if (options === undefined) return;
  const here: Path = [...at, 'windowsOptions'];
  const gmsaName = asString(options.gmsaCredentialSpecName);
  if (gmsaName !== undefined && !looksLikePlaceholder(gmsaName)) {
    const problem = dns1123SubdomainProblem(gmsaName);
    if (problem !== undefined)
      ctx.report({ object, path: [...here, 'gmsaCredentialSpecName'], messageId: 'gmsaName', data: { problem } });
  }
  const spec = asString(options.gmsaCredentialSpec);
  if (spec !== undefined && (spec.length === 0 || spec.length > 64 * 1024))
    ctx.report({
      object,
      path: [...here, 'gmsaCredentialSpec'],
      messageId: 'gmsaSpec',
      data: { problem: spec.length === 0 ? 'it is empty' : 'it is over 64 KiB' },
    });
  const name = asString(options.runAsUserName);
  if (name === undefined || looksLikePlaceholder(name)) return;
  const problem = runAsUserNameProblem(name);
  if (problem !== undefined)
    ctx.report({ object, path: [...here, 'runAsUserName'], messageId: 'runAsUserName', data: { name, problem } });
}

function runAsUserNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) return 'it contains control characters';
  const parts = name.split('\\');
  if (parts.length > 2) return 'it contains more than one backslash';
  const [domain, user] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : [undefined, parts[0] ?? ''];
  if (domain !== undefined && domain.length >= 256) return 'the domain must be under 256 characters';
  if (domain !== undefined && !NETBIOS.test(domain) && !WINDOWS_DNS.test(domain))
    return 'the domain is neither a NetBIOS nor a DNS name';
  if (user === '') return 'the user is empty';
  if (user.length > 104) return 'the user must be at most 104 characters';
  if (/^[. ]+$/.test(user)) return 'the user may not be only dots and spaces';
  if (USER_CHARS.test(user)) return 'the user may not contain any of "/\\:;|=,+*?<>@[]';
  return undefined;
}

function checkContainer(
  ctx: Ctx,
  object: KObject,
  c: ContainerInfo,
  pod: { hostUsers: boolean; windows: boolean; linux: boolean },
): void {
  const at: Path = [...c.path, 'securityContext'];
  const sc = asRecord(serverValue(object, at));
  if (sc === undefined) return;
  const container = containerLabel(object, c);
  checkIds(ctx, object, sc, at, ['runAsUser', 'runAsGroup']);
  const procMount = asString(sc.procMount);
  if (procMount !== undefined && procMount !== '' && versionAtLeast(ctx.kubernetesVersion, 1, 31)) {
    if (procMount !== 'Default' && procMount !== 'Unmasked')
      ctx.report({ object, path: [...at, 'procMount'], messageId: 'procMount', data: { value: procMount } });
    else if (procMount === 'Unmasked' && pod.hostUsers)
      ctx.report({ object, path: [...at, 'procMount'], messageId: 'procMountHostUsers', data: { container } });
  }
  checkProfile(ctx, object, sc, at, 'seccompProfile');
  checkProfile(ctx, object, sc, at, 'appArmorProfile');
  if (sc.allowPrivilegeEscalation === false) {
    if (sc.privileged === true)
      ctx.report({ object, path: [...at, 'privileged'], messageId: 'privilegedNoEscalation', data: { container } });
    asArray(asRecord(sc.capabilities)?.add).forEach((cap, i) => {
      if (cap === 'CAP_SYS_ADMIN')
        ctx.report({
          object,
          path: [...at, 'capabilities', 'add', i],
          messageId: 'sysAdminNoEscalation',
          data: { container },
        });
    });
  }
  checkWindowsOptions(ctx, object, sc, at);
  if (pod.windows)
    for (const field of WINDOWS_CONTAINER_FORBIDDEN)
      if (has(sc, field))
        ctx.report({ object, path: [...at, field], key: true, messageId: 'windowsField', data: { field } });
  if (pod.linux && has(sc, 'windowsOptions'))
    ctx.report({ object, path: [...at, 'windowsOptions'], key: true, messageId: 'linuxWindowsOptions' });
}

/** validateWindowsHostProcessPod: every container or none, and host networking. */
function checkHostProcess(ctx: Ctx, object: KObject, spec: Record<string, unknown>, specPath: Path): void {
  const podValue = asRecord(asRecord(spec.securityContext)?.windowsOptions)?.hostProcess;
  const podHostProcess = typeof podValue === 'boolean' ? podValue : undefined;
  const containers = object.podTemplate?.containers.filter((c) => c.kind !== 'ephemeral') ?? [];
  let count = 0;
  for (const c of containers) {
    const path: Path = [...c.path, 'securityContext', 'windowsOptions', 'hostProcess'];
    const value = serverValue(object, path);
    const own = typeof value === 'boolean' ? value : undefined;
    if (podHostProcess !== undefined && own !== undefined && own !== podHostProcess)
      ctx.report({
        object,
        path,
        messageId: 'hostProcessMismatch',
        data: { container: containerLabel(object, c), pod: String(podHostProcess) },
      });
    if (own ?? podHostProcess ?? false) count++;
  }
  if (count === 0) return;
  if (count !== containers.length)
    ctx.report({ object, path: [...specPath, 'containers'], key: true, messageId: 'hostProcessAll' });
  if (spec.hostNetwork !== true)
    ctx.report({
      object,
      path: spec.hostNetwork === undefined ? [...specPath, 'securityContext'] : [...specPath, 'hostNetwork'],
      key: true,
      messageId: 'hostProcessNetwork',
    });
}

/** ValidatePodSpecificAnnotations: the deprecated AppArmor annotations name a container and a valid profile. */
function checkAppArmorAnnotations(ctx: Ctx, object: KObject, names: ReadonlySet<string>): void {
  const template = object.podTemplate;
  if (template === undefined) return;
  const at: Path = [...template.path, 'metadata', 'annotations'];
  const annotations = asRecord(serverValue(object, at));
  for (const [key, value] of Object.entries(annotations ?? {})) {
    if (!key.startsWith(APPARMOR_PREFIX)) continue;
    const name = key.slice(APPARMOR_PREFIX.length);
    if (!names.has(name) && !looksLikePlaceholder(name))
      ctx.report({
        object,
        path: [...at, key],
        key: true,
        messageId: 'appArmorAnnotationContainer',
        data: { name, names: [...names].map((n) => `\`${n}\``).join(', ') },
      });
    if (
      typeof value === 'string' &&
      value !== '' &&
      value !== 'runtime/default' &&
      value !== 'unconfined' &&
      !value.startsWith('localhost/') &&
      !looksLikePlaceholder(value)
    )
      ctx.report({ object, path: [...at, key], messageId: 'appArmorAnnotationValue', data: { value } });
  }
}

export default defineRule<MessageId>({
  id: 'security-context-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report pod and container security contexts the API server rejects: ids, profiles, sysctls, OS fields',
  rationale:
    'The API server validates security contexts beyond their schema (`ValidateSecurityContext`, ' +
    '`validatePodSpecSecurityContext`, `validateSeccompProfileField`, `validateAppArmorProfileField`, ' +
    '`validateSysctls`, `validateWindowsSecurityContextOptions`, `validateWindowsHostProcessPod`, ' +
    '`validateWindows`/`validateLinux` and `ValidatePodSpecificAnnotations` in ' +
    'pkg/apis/core/validation/validation.go): user and group ids in 0–2147483647; `procMount` `Default` ' +
    'or `Unmasked`, and `Unmasked` only with `hostUsers: false`; `allowPrivilegeEscalation: false` ' +
    'neither with `privileged: true` nor with the capability `CAP_SYS_ADMIN`; a `localhostProfile` ' +
    'exactly when the seccomp or AppArmor profile type is `Localhost` (a relative path without `..` for ' +
    'seccomp); sysctl names that are sysctl paths, each once; `hostUsers: false` without host network, PID ' +
    'or IPC; `shareProcessNamespace` not with `hostPID`; Windows options (GMSA names, `runAsUserName`, ' +
    '`hostProcess` on all containers or none, with `hostNetwork`); no Linux-only fields when `os.name` is ' +
    '`windows` and no `windowsOptions` when it is `linux`; deprecated ' +
    '`container.apparmor.security.beta.kubernetes.io/<container>` annotations that name a container of ' +
    'the pod and a valid profile. Whether a setting is safe is for the security rules.',
  messages: {
    idRange: '`{{field}}` is {{value}}: user and group ids must be between 0 and 2147483647',
    procMount: '`procMount` is `{{value}}`: it must be `Default` or `Unmasked`',
    procMountHostUsers:
      '{{container}} uses `procMount: Unmasked`, which needs the pod in its own user namespace ' +
      '("`hostUsers` must be false to use `Unmasked`"): set `hostUsers: false` or remove procMount',
    privilegedNoEscalation:
      '{{container}} sets `privileged: true` with `allowPrivilegeEscalation: false`: a privileged container ' +
      'always can escalate; remove one of them',
    sysAdminNoEscalation:
      '{{container}} adds `CAP_SYS_ADMIN` with `allowPrivilegeEscalation: false`: the API server refuses the ' +
      'pair; remove the capability or allow escalation',
    profileType: '`{{field}}.type` is `{{type}}`: it must be `RuntimeDefault`, `Localhost` or `Unconfined`',
    localhostRequired:
      '`{{field}}` has `type: Localhost` but no `localhostProfile`: name the profile loaded on the nodes',
    localhostForbidden:
      '`localhostProfile` is only allowed with `type: Localhost` (this `{{field}}` is `{{type}}`): remove it',
    localhostPath:
      "seccomp `localhostProfile` `{{value}}` must be a path relative to the kubelet's seccomp directory, " +
      'without `..`',
    appArmorPadded: 'AppArmor `localhostProfile` must not begin or end with whitespace: trim it',
    appArmorTooLong: 'AppArmor `localhostProfile` must be at most 4095 characters',
    sysctlName:
      'sysctl name `{{name}}` is not valid: lowercase segments of letters, digits, `-` and `_`, separated by ' +
      '`.` or `/` (at most 253 characters)',
    sysctlDuplicate: 'sysctl `{{name}}` is set twice: keep one',
    hostUsers: '`hostUsers: false` (a user namespace) cannot be combined with `{{field}}: true`: remove one of them',
    shareProcessHostPid: '`shareProcessNamespace: true` and `hostPID: true` cannot both be set: remove one',
    gmsaName: '`gmsaCredentialSpecName` is not valid: {{problem}}',
    gmsaSpec: '`gmsaCredentialSpec` is not valid: {{problem}}',
    runAsUserName: '`runAsUserName` `{{name}}` is not valid: {{problem}}',
    hostProcessMismatch:
      "`hostProcess` of {{container}} differs from the pod's `hostProcess: {{pod}}`: they must be the same " +
      'when both are set',
    hostProcessAll:
      'some containers of this pod are Windows HostProcess containers and some are not: either all ' +
      'containers are HostProcess containers or none',
    hostProcessNetwork: 'a pod with HostProcess containers needs `hostNetwork: true`: add it',
    windowsField:
      '`{{field}}` cannot be set for a Windows pod (`os.name: windows`): remove it, or use the Windows ' +
      'equivalent under `windowsOptions`',
    linuxWindowsOptions: '`windowsOptions` cannot be set for a Linux pod (`os.name: linux`): remove it',
    appArmorAnnotationContainer:
      'AppArmor annotation for container `{{name}}`, but the pod has no such container (it has {{names}}): ' +
      'fix the name, or move to `securityContext.appArmorProfile`',
    appArmorAnnotationValue:
      'AppArmor profile `{{value}}` is not valid: use `runtime/default`, `unconfined` or `localhost/<profile>`',
  },
  check(ctx) {
    for (const object of ctx.graph.withPodTemplates()) {
      const podSpec = serverPodSpec(object);
      if (podSpec === undefined) continue;
      const { template, spec, specPath } = podSpec;
      const scPath: Path = [...specPath, 'securityContext'];
      const sc = asRecord(spec.securityContext);
      const os = asString(asRecord(spec.os)?.name);
      const pod = { hostUsers: spec.hostUsers !== false, windows: os === 'windows', linux: os === 'linux' };
      if (sc !== undefined) {
        checkIds(ctx, object, sc, scPath, ['runAsUser', 'runAsGroup', 'fsGroup']);
        checkProfile(ctx, object, sc, scPath, 'seccompProfile');
        checkProfile(ctx, object, sc, scPath, 'appArmorProfile');
        checkWindowsOptions(ctx, object, sc, scPath);
        const seen = new Set<string>();
        asArray(sc.sysctls).forEach((entry, i) => {
          const name = asString(get(entry, 'name'));
          if (name === undefined || name === '' || looksLikePlaceholder(name)) return;
          if (name.length > 253 || !SYSCTL.test(name))
            ctx.report({ object, path: [...scPath, 'sysctls', i, 'name'], messageId: 'sysctlName', data: { name } });
          else if (seen.has(name))
            ctx.report({
              object,
              path: [...scPath, 'sysctls', i, 'name'],
              messageId: 'sysctlDuplicate',
              data: { name },
            });
          seen.add(name);
        });
        if (pod.windows)
          for (const field of WINDOWS_POD_FORBIDDEN)
            if (has(sc, field))
              ctx.report({ object, path: [...scPath, field], key: true, messageId: 'windowsField', data: { field } });
        if (pod.linux && has(sc, 'windowsOptions'))
          ctx.report({ object, path: [...scPath, 'windowsOptions'], key: true, messageId: 'linuxWindowsOptions' });
      }
      if (pod.windows && spec.shareProcessNamespace !== undefined && spec.shareProcessNamespace !== null)
        ctx.report({
          object,
          path: [...specPath, 'shareProcessNamespace'],
          key: true,
          messageId: 'windowsField',
          data: { field: 'shareProcessNamespace' },
        });
      if (spec.hostUsers === false)
        for (const field of ['hostNetwork', 'hostPID', 'hostIPC'])
          if (spec[field] === true)
            ctx.report({ object, path: [...specPath, field], messageId: 'hostUsers', data: { field } });
      if (spec.shareProcessNamespace === true && spec.hostPID === true)
        ctx.report({ object, path: [...specPath, 'shareProcessNamespace'], messageId: 'shareProcessHostPid' });
      for (const c of template.containers) if (c.kind !== 'ephemeral') checkContainer(ctx, object, c, pod);
      checkHostProcess(ctx, object, spec, specPath);
      checkAppArmorAnnotations(ctx, object, new Set(template.containers.map((c) => c.name).filter((n) => n !== '')));
    }
  },
});
