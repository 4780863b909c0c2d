// The case list row (`cases`): what lists, dedupe and access checks read of a case. The state
// itself is in case-state.repository.ts; list queries are in read-model/list-page.ts.
import type { CaseView } from '../domain/case-state';
import { openCaseStatuses } from '../domain/case-lifecycle';
import type { DedupeCandidate } from '../domain/dedupe';
import { caseListKey, caseListKeys } from '../domain/list-keys';
import { CaseModel } from '../models/case.model';
import { projectTask, taskRowFields, undatedSortKey, upsertIfNewer } from './projection-writes';
import { regionScope } from './region-scope';
import { markCountyChanged } from './board.repository';

/** Writes the case's list row from `state`, unless a newer revision is already stored. */
export async function saveCaseRow(state: CaseView): Promise<void> {
  const runningDues = Object.values(state.clocks)
    .filter((clock) => clock?.status === 'running')
    .map((clock) => clock!.dueAt)
    .sort();
  const nextDueAt = runningDues[0];
  const overdue = Object.values(state.clocks).some((clock) => clock?.status === 'running' && clock.escalationLevel > 0);
  const caseDoc = {
    caseNo: state.caseNo,
    revision: state.revision,
    status: state.status,
    channel: state.channel,
    category: state.category,
    description: state.description,
    address: state.location.address,
    regionCode: state.location.regionCode,
    lng: state.location.coordinates?.lng,
    lat: state.location.coordinates?.lat,
    subjectName: state.subject?.name,
    creditCode: state.subject?.creditCode,
    reporter: state.reporter,
    countyCode: state.countyCode,
    scope: regionScope(state.location.regionCode),
    assignedUnitKind: state.assignedUnit?.kind,
    assignedUnitRegion: state.assignedUnit?.regionCode,
    outcome: state.outcome,
    escalationLevel: state.escalationLevel,
    nextDueAt: nextDueAt ? new Date(nextDueAt) : undefined,
    sortDue: nextDueAt ? new Date(nextDueAt) : undatedSortKey,
    listKeys: caseListKeys({ regionCode: state.location.regionCode, status: state.status, overdue, nextDueAt }),
    overdue,
    clocks: Object.values(state.clocks),
    relatedComplaints: state.relatedComplaints,
    documents: state.documents,
    idempotencyKey: state.idempotencyKey,
    receivedAt: new Date(state.receivedAt),
    closedAt: state.closure?.approvedAt ? new Date(state.closure.approvedAt) : undefined,
  };
  // `cases` stays lean: a copy of the state an older projection kept there is dropped.
  await upsertIfNewer(CaseModel, state.caseId, state.revision, caseDoc, ['state']);
  // After the write: the board refresher clears a mark only if it is unchanged since it read it
  // before counting, so a count that missed this row leaves the new mark for the next pass.
  await markCountyChanged(state.countyCode);
}

/** Writes the task rows of the case's tasks (see projectTask). */
export async function saveCaseTaskRows(state: CaseView): Promise<void> {
  await Promise.all(
    state.tasks.map((task) =>
      projectTask(task.taskId, state.revision, {
        caseId: state.caseId,
        caseNo: state.caseNo,
        ...taskRowFields(task),
        assigneeId: task.assigneeId,
        assigneeName: task.assigneeName,
        caseStatus: state.status,
        category: state.category,
        summary: state.description.slice(0, 80),
      }),
    ),
  );
}

/** The case number of a listed case, or undefined before its row is written. */
export async function findCaseNo(caseId: string): Promise<string | undefined> {
  const row = await CaseModel.findById(caseId).select({ caseNo: 1 }).lean();
  return row?.caseNo;
}

/** The region code of a listed case, or undefined before its row is written. */
export async function findCaseRegionCode(caseId: string): Promise<string | undefined> {
  const row = await CaseModel.findById(caseId).select({ regionCode: 1 }).lean();
  return row?.regionCode;
}

/**
 * The newest open cases of a county and category (at most `limit`, not counting `exceptCaseId`),
 * as dedupe compares them. Equalities only, so FerretDB pages in PostgreSQL.
 */
export async function listOpenDedupeCandidates(countyCode: string, category: string, exceptCaseId: string, limit = 500): Promise<DedupeCandidate[]> {
  // One more than the window, as the excepted case itself may already be listed.
  const open = (
    await CaseModel.find({ listKeys: caseListKey({ level: 'county', code: countyCode }, { kind: 'open' }), category })
      .select({ _id: 1, caseNo: 1, category: 1, creditCode: 1, lng: 1, lat: 1, receivedAt: 1 })
      .sort({ receivedAt: -1, _id: 1 })
      .limit(limit + 1)
      .lean()
  )
    .filter((candidate) => String(candidate._id) !== exceptCaseId)
    .slice(0, limit);
  return open.map(
    (candidate): DedupeCandidate => ({
      caseId: String(candidate._id),
      caseNo: candidate.caseNo,
      category: candidate.category as DedupeCandidate['category'],
      creditCode: candidate.creditCode,
      lng: candidate.lng,
      lat: candidate.lat,
      receivedAt: new Date(candidate.receivedAt).toISOString(),
    }),
  );
}

/** Of `caseIds`, those whose row has a status that is not open (rows still being written have none). */
export async function listEndedCaseIds(caseIds: readonly string[]): Promise<Set<string>> {
  const rows = await CaseModel.find({ _id: { $in: caseIds }, status: { $nin: openCaseStatuses, $exists: true } }).select({ _id: 1 }).lean();
  return new Set(rows.map((row) => String(row._id)));
}
