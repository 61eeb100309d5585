import {
  asString,
  autoscalingOf,
  defineRule,
  get,
  objectLabel,
  podCount,
  pushTo,
  referencesTo,
  reportMissing,
} from '../src/api.js';

/** A pod of a StatefulSet addressed by its DNS name: `name` is the StatefulSet, `service` its governing Service. */
export interface PodDnsQuery {
  readonly name: string;
  readonly service: string;
}

const isWord = (text: string, at: number) => at >= 0 && at < text.length && /\w/.test(text.charAt(at));
/** A word boundary at `at`, as the regular expression `\b` defines it. */
const boundary = (text: string, at: number) => isWord(text, at - 1) !== isWord(text, at);

/**
 * The queries whose pod DNS name (`<name>-<ordinal>.<service>`, the ordinal a number or a variable such as
 * `$(ORDINAL)`) is written in one of the texts, each bounded by word boundaries. One pass over the texts
 * finds every `-<ordinal>.`; only the lengths of the names and Services asked about are compared around
 * it, so the cost grows with the texts, not with the texts times the StatefulSets.
 */
export function podDnsNamesUsed(texts: readonly string[], queries: readonly PodDnsQuery[]): Set<PodDnsQuery> {
  const used = new Set<PodDnsQuery>();
  if (queries.length === 0) return used;
  /** Service name → StatefulSet name → the queries. */
  const byService = new Map<string, Map<string, PodDnsQuery[]>>();
  const serviceLengths = new Set<number>();
  const nameLengths = new Map<string, Set<number>>();
  for (const query of queries) {
    let names = byService.get(query.service);
    if (!names) byService.set(query.service, (names = new Map<string, PodDnsQuery[]>()));
    pushTo(names, query.name, query);
    serviceLengths.add(query.service.length);
    let lengths = nameLengths.get(query.service);
    if (!lengths) nameLengths.set(query.service, (lengths = new Set<number>()));
    lengths.add(query.name.length);
  }
  const ordinal = /-(?:\d+|\$\(?\w+\)?)\./g;
  for (const text of texts) {
    ordinal.lastIndex = 0;
    for (let match = ordinal.exec(text); match; match = ordinal.exec(text)) {
      const nameEnd = match.index;
      const serviceStart = match.index + match[0].length;
      for (const length of serviceLengths) {
        const serviceEnd = serviceStart + length;
        if (serviceEnd > text.length || !boundary(text, serviceEnd)) continue;
        const service = text.slice(serviceStart, serviceEnd);
        const names = byService.get(service);
        if (!names) continue;
        for (const nameLength of nameLengths.get(service) ?? []) {
          const nameStart = nameEnd - nameLength;
          if (nameStart < 0 || !boundary(text, nameStart)) continue;
          for (const query of names.get(text.slice(nameStart, nameEnd)) ?? []) used.add(query);
        }
      }
    }
  }
  return used;
}

export default defineRule({
  id: 'statefulset-service',
  category: 'wiring',
  severity: 'error',
  description: 'Require the serviceName of a StatefulSet to be a headless Service in its namespace',
  rationale:
    'A StatefulSet gives its pods stable DNS names (`web-0.<serviceName>`) through the governing ' +
    'Service named by `serviceName`. When that Service does not exist the pods run but the names do ' +
    'not resolve, so peers that find each other by name (databases, consensus clusters) never form; ' +
    'when it exists but is not headless (`clusterIP: None`), the per-pod records are not published: a ' +
    'warning when something depends on per-pod identity (more than one replica, an autoscaler, or a ' +
    'pod DNS name such as `web-0.web` written in the input), otherwise an info (a single-replica ' +
    'database reached through its cluster IP does not use the per-pod names).',
  messages: {
    missing:
      '{{from}} is governed by {{target}}, which is not defined{{where}}{{evidence}}: ' +
      "the pods' DNS names ({{pod}}.{{name}}) will not resolve{{hint}}",
    notHeadless:
      "{{from}} is governed by {{service}}, which is not headless: the pods' DNS names ({{pod}}.{{name}}) " +
      'do not resolve; set `clusterIP: None`',
  },
  check(ctx) {
    /** Governed StatefulSets whose severity depends on whether a pod DNS name is written in the input. */
    const undecided: { query: PodDnsQuery; report: (identity: boolean) => void }[] = [];
    for (const ref of referencesTo(ctx.graph, 'governs', 'Service')) {
      const pod = `${ref.from.name}-0`;
      reportMissing(ctx, ref, 'missing', 'Services', { pod });
      if (ref.resolution.status !== 'found') continue;
      // Only a Service of the StatefulSet's own application is judged: one of that name in an unrelated
      // folder (another repository, an example beside it) says nothing about how this one is deployed.
      for (const service of ctx.graph.relatedIn(ref.resolution.objects, ref.from.source.path)) {
        if (asString(get(service.raw, 'spec', 'clusterIP')) === 'None') continue;
        const report = (identity: boolean) => {
          ctx.report({
            object: ref.from,
            path: ref.path,
            messageId: 'notHeadless',
            data: { from: objectLabel(ref.from), service: objectLabel(service), pod, name: ref.target.name },
            related: [{ object: service, path: ['spec'], message: `${objectLabel(service)} has a cluster IP` }],
            severity: identity ? 'warning' : 'info',
          });
        };
        // Per-pod names matter when there are several pods, or something addresses one of them by name.
        const replicas = podCount(ref.from.kind, ref.from.raw);
        const scaling = autoscalingOf(ctx.graph, ref.from);
        if ((typeof replicas === 'number' && replicas > 1) || (scaling.max ?? 0) > 1 || scaling.other) report(true);
        else undecided.push({ query: { name: ref.from.name, service: ref.target.name }, report });
      }
    }
    // The sources are read only when a question needs them (reading them depends on every edit).
    if (undecided.length === 0) return;
    const used = podDnsNamesUsed(
      ctx.sources.map((s) => s.text),
      undecided.map((u) => u.query),
    );
    for (const { query, report } of undecided) report(used.has(query));
  },
});
