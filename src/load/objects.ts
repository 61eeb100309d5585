/** Turning parsed documents into KObjects, and reporting documents that are not well-formed objects. */
import { isMap, isSeq } from 'yaml';
import type { Document } from 'yaml';
import {
  PREFERRED_API_VERSION,
  extractPodTemplate,
  isNamespaced,
  isToolConfig,
  splitApiVersion,
} from '../model/k8s.js';
import { withServerDefaults } from '../model/defaults.js';
import { locate } from '../model/locate.js';
import { KUSTOMIZATION_FILE, kustomizeRoles, normalizePath } from '../schema/kustomize.js';
import { assignNamespaces } from './namespaces.js';
import type { AssignedNamespace } from './namespaces.js';
import { asArray, asString, describeValue, get, isRecord, stringMap } from '../model/values.js';
import type { KObject, LoadedDocument, ObjectRef, OffsetRange, Path, Severity, Source } from '../types.js';
import { documentsOf, mappingValues } from './documents.js';
import { DataFailure } from './data.js';

/** A problem with the shape of a document, found while building objects. */
export interface ShapeIssue {
  source: Source;
  range: OffsetRange;
  severity: Severity;
  message: string;
  /** The object the issue is about, when the document is one (its name may be '' when it has none). */
  object?: ObjectRef;
}

export interface LoadedObjects {
  objects: KObject[];
  issues: ShapeIssue[];
  /**
   * ConfigMaps and Secrets that kustomize generates (`configMapGenerator`, `secretGenerator` of a
   * kustomization in the input): they exist once the input is built. A kustomization's namespace
   * also moves the resources it lists, which the input does not show, so they count in every
   * namespace: only kind and name are kept.
   */
  generated: { kind: 'ConfigMap' | 'Secret'; name: string }[];
  /** Object id → the namespace these objects may have been applied to (see load/namespaces.ts). */
  inferable: Map<number, string>;
  /** Files a kustomization of the input applies as patches: partial objects, not definitions. */
  patches: ReadonlySet<string>;
}

/** The generator outputs of a kustomization document. */
function kustomizeGenerated(raw: Record<string, unknown>): LoadedObjects['generated'] {
  const out: LoadedObjects['generated'] = [];
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const g of asArray(raw[field])) {
      const name = asString(get(g, 'name'));
      if (name !== undefined) out.push({ kind, name });
    }
  }
  return out;
}

/** File names that are YAML but never manifests (Helm chart metadata and values). */
const NOT_MANIFESTS = /(^|[\\/])(Chart|requirements|values[^\\/]*)\.ya?ml$/;

export interface LoadOptions {
  /** The namespace of objects that set none (`kubectl apply -n`); see load/namespaces.ts. */
  namespace?: string | undefined;
  /** Object id → namespace inferred for it (ids of an earlier load of the same sources). */
  inferred?: ReadonlyMap<number, string>;
}

/** Build the objects of all sources, in input order. */
export function loadObjects(sources: readonly Source[], options: LoadOptions = {}): LoadedObjects {
  const issues: ShapeIssue[] = [];
  const candidates: Candidate[] = [];
  const generated: LoadedObjects['generated'] = [];
  const kustomize = kustomizeRoles(sources);
  for (const source of sources) {
    if (source.skipped || NOT_MANIFESTS.test(source.path)) continue;
    const collected = collectedOf(source);
    // Configuration of kustomize plugins (transformers, generators, validators) is not an object.
    if (kustomize.configs.has(collected.file)) continue;
    if (KUSTOMIZATION_FILE.test(source.path)) {
      for (const js of mappingValues(source, (d) => d.errors === 'none'))
        for (const g of kustomizeGenerated(js)) generated.push(g);
      continue;
    }
    for (const c of collected.candidates) candidates.push(c);
    for (const issue of collected.issues) issues.push(issue);
  }
  // CRDs in the input tell the scope of their custom resources.
  const crdScopes = new Map<string, boolean>();
  for (const c of candidates) {
    if (c.kind !== 'CustomResourceDefinition') continue;
    const group = asString(get(c.raw, 'spec', 'group'));
    const kind = asString(get(c.raw, 'spec', 'names', 'kind'));
    const scope = asString(get(c.raw, 'spec', 'scope'));
    if (group !== undefined && kind !== undefined) crdScopes.set(`${group}/${kind}`, scope !== 'Cluster');
  }
  const { assigned, inferable } = assignNamespaces(
    candidates.map((c) => {
      const { group } = splitApiVersion(c.apiVersion);
      return { file: c.file, raw: c.raw, namespaced: isNamespaced(group, c.kind, crdScopes) };
    }),
    kustomize.namespaceOf,
    options.namespace,
    options.inferred,
  );
  const objects: KObject[] = [];
  // Every candidate becomes an object, so a candidate's index is its object's id.
  candidates.forEach((c, i) => {
    objects.push(builtObject(c, i, crdScopes, issues, assigned[i] ?? { namespace: null, source: null }));
  });
  return { objects, issues, generated, inferable, patches: kustomize.patches };
}

