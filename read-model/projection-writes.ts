// Writes the case and referral projections share: a revision-guarded upsert (so a slow, stale
// projection never overwrites a newer one) and the columns of a task row, whichever workflow
// owns the task.
import { taskListKeys } from '../domain/list-keys';
import type { ListedTask } from '../domain/task-list';
import type { CaseModel } from '../models/case.model';
import type { CaseStateModel } from '../models/case-state.model';
import type { ReferralModel } from '../models/referral.model';
import { isDuplicateKey } from '../models/duplicate-key';
import { TaskHistoryModel, TaskModel } from '../models/task.model';
import { regionScope } from './region-scope';

/** Far-future sort key for open tasks and cases without a running clock, so they list after every dated one. */
export const undatedSortKey = new Date('9999-12-31T00:00:00Z');

/**
 * Writes `doc` unless the stored copy is already at `revision` or newer. The stored revision is
 * read first by `_id` (so a stale write costs one lookup). On MongoDB the write's filter then
 * carries the revision, so a stale write that raced past the read matches nothing; its upsert
 * collides with the existing _id and the duplicate-key error is the signal that a newer write
 * won. FerretDB 1.x pushes down only a filter that is exactly `{_id}` and applies every update as
 * a read-then-write without a transaction (so the revision filter was never an atomic guard
 * there); on it the write filters by `_id` alone instead of reading the whole collection.
 */
export async function upsertIfNewer(
  model: typeof CaseModel | typeof CaseStateModel | typeof ReferralModel | typeof TaskModel,
  id: string,
  revision: number,
  doc: Record<string, unknown>,
  /** Fields to remove (e.g. ones an older version of the projection wrote). */
  unset: string[] = [],
): Promise<void> {
  const update: Record<string, unknown> = { $set: { ...doc, revision } };
  if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, 1]));
  const options = { upsert: true, ...(unset.length > 0 ? { strict: false } : {}) };
  const stored = await (model as typeof TaskModel).findById(id).select({ revision: 1 }).lean();
  if (stored && stored.revision >= revision) return;
  try {
    if (await filtersOnIdOnly(model)) await (model as typeof TaskModel).updateOne({ _id: id }, update, options);
    else await (model as typeof TaskModel).updateOne({ _id: id, revision: { $lt: revision } }, update, options);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/**
 * Projects one task row. `tasks` holds open tasks only: a done task is inserted into
 * `task_history` (if absent) and then deleted from `tasks`. An open task is written only while
 * `task_history` has no row for it, and looked up again after the write, so a stale projection
 * that races the one closing the task cannot leave it listed as open: either the closer's delete
 * comes after our write, or its history insert came before our second look and we delete it.
 * Every lookup and delete here is by `_id` alone, the one filter FerretDB/SQLite pushes down.
 */
export async function projectTask(id: string, revision: number, doc: Record<string, unknown>): Promise<void> {
  if (doc.status === 'done') {
    try {
      await new TaskHistoryModel({ ...doc, _id: id, revision }).save();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await TaskModel.deleteOne({ _id: id });
    return;
  }
  if (await TaskHistoryModel.exists({ _id: id })) return;
  await upsertIfNewer(TaskModel, id, revision, doc);
  if (await TaskHistoryModel.exists({ _id: id })) await TaskModel.deleteOne({ _id: id });
}

let storeKind: { db: unknown; idOnly: Promise<boolean> } | undefined;

/** True on FerretDB (its buildInfo says so), whose SQLite backend pushes down only `{_id}` filters. */
function filtersOnIdOnly(model: typeof TaskModel | typeof CaseModel | typeof CaseStateModel | typeof ReferralModel): Promise<boolean> {
  const db = model.db.db;
  if (!db) return Promise.resolve(false);
  if (storeKind?.db !== db) {
    storeKind = {
      db,
      idOnly: db
        .admin()
        .command({ buildInfo: 1 })
        .then((info) => 'ferretdbVersion' in info)
        .catch(() => false),
    };
  }
  return storeKind.idOnly;
}

/** The task's own columns in the task list; the owner adds its case, status and summary. */
export function taskRowFields(task: ListedTask & { assigneeId?: string }): Record<string, unknown> {
  return {
    listKeys: taskListKeys(task),
    kind: task.kind,
    title: task.title,
    role: task.role,
    regionCode: task.regionCode,
    scope: regionScope(task.regionCode),
    unitId: task.unitId,
    dueAt: task.dueAt ? new Date(task.dueAt) : undefined,
    sortDue: task.dueAt ? new Date(task.dueAt) : undatedSortKey,
    clockId: task.clockId,
    escalationLevel: task.escalationLevel,
    status: task.status,
    createdAt: new Date(task.createdAt),
    closedAt: task.closedAt ? new Date(task.closedAt) : undefined,
  };
}
