/** Every rule, sorted by id. */
import type { Rule } from '../src/api.js';
import apiDeprecated from './api-deprecated.js';
import apiRemoved from './api-removed.js';
import configmapRefMissing from './configmap-ref-missing.js';
import containerCapabilitiesDangerous from './container-capabilities-dangerous.js';
import containerCapabilitiesDropMissing from './container-capabilities-drop-missing.js';
import containerInvalid from './container-invalid.js';
import containerPrivilegeEscalation from './container-privilege-escalation.js';
import containerPrivileged from './container-privileged.js';
import containerReadonlyRootfsMissing from './container-readonly-rootfs-missing.js';
import containerRunAsRoot from './container-run-as-root.js';
import crdSchema from './crd-schema.js';
import cronjobStartingDeadlineMissing from './cronjob-starting-deadline-missing.js';
import duplicateObject from './duplicate-object.js';
import envDuplicate from './env-duplicate.js';
import envSecretLiteral from './env-secret-literal.js';
import fileUnreadable from './file-unreadable.js';
import helmTemplate from './helm-template.js';
import hostPathSensitive from './host-path-sensitive.js';
import hostPort from './host-port.js';
import hpaMinReplicasLow from './hpa-min-replicas-low.js';
import hpaReplicasConflict from './hpa-replicas-conflict.js';
import hpaSpecInvalid from './hpa-spec-invalid.js';
import hpaTargetMissing from './hpa-target-missing.js';
import imagePullPolicyStale from './image-pull-policy-stale.js';
import imageTagMutable from './image-tag-mutable.js';
import ingressBackendMissing from './ingress-backend-missing.js';
import ingressBackendPort from './ingress-backend-port.js';
import ingressClassMissing from './ingress-class-missing.js';
import ingressSpecInvalid from './ingress-spec-invalid.js';
import ingressTlsMissing from './ingress-tls-missing.js';
import jobSpecInvalid from './job-spec-invalid.js';
import jobTtlMissing from './job-ttl-missing.js';
import livenessProbeMissing from './liveness-probe-missing.js';
import livenessProbeSameAsReadiness from './liveness-probe-same-as-readiness.js';
import manifestShape from './manifest-shape.js';
import metadataInvalid from './metadata-invalid.js';
import namespaceMismatch from './namespace-mismatch.js';
import namespaceMissing from './namespace-missing.js';
import networkPolicyMissing from './network-policy-missing.js';
import networkPolicySelectorNoPods from './network-policy-selector-no-pods.js';
import networkPolicySpecInvalid from './network-policy-spec-invalid.js';
import pdbMissing from './pdb-missing.js';
import pdbSelectorNoPods from './pdb-selector-no-pods.js';
import pdbSpecInvalid from './pdb-spec-invalid.js';
import pdbUnhealthyEvictionPolicy from './pdb-unhealthy-eviction-policy.js';
import podHostNamespace from './pod-host-namespace.js';
import podSecurityViolation from './pod-security-violation.js';
import podSpecInvalid from './pod-spec-invalid.js';
import podUnschedulable from './pod-unschedulable.js';
import priorityClassMissing from './priority-class-missing.js';
import probePortUnresolved from './probe-port-unresolved.js';
import pvBinding from './pv-binding.js';
import pvcRefMissing from './pvc-ref-missing.js';
import rbacClusterAdminBinding from './rbac-cluster-admin-binding.js';
import rbacInvalid from './rbac-invalid.js';
import rbacPodsExec from './rbac-pods-exec.js';
import rbacSecretsRead from './rbac-secrets-read.js';
import rbacWildcard from './rbac-wildcard.js';
import readinessProbeMissing from './readiness-probe-missing.js';
import replicasNoSpread from './replicas-no-spread.js';
import replicasSingle from './replicas-single.js';
import replicasSingleNode from './replicas-single-node.js';
import replicasSingleZone from './replicas-single-zone.js';
import resourcesCpuLimitMissing from './resources-cpu-limit-missing.js';
import resourcesMemoryLimitMissing from './resources-memory-limit-missing.js';
import resourcesRequestsMissing from './resources-requests-missing.js';
import roleRefMissing from './role-ref-missing.js';
import runAsNonRootConflict from './run-as-non-root-conflict.js';
import rwoClaimShared from './rwo-claim-shared.js';
import schemaInvalid from './schema-invalid.js';
import seccompProfileMissing from './seccomp-profile-missing.js';
import secretRefMissing from './secret-ref-missing.js';
import securityContextInvalid from './security-context-invalid.js';
import serviceAccountDeprecatedField from './service-account-deprecated-field.js';
import serviceAccountMissing from './service-account-missing.js';
import serviceAccountTokenAutomount from './service-account-token-automount.js';
import serviceExposed from './service-exposed.js';
import serviceSelectorNoPods from './service-selector-no-pods.js';
import serviceSpecInvalid from './service-spec-invalid.js';
import serviceTargetPort from './service-target-port.js';
import spreadSelectorMismatch from './spread-selector-mismatch.js';
import statefulsetService from './statefulset-service.js';
import storageClassMissing from './storage-class-missing.js';
import sysctlUnsafe from './sysctl-unsafe.js';
import unknownField from './unknown-field.js';
import unknownKind from './unknown-kind.js';
import volumeInvalid from './volume-invalid.js';
import workloadSelectorMismatch from './workload-selector-mismatch.js';
import workloadSpecInvalid from './workload-spec-invalid.js';
import yamlDecode from './yaml-decode.js';
import yamlSyntax from './yaml-syntax.js';

