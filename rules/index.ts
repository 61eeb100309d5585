/** Every rule, sorted by id. */
import type { Rule } from '../src/api.js';
import duplicateObject from './duplicate-object.js';
import fileUnreadable from './file-unreadable.js';
import helmTemplate from './helm-template.js';
import livenessProbeMissing from './liveness-probe-missing.js';
import livenessProbeSameAsReadiness from './liveness-probe-same-as-readiness.js';
import manifestShape from './manifest-shape.js';
import probePortUnresolved from './probe-port-unresolved.js';
import readinessProbeMissing from './readiness-probe-missing.js';
import yamlSyntax from './yaml-syntax.js';

export const rules: readonly Rule[] = [
  duplicateObject,
  fileUnreadable,
  helmTemplate,
  livenessProbeMissing,
  livenessProbeSameAsReadiness,
  manifestShape,
  probePortUnresolved,
  readinessProbeMissing,
  yamlSyntax,
] as Rule[];
