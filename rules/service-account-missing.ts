import { defineRule, references, reportMissing } from '../src/api.js';

export default defineRule({
  id: 'service-account-missing',
  category: 'wiring',
  severity: 'error',
  description: 'Require ServiceAccounts named by pods and role bindings to exist',
  rationale:
    'A pod template naming a ServiceAccount that does not exist is rejected at pod creation ' +
    '(`serviceaccount "…" not found`): the Deployment shows no pods and no obvious error. A binding ' +
    'whose subject is a missing ServiceAccount grants nothing. The `default` account exists in every ' +
    'namespace. Severity follows the evidence: a close name is an error, a name missing among other ' +
    'ServiceAccounts the input defines there a warning, otherwise an info that says how to declare it.',
  messages: {
    missing: '{{via}} of {{from}} names {{target}}, which is not defined{{where}}{{evidence}}: {{consequence}}{{hint}}',
  },
  check(ctx) {
    for (const ref of references(ctx.graph)) {
      if (ref.target.kind !== 'ServiceAccount' || (ref.type !== 'runs-as' && ref.type !== 'binds')) continue;
      reportMissing(ctx, ref, 'missing', 'ServiceAccounts', {
        consequence:
          ref.type === 'runs-as'
            ? 'its pods are rejected at creation until it exists'
            : 'the binding grants nothing until it exists',
      });
    }
  },
});
