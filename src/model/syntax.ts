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

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** IsDNS1123Subdomain: at most 253 characters of dot-separated DNS-1123 labels. */
export function dns1123SubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'it must be at most 253 characters';
  if (!DNS1123_SUBDOMAIN.test(value))
    return (
      'it must be lowercase letters, digits, `-` and `.`, and start and end with a letter or digit ' +
      '(a DNS-1123 subdomain)'
    );
  return undefined;
}

/** IsWildcardDNS1123Subdomain: `*.` followed by a DNS-1123 subdomain, at most 253 characters in all. */
export function wildcardSubdomainProblem(value: string): string | undefined {
  if (value.length > 253) return 'it must be at most 253 characters';
  if (!value.startsWith('*.') || !DNS1123_SUBDOMAIN.test(value.slice(2)))
    return 'a wildcard host must be `*.` followed by a DNS name, such as `*.example.com` (only the first label may be `*`)';
  return undefined;
}

/** IsValidPathSegmentName (k8s.io/apimachinery/pkg/api/validation/path): the names of RBAC objects and references. */
export function pathSegmentProblem(value: string): string | undefined {
  if (value === '.' || value === '..') return 'it may not be `.` or `..`';
  return /[/%]/.test(value) ? 'it may not contain `/` or `%`' : undefined;
}

/** IsDomainPrefixedPath: `example.com/path`, a DNS subdomain, `/`, and a non-empty path. */
export function domainPrefixedPathProblem(value: string): string | undefined {
  const slash = value.indexOf('/');
  if (slash <= 0 || slash === value.length - 1)
    return 'it must be a domain-prefixed path such as `example.com/ingress-controller`';
  if (dns1123SubdomainProblem(value.slice(0, slash)) !== undefined)
    return 'the part before `/` must be a lowercase DNS subdomain such as `example.com`';
  return /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/.test(value.slice(slash + 1))
    ? undefined
    : 'the path after the domain may hold only URL path characters';
}

/** IsValidPercent and ValidatePositiveIntOrPercent (pkg/apis/apps/validation): a count or `N%`. */
export type IntOrPercent =
  { readonly amount: number; readonly percent: boolean } | { readonly problem: 'negative' | 'syntax' };

export function parseIntOrPercent(value: unknown): IntOrPercent | undefined {
  if (typeof value === 'number') return value < 0 ? { problem: 'negative' } : { amount: value, percent: false };
  if (typeof value !== 'string') return undefined;
  const m = /^([0-9]+)%$/.exec(value);
  return m ? { amount: Number(m[1]), percent: true } : { problem: 'syntax' };
}

const IPV4_OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

function ipv4Bytes(value: string, sloppy: boolean): number[] | undefined {
  const parts = value.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    // ParseIPSloppy (legacy fields) reads leading zeros as decimal; net.ParseIP refuses them.
    const digits = sloppy && /^\d{1,3}$/.test(part) ? String(Number(part)) : part;
    if (!IPV4_OCTET.test(digits)) return undefined;
    bytes.push(Number(digits));
  }
  return bytes;
}

/** net.ParseIP (or ParseIPSloppy): the address as 4 or 16 bytes, or undefined when it is not one. */
export function parseIp(value: string, sloppy = false): readonly number[] | undefined {
  if (!value.includes(':')) return ipv4Bytes(value, sloppy);
  if (!/^[0-9a-fA-F:.]+$/.test(value) || value.split('::').length > 2) return undefined;
  const [head = '', tail] = value.split('::');
  const groups = (text: string): number[] | undefined => {
    if (text === '') return [];
    const out: number[] = [];
    const parts = text.split(':');
    for (const [i, part] of parts.entries()) {
      if (i === parts.length - 1 && part.includes('.')) {
        const v4 = ipv4Bytes(part, false);
        if (v4 === undefined) return undefined;
        out.push(v4[0] ?? 0, v4[1] ?? 0, v4[2] ?? 0, v4[3] ?? 0);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
        const n = parseInt(part, 16);
        out.push(n >> 8, n & 255);
      } else return undefined;
    }
    return out;
  };
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  if (left === undefined || right === undefined) return undefined;
  if (tail === undefined) return left.length === 16 ? left : undefined;
  if (left.length + right.length > 14) return undefined;
  return [...left, ...Array<number>(16 - left.length - right.length).fill(0), ...right];
}

export interface Cidr {
  readonly bytes: readonly number[];
  readonly prefix: number;
}

/** netutils.ParseCIDRSloppy, which the legacy CIDR fields (NetworkPolicy ipBlock) use. */
export function parseCidr(value: string): Cidr | undefined {
  const slash = value.indexOf('/');
  if (slash === -1) return undefined;
  const bytes = parseIp(value.slice(0, slash), true);
  const prefixText = value.slice(slash + 1);
  if (bytes === undefined || !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  return prefix <= bytes.length * 8 ? { bytes, prefix } : undefined;
}

/** Whether `inner` is a strict subset of `outer` (same family, longer prefix, inside it). */
export function cidrStrictlyContains(outer: Cidr, inner: Cidr): boolean {
  if (outer.bytes.length !== inner.bytes.length || inner.prefix <= outer.prefix) return false;
  for (let bit = 0; bit < outer.prefix; bit++) {
    const byte = bit >> 3;
    const mask = 128 >> (bit & 7);
    if (((outer.bytes[byte] ?? 0) & mask) !== ((inner.bytes[byte] ?? 0) & mask)) return false;
  }
  return true;
}
