/**
 * References by name between objects, resolved once per run into edges that rules, the graph
 * picture and the language server share. Each edge records how sure we are that its target exists.
 */
import type { Graph } from '../model/graph.js';
import { closest } from '../model/paths.js';
import { SYSTEM_NAMESPACES } from '../model/cluster.js';
import { code, containerName } from '../model/phrase.js';
import { asArray, asNumber, asString, closestMatch, get, isRecord, keepOne } from '../model/values.js';
import type { KObject, Path } from '../types.js';

export type EdgeType =
  | 'references' // workload → ConfigMap / Secret (env, envFrom, volumes, imagePullSecrets)
  | 'claims' // workload → PersistentVolumeClaim
  | 'runs-as' // workload → ServiceAccount
  | 'uses-class' // PVC → StorageClass, Ingress → IngressClass, pod → PriorityClass
  | 'binds' // PVC → PersistentVolume, RoleBinding → Role / ClusterRole / ServiceAccount
  | 'routes-to' // Ingress → Service
  | 'scales' // HPA → workload
  | 'governs' // StatefulSet → its headless Service
  | 'in-namespace'; // object → Namespace

export interface Target {
  kind: string;
  /** null for cluster-scoped kinds */
  namespace: string | null;
  name: string;
}

export type Resolution =
  | { status: 'found'; objects: readonly KObject[] }
  | { status: 'declared' }
  | {
      status: 'missing';
      /** The input defines other objects of this kind in this namespace, so it manages them. */
      managed: boolean;
      /** A close name that exists, when there is one. */
      suggestion: string | undefined;
    };

export interface Reference {
  type: EdgeType;
  from: KObject;
  /** The field that names the target. */
  path: Path;
  target: Target;
  /** `optional: true`: a missing target is allowed. */
  optional: boolean;
  /** How the target is used, for messages: "envFrom", "volume `config`". */
  via: string;
  /** Keys of a ConfigMap/Secret the reference needs, with the fields naming them. */
  keys: readonly { key: string; path: Path }[];
  resolution: Resolution;
}

/**
 * Kinds routinely created outside the manifests (Secrets: by controllers, sealed or external secrets,
 * cert-manager, install Jobs, CI): other objects of the kind in the input prove nothing about a missing
 * one, so only a close name (a typo) raises the severity.
 */
const MADE_ELSEWHERE = new Set(['Secret']);

const DECLARED: Resolution = { status: 'declared' };
const NO_KEYS: Reference['keys'] = [];

/**
 * One copy of each `via` text per graph: the same few ("envFrom of container `main`") recur in every workload,
 * and each, built by concatenation, was a chain of pieces of its own.
 */
function sharedText(graph: Graph, text: string): string {
  return keepOne(
    graph.memo('references:texts', () => new Map<string, string>()),
    text,
    text,
  );
}

/**
 * Resolve a target by kind, namespace and name against the input and the declared cluster. When it is
 * missing, only objects in files related to `from` (see Graph.related) count as evidence and as
 * suggestions.
 */
export function resolveTarget(
  graph: Graph,
  target: Target,
  kinds: readonly string[] = [target.kind],
  from?: KObject,
): Resolution {
  // The index's own list when one kind is asked: one reference per field of every workload, each with its copy,
  // was most of what the references of a large input kept.
  const found =
    kinds.length === 1
      ? graph.find(kinds[0] ?? '', target.namespace, target.name)
      : kinds.flatMap((k) => graph.find(k, target.namespace, target.name));
  if (found.length > 0)
    return { status: 'found', objects: from === undefined ? found : closest(found, from.source.path) };
  if (kinds.some((k) => graph.isDeclared(k, target.namespace, target.name))) return DECLARED;
  if (target.kind === 'PersistentVolumeClaim' && isStatefulSetClaim(graph, target)) return DECLARED;
  const names = new Set<string>();
  // Nothing proves what the system namespaces hold: the cluster and its add-ons fill them.
  let managed = false;
  const system = target.namespace !== null && SYSTEM_NAMESPACES.has(target.namespace);
  for (const k of kinds) {
    const candidates = graph.inNamespace(k, target.namespace);
    for (const o of from === undefined ? candidates : graph.relatedIn(candidates, from.source.path)) {
      managed ||= !system && !MADE_ELSEWHERE.has(k);
      names.add(o.name);
    }
    for (const n of graph.declaredNames(k, target.namespace)) names.add(n);
  }
  return { status: 'missing', managed, suggestion: closestMatch(target.name, names) };
}

