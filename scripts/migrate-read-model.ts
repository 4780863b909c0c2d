import { CaseModel } from '../models/case.model';
import { CaseStateModel } from '../models/case-state.model';
import { isDuplicateKey } from '../models/duplicate-key';
import { TaskHistoryModel, TaskModel } from '../models/task.model';

/**
 * One-off, idempotent move of data written before the read model split (safe to re-run, and to
 * run while workers project): done tasks from `tasks` into `task_history`, and each case's
 * workflow state from `cases` into `case_states`. Projections do the same for a case the next
 * time it changes; this covers the cases that never will (closed ones). The audit chain and
 * the case-number sequences need nothing: their heads are made on first use.
 * `npm run read-model:migrate`.
 */
export async function migrateReadModel(print: (line: string) => void = console.log): Promise<{ tasksMoved: number; statesMoved: number }> {
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
  print(`读模型迁移：已移出 ${tasksMoved} 个已办任务，${statesMoved} 个案件状态。`);
  return { tasksMoved, statesMoved };
}

async function main(): Promise<void> {
  const { loadConfig } = await import('../config');
  const { connectMongo } = await import('../config/mongo');
  const mongoose = (await import('mongoose')).default;
  const config = loadConfig({ SESSION_SECRET: 'not-used-by-this-command', ...process.env });
  await connectMongo(config);
  try {
    await migrateReadModel();
  } finally {
    await mongoose.disconnect();
  }
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 2;
  });
}
