/**
 * Name and label syntax the API server enforces but the schemas do not encode: object names (DNS-1123
 * subdomain, DNS-1123 label for Namespaces, DNS-1035 label for Services, path segments for RBAC),
 * label keys and values, annotation keys.
 */
import { MAX_NAME_LENGTH } from '../model/phrase.js';
import { dns1123SubdomainProblem } from '../model/syntax.js';
import { isRecord } from '../model/values.js';
import type { KObject, Path } from '../types.js';
import type { BundledKind } from './apis.js';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const PLACEHOLDER =
  /\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|\{\{.*\}\}|^<[^>]+>$|__[A-Z0-9_]+__|^[A-Z][A-Z0-9]*_[A-Z0-9_]+$/;

type NameRule = 'label' | 'dns1035' | 'subdomain' | 'segment' | 'skip';

/** How the API server validates metadata.name, per built-in kind; everything else is a subdomain. */
const NAME_RULES: Record<string, NameRule> = {
  Namespace: 'label',
  Service: 'dns1035',
  Role: 'segment',
  ClusterRole: 'segment',
  RoleBinding: 'segment',
  ClusterRoleBinding: 'segment',
  // name = <version>.<group>, <plural>.<group>, or free-form
  APIService: 'skip',
  CustomResourceDefinition: 'skip',
  Event: 'skip',
};

export type NameReport = (path: Path, messageId: string, data: Record<string, string | number>, key?: boolean) => void;

const subdomainProblem = dns1123SubdomainProblem;

function nameProblem(rule: NameRule, name: string): string | undefined {
  switch (rule) {
    case 'label':
      if (name.length > 63) return 'it must be at most 63 characters (a DNS-1123 label)';
      return DNS1123_LABEL.test(name)
        ? undefined
        : 'it must be lowercase letters, digits and `-`, and start and end with a letter or digit (a DNS-1123 label)';
    case 'dns1035':
      if (name.length > 63) return 'it must be at most 63 characters (a DNS-1035 label)';
      return DNS1035_LABEL.test(name)
        ? undefined
        : 'it must be lowercase letters, digits and `-`, start with a letter and end with a letter or digit ' +
            '(a DNS-1035 label)';
    case 'segment':
      if (name === '.' || name === '..') return 'it may not be `.` or `..`';
      return /[/%]/.test(name) ? 'it may not contain `/` or `%`' : undefined;
    case 'subdomain':
      return subdomainProblem(name);
    case 'skip':
      return undefined;
  }
}

/** Problem with a label or annotation key (a qualified name with an optional DNS subdomain prefix). */
export function qualifiedKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash === -1 ? undefined : key.slice(0, slash);
  const name = slash === -1 ? key : key.slice(slash + 1);
  if (prefix !== undefined) {
    if (prefix === '') return 'the prefix before `/` is empty';
    if (dns1123SubdomainProblem(prefix) !== undefined)
      return 'the prefix before `/` must be a lowercase DNS subdomain (e.g. `example.com`)';
  }
  if (name === '') return 'the name part is empty';
  if (name.length > 63) return 'the name part must be at most 63 characters';
  if (!QUALIFIED_NAME.test(name))
    return (
      'it must be letters, digits, `-`, `_` and `.`, and start and end with a letter or digit, ' +
      'with an optional `prefix/`'
    );
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value === '') return undefined;
  if (value.length > 63) return 'it must be at most 63 characters';
  if (!QUALIFIED_NAME.test(value))
    return 'it must be empty, or letters, digits, `-`, `_` and `.` that start and end with a letter or digit';
  return undefined;
}

function placeholderNote(value: string): string {
  return PLACEHOLDER.test(value)
    ? ' (an unsubstituted placeholder? render or substitute the manifest before applying it)'
    : '';
}

/** A value quoted into a message, cut with an ellipsis so that a generated or hostile name cannot flood output. */
function quoted(value: string, max = MAX_NAME_LENGTH): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max - 1)}…` : value);
}

function checkLabels(labels: unknown, at: Path, what: string, report: NameReport, values = true): void {
  if (!isRecord(labels)) return;
  for (const [key, value] of Object.entries(labels)) {
    // ValidateAnnotations checks `strings.ToLower(k)`: annotation keys may have upper-case prefixes.
    const keyProblem = qualifiedKeyProblem(values ? key : key.toLowerCase());
    if (keyProblem !== undefined)
      report([...at, key], 'labelKey', { what, key, problem: `${keyProblem}${placeholderNote(key)}` }, true);
    if (values && typeof value === 'string') {
      const valueProblem = labelValueProblem(value);
      if (valueProblem !== undefined)
        report([...at, key], 'labelValue', {
          what,
          key,
          value: quoted(value, 70),
          problem: `${valueProblem}${placeholderNote(value)}`,
        });
    }
  }
}

/**
 * Check names and labels of one object (already free of nulls). `bundled` is its built-in kind, or
 * undefined for a custom resource (whose name rules depend on its controller: not checked).
 */
export function checkNames(
  object: KObject,
  value: Record<string, unknown>,
  bundled: BundledKind | undefined,
  report: NameReport,
): void {
  const metadata = value.metadata;
  if (!isRecord(metadata)) return;
  const name = metadata.name;
  if (bundled !== undefined && typeof name === 'string' && name !== '') {
    const rule = NAME_RULES[bundled.kind] ?? 'subdomain';
    const problem = nameProblem(rule, name);
    if (problem !== undefined)
      report(['metadata', 'name'], 'name', {
        kind: object.kind,
        name: quoted(name),
        problem: `${problem}${placeholderNote(name)}`,
      });
    if (bundled.kind === 'CustomResourceDefinition') {
      const spec = value.spec;
      const plural = isRecord(spec) && isRecord(spec.names) ? spec.names.plural : undefined;
      const group = isRecord(spec) ? spec.group : undefined;
      if (typeof plural === 'string' && typeof group === 'string' && name !== `${plural}.${group}`) {
        report(['metadata', 'name'], 'crdName', { name: quoted(name), expected: `${plural}.${group}` });
      }
    }
  }
  const namespace = metadata.namespace;
  if (typeof namespace === 'string' && namespace !== '') {
    const problem = nameProblem('label', namespace);
    if (problem !== undefined)
      report(['metadata', 'namespace'], 'namespace', {
        namespace: quoted(namespace),
        problem: `${problem}${placeholderNote(namespace)}`,
      });
  }
  checkLabels(metadata.labels, ['metadata', 'labels'], 'label', report);
  checkLabels(metadata.annotations, ['metadata', 'annotations'], 'annotation', report, false);
  const template = object.podTemplate;
  if (template !== undefined && template.path.length > 0) {
    let node: unknown = value;
    for (const segment of template.path) node = isRecord(node) ? node[segment] : undefined;
    const templateMeta = isRecord(node) ? node.metadata : undefined;
    if (isRecord(templateMeta)) {
      checkLabels(templateMeta.labels, [...template.path, 'metadata', 'labels'], 'pod template label', report);
      checkLabels(
        templateMeta.annotations,
        [...template.path, 'metadata', 'annotations'],
        'pod template annotation',
        report,
        false,
      );
    }
  }
  const spec = value.spec;
  if (isRecord(spec) && isRecord(spec.selector)) {
    if (isRecord(spec.selector.matchLabels))
      checkLabels(spec.selector.matchLabels, ['spec', 'selector', 'matchLabels'], 'selector', report);
    else if (bundled !== undefined && (bundled.kind === 'Service' || bundled.kind === 'ReplicationController'))
      checkLabels(spec.selector, ['spec', 'selector'], 'selector', report);
  }
}
