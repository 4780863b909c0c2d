import { proxyActivities, type ActivityOptions } from '@temporalio/workflow';
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

export const recordActivities = proxyActivities<Pick<CaseActivities, 'prepareIntake' | 'projectCase' | 'recordMergedIntake' | 'notify'>>(recordActivityOptions);

export const documentActivities = proxyActivities<Pick<CaseActivities, 'issueCaseDocument'>>(documentActivityOptions);
