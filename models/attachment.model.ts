import mongoose, { Schema } from 'mongoose';

/**
 * Photos of patrol findings, stored before the intake is sent (the intake carries only their
 * id and SHA-256, DESIGN.md §3). Bytes live in the `attachments` collection: at ≤ 5 MB each they
 * fit a document, and FerretDB has no GridFS guarantees worth relying on.
 */
const attachmentSchema = new Schema(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    contentType: { type: String, required: true },
    size: { type: Number, required: true },
    sha256: { type: String, required: true },
    data: { type: Buffer, required: true },
    uploadedBy: { type: String, required: true },
    regionCode: { type: String, required: true },
    uploadedAt: { type: Date, required: true },
  },
  { collection: 'attachments', versionKey: false },
);
attachmentSchema.index({ sha256: 1 });

export const AttachmentModel = mongoose.model('Attachment', attachmentSchema);
