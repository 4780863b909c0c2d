import mongoose, { Schema } from 'mongoose';

/**
 * The full workflow state of a case, as of `revision`: what the case page and its actions read.
 * Kept apart from `cases` so that list and dedupe queries (which FerretDB 1.x on SQLite answers
 * by reading the whole collection) do not decode it. Read by `_id` (= caseId) only; written by
 * the case projection, revision-guarded like the case document.
 */
const caseStateSchema = new Schema(
  {
    _id: { type: String, required: true },
    revision: { type: Number, required: true },
    state: { type: Schema.Types.Mixed },
  },
  { collection: 'case_states', minimize: false, versionKey: false },
);

export const CaseStateModel = mongoose.model('CaseState', caseStateSchema);
