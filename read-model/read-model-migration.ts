import { undatedSortKey } from './projection-writes';
import { caseListKeys, taskListKeys } from '../domain/list-keys';
import type { Role } from '../domain/roles';
import { CaseModel } from '../models/case.model';
import { CaseStateModel } from '../models/case-state.model';
import { isDuplicateKey } from '../models/duplicate-key';
import { TaskHistoryModel, TaskModel } from '../models/task.model';

/**
 * One-off, idempotent move of data written before the read model split (safe to re-run, and to
 * run while workers project): done tasks from `tasks` into `task_history`, and each case's
 * workflow state from `cases` into `case_states`. Projections do the same for a case the next
 * time it changes; this covers the cases that never will (closed ones). It also gives rows
 * written before the list keys their keys (addListKeys). The audit chain and
 * the case-number sequences need nothing: their heads are made on first use.
 * `npm run read-model:migrate` (scripts/migrate-read-model.ts).
 */
export async function migrateReadModel(print: (line: string) => void = console.log): Promise<{ tasksMoved: number; statesMoved: number; rowsKeyed: number }> {
  // Ids first, then one document at a time: no cursor stays open over a table being changed.
  const doneIds = (await TaskModel.collection.find({ status: 'done' }, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id);
  let tasksMoved = 0;
  for (const id of doneIds) {
    const task = await TaskModel.collection.findOne({ _id: id });
    if (!task || task.status !== 'done') continue;
    try {
      await TaskHistoryModel.collection.insertOne(task);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await TaskModel.collection.deleteOne({ _id: id });
    tasksMoved += 1;
  }

  const caseIds = (await CaseModel.collection.find({ state: { $exists: true } }, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id);
  let statesMoved = 0;
  for (const id of caseIds) {
    const doc = await CaseModel.collection.findOne({ _id: id }, { projection: { revision: 1, state: 1 } });
    if (!doc?.state) continue;
    const stored = await CaseStateModel.collection.findOne({ _id: id }, { projection: { revision: 1 } });
    if (!stored) {
      try {
        await CaseStateModel.collection.insertOne({ _id: id, revision: doc.revision, state: doc.state });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    } else if ((stored.revision as number) < (doc.revision as number)) {
      await CaseStateModel.collection.updateOne({ _id: id }, { $set: { revision: doc.revision, state: doc.state } });
    }
    await CaseModel.collection.updateOne({ _id: id }, { $unset: { state: 1 } });
    statesMoved += 1;
  }
  const rowsKeyed = await addListKeys();
  print(`读模型迁移：已移出 ${tasksMoved} 个已办任务，${statesMoved} 个案件状态；为 ${rowsKeyed} 行补上列表键。`);
  return { tasksMoved, statesMoved, rowsKeyed };
}

/**
 * Rows projected before the lists moved onto `listKeys` get their keys (and cases their
 * `sortDue`) from their own columns, so they list before their case next changes. Each write
 * names the revision it read: a projection that wrote in between keeps its newer row.
 */
async function addListKeys(): Promise<number> {
  let keyed = 0;
  const unkeyed = { listKeys: { $exists: false } };
  for (const id of (await TaskModel.collection.find(unkeyed, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id)) {
    const task = await TaskModel.collection.findOne({ _id: id });
    if (!task || task.listKeys || typeof task.role !== 'string' || typeof task.regionCode !== 'string') continue;
    const listKeys = taskListKeys({ role: task.role as Role, regionCode: task.regionCode, unitId: task.unitId ?? undefined, assigneeId: task.assigneeId ?? undefined });
    keyed += (await TaskModel.collection.updateOne({ _id: id, revision: task.revision }, { $set: { listKeys } })).modifiedCount;
  }
  for (const id of (await CaseModel.collection.find(unkeyed, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id)) {
    const row = await CaseModel.collection.findOne({ _id: id }, { projection: { revision: 1, regionCode: 1, status: 1, nextDueAt: 1, overdue: 1, listKeys: 1 } });
    if (!row || row.listKeys || typeof row.regionCode !== 'string' || typeof row.status !== 'string') continue;
    const update = { listKeys: caseListKeys({ regionCode: row.regionCode, status: row.status, overdue: row.overdue === true, nextDueAt: row.nextDueAt ?? undefined }), sortDue: row.nextDueAt ?? undatedSortKey };
    keyed += (await CaseModel.collection.updateOne({ _id: id, revision: row.revision }, { $set: update })).modifiedCount;
  }
  return keyed;
}
