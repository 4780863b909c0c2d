import { randomUUID } from 'node:crypto';
import mongoose, { Schema, Types, type Connection, type Model } from 'mongoose';
import { documentKindList, type DocumentKind, type DocumentStatus } from '../domain/documents';

/**
 * One issued document (法律文书). The record is inserted before the PDF exists, with status
 * 'rendering': inserting it is what consumes the number, so a number is never skipped (a failed
 * render leaves the reservation for the retry to complete) and never given twice (unique index
 * on agency, kind, year and serial). Nothing here is ever deleted; voiding keeps the number.
 */
export interface DocumentRecord {
  _id: DocumentKey;
  caseId: string;
  caseNo: string;
  kind: DocumentKind;
  /** With caseId and kind, the idempotency key of issuing. */
  occasion: string;
  agencyCode: string;
  agencyName: string;
  year: number;
  serial: number;
  docNo: string;
  title: string;
  templateVersion: string;
  status: DocumentStatus;
  /**
   * The template data as JSON text: a retry renders exactly what was reserved, and user keys
   * containing '.' or starting with '$' (which FerretDB rejects as field names) are stored as-is.
   */
  fieldsJson: string;
  issuedAt: Date;
  issuedBy?: string;
  sha256?: string;
  byteLength?: number;
  voidReason?: string;
  voidedAt?: Date;
  voidedBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * The PDF bytes, kept apart so that listing documents never loads them. `_id` is the document's
 * id: the first insert wins, so two racing completions of one reservation cannot store two
 * different PDFs (Chromium stamps a creation time, so two renders never match byte for byte).
 * A plain binary field: documents stay far below the 16 MB BSON limit, and GridFS would add a
 * second collection pair for nothing.
 */
export interface DocumentFileRecord {
  _id: DocumentKey;
  bytes: Buffer;
  sha256: string;
  byteLength: number;
  templateVersion: string;
  createdAt: Date;
}

/**
 * A document's `_id`: a random UUID, so that knowing one document's URL tells nothing about the
 * next one. Documents issued before were keyed by ObjectId, whose leading timestamp and counter
 * made neighbours guessable; they keep their ids and stay readable (`documentKey`).
 */
export type DocumentKey = string | Types.ObjectId;

export function newDocumentId(): string {
  return randomUUID();
}

/** The stored key of a document id from a URL or a workflow: 24 hex digits are a legacy ObjectId. */
export function documentKey(documentId: string): DocumentKey | undefined {
  if (/^[0-9a-f]{24}$/iu.test(documentId)) return new Types.ObjectId(documentId);
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/iu.test(documentId)) return documentId.toLowerCase();
  return undefined;
}

const documentSchema = new Schema<DocumentRecord>(
  {
    // Mixed, so that Mongoose casts neither kind of key into the other (see DocumentKey).
    _id: { type: Schema.Types.Mixed, default: newDocumentId },
    caseId: { type: String, required: true },
    caseNo: { type: String, required: true },
    kind: { type: String, required: true, enum: documentKindList },
    occasion: { type: String, required: true },
    agencyCode: { type: String, required: true },
    agencyName: { type: String, required: true },
    year: { type: Number, required: true },
    serial: { type: Number, required: true, min: 1 },
    docNo: { type: String, required: true },
    title: { type: String, required: true },
    templateVersion: { type: String, required: true },
    status: { type: String, required: true, enum: ['rendering', 'issued', 'voided'] },
    fieldsJson: { type: String, required: true },
    issuedAt: { type: Date, required: true },
    issuedBy: { type: String },
    sha256: { type: String },
    byteLength: { type: Number },
    voidReason: { type: String },
    voidedAt: { type: Date },
    voidedBy: { type: String },
  },
  { collection: 'documents', timestamps: true, versionKey: false },
);
// Plain and unique indexes only: FerretDB rejects partial, TTL and collation indexes.
documentSchema.index(
  { agencyCode: 1, kind: 1, year: 1, serial: 1 },
  { unique: true, name: 'document_number_unique' },
);
documentSchema.index({ caseId: 1, kind: 1, occasion: 1 }, { unique: true, name: 'document_occasion_unique' });
// Guards the printed number itself, should two kinds ever share a kind code.
documentSchema.index({ docNo: 1 }, { unique: true, name: 'document_docno_unique' });

const documentFileSchema = new Schema<DocumentFileRecord>(
  {
    _id: { type: Schema.Types.Mixed, required: true },
    bytes: { type: Buffer, required: true },
    sha256: { type: String, required: true },
    byteLength: { type: Number, required: true },
    templateVersion: { type: String, required: true },
  },
  { collection: 'document_files', timestamps: { createdAt: true, updatedAt: false }, versionKey: false },
);

export interface DocumentModels {
  Document: Model<DocumentRecord>;
  DocumentFile: Model<DocumentFileRecord>;
  /** Resolves once both collections and their unique indexes exist; numbering relies on them. */
  ready(): Promise<void>;
}

const readiness = new WeakMap<Connection, Promise<void>>();

/** The models on a connection (default: mongoose's default connection), compiled once. */
export function documentModels(connection: Connection = mongoose.connection): DocumentModels {
  const Document =
    (connection.models.IssuedDocument as Model<DocumentRecord> | undefined) ??
    connection.model<DocumentRecord>('IssuedDocument', documentSchema);
  const DocumentFile =
    (connection.models.IssuedDocumentFile as Model<DocumentFileRecord> | undefined) ??
    connection.model<DocumentFileRecord>('IssuedDocumentFile', documentFileSchema);
  return {
    Document,
    DocumentFile,
    ready() {
      let ready = readiness.get(connection);
      if (!ready) {
        // createIndexes rather than relying on autoIndex, so that a failure surfaces here
        // instead of as duplicate numbers later.
        ready = Promise.all([Document.createCollection().catch(ignoreExists), DocumentFile.createCollection().catch(ignoreExists)])
          .then(() => Promise.all([Document.createIndexes(), DocumentFile.createIndexes()]))
          .then(() => undefined);
        ready.catch(() => readiness.delete(connection));
        readiness.set(connection, ready);
      }
      return ready;
    },
  };
}

function ignoreExists(error: unknown): void {
  const code = (error as { code?: unknown; codeName?: unknown }).code;
  if (code === 48 || (error as { codeName?: unknown }).codeName === 'NamespaceExists') return;
  throw error;
}
