import { code, defineRule, fieldName, objectLabel, reportSchemaIssues, schemaIssues, serverView } from '../src/api.js';

/** File-mode fields, where a leading zero means octal to the author too (`defaultMode: 0644` is 420). */
const MODE_FIELDS = new Set(['defaultMode', 'mode']);

function describe(value: unknown): string {
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (typeof value === 'number') return `the number ${String(value)}`;
  return code(String(value));
}

export default defineRule({
  id: 'yaml-decode',
  category: 'schema',
  severity: 'error',
  description: 'Report plain YAML scalars that the API server decodes differently from YAML 1.2',
  rationale:
    'kubectl and the API server read YAML with sigs.k8s.io/yaml, which parses with go-yaml v2 and its YAML ' +
    '1.1 rules: an unquoted `yes`, `no`, `on`, `off`, `y` or `n` is a boolean, `0755` is the octal number ' +
    '493, `1_000` is 1000, and `on:` as a mapping key becomes the key `true`. Editors, linters and most ' +
    'tools read YAML 1.2, where all of these are strings or decimal numbers, so the manifest looks right ' +
    'and `kubectl apply` fails with "cannot unmarshal bool into Go struct field … of type string", or ' +
    'silently stores another value. The rule reports a string field written as such a scalar (a label ' +
    '`enabled: yes`, an env `value: on`), a number whose value changes (`port: 0443` is 291), and a mapping ' +
    'key that changes. kubewire validates what the server decodes, so `defaultMode: 0644` (420) and ' +
    '`hostNetwork: yes` (true) are accepted, as the server accepts them. A leading zero in `defaultMode` ' +
    'and `mode` is taken as the octal file mode it is meant to be. Scalars of custom resources without a ' +
    'known schema are reported only when a number or key changes.',
  messages: {
    typeChanged:
      '`{{field}}` is written as the unquoted `{{written}}`, which the API server reads as {{reads}} (YAML ' +
      '1.1), but it must be {{expected}}: quote it (`"{{written}}"`)',
    numberChanged:
      '`{{field}}` is written `{{written}}`, which the API server reads as {{server}} (a leading zero ' +
      'means octal in YAML 1.1), not {{yaml12}}: write {{yaml12}} without the leading zero, or quote it if ' +
      'a string is meant',
    keyChanged:
      'the key `{{written}}` of {{object}} is read by the API server as the key {{server}} (YAML 1.1): ' +
      'quote it (`"{{written}}":`) to keep it as written',
    keyNull:
      'the key `{{written}}` of {{object}} is null to the API server (YAML 1.1), and kubectl refuses the ' +
      'whole object ("unsupported map key"): quote it (`"{{written}}":`)',
  },
  check(ctx) {
    reportSchemaIssues(ctx, 'yaml-decode');
    const typed = new Set(
      schemaIssues(ctx)
        .filter((i) => i.ruleId === 'yaml-decode')
        .map((i) => `${String(i.object.id)}\u0000${JSON.stringify(i.path)}`),
    );
    for (const object of ctx.graph.objects) {
      for (const quirk of serverView(object).quirks) {
        if (quirk.key) {
          ctx.report({
            object,
            path: quirk.path,
            key: true,
            messageId: quirk.server === null ? 'keyNull' : 'keyChanged',
            data: { written: quirk.written, server: code(String(quirk.server)), object: objectLabel(object) },
            severity: quirk.server === null ? undefined : 'warning',
          });
          continue;
        }
        if (typed.has(`${String(object.id)}\u0000${JSON.stringify(quirk.path)}`)) continue;
        const last = quirk.path.at(-1);
        if (typeof quirk.yaml12 !== 'number' || typeof quirk.server !== 'number') continue;
        if (typeof last === 'string' && MODE_FIELDS.has(last)) continue;
        ctx.report({
          object,
          path: quirk.path,
          messageId: 'numberChanged',
          data: {
            field: fieldName(quirk.path),
            written: quirk.written,
            server: describe(quirk.server),
            yaml12: String(quirk.yaml12),
          },
          severity: 'warning',
        });
      }
    }
  },
});
