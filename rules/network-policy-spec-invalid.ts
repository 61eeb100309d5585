import {
  LABEL_SELECTOR_MESSAGES,
  asArray,
  asNumber,
  asRecord,
  asString,
  cidrStrictlyContains,
  defineRule,
  isRecord,
  labelSelectorProblems,
  labelValueProblem,
  looksLikePlaceholder,
  parseCidr,
  portNameProblem,
  portNumberProblem,
  qualifiedKeyProblem,
  serverValue,
} from '../src/api.js';
import type { KObject, Path, RuleContext } from '../src/api.js';

type MessageId =
  | 'portRange'
  | 'portName'
  | 'endPortBelowPort'
  | 'endPortNamed'
  | 'endPortAlone'
  | 'peerEmpty'
  | 'peerIpBlockAndSelector'
  | 'cidrEmpty'
  | 'cidr'
  | 'exceptOutside'
  | 'policyTypes'
  | 'selectorKey'
  | 'selectorValue'
  | 'selectorValuesRequired'
  | 'selectorValuesForbidden';
type Ctx = RuleContext<MessageId>;

/** ValidateLabelSelector: matchLabels keys and values, and the values each operator takes. */
function checkSelector(ctx: Ctx, object: KObject, selector: unknown, at: Path): void {
  if (!isRecord(selector)) return;
  const labels = asRecord(selector.matchLabels);
  for (const [key, value] of Object.entries(labels ?? {})) {
    const keyProblem = looksLikePlaceholder(key) ? undefined : qualifiedKeyProblem(key);
    if (keyProblem !== undefined)
      ctx.report({
        object,
        path: [...at, 'matchLabels', key],
        key: true,
        messageId: 'selectorKey',
        data: { key, problem: keyProblem },
      });
    const valueProblem =
      typeof value === 'string' && !looksLikePlaceholder(value) ? labelValueProblem(value) : undefined;
    if (valueProblem !== undefined)
      ctx.report({
        object,
        path: [...at, 'matchLabels', key],
        messageId: 'selectorValue',
        data: { key, value: String(value), problem: valueProblem },
      });
  }
  for (const problem of labelSelectorProblems(selector, at)) ctx.report({ object, ...problem });
}

/** ValidateNetworkPolicyPort: a port number or name; `endPort` only after a numeric port, not below it. */
function checkPort(ctx: Ctx, object: KObject, port: Record<string, unknown>, at: Path): void {
  const value = port.port;
  const endPort = asNumber(port.endPort);
  const hasEnd = endPort !== undefined;
  if (typeof value === 'number') {
    if (portNumberProblem(value) !== undefined)
      ctx.report({ object, path: [...at, 'port'], messageId: 'portRange', data: { field: 'port', value } });
    if (hasEnd) {
      if (endPort < value)
        ctx.report({ object, path: [...at, 'endPort'], messageId: 'endPortBelowPort', data: { port: value, endPort } });
      if (portNumberProblem(endPort) !== undefined)
        ctx.report({
          object,
          path: [...at, 'endPort'],
          messageId: 'portRange',
          data: { field: 'endPort', value: endPort },
        });
    }
  } else if (typeof value === 'string') {
    if (hasEnd) ctx.report({ object, path: [...at, 'endPort'], messageId: 'endPortNamed', data: { name: value } });
    const problem = looksLikePlaceholder(value) ? undefined : portNameProblem(value);
    if (problem !== undefined)
      ctx.report({ object, path: [...at, 'port'], messageId: 'portName', data: { name: value, problem } });
  } else if ((value === undefined || value === null) && hasEnd)
    ctx.report({ object, path: [...at, 'endPort'], key: true, messageId: 'endPortAlone' });
}

/** ValidateIPBlock: a CIDR, and `except` entries strictly inside it. */
function checkIpBlock(ctx: Ctx, object: KObject, block: Record<string, unknown>, at: Path): void {
  const text = asString(block.cidr);
  if (text === undefined || looksLikePlaceholder(text)) return;
  if (text === '') {
    ctx.report({ object, path: [...at, 'cidr'], messageId: 'cidrEmpty' });
    return;
  }
  const cidr = parseCidr(text);
  if (cidr === undefined) {
    ctx.report({ object, path: [...at, 'cidr'], messageId: 'cidr', data: { value: text } });
    return;
  }
  asArray(block.except).forEach((entry, i) => {
    if (typeof entry !== 'string' || looksLikePlaceholder(entry)) return;
    const except = parseCidr(entry);
    if (except === undefined)
      ctx.report({ object, path: [...at, 'except', i], messageId: 'cidr', data: { value: entry } });
    else if (!cidrStrictlyContains(cidr, except))
      ctx.report({
        object,
        path: [...at, 'except', i],
        messageId: 'exceptOutside',
        data: { value: entry, cidr: text },
        related: [{ object, path: [...at, 'cidr'], message: `the block's \`cidr\` is \`${text}\`` }],
      });
  });
}

