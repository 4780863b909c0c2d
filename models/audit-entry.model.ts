import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * The trace (全过程留痕): append-only, one global chain. Each entry's `hash` covers its own
 * content and the previous entry's hash, so an edit or a deletion anywhere breaks the chain
 * from that point on, and `serial` is gapless so a deleted tail entry is noticed too.
 */
const auditEntrySchema = new Schema(
  {
    _id: { type: String, required: true },
    serial: { type: Number, required: true, unique: true },
    at: { type: Date, required: true },
    actor: {
      userId: String,
      name: String,
      role: String,
      regionCode: String,
      unitId: String,
    },
    ip: String,
    action: { type: String, required: true },
    caseId: String,
    result: { type: String, required: true },
    detail: String,
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { collection: 'audit_entries', versionKey: false },
);
auditEntrySchema.index({ caseId: 1, serial: 1 });
auditEntrySchema.index({ 'actor.userId': 1, serial: -1 });

export type AuditEntryRecord = InferSchemaType<typeof auditEntrySchema>;
export const AuditEntryModel = mongoose.model('AuditEntry', auditEntrySchema);
