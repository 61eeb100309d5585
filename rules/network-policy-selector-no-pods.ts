import {
  asArray,
  defineRule,
  formatSelector,
  get,
  isRecord,
  namespaceLabel,
  objectLabel,
  parseLabelSelector,
  reportNoMatch,
} from '../src/api.js';
import type { KObject, Path } from '../src/api.js';

export default defineRule({
  id: 'network-policy-selector-no-pods',
  category: 'wiring',
  severity: 'error',
  description: 'Require NetworkPolicy pod selectors to match pods in their namespace',
  rationale:
    'A NetworkPolicy whose `podSelector` matches no pod isolates nothing: the pods it was written for ' +
    'stay open. A `from`/`to` peer whose pod selector matches nothing allows no traffic, so the ' +
    'pods it was meant to let in are cut off once the policy applies. Peers with a ' +
    '`namespaceSelector` select pods in other namespaces, which the input may not show, and are not ' +
    'checked. An empty selector selects every pod of the namespace.',
  messages: {
    target:
      '{{policy}} applies to pods with `{{selector}}`, but no pod template in {{namespace}} has these labels: ' +
      'it isolates nothing{{why}}',
    peer:
      'an {{direction}} peer of {{policy}} selects pods with `{{selector}}`, but no pod template in {{namespace}} ' +
      'has these labels: this rule allows no traffic{{why}}',
  },
  check(ctx) {
    for (const policy of ctx.graph.ofKind('NetworkPolicy', 'networking.k8s.io')) {
      const ns = policy.namespace;
      if (ns === null) continue;
      check(policy, ns, get(policy.raw, 'spec', 'podSelector'), ['spec', 'podSelector'], 'target', '');
      for (const [field, peers, direction] of [
        ['ingress', 'from', 'ingress'],
        ['egress', 'to', 'egress'],
      ] as const) {
        asArray(get(policy.raw, 'spec', field)).forEach((rule, i) => {
          asArray(get(rule, peers)).forEach((peer, j) => {
            if (!isRecord(peer) || peer.namespaceSelector !== undefined || peer.podSelector === undefined) return;
            check(policy, ns, peer.podSelector, ['spec', field, i, peers, j, 'podSelector'], 'peer', direction);
          });
        });
      }
    }

    function check(
      policy: KObject,
      ns: string,
      raw: unknown,
      path: Path,
      messageId: 'target' | 'peer',
      direction: string,
    ): void {
      const { selector } = parseLabelSelector(raw ?? {});
      // An empty selector means every pod of the namespace, whatever runs there.
      if (selector === undefined || selector.requirements.length === 0 || ctx.graph.selectPods(ns, selector).length > 0)
        return;
      const data = {
        policy: objectLabel(policy),
        selector: formatSelector(selector),
        namespace: namespaceLabel(ns),
        direction,
      };
      reportNoMatch(
        ctx,
        { object: policy, path, namespace: ns, selector },
        { evidence: messageId, elsewhere: messageId },
        data,
        '; if another tool creates these pods, ignore this',
      );
    }
  },
});
