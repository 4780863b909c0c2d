import type { Connection } from 'mongoose';
import type { DocumentKind, DocumentStatus } from '../domain/documents';
import { documentKey, documentModels, type DocumentFileRecord, type DocumentRecord } from '../models/document.model';

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
