import { proxyActivities, proxyLocalActivities, type ActivityOptions, type LocalActivityOptions } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/case-activities.types';

/**
 * Named timeout and retry profiles, sized so that a worker that dies mid-activity costs
 * seconds: Temporal learns of the death only when a timeout runs out, and an officer's Update
 * waits for the activities it triggers.
 *
 * - Read-model writes are single-document writes by `_id` and finish in well under a second;
 *   15 s start-to-close leaves room for a slow database while bounding the stall after a crash.
 *   They are idempotent, so a timeout that fires on a slow but live attempt costs only a retry.
 * - Issuing a document may wait for a page of the pool and render for up to 30 s (the
 *   renderer's own timeout), so its start-to-close stays long; it heartbeats every 2 s
 *   (activities/documents/issue-document.ts) and a 10 s heartbeat timeout is what catches a
 *   dead worker.
 * - No schedule-to-start timeout: it fails the activity without a retry when no worker picks it
 *   up in time, and waiting for a worker to come back is exactly what a case must do.
 */
export const recordActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['DomainError'] },
} satisfies ActivityOptions;

export const documentActivityOptions = {
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['DomainError', 'MissingDocumentFields'] },
} satisfies ActivityOptions;

/**
 * The same read-model writes run as local activities: in the worker, inside the workflow task,
 * so an intake is one workflow task instead of three plus two activity tasks. That is safe for
 * them because each is short and idempotent (writes by `_id`, inserts that ignore duplicates):
 * a worker that dies mid-task makes Temporal rerun the whole workflow task, local activities
 * included. A local activity that outlives 80 % of the workflow task timeout makes the SDK
 * heartbeat the task, so a slow database costs extra workflow tasks, not a failed case; retries
 * longer than `localRetryThreshold` wait on a durable timer instead of holding the task.
 */
export const recordLocalActivityOptions = {
  startToCloseTimeout: recordActivityOptions.startToCloseTimeout,
  retry: recordActivityOptions.retry,
  localRetryThreshold: '10 seconds',
} satisfies LocalActivityOptions;

export type RecordActivities = Pick<CaseActivities, 'prepareIntake' | 'projectCase' | 'recordMergedIntake' | 'notify'>;

export const recordActivities: RecordActivities = proxyActivities<RecordActivities>(recordActivityOptions);

export const localRecordActivities: RecordActivities = proxyLocalActivities<RecordActivities>(recordLocalActivityOptions);

/**
 * Which of the two a run uses, decided once at its start: runs that began as activity tasks
 * keep them on replay; new runs (and runs continued as new) record the steps locally.
 */
export function recordActivitiesForRun(isChangeInForce: (changeId: string) => boolean): RecordActivities {
  return isChangeInForce('record-steps-as-local-activities') ? localRecordActivities : recordActivities;
}

export const documentActivities = proxyActivities<Pick<CaseActivities, 'issueCaseDocument'>>(documentActivityOptions);