/**
 * The claims StatefulSets create from their volumeClaimTemplates (`<template>-<statefulset>-<ordinal>`)
 * exist for other pods to mount; any ordinal may follow, since the StatefulSet may be scaled.
 */
function isStatefulSetClaim(graph: Graph, target: Target): boolean {
  const prefixes = graph.memo('references:statefulset-claims', () => {
    const set = new Set<string>();
    for (const sts of graph.ofKind('StatefulSet', 'apps')) {
      for (const t of asArray(get(sts.raw, 'spec', 'volumeClaimTemplates'))) {
        const template = asString(get(t, 'metadata', 'name'));
        if (template !== undefined) set.add(`${sts.namespace ?? ''}\u0000${template}-${sts.name}-`);
      }
    }
    return set;
  });
  const ordinal = /-\d+$/.exec(target.name);
  return ordinal !== null && prefixes.has(`${target.namespace ?? ''}\u0000${target.name.slice(0, ordinal.index + 1)}`);
}

/** A value written as a placeholder for a later substitution step (`${VAR}`, `$(VAR)`), not a name. */
export function isPlaceholder(value: string): boolean {
  return /\$\{[^}]*\}|\$\([A-Za-z_][A-Za-z0-9_]*\)|^<[^>]+>$/.test(value);
}

function makeReference(
  graph: Graph,
  from: KObject,
  type: EdgeType,
  path: Path,
  target: Target,
  options: { optional?: boolean; via: string; keys?: Reference['keys']; kinds?: readonly string[] },
): Reference {
  return {
    type,
    from,
    path,
    target,
    optional: options.optional ?? false,
    via: sharedText(graph, options.via),
    keys: options.keys === undefined || options.keys.length === 0 ? NO_KEYS : options.keys,
    resolution: resolveTarget(graph, target, options.kinds, from),
  };
}