export const rules: readonly Rule[] = [
  apiDeprecated,
  apiRemoved,
  configmapRefMissing,
  containerCapabilitiesDangerous,
  containerCapabilitiesDropMissing,
  containerInvalid,
  containerPrivilegeEscalation,
  containerPrivileged,
  containerReadonlyRootfsMissing,
  containerRunAsRoot,
  crdSchema,
  cronjobStartingDeadlineMissing,
  duplicateObject,
  envDuplicate,
  envSecretLiteral,
  fileUnreadable,
  helmTemplate,
  hostPathSensitive,
  hostPort,
  hpaMinReplicasLow,
  hpaReplicasConflict,
  hpaSpecInvalid,
  hpaTargetMissing,
  imagePullPolicyStale,
  imageTagMutable,
  ingressBackendMissing,
  ingressBackendPort,
  ingressClassMissing,
  ingressSpecInvalid,
  ingressTlsMissing,
  jobSpecInvalid,
  jobTtlMissing,
  livenessProbeMissing,
  livenessProbeSameAsReadiness,
  manifestShape,
  metadataInvalid,
  namespaceMismatch,
  namespaceMissing,
  networkPolicyMissing,
  networkPolicySelectorNoPods,
  networkPolicySpecInvalid,
  pdbMissing,
  pdbSelectorNoPods,
  pdbSpecInvalid,
  pdbUnhealthyEvictionPolicy,
  podHostNamespace,
  podSecurityViolation,
  podSpecInvalid,
  podUnschedulable,
  priorityClassMissing,
  probePortUnresolved,
  pvBinding,
  pvcRefMissing,
  rbacClusterAdminBinding,
  rbacInvalid,
  rbacPodsExec,
  rbacSecretsRead,
  rbacWildcard,
  readinessProbeMissing,
  replicasNoSpread,
  replicasSingle,
  replicasSingleNode,
  replicasSingleZone,
  resourcesCpuLimitMissing,
  resourcesMemoryLimitMissing,
  resourcesRequestsMissing,
  roleRefMissing,
  runAsNonRootConflict,
  rwoClaimShared,
  schemaInvalid,
  seccompProfileMissing,
  secretRefMissing,
  securityContextInvalid,
  serviceAccountDeprecatedField,
  serviceAccountMissing,
  serviceAccountTokenAutomount,
  serviceExposed,
  serviceSelectorNoPods,
  serviceSpecInvalid,
  serviceTargetPort,
  spreadSelectorMismatch,
  statefulsetService,
  storageClassMissing,
  sysctlUnsafe,
  unknownField,
  unknownKind,
  volumeInvalid,
  workloadSelectorMismatch,
  workloadSpecInvalid,
  yamlDecode,
  yamlSyntax,
] as Rule[];