interface Candidate {
  source: Source;
  /** The source's path, normalized the way kustomizations name files. */
  file: string;
  document: LoadedDocument;
  basePath: Path;
  raw: Record<string, unknown>;
  apiVersion: string;
  kind: string;
  /**
   * What `buildObject` made of this candidate, by what it depends on besides the candidate (whether the
   * kind is namespaced and the namespace assigned): the object (with the id it was last given) and its
   * issues. One or two entries: the language server lints the same sources again after every edit, and
   * the engine loads twice when namespaces are inferred.
   */
  built: Map<string, { object: KObject; issues: ShapeIssue[] }>;
}

/** What one source gives alone, whatever the other sources are: its candidates and their shape issues. */
interface Collected {
  file: string;
  candidates: readonly Candidate[];
  issues: readonly ShapeIssue[];
}

/** Kept with the source (one text), like its documents: reloading an unchanged file costs nothing. */
const collectedBySource = new WeakMap<Source, Collected>();

function collectedOf(source: Source): Collected {
  let collected = collectedBySource.get(source);
  if (collected === undefined) {
    const file = normalizePath(source.path);
    const candidates: Candidate[] = [];
    const issues: ShapeIssue[] = [];
    // A kustomization is read by kustomizeRoles and the loader's own loop, never collected as objects.
    if (!KUSTOMIZATION_FILE.test(source.path))
      for (const document of documentsOf(source)) collectDocument(source, file, document, candidates, issues);
    collected = { file, candidates, issues };
    collectedBySource.set(source, collected);
  }
  return collected;
}

/**
 * `buildObject` of a candidate, reused when it was built before with the same scope and namespace: the
 * same object when its id is the same (so what is kept per object stays valid), else a copy with the new id.
 */
function builtObject(
  c: Candidate,
  id: number,
  crdScopes: ReadonlyMap<string, boolean>,
  issues: ShapeIssue[],
  assigned: AssignedNamespace,
): KObject {
  const namespaced = isNamespaced(splitApiVersion(c.apiVersion).group, c.kind, crdScopes);
  const key = `${namespaced ? 'n' : 'c'}\u0000${assigned.namespace ?? ''}\u0000${assigned.source ?? ''}`;
  let built = c.built.get(key);
  if (built === undefined) {
    const own: ShapeIssue[] = [];
    built = { object: buildObject(c, id, crdScopes, own, assigned), issues: own };
    c.built.set(key, built);
  } else if (built.object.id !== id) {
    built.object = { ...built.object, id };
  }
  for (const issue of built.issues) issues.push(issue);
  return built.object;
}

function issueAt(
  source: Source,
  document: LoadedDocument,
  path: Path,
  severity: Severity,
  message: string,
): ShapeIssue {
  return { source, range: locate(document, path).range, severity, message };
}

function collectDocument(
  source: Source,
  file: string,
  document: LoadedDocument,
  out: Candidate[],
  issues: ShapeIssue[],
): void {
  // A document the parser could not read cleanly is reported by yaml-syntax; linting its remains
  // would report noise. Duplicate keys leave a well-formed document (the last value wins).
  if (document.errors === 'syntax') return;
  if (document.isSeq) {
    topLevelList(source, document.yaml(), issues);
    return;
  }
  if (!document.isMap) return; // empty, comment-only or scalar documents are not objects
  let js: unknown;
  try {
    js = document.value();
  } catch (error) {
    const data =
      error instanceof DataFailure
        ? error
        : { message: error instanceof Error ? error.message : String(error), range: [document.start, document.start] };
    issues.push({
      source,
      range: [data.range[0], data.range[1]],
      severity: 'error',
      message: `${data.message}; the document was not linted`,
    });
    return;
  }
  if (!isRecord(js)) return;
  collectObject(source, file, document, [], js, out, issues);
}