/** References of pod templates: ConfigMaps, Secrets, claims and the ServiceAccount. */
function podReferences(graph: Graph, object: KObject, out: Reference[]): void {
  const template = object.podTemplate;
  const namespace = object.namespace;
  if (template === undefined || namespace === null) return;
  const spec = template.spec;
  const specPath = template.specPath;
  const add = (
    type: EdgeType,
    kind: string,
    path: Path,
    name: unknown,
    options: { optional?: boolean; via: string; keys?: Reference['keys'] },
  ) => {
    if (typeof name !== 'string' || name === '' || isPlaceholder(name)) return;
    out.push(makeReference(graph, object, type, path, { kind, namespace, name }, options));
  };
  const claimTemplates = new Set(
    object.kind === 'StatefulSet'
      ? asArray(get(object.raw, 'spec', 'volumeClaimTemplates')).map((t) => asString(get(t, 'metadata', 'name')))
      : [],
  );

  for (const container of template.containers) {
    const c = container.raw;
    asArray(c.envFrom).forEach((e, i) => {
      for (const [field, kind] of [
        ['configMapRef', 'ConfigMap'],
        ['secretRef', 'Secret'],
      ] as const) {
        const ref = get(e, field);
        if (!isRecord(ref)) continue;
        add('references', kind, [...container.path, 'envFrom', i, field, 'name'], ref.name, {
          optional: ref.optional === true,
          via: `envFrom of ${containerName(container)}`,
        });
      }
    });
    asArray(c.env).forEach((e, i) => {
      for (const [field, kind] of [
        ['configMapKeyRef', 'ConfigMap'],
        ['secretKeyRef', 'Secret'],
      ] as const) {
        const ref = get(e, 'valueFrom', field);
        if (!isRecord(ref)) continue;
        const base = [...container.path, 'env', i, 'valueFrom', field];
        const key = asString(ref.key);
        add('references', kind, [...base, 'name'], ref.name, {
          optional: ref.optional === true,
          via: `env ${code(asString(get(e, 'name')) ?? '?')} of ${containerName(container)}`,
          keys: key !== undefined ? [{ key, path: [...base, 'key'] }] : [],
        });
      }
    });
  }

  const itemKeys = (items: unknown, base: Path) =>
    asArray(items).flatMap((item, i) => {
      const key = asString(get(item, 'key'));
      return key !== undefined ? [{ key, path: [...base, 'items', i, 'key'] }] : [];
    });
  asArray(spec.volumes).forEach((v, i) => {
    if (!isRecord(v)) return;
    const base = [...specPath, 'volumes', i];
    const via = `volume ${code(asString(v.name) ?? '?')}`;
    const cm = v.configMap;
    if (isRecord(cm))
      add('references', 'ConfigMap', [...base, 'configMap', 'name'], cm.name, {
        optional: cm.optional === true,
        via,
        keys: itemKeys(cm.items, [...base, 'configMap']),
      });
    const secret = v.secret;
    if (isRecord(secret))
      add('references', 'Secret', [...base, 'secret', 'secretName'], secret.secretName, {
        optional: secret.optional === true,
        via,
        keys: itemKeys(secret.items, [...base, 'secret']),
      });
    asArray(get(v, 'projected', 'sources')).forEach((source, j) => {
      const sbase = [...base, 'projected', 'sources', j];
      for (const [field, kind] of [
        ['configMap', 'ConfigMap'],
        ['secret', 'Secret'],
      ] as const) {
        const ref = get(source, field);
        if (isRecord(ref))
          add('references', kind, [...sbase, field, 'name'], ref.name, {
            optional: ref.optional === true,
            via,
            keys: itemKeys(ref.items, [...sbase, field]),
          });
      }
    });
    const claim = v.persistentVolumeClaim;
    if (isRecord(claim)) {
      const claimName = asString(claim.claimName);
      // A StatefulSet volume named like one of its volumeClaimTemplates is replaced by the per-pod claim.
      if (claimName !== undefined && !claimTemplates.has(asString(v.name))) {
        add('claims', 'PersistentVolumeClaim', [...base, 'persistentVolumeClaim', 'claimName'], claimName, { via });
      }
    }
  });
  asArray(spec.imagePullSecrets).forEach((s, i) => {
    add('references', 'Secret', [...specPath, 'imagePullSecrets', i, 'name'], get(s, 'name'), {
      via: 'imagePullSecrets',
    });
  });
  // PriorityClasses are cluster-scoped; admission rejects a pod naming one that does not exist.
  const priorityClass = spec.priorityClassName;
  if (typeof priorityClass === 'string' && priorityClass !== '' && !isPlaceholder(priorityClass))
    out.push(
      makeReference(
        graph,
        object,
        'uses-class',
        [...specPath, 'priorityClassName'],
        { kind: 'PriorityClass', namespace: null, name: priorityClass },
        { via: 'priorityClassName' },
      ),
    );
  const account = spec.serviceAccountName ?? spec.serviceAccount;
  const field = spec.serviceAccountName !== undefined ? 'serviceAccountName' : 'serviceAccount';
  if (typeof account === 'string' && account !== 'default')
    add('runs-as', 'ServiceAccount', [...specPath, field], account, { via: field });
}

/** storageClassName of a claim spec ('' = no class, unset = the default class). */
export function claimClass(claimSpec: unknown, metadata: unknown): string | undefined {
  const explicit = get(claimSpec, 'storageClassName');
  if (typeof explicit === 'string') return explicit;
  return asString(get(metadata, 'annotations', 'volume.beta.kubernetes.io/storage-class'));
}