/** ValidateNetworkPolicyPeer: at least one of the three, and an ipBlock alone. */
function checkPeer(ctx: Ctx, object: KObject, peer: unknown, at: Path): void {
  if (!isRecord(peer)) return;
  const present = ['podSelector', 'namespaceSelector', 'ipBlock'].filter(
    (field) => peer[field] !== undefined && peer[field] !== null,
  );
  if (present.length === 0) {
    ctx.report({ object, path: at, messageId: 'peerEmpty' });
    return;
  }
  if (present.length > 1 && present.includes('ipBlock'))
    ctx.report({ object, path: [...at, 'ipBlock'], key: true, messageId: 'peerIpBlockAndSelector' });
  checkSelector(ctx, object, peer.podSelector, [...at, 'podSelector']);
  checkSelector(ctx, object, peer.namespaceSelector, [...at, 'namespaceSelector']);
  const block = asRecord(peer.ipBlock);
  if (block !== undefined) checkIpBlock(ctx, object, block, [...at, 'ipBlock']);
}

export default defineRule<MessageId>({
  id: 'network-policy-spec-invalid',
  category: 'schema',
  severity: 'error',
  description: 'Report NetworkPolicy specs the API server rejects: ports and port ranges, peers, IP blocks, selectors',
  rationale:
    '`ValidateNetworkPolicySpec` (pkg/apis/networking/validation/validation.go) requires each port to be a ' +
    'number in 1–65535 or an IANA port name, an `endPort` only after a numeric `port` and not below it; ' +
    'each peer of `from`/`to` to name at least one of `podSelector`, `namespaceSelector` and `ipBlock`, ' +
    'and an `ipBlock` alone; an `ipBlock.cidr` that is a CIDR and `except` entries strictly inside it; at ' +
    'most two `policyTypes`; and label selectors with valid keys, values and operators. A peer written ' +
    'as `- {}` does not mean "everyone": the API server refuses it (an empty `podSelector: {}` selects ' +
    'every pod of the namespace).',
  messages: {
    portRange: '`{{field}}` {{value}} is out of range: it must be between 1 and 65535',
    portName: 'port name `{{name}}` is not valid: {{problem}}',
    endPortBelowPort: '`endPort` {{endPort}} is below `port` {{port}}: a port range must end at or after its start',
    endPortNamed:
      '`endPort` needs a numeric `port`, but the port is the name `{{name}}`: use a number or remove `endPort`',
    endPortAlone: '`endPort` is set without `port`: give the first port of the range',
    peerEmpty:
      'this peer names nothing: give `podSelector`, `namespaceSelector` or `ipBlock` (to allow every ' +
      'source or destination, leave out `from`/`to` instead)',
    peerIpBlockAndSelector:
      'a peer with `ipBlock` may not also have a `podSelector` or `namespaceSelector`: make them two peers',
    cidrEmpty: '`ipBlock.cidr` is empty: give a CIDR such as `10.0.0.0/8`',
    cidr: '`{{value}}` is not a CIDR: write an address and a prefix length, such as `10.0.0.0/8` or `fd00::/8`',
    exceptOutside:
      '`except` entry `{{value}}` is not strictly inside `cidr` `{{cidr}}`: each exception must be a smaller ' +
      'block within the CIDR',
    policyTypes: '{{count}} `policyTypes` are listed: at most two (`Ingress` and `Egress`) are allowed',
    selectorKey: 'selector key `{{key}}` is not a valid label key: {{problem}}',
    selectorValue: 'selector value `{{value}}` of `{{key}}` is not a valid label value: {{problem}}',
    ...LABEL_SELECTOR_MESSAGES,
  },
  check(ctx) {
    for (const object of ctx.graph.ofKind('NetworkPolicy', 'networking.k8s.io')) {
      const spec = asRecord(serverValue(object, ['spec']));
      if (spec === undefined) continue;
      checkSelector(ctx, object, spec.podSelector, ['spec', 'podSelector']);
      for (const [direction, peers] of [
        ['ingress', 'from'],
        ['egress', 'to'],
      ] as const) {
        asArray(spec[direction]).forEach((rule, i) => {
          if (!isRecord(rule)) return;
          const at: Path = ['spec', direction, i];
          asArray(rule.ports).forEach((port, j) => {
            if (isRecord(port)) checkPort(ctx, object, port, [...at, 'ports', j]);
          });
          asArray(rule[peers]).forEach((peer, j) => {
            checkPeer(ctx, object, peer, [...at, peers, j]);
          });
        });
      }
      const types = asArray(spec.policyTypes);
      if (types.length > 2)
        ctx.report({
          object,
          path: ['spec', 'policyTypes'],
          key: true,
          messageId: 'policyTypes',
          data: { count: types.length },
        });
    }
  },
});
