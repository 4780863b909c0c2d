import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { DocumentKind, DocumentStatus } from '../domain/documents';
import { isDuplicateKey } from '../models/duplicate-key';
import { documentKey, documentModels, type DocumentFileRecord, type DocumentKey, type DocumentModels, type DocumentRecord } from '../models/document.model';

export { documentKey, type DocumentKey, type DocumentRecord };

/** The document collections of one connection: what the issuing functions below write to. */
export type DocumentStore = DocumentModels;

/** Default: mongoose's default connection. */
export function documentStore(connection?: Connection): DocumentStore {
  return documentModels(connection);
}

/** A document as the API lists it: everything but the bytes and the template data. */
export interface DocumentListItem {
  documentId: string;
  caseId: string;
  caseNo: string;
  kind: DocumentKind;
  occasion: string;
  title: string;
  docNo: string;
  serial: number;
  status: DocumentStatus;
  templateVersion: string;
  issuedAt: string;
  issuedBy?: string;
  sha256?: string;
  byteLength?: number;
  voidReason?: string;
  voidedAt?: string;
  voidedBy?: string;
}

export interface DocumentPdf {
  bytes: Buffer;
  sha256: string;
  docNo: string;
  caseId: string;
  kind: DocumentKind;
  occasion: string;
  status: DocumentStatus;
}

/** A case's documents, oldest first; reservations still rendering are listed too. */
export async function listCaseDocuments(caseId: string, connection?: Connection): Promise<DocumentListItem[]> {
  const { Document } = documentModels(connection);
  const records = await Document.find({ caseId })
    .select({ fieldsJson: 0 })
    .sort({ issuedAt: 1, serial: 1 })
    .lean<DocumentRecord[]>();
  return records.map(toListItem);
}

/** The stored PDF of an issued or voided document; undefined while rendering or if unknown. */
export async function getDocumentPdf(documentId: string, connection?: Connection): Promise<DocumentPdf | undefined> {
  const key = documentKey(documentId);
  if (key === undefined) return undefined;
  const { Document, DocumentFile } = documentModels(connection);
  const record = await Document.findOne({ _id: key }).select({ fieldsJson: 0 }).lean<DocumentRecord>();
  if (!record || record.status === 'rendering') return undefined;
  const file = await DocumentFile.findOne({ _id: key }).lean<DocumentFileRecord>();
  if (!file) return undefined;
  return {
    bytes: toBuffer(file.bytes),
    sha256: file.sha256,
    docNo: record.docNo,
    caseId: record.caseId,
    kind: record.kind,
    occasion: record.occasion,
    status: record.status,
  };
}

// lean() hands back BSON Binary rather than Buffer for binary fields.
function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  const binary = value as { buffer?: unknown; value?: (asRaw?: boolean) => unknown };
  if (binary.buffer instanceof Uint8Array) return Buffer.from(binary.buffer);
  if (value instanceof Uint8Array) return Buffer.from(value);
  throw new Error('stored PDF is not binary data');
}

function toListItem(record: DocumentRecord): DocumentListItem {
  return {
    documentId: String(record._id),
    caseId: record.caseId,
    caseNo: record.caseNo,
    kind: record.kind,
    occasion: record.occasion,
    title: record.title,
    docNo: record.docNo,
    serial: record.serial,
    status: record.status,
    templateVersion: record.templateVersion,
    issuedAt: record.issuedAt.toISOString(),
    ...(record.issuedBy ? { issuedBy: record.issuedBy } : {}),
    ...(record.sha256 ? { sha256: record.sha256 } : {}),
    ...(record.byteLength !== undefined ? { byteLength: record.byteLength } : {}),
    ...(record.voidReason ? { voidReason: record.voidReason } : {}),
    ...(record.voidedAt ? { voidedAt: record.voidedAt.toISOString() } : {}),
    ...(record.voidedBy ? { voidedBy: record.voidedBy } : {}),
  };
}

// --- issuing: reserve (document-numbering.ts) → render → store the PDF → mark issued ---

export interface StoredDocumentFile {
  sha256: string;
  byteLength: number;
  templateVersion: string;
}

/** The stored PDF's hash, length and template version, if a PDF is stored. */
export async function findStoredDocumentFile(store: DocumentStore, documentId: DocumentKey): Promise<StoredDocumentFile | undefined> {
  const stored = await store.DocumentFile.findOne({ _id: documentId })
    .select({ sha256: 1, byteLength: 1, templateVersion: 1 })
    .lean<StoredDocumentFile>();
  return stored ?? undefined;
}

/** Inserts the PDF unless another completion of the same reservation already did; returns what is stored. */
export async function storeFirstDocumentFile(
  store: DocumentStore,
  documentId: DocumentKey,
  rendered: { bytes: Buffer; templateVersion: string },
): Promise<StoredDocumentFile> {
  const { bytes, templateVersion } = rendered;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    await store.DocumentFile.create({ _id: documentId, bytes, sha256, byteLength: bytes.length, templateVersion });
    return { sha256, byteLength: bytes.length, templateVersion };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const stored = await findStoredDocumentFile(store, documentId);
    if (!stored) throw new Error(`PDF of document ${String(documentId)} reported stored but not found`);
    return stored;
  }
}

/** Marks a rendering reservation issued with its stored PDF, and returns the record as it now stands. */
export async function markDocumentIssued(store: DocumentStore, documentId: DocumentKey, file: StoredDocumentFile): Promise<DocumentRecord | null> {
  await store.Document.updateOne(
    { _id: documentId, status: 'rendering' },
    { $set: { status: 'issued', sha256: file.sha256, byteLength: file.byteLength, templateVersion: file.templateVersion } },
  );
  return store.Document.findOne({ _id: documentId }).lean<DocumentRecord>();
}

/**
 * Voids the document if it is issued (the number, PDF and hash stay on record) and returns the
 * record as it now stands, voided or not; null if there is no such document.
 */
export async function voidIssuedDocument(
  store: DocumentStore,
  documentId: DocumentKey,
  voiding: { reason: string; voidedAt: Date; voidedBy?: string },
): Promise<DocumentRecord | null> {
  await store.ready();
  await store.Document.updateOne(
    { _id: documentId, status: 'issued' },
    {
      $set: {
        status: 'voided',
        voidReason: voiding.reason,
        voidedAt: voiding.voidedAt,
        ...(voiding.voidedBy ? { voidedBy: voiding.voidedBy } : {}),
      },
    },
  );
  return store.Document.findOne({ _id: documentId }).lean<DocumentRecord>();
}
