import { code, defineRule, eachViolation, isSafeSysctl, reportPodSecurity } from '../src/api.js';

export default defineRule({
  id: 'sysctl-unsafe',
  category: 'security',
  severity: 'error',
  description: 'Disallow pod sysctls outside the safe set the kubelet accepts',
  rationale:
    'Only namespaced sysctls isolated from other pods are safe (`kernel.shm_rmid_forced`, ' +
    '`net.ipv4.ip_local_port_range`, `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`, ' +
    '`net.ipv4.ip_unprivileged_port_start`, and, by Kubernetes version, `net.ipv4.ip_local_reserved_ports` ' +
    '(1.27), the `tcp_keepalive_*` and `tcp_fin_timeout` sysctls (1.29), `tcp_rmem` and `tcp_wmem` (1.32)). ' +
    'The kubelet refuses to start a pod with any other sysctl (status `SysctlForbidden`) unless it was ' +
    'started with `--allowed-unsafe-sysctls`, so it is an error. Declare such an allow-list in ' +
    '`.kubewire.yaml` (`cluster.allowedUnsafeSysctls`); an allowed sysctl is still a Pod Security ' +
    '`baseline` violation (control `sysctls`) and is reported as such.',
  messages: {
    forbidden:
      'sysctl {{name}} of {{subject}} is not in the safe set: the kubelet refuses to start the pod (SysctlForbidden) unless its `--allowed-unsafe-sysctls` lists it; remove it, or declare the allow-list in .kubewire.yaml (cluster.allowedUnsafeSysctls: [{{name}}])',
    pinned:
      'sysctl {{name}} of {{subject}} is not safe at the pinned Pod Security policy version{{pss}}; raise the `enforce-version` label or remove it',
    allowed:
      'sysctl {{name}} of {{subject}} is unsafe (the kubelets allow it, per cluster.allowedUnsafeSysctls){{pss}}; remove it unless the pods must tune the node',
  },
  check(ctx) {
    const allowed = ctx.graph.cluster.allowedUnsafeSysctls ?? [];
    const isAllowed = (name: string) =>
      allowed.some((a) => (a.endsWith('*') ? name.startsWith(a.slice(0, -1)) : a === name));
    eachViolation(ctx, ['sysctls'], (object, v, subject) => {
      const data = { name: code(v.value), subject };
      // A namespace may pin an older policy version than the kubelets run: then only admission objects.
      if (isSafeSysctl(v.value, ctx.kubernetesVersion)) reportPodSecurity(ctx, object, v, 'pinned', data);
      else if (isAllowed(v.value)) reportPodSecurity(ctx, object, v, 'allowed', data);
      else ctx.report({ object, path: v.path, messageId: 'forbidden', data });
    });
  },
});
