import mongoose, { Schema } from 'mongoose';

/** Intakes merged into an open case: the idempotency key keeps answering with that case. */
const mergedIntakeSchema = new Schema(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    mergedIntoCaseId: { type: String, required: true },
    mergedIntoCaseNo: { type: String, required: true },
    createdAt: { type: Date, default: Date.now },
  },
  { collection: 'merged_intakes' },
);
mergedIntakeSchema.index({ channel: 1, idempotencyKey: 1 }, { unique: true });

export const MergedIntakeModel = mongoose.model('MergedIntake', mergedIntakeSchema);

/** Case numbers: one gapless sequence per county and year. */
const caseNumberSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true, unique: true },
    scope: { type: String, required: true },
    serial: { type: Number, required: true },
    caseNo: { type: String, required: true },
  },
  { collection: 'case_numbers' },
);
caseNumberSchema.index({ scope: 1, serial: 1 }, { unique: true });

export const CaseNumberModel = mongoose.model('CaseNumber', caseNumberSchema);

/** Notifications to a role in a region (reminders, overdue, escalation). */
const notificationSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: String,
    caseNo: String,
    role: String,
    regionCode: String,
    message: String,
    createdAt: { type: Date, default: Date.now },
    readBy: [String],
  },
  { collection: 'notifications' },
);
notificationSchema.index({ role: 1, regionCode: 1, createdAt: -1 });

export const NotificationModel = mongoose.model('Notification', notificationSchema);