function storageReferences(graph: Graph, object: KObject, out: Reference[]): void {
  const add = (
    type: EdgeType,
    kind: string,
    path: Path,
    name: string | undefined,
    via: string,
    namespace: string | null = null,
    kinds?: readonly string[],
  ) => {
    if (name === undefined || name === '' || isPlaceholder(name)) return;
    out.push(makeReference(graph, object, type, path, { kind, namespace, name }, { via, ...(kinds ? { kinds } : {}) }));
  };
  if (object.kind === 'PersistentVolumeClaim' && object.group === '') {
    const explicit = typeof get(object.raw, 'spec', 'storageClassName') === 'string';
    const path = explicit
      ? ['spec', 'storageClassName']
      : ['metadata', 'annotations', 'volume.beta.kubernetes.io/storage-class'];
    add(
      'uses-class',
      'StorageClass',
      path,
      claimClass(get(object.raw, 'spec'), object.raw.metadata),
      explicit ? 'storageClassName' : 'the storage-class annotation',
    );
    add(
      'binds',
      'PersistentVolume',
      ['spec', 'volumeName'],
      asString(get(object.raw, 'spec', 'volumeName')),
      'volumeName',
    );
  }
  if (object.kind === 'StatefulSet' && object.group === 'apps') {
    asArray(get(object.raw, 'spec', 'volumeClaimTemplates')).forEach((t, i) => {
      const explicit = typeof get(t, 'spec', 'storageClassName') === 'string';
      const path = [
        'spec',
        'volumeClaimTemplates',
        i,
        ...(explicit
          ? ['spec', 'storageClassName']
          : ['metadata', 'annotations', 'volume.beta.kubernetes.io/storage-class']),
      ];
      add(
        'uses-class',
        'StorageClass',
        path,
        claimClass(get(t, 'spec'), get(t, 'metadata')),
        `${explicit ? 'storageClassName' : 'the storage-class annotation'} ` +
          `of volumeClaimTemplate ${code(asString(get(t, 'metadata', 'name')) ?? '?')}`,
      );
    });
  }
  const template = object.podTemplate;
  if (template) {
    asArray(template.spec.volumes).forEach((v, i) => {
      const claim = get(v, 'ephemeral', 'volumeClaimTemplate');
      if (!isRecord(claim)) return;
      const explicit = typeof get(claim, 'spec', 'storageClassName') === 'string';
      if (!explicit) return;
      add(
        'uses-class',
        'StorageClass',
        [...template.specPath, 'volumes', i, 'ephemeral', 'volumeClaimTemplate', 'spec', 'storageClassName'],
        claimClass(get(claim, 'spec'), undefined),
        `ephemeral volume ${code(asString(get(v, 'name')) ?? '?')}`,
      );
    });
  }
}

/** The backends of an Ingress: networking.k8s.io/v1 and the older serviceName/servicePort form. */
export interface IngressBackend {
  path: Path;
  service: string;
  /** The port: number or name, and the path of that field. */
  port: { value: number | string; path: Path } | undefined;
}

export function ingressBackends(ingress: KObject): IngressBackend[] {
  const out: IngressBackend[] = [];
  const read = (backend: unknown, path: Path) => {
    if (!isRecord(backend)) return;
    const service = backend.service;
    if (isRecord(service)) {
      const name = asString(service.name);
      if (name === undefined) return;
      const number = asNumber(get(service, 'port', 'number'));
      const portName = asString(get(service, 'port', 'name'));
      const port =
        number !== undefined
          ? { value: number, path: [...path, 'service', 'port', 'number'] }
          : portName !== undefined
            ? { value: portName, path: [...path, 'service', 'port', 'name'] }
            : undefined;
      out.push({ path: [...path, 'service', 'name'], service: name, port });
      return;
    }
    const legacy = asString(backend.serviceName);
    if (legacy === undefined) return;
    const sp = backend.servicePort;
    out.push({
      path: [...path, 'serviceName'],
      service: legacy,
      port:
        typeof sp === 'number' || typeof sp === 'string' ? { value: sp, path: [...path, 'servicePort'] } : undefined,
    });
  };
  const spec = get(ingress.raw, 'spec');
  read(get(spec, 'defaultBackend'), ['spec', 'defaultBackend']);
  read(get(spec, 'backend'), ['spec', 'backend']);
  asArray(get(spec, 'rules')).forEach((rule, i) => {
    asArray(get(rule, 'http', 'paths')).forEach((p, j) => {
      read(get(p, 'backend'), ['spec', 'rules', i, 'http', 'paths', j, 'backend']);
    });
  });
  return out;
}

