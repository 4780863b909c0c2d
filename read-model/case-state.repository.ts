// The whole case state as the workflow last projected it (`case_states`), one row per case.
import type { CaseView } from '../domain/case-state';
import { CaseStateModel } from '../models/case-state.model';
import { upsertIfNewer } from './projection-writes';

/** Stores `state` unless a newer revision is already stored. */
export async function saveCaseState(state: CaseView): Promise<void> {
  await upsertIfNewer(CaseStateModel, state.caseId, state.revision, { state });
}
