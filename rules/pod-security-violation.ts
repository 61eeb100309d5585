import { code, defineRule, eachViolation, reportPodSecurity } from '../src/api.js';

export default defineRule({
  id: 'pod-security-violation',
  category: 'security',
  severity: 'warning',
  description: 'Report the Pod Security Standards controls that no dedicated rule covers',
  rationale:
    'The controls of the Pod Security Standards without a rule of their own, evaluated as the Pod ' +
    'Security admission controller does at the targeted version: AppArmor profile `Unconfined` (field or ' +
    'annotation), SELinux types other than `container_t`, `container_init_t`, `container_kvm_t` and ' +
    '(1.31+) `container_engine_t`, or any SELinux user or role (baseline); `procMount` other than ' +
    '`Default` (baseline; since 1.35 restricted only for `hostUsers: false` pods); Windows `hostProcess` ' +
    '(baseline); a `host` on probes and lifecycle handlers (baseline, 1.34+); volume types other than ' +
    'configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret ' +
    '(restricted; hostPath is `host-path-sensitive`). Baseline violations are warnings, restricted-only ' +
    'ones infos, and either is an error where a namespace enforces its level.',
  messages: {
    appArmorProfile: '{{subject}} sets the AppArmor profile {{value}}{{pss}}; use `RuntimeDefault` or `Localhost`',
    appArmorAnnotation:
      'the AppArmor annotation of {{subject}} is {{value}}{{pss}}; use `runtime/default` or a `localhost/` profile',
    seLinuxType: '{{subject}} sets the SELinux type {{value}}{{pss}}; use `container_t` or leave it unset',
    seLinuxUser: '{{subject}} sets a custom SELinux {{field}} ({{value}}){{pss}}; leave it unset',
    procMount: '{{subject}} sets `procMount: {{raw}}`, unmasking /proc{{pss}}; remove it',
    hostProcess:
      '{{subject}} runs as a Windows HostProcess container, with full access to the node{{pss}}; remove it unless this is a node agent',
    probeHost:
      "{{subject}} points its {{probe}} at the host {{value}}: the kubelet would connect to another machine on the pod's behalf{{pss}}; remove `host` to probe the pod itself",
    volume:
      'volume type {{value}} of {{subject}} mounts storage directly rather than through a PersistentVolumeClaim{{pss}}; use a PersistentVolumeClaim',
  },
  check(ctx) {
    eachViolation(
      ctx,
      [
        'appArmorProfile',
        'seLinuxOptions',
        'procMount',
        'windowsHostProcess',
        'hostProbesAndHostLifecycle',
        'restrictedVolumes',
      ],
      (object, v, subject) => {
        const data = { subject, value: code(v.value), raw: v.value };
        switch (v.control) {
          case 'appArmorProfile':
            reportPodSecurity(
              ctx,
              object,
              v,
              v.variant === 'annotation' ? 'appArmorAnnotation' : 'appArmorProfile',
              data,
            );
            return;
          case 'seLinuxOptions':
            if (v.variant === 'type') reportPodSecurity(ctx, object, v, 'seLinuxType', data);
            else reportPodSecurity(ctx, object, v, 'seLinuxUser', { ...data, field: v.variant ?? '' });
            return;
          case 'procMount':
            reportPodSecurity(ctx, object, v, 'procMount', data);
            return;
          case 'windowsHostProcess':
            reportPodSecurity(ctx, object, v, 'hostProcess', data);
            return;
          case 'hostProbesAndHostLifecycle':
            reportPodSecurity(ctx, object, v, 'probeHost', {
              ...data,
              probe: v.variant === 'lifecycle' ? 'lifecycle handler' : code(v.variant ?? ''),
            });
            return;
          default:
            reportPodSecurity(ctx, object, v, 'volume', data);
        }
      },
    );
  },
});