function otherReferences(graph: Graph, object: KObject, out: Reference[]): void {
  const ns = object.namespace;
  const add = (type: EdgeType, target: Target, path: Path, via: string, kinds?: readonly string[]) => {
    if (target.name === '' || isPlaceholder(target.name)) return;
    out.push(makeReference(graph, object, type, path, target, { via, ...(kinds ? { kinds } : {}) }));
  };
  if (object.kind === 'Ingress' && ns !== null) {
    for (const b of ingressBackends(object))
      add(
        'routes-to',
        { kind: 'Service', namespace: ns, name: b.service },
        b.path,
        b.port ? `port ${b.port.value}` : 'backend',
      );
    const cls = asString(get(object.raw, 'spec', 'ingressClassName'));
    if (cls !== undefined)
      add(
        'uses-class',
        { kind: 'IngressClass', namespace: null, name: cls },
        ['spec', 'ingressClassName'],
        'ingressClassName',
      );
  }
  if (object.kind === 'HorizontalPodAutoscaler' && ns !== null) {
    const kind = asString(get(object.raw, 'spec', 'scaleTargetRef', 'kind'));
    const name = asString(get(object.raw, 'spec', 'scaleTargetRef', 'name'));
    if (kind !== undefined && name !== undefined)
      add('scales', { kind, namespace: ns, name }, ['spec', 'scaleTargetRef', 'name'], 'scaleTargetRef');
  }
  if (object.kind === 'StatefulSet' && object.group === 'apps' && ns !== null) {
    const name = asString(get(object.raw, 'spec', 'serviceName'));
    if (name !== undefined)
      add('governs', { kind: 'Service', namespace: ns, name }, ['spec', 'serviceName'], 'serviceName');
  }
  if (
    (object.kind === 'RoleBinding' || object.kind === 'ClusterRoleBinding') &&
    object.group === 'rbac.authorization.k8s.io'
  ) {
    const roleKind = asString(get(object.raw, 'roleRef', 'kind'));
    const roleName = asString(get(object.raw, 'roleRef', 'name'));
    if ((roleKind === 'Role' || roleKind === 'ClusterRole') && roleName !== undefined) {
      add(
        'binds',
        { kind: roleKind, namespace: roleKind === 'Role' ? ns : null, name: roleName },
        ['roleRef', 'name'],
        'roleRef',
      );
    }
    asArray(object.raw.subjects).forEach((s, i) => {
      if (asString(get(s, 'kind')) !== 'ServiceAccount') return;
      const name = asString(get(s, 'name'));
      const subjectNs = asString(get(s, 'namespace')) ?? ns;
      if (name !== undefined && subjectNs !== null && name !== 'default')
        add('binds', { kind: 'ServiceAccount', namespace: subjectNs, name }, ['subjects', i, 'name'], 'subject');
    });
  }
  if (object.namespace !== null && object.namespaceExplicit) {
    add(
      'in-namespace',
      { kind: 'Namespace', namespace: null, name: object.namespace },
      ['metadata', 'namespace'],
      'metadata.namespace',
    );
  }
}

/** Every name reference of the run, in input order (computed once per graph). */
export function references(graph: Graph): readonly Reference[] {
  return graph.memo('references:all', () => {
    const out: Reference[] = [];
    for (const object of graph.objects) {
      podReferences(graph, object, out);
      storageReferences(graph, object, out);
      otherReferences(graph, object, out);
    }
    return out;
  });
}

/** References of one type to one kind. */
export function referencesTo(graph: Graph, type: EdgeType, kind: string): Reference[] {
  return references(graph).filter((r) => r.type === type && r.target.kind === kind);
}
