import { asArray, asString, code, defineRule, get, nameList, objectLabel } from '../src/api.js';

/** Annotations by which cloud load balancers terminate TLS for an Ingress without `spec.tls`. */
const TLS_ANNOTATION = /certificate|pre-shared-cert|managed-certificates|ssl-cert|router\.tls$/i;

/** Whether a TLS host entry covers a rule host (`*.example.com` covers one label). */
function covers(tlsHost: string, host: string): boolean {
  if (tlsHost === host) return true;
  if (tlsHost.startsWith('*.')) {
    const rest = host.slice(host.indexOf('.') + 1);
    return host.includes('.') && rest === tlsHost.slice(2);
  }
  return false;
}

export default defineRule({
  id: 'ingress-tls-missing',
  category: 'security',
  severity: 'info',
  description: 'Report Ingresses that serve hosts over plain HTTP',
  rationale:
    'An Ingress without `spec.tls` serves its hosts over plain HTTP: credentials and cookies cross the ' +
    'network in clear text. One whose `tls` section does not list a host of its rules serves that host ' +
    "with the controller's default certificate, which browsers reject. Ingresses whose annotations " +
    'configure TLS at a cloud load balancer (AWS `certificate-arn`, GKE `pre-shared-cert` and ' +
    '`managed-certificates`, Traefik `router.tls`) are not reported, nor Ingresses without host rules that ' +
    'only route a default backend. It is an info: TLS is often terminated in front of the cluster, ' +
    'which the input cannot show.',
  messages: {
    none:
      '{{ingress}} has no `tls` section: {{hosts}} {{verb}} served over plain HTTP; add `spec.tls` with the ' +
      'hosts and a certificate Secret (cert-manager can issue it)',
    uncovered:
      'host {{host}} of {{ingress}} is not listed in its `tls` section ({{tlsHosts}}): it is served over plain ' +
      "HTTP, or with the controller's default certificate; add it to the `hosts` of a `tls` entry",
  },
  check(ctx) {
    for (const ingress of ctx.graph.ofKind('Ingress')) {
      if (Object.keys(ingress.annotations).some((k) => TLS_ANNOTATION.test(k))) continue;
      const rules = asArray(get(ingress.raw, 'spec', 'rules'));
      const hosts = rules.flatMap((r, i) => {
        const host = asString(get(r, 'host'));
        return get(r, 'http') !== undefined || host !== undefined ? [{ host, index: i }] : [];
      });
      if (hosts.length === 0) continue;
      const tls = get(ingress.raw, 'spec', 'tls');
      if (tls === undefined || tls === null || asArray(tls).length === 0) {
        const named = hosts.flatMap((h) => (h.host !== undefined ? [h.host] : []));
        ctx.report({
          object: ingress,
          path: ['spec', 'rules'],
          key: true,
          messageId: 'none',
          data: {
            ingress: objectLabel(ingress),
            hosts: named.length > 0 ? nameList([...new Set(named)]) : 'all hosts',
            verb: new Set(named).size === 1 ? 'is' : 'are',
          },
        });
        continue;
      }
      const tlsHosts = asArray(tls).flatMap((t) => asArray(get(t, 'hosts')).flatMap((h) => asString(h) ?? []));
      // A tls entry without hosts applies to the controller's default server: nothing to compare.
      if (asArray(tls).some((t) => asArray(get(t, 'hosts')).length === 0)) continue;
      for (const { host, index } of hosts) {
        if (host === undefined || tlsHosts.some((t) => covers(t, host))) continue;
        ctx.report({
          object: ingress,
          path: ['spec', 'rules', index, 'host'],
          messageId: 'uncovered',
          data: { ingress: objectLabel(ingress), host: code(host), tlsHosts: nameList(tlsHosts) },
        });
      }
    }
  },
});
