import { defineRule, isKustomizePatch, isRecord, objectLabel } from '../src/api.js';

export default defineRule({
  id: 'cronjob-starting-deadline-missing',
  category: 'practice',
  severity: 'info',
  description: 'Report CronJobs without startingDeadlineSeconds',
  rationale:
    'Without `startingDeadlineSeconds` a run the controller missed (control plane down or upgraded, ' +
    'CronJob suspended, `concurrencyPolicy: Forbid` behind a long run) is started whenever the controller ' +
    'catches up, however late: a nightly job may run at noon. The controller also counts the missed ' +
    'schedules since the last run, and past 100 it reports "too many missed start times" and, as the ' +
    'CronJob documentation describes, does not start the job; a deadline bounds that count. kube-score ' +
    'rates it critical; it is an info here, since a late run is harmless for many jobs. ' +
    '`concurrencyPolicy` is not checked: `Allow` is right for idempotent jobs, and the input cannot tell.',
  messages: {
    missing:
      '{{cronjob}} sets no `startingDeadlineSeconds`: a missed run starts whenever the controller catches up, however late; set it to how late a run may still start (e.g. `startingDeadlineSeconds: 300`)',
  },
  check(ctx) {
    for (const cronjob of ctx.graph.ofKind('CronJob', 'batch')) {
      const spec = cronjob.raw.spec;
      if (!isRecord(spec) || spec.startingDeadlineSeconds !== undefined || isKustomizePatch(ctx, cronjob)) continue;
      ctx.report({
        object: cronjob,
        path: spec.schedule !== undefined ? ['spec', 'schedule'] : ['spec'],
        key: spec.schedule === undefined,
        messageId: 'missing',
        data: { cronjob: objectLabel(cronjob) },
      });
    }
  },
});
