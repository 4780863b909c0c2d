import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/** The case timeline; `_id` is `<caseId>:<seq>`, so a replayed projection inserts nothing twice. */
const caseEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    type: { type: String, required: true },
    summary: { type: String, required: true },
    actor: { userId: String, name: String, role: String, regionCode: String, ip: String },
    data: Schema.Types.Mixed,
  },
  { collection: 'case_events' },
);
caseEventSchema.index({ caseId: 1, seq: 1 });

export type CaseEventRecord = InferSchemaType<typeof caseEventSchema>;
export const CaseEventModel = mongoose.model('CaseEvent', caseEventSchema);