/**
 * A document that is a list whose items look like Kubernetes objects: kubectl rejects it (it decodes
 * each document into one object), where `kind: List` or one document per object would be applied.
 * Lists of anything else (a YAML list of settings) are not manifests and are skipped quietly.
 */
function topLevelList(source: Source, document: Document.Parsed, issues: ShapeIssue[]): void {
  if (!isSeq(document.contents)) return;
  const looksLikeObject = document.contents.items.some(
    (item) => isMap(item) && (item.has('apiVersion') || item.has('kind')),
  );
  if (!looksLikeObject) return;
  const json = /\.json$/i.test(source.path);
  issues.push({
    source,
    range: [document.contents.range[0], document.contents.range[0] + 1],
    severity: 'error',
    message:
      `the document is a list (${json ? 'a JSON array' : 'a YAML sequence'}) of objects; kubectl rejects it ` +
      '(it cannot decode a list into an object), so none of them is applied: wrap them in ' +
      '`apiVersion: v1` / `kind: List` / `items:`, or write one document per object' +
      (json ? '' : ' separated by `---`'),
  });
}

function collectObject(
  source: Source,
  file: string,
  document: LoadedDocument,
  basePath: Path,
  raw: Record<string, unknown>,
  out: Candidate[],
  issues: ShapeIssue[],
): void {
  // A key written without a value (`kind:`) still says the author meant a Kubernetes object.
  const hasApiVersion = Object.hasOwn(raw, 'apiVersion');
  const hasKind = Object.hasOwn(raw, 'kind');
  if (!hasApiVersion && !hasKind) {
    if (basePath.length > 0) {
      issues.push(
        issueAt(
          source,
          document,
          basePath,
          'error',
          'list item has no `apiVersion` and no `kind`: it is not a Kubernetes object',
        ),
      );
    }
    return; // not a Kubernetes object (values.yaml, app configuration…): skipped quietly
  }
  let bad = false;
  for (const field of ['apiVersion', 'kind'] as const) {
    const value = raw[field];
    if (value === null && (raw.apiVersion ?? null) === null && (raw.kind ?? null) === null) {
      issues.push(
        issueAt(
          source,
          document,
          [...basePath, field],
          'error',
          `\`${field}\` is empty; ${missingFieldHint(field, undefined)}`,
        ),
      );
      bad = true;
    } else if (value === undefined || value === null) {
      const other = field === 'kind' ? 'apiVersion' : 'kind';
      // `apiVersion: null` (or an empty `apiVersion:`) is written on a line of its own: point there.
      const where = value === null ? field : other;
      issues.push(
        issueAt(
          source,
          document,
          [...basePath, where],
          'error',
          `document has \`${other}\` but no \`${field}\`; ${missingFieldHint(field, raw.kind)}`,
        ),
      );
      bad = true;
    } else if (typeof value !== 'string' || value.trim() === '') {
      issues.push(
        issueAt(
          source,
          document,
          [...basePath, field],
          'error',
          `\`${field}\` must be a non-empty string, got ${describeValue(value)}`,
        ),
      );
      bad = true;
    }
  }
  if (bad) return;
  const apiVersion = raw.apiVersion as string;
  const kind = raw.kind as string;
  const { group } = splitApiVersion(apiVersion);
  // kustomization.yaml and other tool configuration; `apiVersion: builtin` configures a kustomize plugin.
  if (isToolConfig(group) || apiVersion === 'builtin') return;
  if (kind === 'List' || (kind.endsWith('List') && Array.isArray(raw.items))) {
    if (!Array.isArray(raw.items)) {
      if (raw.items !== undefined && raw.items !== null) {
        issues.push(
          issueAt(
            source,
            document,
            [...basePath, 'items'],
            'error',
            `\`items\` of a ${kind} must be a list, got ${describeValue(raw.items)}`,
          ),
        );
      }
      return;
    }
    raw.items.forEach((item, index) => {
      const itemPath = [...basePath, 'items', index];
      if (!isRecord(item)) {
        issues.push(
          issueAt(
            source,
            document,
            itemPath,
            'error',
            `item ${index} of the ${kind} must be a mapping (an object), got ${describeValue(item)}`,
          ),
        );
        return;
      }
      collectObject(source, file, document, itemPath, item, out, issues);
    });
    return;
  }
  out.push({ source, file, document, basePath, raw, apiVersion, kind, built: new Map() });
}

