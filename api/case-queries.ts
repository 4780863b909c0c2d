import type { CaseState } from '../domain/case-state';
import { CaseEventModel } from '../models/case-event.model';
import { CaseModel } from '../models/case.model';
import { CaseStateModel } from '../models/case-state.model';
import { TaskModel, type TaskRecord } from '../models/task.model';
import { findPage } from '../read-model/list-page';
import { caseListKey, taskListKey, type CaseStatusFilter, type TaskListView } from '../domain/list-keys';
import { countiesWithin } from '../domain/regions';
import { combineBoard, type BoardRow } from '../domain/board';
import { boardFigures, casesDueBy as dueCases } from '../read-model/board.repository';
import { caseListColumns, caseListOrder, toSummary, type CaseSummary } from '../read-model/case-summaries';
import type { AuthenticatedUser } from './auth';
import { canSeeCase, canSeeComplainant, narrowedArea, userArea } from './jurisdiction';
import { HttpError } from './http-errors';
import { readableSummary } from '../domain/timeline';
import { missingFieldsReason } from '../domain/document-readiness';
import { isCaseId } from './route-ids';

export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

export async function listCases(
  user: AuthenticatedUser,
  query: { status?: string; overdue?: 'true' | 'false'; category?: string; region?: string; caseNo?: string; dueBefore?: string; page: number; pageSize: number },
): Promise<Page<CaseSummary>> {
  const status: CaseStatusFilter = !query.status ? { kind: 'any' } : query.status === 'open' ? { kind: 'open' } : { kind: 'status', status: query.status };
  const filter: Record<string, unknown> = { listKeys: caseListKey(narrowedArea(user, query.region), status) };
  if (query.overdue) filter.overdue = query.overdue === 'true';
  if (query.category) filter.category = query.category;
  if (query.caseNo) filter.caseNo = query.caseNo;
  // A range: FerretDB applies it after fetching the rows in scope (the one list filter it cannot page in PostgreSQL).
  if (query.dueBefore) filter.nextDueAt = { $lte: new Date(`${query.dueBefore}T23:59:59.999+08:00`) };
  const { rows, total } = await findPage(CaseModel, filter, caseListOrder, query, caseListColumns);
  return { items: rows.map(toSummary), page: query.page, pageSize: query.pageSize, total };
}


/** Open cases in the user's region not yet overdue whose next deadline falls by `until`, least time left first. */
export async function casesDueBy(user: AuthenticatedUser, now: Date, until: Date, limit: number): Promise<CaseSummary[]> {
  return dueCases(userArea(user), now, until, limit);
}

/** The case as the user may see it: the complainant's identity only where the law allows. */
export type CaseDetail = Omit<CaseState, 'unprojectedEvents' | 'reporter'> & {
  reporter?: CaseState['reporter'];
  reporterWithheld: boolean;
};

export function presentCase(user: AuthenticatedUser, state: Omit<CaseState, 'unprojectedEvents'>): CaseDetail {
  const { reporter, ...rest } = state;
  const visible = canSeeComplainant(user, state.countyCode);
  return { ...rest, ...(visible && reporter ? { reporter } : {}), reporterWithheld: !visible && Boolean(reporter && !reporter.anonymous) };
}

/**
 * The case's full workflow state from `case_states`, by `_id`. A case projected before states
 * moved out of `cases` still carries its state there; that copy is read (also by `_id`) instead.
 */
export async function loadCaseState(caseId: string): Promise<CaseState | undefined> {
  const record = await CaseStateModel.findById(caseId).lean();
  if (record?.state) return record.state as CaseState;
  const legacy = await CaseModel.collection.findOne({ _id: caseId as never }, { projection: { state: 1 } });
  return (legacy?.state as CaseState | undefined) ?? undefined;
}

export async function getCaseDetail(user: AuthenticatedUser, caseId: string): Promise<{ detail: CaseDetail; timeline: TimelineEntry[] }> {
  const { detail, timeline } = await getCaseDetailAndState(user, caseId);
  return { detail, timeline };
}

