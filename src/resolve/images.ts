/**
 * Container image references, parsed as the container runtime does (`[registry[:port]/]path[:tag][@digest]`),
 * and the images whose tag a kustomization or Skaffold configuration of the input sets.
 */
import { KUSTOMIZATION_FILE } from '../schema/kustomize.js';
import { mappingValues } from '../load/documents.js';
import type { Graph } from '../model/graph.js';
import { asArray, asString, isRecord } from '../model/values.js';
import type { ContainerInfo, KObject, Source } from '../types.js';
import { isPlaceholder } from './references.js';

export interface ImageReference {
  /** The registry host (with its port), or undefined for Docker Hub shorthand (`nginx`, `library/nginx`). */
  registry: string | undefined;
  /** The repository path without registry, tag or digest (`library/nginx`, `team/api`). */
  repository: string;
  /** The name as written without tag or digest (`registry:5000/team/api`), as kustomize matches it. */
  name: string;
  tag: string | undefined;
  digest: string | undefined;
}

/** Parse an image reference; undefined for an empty or templated one. */
export function parseImage(image: string): ImageReference | undefined {
  const text = image.trim();
  if (text === '' || isPlaceholder(text) || text.includes('{{')) return undefined;
  const at = text.indexOf('@');
  const digest = at === -1 ? undefined : text.slice(at + 1);
  const rest = at === -1 ? text : text.slice(0, at);
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  // A colon before the last slash is a registry port (`registry:5000/app`), not a tag.
  const tag = colon > slash ? rest.slice(colon + 1) : undefined;
  const name = colon > slash ? rest.slice(0, colon) : rest;
  const first = name.split('/')[0] ?? '';
  const hasRegistry = name.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  return {
    registry: hasRegistry ? first : undefined,
    repository: hasRegistry ? name.slice(first.length + 1) : name,
    name,
    tag: tag === '' ? undefined : tag,
    digest: digest === '' ? undefined : digest,
  };
}

/**
 * Image names that a build tool of the input sets the tag of: kustomizations (`images: [{name, newTag |
 * digest}]`) and Skaffold configurations (`build.artifacts[].image`, also in profiles). The manifests they
 * deploy carry that tag, whatever the file says. Matched by name, across the input.
 */
export function rewrittenImages(graph: Graph, sources: readonly Source[]): ReadonlySet<string> {
  return graph.memo('images:rewritten', () => {
    const names = new Set<string>();
    for (const source of sources) for (const name of rewrittenBy(source)) names.add(name);
    return names;
  });
}

/** What each source says, kept with it (one text): the language server lints again after every edit. */
const rewrittenBySource = new WeakMap<Source, readonly string[]>();

/** The image names one source sets the tag of, in order. */
function rewrittenBy(source: Source): readonly string[] {
  const known = rewrittenBySource.get(source);
  if (known !== undefined) return known;
  const out: string[] = [];
  rewrittenBySource.set(source, out);
  if (source.skipped !== undefined) return out;
  const kustomization = KUSTOMIZATION_FILE.test(source.path);
  if (!kustomization && !source.text.includes('skaffold/')) return out;
  // Through documentsOf (mappingValues): a file restored from the cache has no parsed documents, only their values.
  for (const js of mappingValues(source, (d) => d.errors !== 'syntax')) {
    if (kustomization) {
      for (const entry of asArray(js.images)) {
        if (!isRecord(entry)) continue;
        const name = asString(entry.name);
        if (name === undefined || (entry.newTag === undefined && entry.digest === undefined)) continue;
        out.push(name);
        const newName = asString(entry.newName);
        if (newName !== undefined) out.push(newName);
      }
    } else if (asString(js.apiVersion)?.startsWith('skaffold/') === true) {
      const builds = [js.build, ...asArray(js.profiles).map((p) => (isRecord(p) ? p.build : undefined))];
      for (const build of builds)
        for (const artifact of asArray(isRecord(build) ? build.artifacts : undefined)) {
          const image = asString(isRecord(artifact) ? artifact.image : undefined);
          if (image !== undefined) out.push(image);
        }
    }
  }
  return out;
}

/** Whether a build tool rewrites this image (by the name as written, or its repository). */
export function isRewritten(rewritten: ReadonlySet<string>, image: ImageReference): boolean {
  return rewritten.has(image.name) || rewritten.has(image.repository);
}

/** A container whose image has a moving tag (none or `latest`), no digest, and no tool that sets its tag. */
export interface MovingImage {
  object: KObject;
  container: ContainerInfo;
  /** The image as written. */
  text: string;
  image: ImageReference;
}

/** Every container of the input whose image tag can move under it. */
export function movingImages(graph: Graph, sources: readonly Source[]): MovingImage[] {
  const rewritten = rewrittenImages(graph, sources);
  const out: MovingImage[] = [];
  for (const object of graph.objects)
    for (const container of object.podTemplate?.containers ?? []) {
      const text = asString(container.raw.image);
      const image = text === undefined ? undefined : parseImage(text);
      if (text === undefined || image === undefined || image.digest !== undefined) continue;
      if ((image.tag !== undefined && image.tag !== 'latest') || isRewritten(rewritten, image)) continue;
      out.push({ object, container, text, image });
    }
  return out;
}
