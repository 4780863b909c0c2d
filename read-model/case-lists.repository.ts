// The pages people open all day: cases and open tasks by list key (domain/list-keys.ts), and
// the counts the metrics gauge. Each is one `listKeys` equality, an order and a page, which our
// FerretDB build hands whole to PostgreSQL (read-model/list-page.ts).
import type { CaseState } from '../domain/case-state';
import { CaseEventModel } from '../models/case-event.model';
import { CaseModel } from '../models/case.model';
import { CaseStateModel } from '../models/case-state.model';
import { TaskModel, type TaskRecord } from '../models/task.model';
import { caseListColumns, caseListOrder, toSummary, type CaseSummary } from './case-summaries';
import { countMatching, findPage, type PageRequest } from './list-page';

export interface CaseListFilter {
  listKey: string;
  overdue?: boolean;
  category?: string;
  caseNo?: string;
  escalationLevel?: number;
  /** Next deadline by this instant: a range, which FerretDB applies after fetching the rows in scope. */
  dueBy?: Date;
}

function caseFilter({ listKey, overdue, category, caseNo, escalationLevel, dueBy }: CaseListFilter): Record<string, unknown> {
  return {
    listKeys: listKey,
    ...(overdue === undefined ? {} : { overdue }),
    ...(category ? { category } : {}),
    ...(caseNo ? { caseNo } : {}),
    ...(escalationLevel === undefined ? {} : { escalationLevel }),
    ...(dueBy ? { nextDueAt: { $lte: dueBy } } : {}),
  };
}

/** A page of cases, least time left first, and how many match. */
export async function findCasePage(filter: CaseListFilter, page: PageRequest): Promise<{ items: CaseSummary[]; total: number }> {
  const { rows, total } = await findPage(CaseModel, caseFilter(filter), caseListOrder, page, caseListColumns);
  return { items: rows.map(toSummary), total };
}

export async function countCases(filter: CaseListFilter): Promise<number> {
  return countMatching(CaseModel, caseFilter(filter));
}

export interface OpenTaskRow {
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

/** A page of the open tasks listed under `listKey`, least time left first, and how many there are. */
export async function findOpenTaskPage(listKey: string, page: PageRequest): Promise<{ items: OpenTaskRow[]; total: number }> {
  const { rows, total } = await findPage(TaskModel, { listKeys: listKey, status: 'open' }, { sortDue: 1, _id: 1 }, page, { listKeys: 0 });
  const docs = rows as unknown as (TaskRecord & { _id: string })[];
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
    total,
  };
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

export interface StoredTimelineEntry {
  seq: number;
  at: Date;
  type: string;
  summary: string;
  actor?: { userId?: string | null; name?: string | null; role?: string | null } | null;
}

/** The case's timeline in order. */
export async function listTimeline(caseId: string): Promise<StoredTimelineEntry[]> {
  return (await CaseEventModel.find({ caseId }).sort({ seq: 1 }).lean()) as StoredTimelineEntry[];
}
