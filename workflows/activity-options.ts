import { proxyActivities } from '@temporalio/workflow';
import type { CaseActivities } from '../activities/case-activities.types';

/**
 * Named timeout and retry profiles. Read-model writes are quick and retried for a long time
 * (MongoDB may be briefly away); rendering a PDF may queue behind others in the page pool.
 */
export const recordActivities = proxyActivities<Pick<CaseActivities, 'prepareIntake' | 'projectCase' | 'recordMergedIntake' | 'notify'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', nonRetryableErrorTypes: ['DomainError'] },
});

export const documentActivities = proxyActivities<Pick<CaseActivities, 'issueCaseDocument'>>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '2 seconds', maximumInterval: '2 minutes', nonRetryableErrorTypes: ['DomainError', 'MissingDocumentFields'] },
});
