import { defineRule } from '../src/api.js';

/** The key written at an offset (where the parser reports a duplicate), for the message. */
function keyAt(text: string, offset: number): string | undefined {
  const head = text.slice(offset, offset + 256);
  const quoted = /^(?:"((?:[^"\\\n]|\\.)*)"|'((?:[^'\n]|'')*)')[ \t]*:/.exec(head);
  const plain = /^([^\s:,{}[\]#"'&*!|>%@`-][^:\n,{}[\]#]*?)[ \t]*:(?=[ \t\r\n]|$)/.exec(head);
  const key = quoted?.[1] ?? quoted?.[2]?.replace(/''/g, "'") ?? plain?.[1];
  return key !== undefined && key.length <= 80 ? key : undefined;
}

export default defineRule({
  id: 'yaml-syntax',
  category: 'syntax',
  severity: 'error',
  description: 'Require manifests to be well-formed YAML',
  rationale:
    'kubectl refuses a file it cannot parse, and a duplicate key silently keeps only the last value, ' +
    'so half of a container spec can vanish without anyone noticing. Each problem is reported at its ' +
    'exact line and column; documents of the file that parse cleanly are still linted.',
  messages: {
    error: 'YAML syntax error: {{message}}',
    duplicateKey: 'duplicate key: the later value silently replaces the earlier one; remove one of them',
    duplicateNamedKey: 'duplicate key `{{key}}`: the later value silently replaces the earlier one; remove one of them',
    warning: 'YAML warning: {{message}}',
  },
  check(ctx) {
    for (const source of ctx.sources) {
      for (const p of source.problems) {
        if (p.kind === 'duplicate-key') {
          const key = keyAt(source.text, p.range[0]);
          if (key === undefined) ctx.reportSource({ source, range: p.range, messageId: 'duplicateKey' });
          else ctx.reportSource({ source, range: p.range, messageId: 'duplicateNamedKey', data: { key } });
        }
        else if (p.kind === 'yaml-warning') ctx.reportSource({ source, range: p.range, messageId: 'warning', data: { message: p.message }, severity: 'warning' });
        else ctx.reportSource({ source, range: p.range, messageId: 'error', data: { message: p.message } });
      }
    }
  },
});
