import mongoose, { Schema, type InferSchemaType } from 'mongoose';

/**
 * The read model of a case: what lists and dedupe read (the full state is in `case_states`). Written only by the case workflow's
 * projection activity, guarded by `revision` so a stale write never overwrites a newer one.
 * `scope` holds the region codes of each level so jurisdiction filters are plain equality
 * matches, which FerretDB and MongoDB both serve from an index.
 */
const regionScopeSchema = new Schema(
  { province: String, city: String, county: String, township: String },
  { _id: false },
);

const clockSchema = new Schema(
  {
    id: String,
    label: String,
    basis: String,
    source: String,
    startedAt: String,
    dueAt: String,
    status: String,
    suspendedAt: String,
    suspensionReason: String,
    reminderAt: String,
    escalationLevel: Number,
    extensions: Number,
    history: [{ _id: false, at: String, from: String, to: String, reason: String, by: String }],
  },
  { _id: false },
);

const caseSchema = new Schema(
  {
    _id: { type: String, required: true },
    caseNo: { type: String, required: true, unique: true },
    revision: { type: Number, required: true },
    status: { type: String, required: true },
    channel: { type: String, required: true },
    category: { type: String, required: true },
    description: { type: String, required: true },
    address: String,
    regionCode: { type: String, required: true },
    lng: Number,
    lat: Number,
    subjectName: String,
    creditCode: String,
    /** Confidential: shown only to the registering team and its supervisors. */
    reporter: { anonymous: Boolean, name: String, phone: String },
    countyCode: { type: String, required: true },
    scope: { type: regionScopeSchema, required: true },
    assignedUnitKind: String,
    assignedUnitRegion: String,
    outcome: String,
    escalationLevel: { type: Number, default: 0 },
    /** Earliest due instant among running clocks; what "least time left" sorts on. */
    nextDueAt: Date,
    /** `nextDueAt`, or a far-future instant without a running clock: the lists' sort key. */
    sortDue: Date,
    /** The lists this case is on (domain/list-keys.ts): region at each level, alone, with its status, and as open. */
    listKeys: { type: [String], default: undefined },
    overdue: { type: Boolean, default: false },
    clocks: [clockSchema],
    relatedComplaints: [{ _id: false, caseId: String, channel: String, receivedAt: String, description: String }],
    documents: [{ _id: false, kind: String, occasion: String, docNo: String, documentId: String, issuedAt: String }],
    idempotencyKey: { type: String, required: true },
    receivedAt: { type: Date, required: true },
    closedAt: Date,
    // The full workflow state lives in `case_states` (models/case-state.model.ts).
  },
  { collection: 'cases', timestamps: true, minimize: false },
);
caseSchema.index({ listKeys: 1, sortDue: 1, receivedAt: -1, _id: 1 });
caseSchema.index({ category: 1, creditCode: 1, status: 1 });
caseSchema.index({ category: 1, countyCode: 1, status: 1, receivedAt: -1 });
caseSchema.index({ channel: 1, idempotencyKey: 1 }, { unique: true });

export type CaseRecord = InferSchemaType<typeof caseSchema>;
export const CaseModel = mongoose.model('Case', caseSchema);
