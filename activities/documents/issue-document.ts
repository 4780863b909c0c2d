import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Connection } from 'mongoose';
import {
  chinaCalendarDate,
  documentTitle,
  documentYear,
  findMissingFields,
  isDocumentKind,
  type IssueDocumentInput,
  type IssuedDocumentSummary,
  type VoidDocumentInput,
  type VoidDocumentResult,
} from '../../domain/documents';
import { documentKey, documentModels, type DocumentKey, type DocumentModels, type DocumentRecord } from '../../models/document.model';
import { isDuplicateKey, reserveDocumentNumber, SequenceLocks } from './document-numbering';
import type { PdfRenderer } from './pdf-renderer';
import { TemplateEngine } from './template-engine';

export interface DocumentActivityDeps {
  renderer: PdfRenderer;
  /** Default: mongoose's default connection, which the process connects elsewhere. */
  connection?: Connection;
  /** Used only when a void carries no time of its own. */
  now?: () => Date;
  /** Default: the templates/ folder of this checkout. */
  templates?: TemplateEngine;
}

/** Failure types the workflow may list as non-retryable; everything else is worth a retry. */
export const documentFailureTypes = {
  invalidInput: 'DocumentInputInvalid',
  notFound: 'DocumentNotFound',
  notIssued: 'DocumentNotIssued',
} as const;

export interface DocumentActivities {
  issueDocument(input: IssueDocumentInput): Promise<IssuedDocumentSummary>;
  voidDocument(input: VoidDocumentInput): Promise<VoidDocumentResult>;
}

/**
 * Issuing is reserve → render → store → mark issued. Each step can be repeated: a retry finds
 * the reservation of its (case, kind, occasion), renders from the data stored with it, and the
 * first stored PDF wins, so every caller gets the same number, bytes and hash.
 */
export function createDocumentActivities(deps: DocumentActivityDeps): DocumentActivities {
  const models = documentModels(deps.connection);
  const templates = deps.templates ?? new TemplateEngine();
  const now = deps.now ?? (() => new Date());
  const locks = new SequenceLocks();
  // Twin calls in this process (a retry racing its original) share one render.
  const completing = new Map<string, Promise<DocumentRecord>>();

  function issueDocument(input: IssueDocumentInput): Promise<IssuedDocumentSummary> {
    return whileHeartbeating(() => issueDocumentNow(input));
  }

  async function issueDocumentNow(input: IssueDocumentInput): Promise<IssuedDocumentSummary> {
    assertValidInput(input);
    const { kind, fields } = input;
    const { record } = await reserveDocumentNumber(
      models,
      {
        caseId: input.caseId,
        caseNo: input.caseNo,
        kind,
        occasion: input.occasion,
        agencyCode: input.agencyCode,
        agencyName: input.agencyName,
        year: documentYear(input.issuedAt),
        title: documentTitle(kind, fields),
        templateVersion: templates.templateVersion(kind),
        fieldsJson: JSON.stringify(fields),
        issuedAt: new Date(input.issuedAt),
        ...(input.issuedBy ? { issuedBy: input.issuedBy } : {}),
      },
      { locks },
    );
    if (record.status !== 'rendering') return summarize(record);
    const key = String(record._id);
    let completion = completing.get(key);
    if (!completion) {
      completion = completeReservation(models, templates, deps.renderer, record).finally(() =>
        completing.delete(key),
      );
      completing.set(key, completion);
    }
    return summarize(await completion);
  }

  async function voidDocument(input: VoidDocumentInput): Promise<VoidDocumentResult> {
    const key = documentKey(input.documentId);
    if (key === undefined) {
      throw ApplicationFailure.nonRetryable(`no document ${input.documentId}`, documentFailureTypes.notFound);
    }
    if (!input.reason?.trim()) {
      throw ApplicationFailure.nonRetryable('a void needs a reason', documentFailureTypes.invalidInput);
    }
    await models.ready();
    const voidedAt = input.voidedAt ? new Date(input.voidedAt) : now();
    // Only an issued document can be voided; the number, PDF and hash stay on record.
    await models.Document.updateOne(
      { _id: key, status: 'issued' },
      {
        $set: {
          status: 'voided',
          voidReason: input.reason,
          voidedAt,
          ...(input.voidedBy ? { voidedBy: input.voidedBy } : {}),
        },
      },
    );
    const record = await models.Document.findOne({ _id: key }).lean<DocumentRecord>();
    if (!record) {
      throw ApplicationFailure.nonRetryable(`no document ${input.documentId}`, documentFailureTypes.notFound);
    }
    if (record.status !== 'voided') {
      throw ApplicationFailure.nonRetryable(
        `document ${record.docNo} is ${record.status}, only issued documents can be voided`,
        documentFailureTypes.notIssued,
      );
    }
    return {
      documentId: String(record._id),
      docNo: record.docNo,
      status: 'voided',
      voidReason: record.voidReason ?? input.reason,
      voidedAt: (record.voidedAt ?? voidedAt).toISOString(),
    };
  }

  return { issueDocument, voidDocument };
}

