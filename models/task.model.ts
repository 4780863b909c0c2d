import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * "Someone must act on this case now" (DESIGN.md §6). Indexed for the one query every user
 * runs all day: open tasks on one of my lists (`listKeys`), least time left first.
 *
 * `tasks` holds open tasks only: the projection moves a task that is done into `task_history`
 * (same shape), so the lists scan only open work even where the store cannot use the indexes
 * (FerretDB 1.x on SQLite pushes down nothing but a lone `_id` equality).
 */
const taskSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    caseNo: { type: String, required: true },
    kind: { type: String, required: true },
    title: { type: String, required: true },
    role: { type: String, required: true },
    regionCode: { type: String, required: true },
    scope: {
      province: String,
      city: String,
      county: String,
      township: String,
    },
    unitId: String,
    /** The lists this open task is on (domain/list-keys.ts): one equality per list. */
    listKeys: { type: [String], default: undefined },
    assigneeId: String,
    assigneeName: String,
    /** Open tasks without a clock sort last: they get a far-future sort key. */
    dueAt: Date,
    sortDue: { type: Date, required: true },
    clockId: String,
    escalationLevel: { type: Number, default: 0 },
    status: { type: String, required: true },
    caseStatus: String,
    category: String,
    summary: String,
    createdAt: { type: Date, required: true },
    closedAt: Date,
    revision: { type: Number, required: true },
  },
  { collection: 'tasks', minimize: false },
);
taskSchema.index({ listKeys: 1, status: 1, sortDue: 1, _id: 1 });
taskSchema.index({ caseId: 1 });

export type TaskRecord = InferSchemaType<typeof taskSchema>;
export const TaskModel = mongoose.model('Task', taskSchema);

/** Done tasks, moved out of `tasks` by the projection; looked up by `_id` only. */
const taskHistorySchema = taskSchema.clone();
taskHistorySchema.set('collection', 'task_history');
taskHistorySchema.clearIndexes();
taskHistorySchema.index({ caseId: 1 });
export const TaskHistoryModel = mongoose.model('TaskHistory', taskHistorySchema);
