/** Every rule, sorted by id. */
import type { Rule } from '../src/api.js';
import apiDeprecated from './api-deprecated.js';
import apiRemoved from './api-removed.js';
import configmapRefMissing from './configmap-ref-missing.js';
import containerInvalid from './container-invalid.js';
import crdSchema from './crd-schema.js';
import duplicateObject from './duplicate-object.js';
import fileUnreadable from './file-unreadable.js';
import helmTemplate from './helm-template.js';
import hpaTargetMissing from './hpa-target-missing.js';
import ingressBackendMissing from './ingress-backend-missing.js';
import ingressBackendPort from './ingress-backend-port.js';
import ingressClassMissing from './ingress-class-missing.js';
import livenessProbeMissing from './liveness-probe-missing.js';
import livenessProbeSameAsReadiness from './liveness-probe-same-as-readiness.js';
import manifestShape from './manifest-shape.js';
import metadataInvalid from './metadata-invalid.js';
import namespaceMissing from './namespace-missing.js';
import networkPolicySelectorNoPods from './network-policy-selector-no-pods.js';
import pdbSelectorNoPods from './pdb-selector-no-pods.js';
import podUnschedulable from './pod-unschedulable.js';
import probePortUnresolved from './probe-port-unresolved.js';
import pvBinding from './pv-binding.js';
import pvcRefMissing from './pvc-ref-missing.js';
import readinessProbeMissing from './readiness-probe-missing.js';
import replicasSingleNode from './replicas-single-node.js';
import replicasSingleZone from './replicas-single-zone.js';
import roleRefMissing from './role-ref-missing.js';
import rwoClaimShared from './rwo-claim-shared.js';
import schemaInvalid from './schema-invalid.js';
import secretRefMissing from './secret-ref-missing.js';
import serviceAccountMissing from './service-account-missing.js';
import serviceSelectorNoPods from './service-selector-no-pods.js';
import serviceTargetPort from './service-target-port.js';
import statefulsetService from './statefulset-service.js';
import storageClassMissing from './storage-class-missing.js';
import unknownField from './unknown-field.js';
import unknownKind from './unknown-kind.js';
import volumeInvalid from './volume-invalid.js';
import workloadSelectorMismatch from './workload-selector-mismatch.js';
import yamlDecode from './yaml-decode.js';
import yamlSyntax from './yaml-syntax.js';

export const rules: readonly Rule[] = [
  apiDeprecated,
  apiRemoved,
  configmapRefMissing,
  containerInvalid,
  crdSchema,
  duplicateObject,
  fileUnreadable,
  helmTemplate,
  hpaTargetMissing,
  ingressBackendMissing,
  ingressBackendPort,
  ingressClassMissing,
  livenessProbeMissing,
  livenessProbeSameAsReadiness,
  manifestShape,
  metadataInvalid,
  namespaceMissing,
  networkPolicySelectorNoPods,
  pdbSelectorNoPods,
  podUnschedulable,
  probePortUnresolved,
  pvBinding,
  pvcRefMissing,
  readinessProbeMissing,
  replicasSingleNode,
  replicasSingleZone,
  roleRefMissing,
  rwoClaimShared,
  schemaInvalid,
  secretRefMissing,
  serviceAccountMissing,
  serviceSelectorNoPods,
  serviceTargetPort,
  statefulsetService,
  storageClassMissing,
  unknownField,
  unknownKind,
  volumeInvalid,
  workloadSelectorMismatch,
  yamlDecode,
  yamlSyntax,
] as Rule[];
