import { createBoardActivities, type BoardActivities } from './board.activities';
import type { CaseActivities } from './case-activities.types';
import { createCaseRecordActivities } from './case-records.activities';
import type { DocumentActivities } from './documents/issue-document';
import type { ReferralActivities } from './referral-activities.types';
import { createReferralActivities } from './referral.activities';

export interface ActivityDependencies {
  /** Issues a case's document (numbering, rendering, storage); the worker wires the renderer. */
  issueCaseDocument: CaseActivities['issueCaseDocument'];
  /** Issues a document from fields already built (referral letters); same numbering and renderer. */
  issueDocument?: DocumentActivities['issueDocument'];
}

/** The object the worker registers: every activity any workflow on the task queue calls. */
export function createActivities(deps: ActivityDependencies): CaseActivities & ReferralActivities & BoardActivities {
  return {
    ...createBoardActivities(),
    ...createCaseRecordActivities(),
    ...createReferralActivities({ issueDocument: deps.issueDocument }),
    issueCaseDocument: deps.issueCaseDocument,
  };
}
