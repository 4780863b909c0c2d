import type { CaseState } from '../domain/case-state';
import { findCasePage, findOpenTaskPage, listTimeline, loadCaseState, type OpenTaskRow } from '../read-model/case-lists.repository';
import { findCaseRegionCode } from '../read-model/cases.repository';
import { caseListKey, taskListKey, type CaseStatusFilter, type TaskListView } from '../domain/list-keys';
import { countiesWithin } from '../domain/regions';
import { combineBoard, type BoardRow } from '../domain/board';
import { boardFigures, casesDueBy as dueCases } from '../read-model/board.repository';
import type { CaseSummary } from '../read-model/case-summaries';
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
  const { items, total } = await findCasePage(
    {
      listKey: caseListKey(narrowedArea(user, query.region), status),
      overdue: query.overdue ? query.overdue === 'true' : undefined,
      category: query.category,
      caseNo: query.caseNo,
      dueBy: query.dueBefore ? new Date(`${query.dueBefore}T23:59:59.999+08:00`) : undefined,
    },
    query,
  );
  return { items, page: query.page, pageSize: query.pageSize, total };
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
  const regionCode = await findCaseRegionCode(caseId);
  if (!regionCode || !canSeeCase(user, regionCode)) throw new HttpError(404, `案件不存在或不在您的辖区内：${caseId}`);
  const [state, events] = await Promise.all([loadCaseState(caseId), listTimeline(caseId)]);
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
  const regionCode = await findCaseRegionCode(caseId);
  if (!regionCode || !canSeeCase(user, regionCode)) throw new HttpError(404, `案件不存在或不在您的辖区内：${caseId}`);
}

export type TaskItem = OpenTaskRow;

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
  const { items, total } = await findOpenTaskPage(taskListKey(view), query);
  return {
    items,
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

