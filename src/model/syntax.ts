/**
 * The string checks of k8s.io/apimachinery/pkg/util/validation (validation.go) that the API server's
 * hand-written validation applies and the schemas do not encode, each returning the problem in plain
 * words or undefined. Names follow upstream (`IsDNS1123Label` → `dns1123LabelProblem`).
 */
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** IsDNS1123Label: at most 63 lower-case letters, digits and `-`, starting and ending alphanumeric. */
export function dns1123LabelProblem(value: string): string | undefined {
  if (value.length > 63) return 'it must be at most 63 characters';
  if (!DNS1123_LABEL.test(value))
    return 'it must be lowercase letters, digits and `-`, and start and end with a letter or digit (a DNS-1123 label)';
  return undefined;
}

/** IsValidPortName (IANA_SVC_NAME). */
export function portNameProblem(value: string): string | undefined {
  if (value.length > 15) return 'a port name must be at most 15 characters';
  if (!/^[-a-z0-9]+$/.test(value)) return 'a port name must be lowercase letters, digits and `-`';
  if (!/[a-z]/.test(value)) return 'a port name must contain at least one letter';
  if (value.includes('--')) return 'a port name must not contain `--`';
  if (value.startsWith('-') || value.endsWith('-')) return 'a port name must not begin or end with `-`';
  return undefined;
}

/** IsValidPortNum. */
export function portNumberProblem(value: number): string | undefined {
  return Number.isInteger(value) && value >= 1 && value <= 65535 ? undefined : 'it must be between 1 and 65535';
}

function chdirProblem(value: string): string | undefined {
  if (value === '.') return 'it must not be `.`';
  if (value === '..') return 'it must not be `..`';
  if (value.startsWith('..')) return 'it must not start with `..`';
  return undefined;
}

/**
 * IsEnvVarName, or IsRelaxedEnvVarName when the RelaxedEnvironmentVariableValidation feature is on (beta,
 * on by default, from Kubernetes 1.32; GA in 1.34): any printable ASCII character but `=`.
 */
export function envVarNameProblem(value: string, relaxed: boolean): string | undefined {
  if (relaxed) {
    return /^[\x20-\x3c\x3e-\x7e]+$/.test(value)
      ? undefined
      : 'an environment variable name must be printable ASCII characters other than `=`';
  }
  if (!/^[-._a-zA-Z][-._a-zA-Z0-9]*$/.test(value))
    return (
      'an environment variable name must be letters, digits, `_`, `-` and `.`, and not start with a digit ' +
      '(Kubernetes 1.32 and later accept any printable ASCII but `=`)'
    );
  return chdirProblem(value);
}

/** IsConfigMapKey. */
export function configMapKeyProblem(value: string): string | undefined {
  if (value.length > 253) return 'a key must be at most 253 characters';
  if (!/^[-._a-zA-Z0-9]+$/.test(value)) return 'a key must be letters, digits, `-`, `_` and `.`';
  return chdirProblem(value);
}

/** Whether `version` ("major.minor") is at least `major.minor`. */
export function versionAtLeast(version: string, major: number, minor: number): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return true;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return a > major || (a === major && b >= minor);
}
