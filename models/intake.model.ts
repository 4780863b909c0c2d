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

/**
 * What each idempotency key was first sent with: a resend with another content is a different
 * intake and is refused instead of answered with the case of the first (the back-edit-resubmit
 * trap). Written before the intake takes a number or merges.
 */
const intakeKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    channel: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    contentFingerprint: { type: String, required: true },
    createdAt: { type: Date, default: Date.now },
  },
  { collection: 'intake_keys', versionKey: false },
);

export const IntakeKeyModel = mongoose.model('IntakeKey', intakeKeySchema);

/**
 * The dedupe log: one entry per new case that others could repeat (it has a location or a
 * credit code), numbered per county and category. `_id` = `<scope>#<serial>` is the guard that
 * makes "no open case repeats this intake, so it becomes a new case" atomic: of two intakes that
 * decided on the same log, only one appends the next entry; the other decides again and sees it.
 */
const dedupeClaimSchema = new Schema(
  {
    _id: { type: String, required: true },
    scope: { type: String, required: true },
    serial: { type: Number, required: true },
    caseId: { type: String, required: true },
    /** Empty until the owner has its number; a repeat waits for it. */
    caseNo: { type: String, default: '' },
    category: { type: String, required: true },
    creditCode: String,
    lng: Number,
    lat: Number,
    receivedAt: { type: String, required: true },
    createdAt: { type: Date, required: true },
  },
  { collection: 'dedupe_claims', versionKey: false },
);
dedupeClaimSchema.index({ scope: 1, serial: -1 });
dedupeClaimSchema.index({ scope: 1, caseId: 1 });

export const DedupeClaimModel = mongoose.model('DedupeClaim', dedupeClaimSchema);

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
