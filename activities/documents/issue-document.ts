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
import { reserveDocumentNumber, SequenceLocks } from '../../read-model/document-numbering';
import {
  documentKey,
  documentStore,
  findStoredDocumentFile,
  markDocumentIssued,
  storeFirstDocumentFile,
  voidIssuedDocument,
  type DocumentRecord,
  type DocumentStore,
} from '../../read-model/documents.repository';
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
  const models = documentStore(deps.connection);
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
    const voidedAt = input.voidedAt ? new Date(input.voidedAt) : now();
    // Only an issued document can be voided; the number, PDF and hash stay on record.
    const record = await voidIssuedDocument(models, key, { reason: input.reason, voidedAt, ...(input.voidedBy ? { voidedBy: input.voidedBy } : {}) });
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
  models: DocumentStore,
  templates: TemplateEngine,
  renderer: PdfRenderer,
  record: DocumentRecord,
): Promise<DocumentRecord> {
  // A previous attempt may have stored the PDF and died before marking the record issued.
  const file =
    (await findStoredDocumentFile(models, record._id)) ??
    (await storeFirstDocumentFile(models, record._id, await renderReservation(templates, renderer, record)));
  const issued = await markDocumentIssued(models, record._id, file);
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