/** getCaseDetail plus the unfiltered state, for the case page's actions (never sent as JSON). */
export async function getCaseDetailAndState(
  user: AuthenticatedUser,
  caseId: string,
): Promise<{ detail: CaseDetail; timeline: TimelineEntry[]; state: CaseState }> {
  if (!isCaseId(caseId)) throw new HttpError(404, `案件不存在或不在您的辖区内：${caseId}`);
  const doc = await CaseModel.findById(caseId).select({ regionCode: 1 }).lean();
  if (!doc || !canSeeCase(user, doc.regionCode)) throw new HttpError(404, `案件不存在或不在您的辖区内：${caseId}`);
  const [state, events] = await Promise.all([loadCaseState(caseId), CaseEventModel.find({ caseId }).sort({ seq: 1 }).lean()]);
  if (!state) throw new HttpError(404, `案件不存在或不在您的辖区内：${caseId}`);
  return {
    state,
    detail: presentCase(user, state),
    timeline: events.map((event) => ({
      seq: event.seq,
      at: event.at.toISOString(),
      type: event.type,
      summary: withReadableFailureReason(readableSummary(event.summary)),
      actor: event.actor?.userId ? { userId: event.actor.userId, name: event.actor.name ?? '', role: event.actor.role ?? '' } : undefined,
    })),
  };
}

export interface TimelineEntry {
  seq: number;
  at: string;
  type: string;
  summary: string;
  actor?: { userId: string; name: string; role: string };
}

/** Guards an action: the case must exist and lie in the user's subtree, or it is a 404. */
export async function assertCaseVisible(user: AuthenticatedUser, caseId: string): Promise<void> {
  if (!isCaseId(caseId)) throw new HttpError(404, `案件不存在或不在您的辖区内：${caseId}`);
  const doc = await CaseModel.findById(caseId).select({ regionCode: 1 }).lean();
  if (!doc || !canSeeCase(user, doc.regionCode)) throw new HttpError(404, `案件不存在或不在您的辖区内：${caseId}`);
}

export interface TaskItem {
  taskId: string;
  caseId: string;
  caseNo: string;
  kind: string;
  title: string;
  role: string;
  regionCode: string;
  assigneeId?: string;
  assigneeName?: string;
  dueAt?: string;
  escalationLevel: number;
  caseStatus?: string;
  category?: string;
  summary?: string;
}

/** Open tasks for the user's role in their subtree (or claimed by them), least time left first. */
export async function listTasks(user: AuthenticatedUser, query: { view: 'mine' | 'unit'; page: number; pageSize: number }): Promise<Page<TaskItem>> {
  const view: TaskListView =
    query.view === 'mine'
      ? { view: 'mine', userId: user.userId }
      : user.role === 'police_liaison'
        ? // A police unit's work is addressed to the unit, not to a region: two units in one
          // county must not see each other's referrals.
          { view: 'unit', role: user.role, unitId: user.unitId ?? '(none)' }
        : { view: 'region', role: user.role, area: userArea(user) };
  const { rows, total } = await findPage(TaskModel, { listKeys: taskListKey(view), status: 'open' }, { sortDue: 1, _id: 1 }, query, { listKeys: 0 });
  const docs = rows as unknown as TaskRecord[] & { _id: string }[];
  return {
    items: docs.map((doc) => ({
      taskId: doc._id,
      caseId: doc.caseId,
      caseNo: doc.caseNo,
      kind: doc.kind,
      title: doc.title,
      role: doc.role,
      regionCode: doc.regionCode,
      assigneeId: doc.assigneeId ?? undefined,
      assigneeName: doc.assigneeName ?? undefined,
      dueAt: doc.dueAt?.toISOString(),
      escalationLevel: doc.escalationLevel ?? 0,
      caseStatus: doc.caseStatus ?? undefined,
      category: doc.category ?? undefined,
      summary: doc.summary ?? undefined,
    })),
    page: query.page,
    pageSize: query.pageSize,
    total,
  };
}

export interface SupervisorBoard {
  rows: BoardRow[];
  /** The overdue cases with the least time left (at most `overdueListLimit`); `overdueTotal` counts them all. */
  overdueCases: CaseSummary[];
  overdueTotal: number;
}

/**
 * Open, overdue and due-soon counts for each county in the user's region (counties without open
 * cases left out), and the overdue cases: the refresher's stored figures, a live count for a
 * county whose cases changed since (read-model/board.repository.ts).
 */
export async function supervisorBoard(user: AuthenticatedUser, now: Date, dueSoonDays = 3): Promise<SupervisorBoard> {
  const figures = await boardFigures(countiesWithin(userArea(user).code), now, dueSoonDays);
  const { rows, overdueFirst, overdueTotal } = combineBoard(figures);
  return { rows, overdueCases: overdueFirst, overdueTotal };
}

/**
 * Document failures recorded before the reason was worded for people read
 * "文书 correction_order 缺少字段：party.name, legalBasis"; they are shown as the newer ones are.
 */
export function withReadableFailureReason(summary: string): string {
  return summary.replace(/文书 [a-z_]+ 缺少字段：([\w.]+(?:, [\w.]+)*)/u, (_whole, fields: string) => missingFieldsReason(fields.split(', ')));
}

