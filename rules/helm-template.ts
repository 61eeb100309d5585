import { defineRule } from '../src/api.js';

export default defineRule({
  id: 'helm-template',
  category: 'syntax',
  severity: 'info',
  description: 'Report files holding unrendered Go/Helm templates, which are not linted',
  rationale:
    'A chart template is not a manifest until Helm renders it: `{{ … }}` in a structural position makes ' +
    'the YAML meaningless. kubewire skips such files and says so, rather than reporting parse errors; ' +
    'lint the rendered output instead (`helm template … | kubewire -`). `{{ }}` inside string values ' +
    '(Prometheus alert templates, dashboards) is data and is linted normally.',
  messages: {
    template: '{{message}}',
  },
  check(ctx) {
    for (const source of ctx.sources) {
      if (source.skipped?.reason !== 'template') continue;
      ctx.reportSource({
        source,
        range: source.skipped.range,
        messageId: 'template',
        data: { message: source.skipped.message },
      });
    }
  },
});
