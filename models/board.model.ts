import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * The board's figures per county, recounted by the board refresher workflow: a province board
 * reads 17 of these instead of counting 30 000 open cases. `overdueFirst` holds the county's
 * overdue cases with the least time left, as the board lists them.
 */
const boardCountsSchema = new Schema(
  {
    /** The county's region code. */
    _id: { type: String, required: true },
    open: { type: Number, required: true },
    overdue: { type: Number, required: true },
    dueSoon: { type: Number, required: true },
    dueSoonDays: { type: Number, required: true },
    overdueFirst: { type: [Schema.Types.Mixed], default: [] },
    countedAt: { type: Date, required: true },
  },
  { collection: 'board_counts', versionKey: false },
);

/**
 * A county whose cases changed since its figures were counted. The projection sets `at` after
 * it writes a case row; the refresher removes the marker only if `at` is still what it read
 * before counting, so a change during a count is never lost. The board counts a marked county live.
 */
const boardDirtySchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { collection: 'board_dirty', versionKey: false },
);

export type BoardCountsRecord = InferSchemaType<typeof boardCountsSchema>;
export const BoardCountsModel = mongoose.model('BoardCounts', boardCountsSchema);
export const BoardDirtyModel = mongoose.model('BoardDirty', boardDirtySchema);
