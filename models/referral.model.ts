import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * The read model of a referral: the police liaison's inbox and the bureau's list. Written only
 * by the referral workflow's projection activity, guarded by `revision`. `view` is the referral
 * as the workflow holds it; it never contains the complainant's identity, because the referral
 * never receives it.
 */
const referralSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseId: { type: String, required: true },
    caseNo: { type: String, required: true },
    route: { type: String, required: true },
    status: { type: String, required: true },
    /** awaiting_receipt | awaiting_decision | decided | ended: the inbox a referral sits in. */
    box: { type: String, required: true },
    ended: { type: Boolean, required: true },
    policeUnitId: { type: String, required: true },
    countyCode: { type: String, required: true },
    scope: { province: String, city: String, county: String, township: String },
    suspectedOffence: String,
    partyName: String,
    /** Earliest due instant of a running police clock. */
    policeDueAt: Date,
    policeOverdue: { type: Boolean, default: false },
    escalationLevel: { type: Number, default: 0 },
    proposedAt: { type: Date, required: true },
    revision: { type: Number, required: true },
    view: { type: Schema.Types.Mixed },
  },
  { collection: 'referrals', minimize: false },
);
referralSchema.index({ policeUnitId: 1, box: 1, policeDueAt: 1 });
referralSchema.index({ policeUnitId: 1, policeOverdue: 1 });
referralSchema.index({ 'scope.county': 1, box: 1 });
referralSchema.index({ 'scope.city': 1, box: 1 });
referralSchema.index({ caseId: 1 });

export type ReferralRecord = InferSchemaType<typeof referralSchema>;
export const ReferralModel = mongoose.model('Referral', referralSchema);