/** Often enough for the shortest heartbeat timeout we set (workflows/activity-options.ts). */
export const documentHeartbeatEveryMs = 2_000;

/**
 * Heartbeats while a document is issued (waiting for a page of the pool, rendering, storing),
 * so that Temporal can tell a slow render from a dead worker within the heartbeat timeout
 * instead of waiting out the whole start-to-close timeout. Outside an activity (tests, scripts)
 * it simply runs the work.
 */
async function whileHeartbeating<T>(work: () => Promise<T>): Promise<T> {
  let context: Context;
  try {
    context = Context.current();
  } catch {
    return work();
  }
  context.heartbeat();
  const timer = setInterval(() => context.heartbeat(), documentHeartbeatEveryMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

async function completeReservation(
  models: DocumentModels,
  templates: TemplateEngine,
  renderer: PdfRenderer,
  record: DocumentRecord,
): Promise<DocumentRecord> {
  // A previous attempt may have stored the PDF and died before marking the record issued.
  const file =
    (await storedFile(models, record._id)) ??
    (await storeFirstFile(models, record._id, await renderReservation(templates, renderer, record)));
  await models.Document.updateOne(
    { _id: record._id, status: 'rendering' },
    { $set: { status: 'issued', sha256: file.sha256, byteLength: file.byteLength, templateVersion: file.templateVersion } },
  );
  const issued = await models.Document.findOne({ _id: record._id }).lean<DocumentRecord>();
  if (!issued) throw new Error(`document ${record.docNo} vanished while being issued`);
  return issued;
}

/** Renders from the data stored with the reservation, not from the (possibly newer) input. */
async function renderReservation(
  templates: TemplateEngine,
  renderer: PdfRenderer,
  record: DocumentRecord,
): Promise<{ bytes: Buffer; templateVersion: string }> {
  const fields = JSON.parse(record.fieldsJson) as Record<string, unknown>;
  const { html, templateVersion } = templates.render(
    record.kind,
    { docNo: record.docNo, caseNo: record.caseNo, agencyName: record.agencyName, issuedAt: record.issuedAt.toISOString() },
    fields,
  );
  return { bytes: await renderer.render(html), templateVersion };
}

interface StoredFile {
  sha256: string;
  byteLength: number;
  templateVersion: string;
}

async function storedFile(models: DocumentModels, documentId: DocumentKey): Promise<StoredFile | undefined> {
  const stored = await models.DocumentFile.findOne({ _id: documentId })
    .select({ sha256: 1, byteLength: 1, templateVersion: 1 })
    .lean<StoredFile>();
  return stored ?? undefined;
}

/** Inserts the PDF unless another completion of the same reservation already did. */
async function storeFirstFile(
  models: DocumentModels,
  documentId: DocumentKey,
  rendered: { bytes: Buffer; templateVersion: string },
): Promise<StoredFile> {
  const { bytes, templateVersion } = rendered;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    await models.DocumentFile.create({ _id: documentId, bytes, sha256, byteLength: bytes.length, templateVersion });
    return { sha256, byteLength: bytes.length, templateVersion };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const stored = await storedFile(models, documentId);
    if (!stored) throw new Error(`PDF of document ${String(documentId)} reported stored but not found`);
    return stored;
  }
}

function summarize(record: DocumentRecord): IssuedDocumentSummary {
  return {
    documentId: String(record._id),
    docNo: record.docNo,
    kind: record.kind,
    serial: record.serial,
    status: record.status,
    sha256: record.sha256 ?? '',
    templateVersion: record.templateVersion,
    issuedAt: record.issuedAt.toISOString(),
  };
}

function assertValidInput(input: IssueDocumentInput): void {
  const invalid = (message: string) =>
    ApplicationFailure.nonRetryable(message, documentFailureTypes.invalidInput);
  if (!isDocumentKind(input.kind)) throw invalid(`unknown document kind ${String(input.kind)}`);
  for (const key of ['caseId', 'caseNo', 'occasion', 'agencyCode', 'agencyName'] as const) {
    if (typeof input[key] !== 'string' || input[key].trim() === '') throw invalid(`${key} is required`);
  }
  try {
    chinaCalendarDate(input.issuedAt);
  } catch {
    throw invalid(`issuedAt is not an ISO date: ${input.issuedAt}`);
  }
  if (input.fields === null || typeof input.fields !== 'object') throw invalid('fields must be an object');
  const missing = findMissingFields(input.kind, input.fields);
  if (missing.length > 0) {
    throw ApplicationFailure.nonRetryable(
      `${input.kind} is missing required fields: ${missing.join(', ')}`,
      documentFailureTypes.invalidInput,
      { missing },
    );
  }
}
