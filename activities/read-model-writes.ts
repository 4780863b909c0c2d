// Writes the case and referral projections share: a revision-guarded upsert (so a slow, stale
// projection never overwrites a newer one) and the columns of a task row, whichever workflow
// owns the task.
import type { ListedTask } from '../domain/task-list';
import type { CaseModel } from '../models/case.model';
import type { ReferralModel } from '../models/referral.model';
import { isDuplicateKey } from '../models/serial-allocation';
import type { TaskModel } from '../models/task.model';
import { regionScope } from './region-scope';

/** Far-future sort key for open tasks without a clock, so they list after every dated task. */
const undatedSortKey = new Date('9999-12-31T00:00:00Z');

/**
 * Writes `doc` unless the stored copy is already at `revision` or newer. The filter carries the
 * revision, so a stale write matches nothing; its upsert then collides with the existing _id
 * and the duplicate-key error is the signal that a newer write won.
 */
export async function upsertIfNewer(
  model: typeof CaseModel | typeof ReferralModel | typeof TaskModel,
  id: string,
  revision: number,
  doc: Record<string, unknown>,
): Promise<void> {
  try {
    await (model as typeof TaskModel).updateOne({ _id: id, revision: { $lt: revision } }, { $set: { ...doc, revision } }, { upsert: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}

/** The task's own columns in the task list; the owner adds its case, status and summary. */
export function taskRowFields(task: ListedTask): Record<string, unknown> {
  return {
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
