import { defineRule } from '../src/api.js';

export default defineRule({
  id: 'file-unreadable',
  category: 'syntax',
  severity: 'error',
  description: 'Require every linted file to be readable UTF-8 text',
  rationale:
    'A manifest that cannot be read cannot be checked: binary files, other encodings, files over the ' +
    'size limit and paths that cannot be opened are reported once each instead of being skipped ' +
    'silently, so a green run never hides a file that was not looked at.',
  messages: {
    unreadable: '{{message}}',
  },
  check(ctx) {
    for (const source of ctx.sources) {
      const skip = source.skipped;
      if (skip === undefined || skip.reason === 'template') continue;
      ctx.reportSource({ source, range: skip.range, messageId: 'unreadable', data: { message: skip.message } });
    }
  },
});