function buildObject(
  c: Candidate,
  id: number,
  crdScopes: ReadonlyMap<string, boolean>,
  issues: ShapeIssue[],
  assigned: AssignedNamespace,
): KObject {
  const { source, document, basePath, apiVersion, kind } = c;
  const written = c.raw;
  const { group, version } = splitApiVersion(apiVersion);
  const ref = (): ObjectRef => ({
    apiVersion,
    kind,
    namespace: isNamespaced(group, kind, crdScopes) ? (assigned.namespace ?? 'default') : null,
    name: asString(get(written, 'metadata', 'name')) ?? '',
  });
  const at = (path: Path, severity: Severity, message: string) =>
    issues.push({ ...issueAt(source, document, [...basePath, ...path], severity, message), object: ref() });
  const metadata = written.metadata;
  let name = '';
  let namespaceValue: string | undefined;
  if (metadata !== undefined && metadata !== null && !isRecord(metadata)) {
    at(['metadata'], 'error', `\`metadata\` must be a mapping, got ${describeValue(metadata)}`);
  } else if (isRecord(metadata)) {
    const n = metadata.name;
    if (typeof n === 'string') name = n;
    else if (n !== undefined && n !== null)
      at(['metadata', 'name'], 'error', `\`metadata.name\` must be a string, got ${describeValue(n)}; quote it`);
    const ns = metadata.namespace;
    if (typeof ns === 'string' && ns !== '') namespaceValue = ns;
    else if (ns !== undefined && ns !== null && ns !== '') {
      at(
        ['metadata', 'namespace'],
        'error',
        `\`metadata.namespace\` must be a string, got ${describeValue(ns)}; quote it`,
      );
    }
  }
  // A metadata that is not a mapping was reported above; its name cannot be judged.
  const generated = typeof get(metadata, 'generateName') === 'string' && get(metadata, 'generateName') !== '';
  if (name === '' && !generated && (metadata === undefined || metadata === null || isRecord(metadata))) {
    const written = isRecord(metadata) && Object.hasOwn(metadata, 'name');
    if (written && (metadata.name === '' || metadata.name === null)) {
      at(
        ['metadata', 'name'],
        'error',
        `\`metadata.name\` of the ${kind} is empty; the API server rejects objects without a name ` +
          '(a template value that rendered empty?)',
      );
    } else if (!written) {
      at(
        isRecord(metadata) ? ['metadata'] : ['kind'],
        'error',
        `${kind} has no \`metadata.name\`; the API server rejects objects without a name (or \`generateName\`)`,
      );
    }
  }
  const namespaced = isNamespaced(group, kind, crdScopes);
  if (!namespaced && namespaceValue !== undefined) {
    // Harmless: the API server drops it. Worth knowing (the author may expect the object to be namespaced).
    at(['metadata', 'namespace'], 'info', `${kind} is cluster-scoped, so \`metadata.namespace\` is ignored; remove it`);
  }
  const raw = withServerDefaults(group, kind, written);
  const defaultedMetadata = raw.metadata;
  const metadataRecord = isRecord(defaultedMetadata) ? defaultedMetadata : {};
  return {
    id,
    source,
    document,
    basePath,
    raw,
    written,
    apiVersion,
    group,
    version,
    kind,
    name,
    namespace: namespaced ? (assigned.namespace ?? 'default') : null,
    namespaceExplicit: namespaceValue !== undefined && (!namespaced || namespaceValue === assigned.namespace),
    namespaceSource: namespaced ? assigned.source : null,
    labels: stringMap(metadataRecord.labels),
    annotations: stringMap(metadataRecord.annotations),
    podTemplate: extractPodTemplate(group, kind, name, raw),
  };
}

/** The documents of a source that hold at least one object, for callers that only need counts. */
export function countDocuments(sources: readonly Source[]): number {
  let n = 0;
  for (const s of sources) for (const d of documentsOf(s)) if (d.isMap) n++;
  return n;
}

function missingFieldHint(field: 'apiVersion' | 'kind', kind: unknown): string {
  if (field === 'kind') return 'add `kind:` (e.g. `kind: Deployment`)';
  const preferred = typeof kind === 'string' ? PREFERRED_API_VERSION[kind] : undefined;
  return preferred !== undefined
    ? `add \`apiVersion: ${preferred}\``
    : 'add `apiVersion:` (the group/version of the kind, e.g. `apps/v1`)';
}
