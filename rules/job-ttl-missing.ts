import { defineRule, isKustomizePatch, isRecord, objectLabel } from '../src/api.js';

/** Annotations under which a deployment tool deletes the Job itself (Helm and Argo CD hooks). */
const DELETED_BY_TOOL = ['helm.sh/hook-delete-policy', 'argocd.argoproj.io/hook-delete-policy'];

export default defineRule({
  id: 'job-ttl-missing',
  category: 'practice',
  severity: 'info',
  description: 'Report standalone Jobs without ttlSecondsAfterFinished',
  rationale:
    'A finished Job and its pods stay in the cluster until someone deletes them: they pile up in `kubectl ' +
    'get pods`, keep their logs and claims, and count against quotas. `ttlSecondsAfterFinished` lets the ' +
    'TTL controller delete them some time after they finish. Jobs that a CronJob creates are cleaned up by ' +
    'its history limits and are not checked, nor are Jobs that Helm or Argo CD delete as hooks ' +
    '(`hook-delete-policy`) or kustomize patches. It is an info: with a GitOps tool that re-creates what ' +
    'is missing, a TTL makes the Job run again after it is deleted, so some teams keep Jobs on purpose.',
  messages: {
    missing:
      '{{job}} sets no `ttlSecondsAfterFinished`: once finished, it and its pods stay until someone deletes them; set e.g. `ttlSecondsAfterFinished: 86400`',
  },
  check(ctx) {
    for (const job of ctx.graph.ofKind('Job', 'batch')) {
      const spec = job.raw.spec;
      if (!isRecord(spec) || spec.ttlSecondsAfterFinished !== undefined) continue;
      if (DELETED_BY_TOOL.some((a) => job.annotations[a] !== undefined) || isKustomizePatch(ctx, job)) continue;
      ctx.report({ object: job, path: ['spec'], key: true, messageId: 'missing', data: { job: objectLabel(job) } });
    }
  },
});
