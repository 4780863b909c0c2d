import type { CaseActivities } from './case-activities.types';
import { createCaseRecordActivities } from './case-records.activities';

export interface ActivityDependencies {
  /** Issues a case's document (numbering, rendering, storage); the worker wires the renderer. */
  issueCaseDocument: CaseActivities['issueCaseDocument'];
}

/** The object the worker registers: every activity any workflow on the task queue calls. */
export function createActivities(deps: ActivityDependencies): CaseActivities {
  return {
    ...createCaseRecordActivities(),
    issueCaseDocument: deps.issueCaseDocument,
  };
}
