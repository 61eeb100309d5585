/**
 * RBAC as the authorizer sees it: the rules of Roles and ClusterRoles (an aggregated ClusterRole's rules are
 * those of the ClusterRoles its `aggregationRule` selects, as the aggregation controller writes them), what
 * a rule grants (wildcards, subresources), and who is bound to a role through the bindings of the input.
 */
import type { Graph } from '../model/graph.js';
import { listOf, nameList, objectLabel } from '../model/phrase.js';
import { asArray, asRecord, asString, get, isRecord } from '../model/values.js';
import type { KObject, Path } from '../types.js';
import { matchesLabels, parseLabelSelector } from './selectors.js';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** One entry of a role's `rules`, with where it is written. */
export interface PolicyRule {
  /** The role the rule is written in (an aggregated role's rules are written in the roles it selects). */
  role: KObject;
  index: number;
  path: Path;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

export interface Subject {
  kind: string;
  name: string;
  /** The namespace of a ServiceAccount subject (a RoleBinding's own when unset). */
  namespace: string | null;
}

export interface Binding {
  binding: KObject;
  roleKind: 'Role' | 'ClusterRole';
  roleName: string;
  subjects: Subject[];
}

const strings = (value: unknown): string[] => asArray(value).filter((v): v is string => typeof v === 'string');

/** The Roles and ClusterRoles of the input. */
export function roles(graph: Graph): KObject[] {
  return [...graph.ofKind('Role', RBAC_GROUP), ...graph.ofKind('ClusterRole', RBAC_GROUP)];
}

/** Whether a ClusterRole's rules are written by the aggregation controller (it has an `aggregationRule`). */
export function isAggregating(role: KObject): boolean {
  return role.kind === 'ClusterRole' && isRecord(role.raw.aggregationRule);
}

/** The rules written in a role itself. */
export function ownRules(role: KObject): PolicyRule[] {
  return asArray(role.raw.rules).flatMap((rule, index) =>
    isRecord(rule)
      ? [
          {
            role,
            index,
            path: ['rules', index],
            apiGroups: strings(rule.apiGroups),
            resources: strings(rule.resources),
            verbs: strings(rule.verbs),
            resourceNames: strings(rule.resourceNames),
          },
        ]
      : [],
  );
}

/** The ClusterRoles of the input an aggregated ClusterRole selects. */
export function aggregatedFrom(graph: Graph, role: KObject): KObject[] {
  if (!isAggregating(role)) return [];
  const selectors = asArray(asRecord(role.raw.aggregationRule)?.clusterRoleSelectors).flatMap((s) => {
    const { selector, problems } = parseLabelSelector(s);
    return selector !== undefined && problems.length === 0 ? [selector] : [];
  });
  return graph
    .ofKind('ClusterRole', RBAC_GROUP)
    .filter((other) => other !== role && selectors.some((s) => matchesLabels(s, other.labels)));
}

/**
 * The rules a role grants: its own, or for an aggregated ClusterRole those of the ClusterRoles it selects
 * (its own `rules` are overwritten by the controller).
 */
export function effectiveRules(graph: Graph, role: KObject): PolicyRule[] {
  return isAggregating(role) ? aggregatedFrom(graph, role).flatMap(ownRules) : ownRules(role);
}

/** Whether a rule allows a verb on a resource (`pods`, or a subresource `pods/exec`) of an API group. */
export function allows(rule: PolicyRule, verb: string, group: string, resource: string): boolean {
  const [base] = resource.split('/');
  return (
    (rule.verbs.includes('*') || rule.verbs.includes(verb)) &&
    (rule.apiGroups.includes('*') || rule.apiGroups.includes(group)) &&
    (rule.resources.includes('*') ||
      rule.resources.includes(resource) ||
      (resource.includes('/') && rule.resources.includes(`${base ?? ''}/*`)))
  );
}

/** The RoleBindings and ClusterRoleBindings of the input (memoised). */
export function bindings(graph: Graph): readonly Binding[] {
  return graph.memo('rbac:bindings', () =>
    [...graph.ofKind('RoleBinding', RBAC_GROUP), ...graph.ofKind('ClusterRoleBinding', RBAC_GROUP)].flatMap(
      (binding) => {
        const ref = asRecord(binding.raw.roleRef);
        const roleKind = asString(ref?.kind);
        const roleName = asString(ref?.name);
        if ((roleKind !== 'Role' && roleKind !== 'ClusterRole') || roleName === undefined) return [];
        const subjects = asArray(binding.raw.subjects).flatMap((s) => {
          const kind = asString(isRecord(s) ? s.kind : undefined);
          const name = asString(isRecord(s) ? s.name : undefined);
          if (kind === undefined || name === undefined) return [];
          const namespace = kind === 'ServiceAccount' ? (asString(get(s, 'namespace')) ?? binding.namespace) : null;
          return [{ kind, name, namespace }];
        });
        return [{ binding, roleKind, roleName, subjects }];
      },
    ),
  );
}

/**
 * The bindings of the input that grant a role's rules: those that name it, and for a ClusterRole also those
 * that name an aggregated ClusterRole of the input that selects it.
 */
export function bindingsOf(graph: Graph, role: KObject): Binding[] {
  const names = new Set([role.name]);
  if (role.kind === 'ClusterRole') for (const aggregating of aggregatorsOf(graph, role)) names.add(aggregating.name);
  const byRole = bindingsByRole(graph);
  return [...names].flatMap((name) =>
    (byRole.get(`${role.kind}/${name}`) ?? []).filter(
      (b) => role.kind === 'ClusterRole' || b.binding.namespace === role.namespace,
    ),
  );
}

/** The bindings of the input by the role they name (`ClusterRole/view`), memoised. */
function bindingsByRole(graph: Graph): ReadonlyMap<string, readonly Binding[]> {
  return graph.memo('rbac:bindings-by-role', () => {
    const out = new Map<string, Binding[]>();
    for (const b of bindings(graph)) {
      const key = `${b.roleKind}/${b.roleName}`;
      const list = out.get(key);
      if (list === undefined) out.set(key, [b]);
      else list.push(b);
    }
    return out;
  });
}

/** The aggregated ClusterRoles of the input that select a ClusterRole (an index built once per graph). */
function aggregatorsOf(graph: Graph, role: KObject): readonly KObject[] {
  const index = graph.memo('rbac:aggregators', () => {
    const out = new Map<KObject, KObject[]>();
    for (const aggregating of graph.ofKind('ClusterRole', RBAC_GROUP))
      for (const selected of aggregatedFrom(graph, aggregating)) {
        const list = out.get(selected);
        if (list === undefined) out.set(selected, [aggregating]);
        else list.push(aggregating);
      }
    return out;
  });
  return index.get(role) ?? [];
}

/** Whether a binding of the input names a ServiceAccount as a subject (its pods then use the API). */
export function serviceAccountBound(graph: Graph, namespace: string, name: string): boolean {
  const bound = graph.memo('rbac:bound-service-accounts', () => {
    const out = new Set<string>();
    for (const b of bindings(graph))
      for (const s of b.subjects) if (s.kind === 'ServiceAccount') out.add(`${s.namespace ?? ''}/${s.name}`);
    return out;
  });
  return bound.has(`${namespace}/${name}`);
}

/** `ServiceAccount shop/api`, `Group system:masters`: a subject as messages print it. */
export function subjectLabel(subject: Subject): string {
  return objectLabel({ kind: subject.kind, name: subject.name, namespace: subject.namespace });
}

/** The built-in ClusterRoles that aggregate the ClusterRoles labelled `rbac.authorization.k8s.io/aggregate-to-<name>`. */
const BUILT_IN_AGGREGATES = ['admin', 'edit', 'view'] as const;

/** The built-in ClusterRoles (`admin`, `edit`, `view`) a ClusterRole is aggregated into by its labels. */
export function builtInAggregates(role: KObject): string[] {
  if (role.kind !== 'ClusterRole') return [];
  return BUILT_IN_AGGREGATES.filter((name) => role.labels[`${RBAC_GROUP}/aggregate-to-${name}`] === 'true');
}

export interface Grantees {
  /** "bound to ServiceAccount `shop/api` by RoleBinding `shop/api`", "aggregated into the built-in ClusterRole `view`" */
  text: string;
  related: { object: KObject; path: Path; message: string }[];
  /** The built-in roles it is aggregated into. */
  builtIn: string[];
}

/**
 * Who a role's rules reach, as the input shows it: the subjects of the bindings that grant it, and the
 * built-in roles it is aggregated into; undefined when the input shows nobody (the role may be bound
 * elsewhere, but the input cannot prove that anyone holds it).
 */
export function granteesOf(graph: Graph, role: KObject): Grantees | undefined {
  const found = bindingsOf(graph, role).filter((b) => b.subjects.length > 0);
  const builtIn = builtInAggregates(role);
  if (found.length === 0 && builtIn.length === 0) return undefined;
  const parts: string[] = [];
  if (found.length > 0) {
    parts.push(`bound to ${listOf([...new Set(found.flatMap((b) => b.subjects.map(subjectLabel)))])}`);
  }
  if (builtIn.length > 0)
    parts.push(
      `aggregated into the built-in ${builtIn.length > 1 ? 'ClusterRoles' : 'ClusterRole'} ${nameList(builtIn)} ` +
        `(every subject bound to ${builtIn.length > 1 ? 'them' : 'it'} gets it)`,
    );
  return {
    text: parts.join(' and '),
    related: found.map((b) => ({
      object: b.binding,
      path: ['subjects'],
      message: `${objectLabel(b.binding)} grants it`,
    })),
    builtIn,
  };
}

/**
 * Visit every rule written in a role of the input that someone in the input holds (see granteesOf), with
 * its holders. The rules of aggregated ClusterRoles are skipped: the controller replaces them, and the
 * ClusterRoles they select are visited instead, with the aggregated role's holders.
 */
export function eachHeldRule(graph: Graph, visit: (rule: PolicyRule, grantees: Grantees) => void): void {
  for (const role of roles(graph)) {
    if (isAggregating(role)) continue;
    const rules = ownRules(role);
    if (rules.length === 0) continue;
    const grantees = granteesOf(graph, role);
    if (grantees === undefined) continue;
    for (const rule of rules) visit(rule, grantees);
  }
}

/** The related locations and severity of a finding about a held rule: a warning when `view` aggregates it. */
export function grantReport(grantees: Grantees): {
  related: Grantees['related'];
  severity?: 'warning';
} {
  return { related: grantees.related, ...(grantees.builtIn.includes('view') ? { severity: 'warning' as const } : {}) };
}
