import { asArray, asString, code, containerLabel, defineRule, isRecord } from '../src/api.js';

/** Words of an env name that make it a secret: `DB_PASSWORD`, `apiKey`, `GITHUB_TOKEN`, `CLIENT_SECRET`. */
const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'apikey', 'credential', 'credentials']);
/** Two-word secrets: `API_KEY`, `ACCESS_KEY`, `PRIVATE_KEY`… */
const KEY_QUALIFIERS = new Set(['api', 'access', 'secret', 'private', 'signing', 'encryption', 'auth', 'master']);
/**
 * A last word that makes the variable about a secret rather than the secret itself: where it is
 * (`_FILE`, `_PATH`, `_DIR`, `_URL`), which one (`_NAME`, `_ID`, `_VERSION`, `_REF`), or a setting of it.
 */
const NOT_THE_SECRET = new Set([
  'file',
  'path',
  'dir',
  'url',
  'uri',
  'name',
  'id',
  'version',
  'ref',
  'enabled',
  'type',
  'mode',
  'header',
  'length',
  'ttl',
  'timeout',
  'expiry',
  'expiration',
  'issuer',
  'audience',
  'endpoint',
  'host',
  'port',
  'provider',
  'policy',
  'field',
]);

/** The words of an env name: `OAUTH2_PROXY_CLIENT_SECRET` → oauth2 proxy client secret; `apiKey` → api key. */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/** Whether an env name looks like it holds a secret. */
function secretLooking(name: string): boolean {
  const w = words(name);
  const last = w[w.length - 1];
  if (last === undefined || NOT_THE_SECRET.has(last)) return false;
  return w.some((word, i) => SECRET_WORDS.has(word) || (word === 'key' && i > 0 && KEY_QUALIFIERS.has(w[i - 1] ?? '')));
}

/**
 * Whether a literal value cannot be a real secret: booleans, numbers, references to other variables,
 * templates, paths, and the placeholders examples write for the reader to replace (`<your-token>`,
 * `INSERT_TOKEN`, `CHANGE_ME`).
 */
function notASecret(value: string): boolean {
  const v = value.trim();
  return (
    v === '' ||
    /^(true|false|yes|no|on|off)$/i.test(v) ||
    /^-?\d+(\.\d+)?$/.test(v) ||
    /\$\(|\$\{|\{\{|<[^>]*>/.test(v) ||
    v.startsWith('/') ||
    /^[A-Z][A-Z0-9_]*$/.test(v) ||
    /change[-_ ]?me|replace[-_ ]?me|^your|[-_ ]your[-_ ]|placeholder/i.test(v)
  );
}

export default defineRule({
  id: 'env-secret-literal',
  category: 'security',
  severity: 'warning',
  description: 'Disallow literal values in environment variables that look like secrets',
  rationale:
    'An env var named like a secret (`DB_PASSWORD`, `API_KEY`, `GITHUB_TOKEN`, `CLIENT_SECRET`) with a ' +
    'literal `value` puts the secret in the manifest: it is in the repository, in every `kubectl get -o ' +
    'yaml`, and readable by anyone who may read the workload, while a Secret can be protected by RBAC and ' +
    'encrypted at rest. Name heuristics are where the peers are noisy, so the rule does not report a ' +
    'name that is about a secret rather than the secret itself (`*_FILE`, `*_PATH`, `*_NAME`, `*_URL`, ' +
    '`*_ID`, `*_VERSION`, `*_ENABLED`, …), `MAX_TOKENS`-style plurals, and values that cannot be one: ' +
    'booleans, numbers, `$(VAR)` and `${VAR}` references, templates, paths, and placeholders written for ' +
    'the reader to replace (`<your-token>`, `INSERT_TOKEN`, `CHANGE_ME`, an all-capitals identifier).',
  messages: {
    literal:
      'env {{name}} of {{container}} holds a literal value that looks like a secret: it is readable in the repository and by anyone who can read the workload; put it in a Secret and use `valueFrom.secretKeyRef`',
  },
  check(ctx) {
    for (const object of ctx.graph.withPodTemplates()) {
      for (const container of object.podTemplate?.containers ?? []) {
        asArray(container.raw.env).forEach((env, i) => {
          if (!isRecord(env)) return;
          const name = asString(env.name);
          const value = asString(env.value);
          if (name === undefined || value === undefined || !secretLooking(name) || notASecret(value)) return;
          ctx.report({
            object,
            path: [...container.path, 'env', i, 'value'],
            messageId: 'literal',
            data: { name: code(name), container: containerLabel(object, container) },
          });
        });
      }
    }
  },
});
