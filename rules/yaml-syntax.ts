import { defineRule } from '../src/api.js';

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
          if (p.key === undefined) ctx.reportSource({ source, range: p.range, messageId: 'duplicateKey' });
          else ctx.reportSource({ source, range: p.range, messageId: 'duplicateNamedKey', data: { key: p.key } });
        } else if (p.kind === 'yaml-warning')
          ctx.reportSource({
            source,
            range: p.range,
            messageId: 'warning',
            data: { message: p.message },
            severity: 'warning',
          });
        else ctx.reportSource({ source, range: p.range, messageId: 'error', data: { message: p.message } });
      }
    }
  },
});
