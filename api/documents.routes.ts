import { Router, type Request } from 'express';
import { getDocumentPdf, listCaseDocuments } from '../read-model/documents.repository';
import { canReadDocument, documentReadRules, type ReferralFacts } from '../domain/document-access';
import type { DocumentKind } from '../domain/documents';
import { findCaseRegionCode } from '../read-model/cases.repository';
import { currentUser, requireUser, type AuthenticatedUser } from './auth';
import { HttpError } from './http-errors';
import { isCaseId, isDocumentId } from './route-ids';
import { referralFactsOfCase } from './referral-access';

/** Documents addressed to the complainant: they name the complainant. */
export const complainantDocumentKinds: readonly DocumentKind[] = ['acceptance_notice', 'rejection_notice', 'complainant_answer'];

/** What the read rules need to know of a case: where it is and its referrals. */
export interface CaseDocumentAccess {
  caseId: string;
  regionCode: string;
  referrals: ReferralFacts[];
}

/**
 * The case as the document read rules see it, or 404 when the user may read none of its
 * documents by jurisdiction or referral (existence does not leak).
 */
export async function caseDocumentAccess(user: AuthenticatedUser, caseId: string, message = `案件不存在或不在您的辖区内：${caseId}`): Promise<CaseDocumentAccess> {
  if (!isCaseId(caseId)) throw new HttpError(404, message);
  const regionCode = await findCaseRegionCode(caseId);
  if (regionCode === undefined) throw new HttpError(404, message);
  const access = { caseId, regionCode, referrals: await referralFactsOfCase(caseId) };
  const anyKind = (Object.keys(documentReadRules) as DocumentKind[]).some((kind) =>
    canReadDocument(user, { kind, occasion: '', caseId, caseRegionCode: access.regionCode }, access.referrals),
  );
  if (!anyKind) throw new HttpError(404, message);
  return access;
}

/** May the user read this document of the case (domain/document-access.ts)? */
export function canReadCaseDocument(user: AuthenticatedUser, access: CaseDocumentAccess, doc: { kind: DocumentKind; occasion: string }): boolean {
  return canReadDocument(user, { kind: doc.kind, occasion: doc.occasion, caseId: access.caseId, caseRegionCode: access.regionCode }, access.referrals);
}

/**
 * The documents of a case and their PDFs, as the read table of domain/document-access.ts says:
 * a case whose documents the user may not read at all is answered 404, as for the case itself;
 * a document of a case they may otherwise read is refused with 403 and left out of their list.
 * Document ids are random (models/document.model.ts), so they cannot be guessed either.
 */
export function documentRoutes(): Router {
  const router = Router();

  router.get('/cases/:caseId/documents', requireUser, async (req, res) => {
    const user = currentUser(req);
    const access = await caseDocumentAccess(user, req.params.caseId as string);
    const documents = await listCaseDocuments(access.caseId);
    res.json({
      items: documents
        .filter((doc) => canReadCaseDocument(user, access, doc))
        .map((doc) => ({
          documentId: doc.documentId,
          docNo: doc.docNo,
          kind: doc.kind,
          title: doc.title,
          issuedAt: doc.issuedAt,
          sha256: doc.sha256 ?? null,
          status: doc.status,
          ...(doc.status === 'voided' ? { voidReason: doc.voidReason, voidedAt: doc.voidedAt } : {}),
          pdfUrl: doc.status === 'rendering' ? null : `/api/documents/${doc.documentId}/pdf`,
        })),
    });
  });

  router.get('/documents/:documentId/pdf', requireUser, async (req, res) => {
    const user = currentUser(req);
    const pdf = isDocumentId(req.params.documentId as string) ? await getDocumentPdf(req.params.documentId as string) : undefined;
    if (!pdf) throw new HttpError(404, `文书不存在或尚未生成：${req.params.documentId}`);
    const access = await caseDocumentAccess(user, pdf.caseId, `文书不存在或不在您的辖区内：${req.params.documentId}`);
    if (!canReadCaseDocument(user, access, pdf)) {
      throw new HttpError(403, complainantDocumentKinds.includes(pdf.kind) ? '该文书载有举报人信息，您的角色无权查看' : '您的角色无权查看该文书');
    }

    const etag = `"${pdf.sha256}"`;
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': contentDisposition(pdf.docNo),
      ETag: etag,
      // Issued documents never change; a voided one keeps its bytes but is re-checked for status.
      'Cache-Control': 'private, no-cache',
      'X-Document-Status': pdf.status,
    });
    if (ifNoneMatch(req, etag)) {
      res.status(304).end();
      return;
    }
    res.status(200).send(pdf.bytes);
  });

  return router;
}

/** inline; filename in ASCII for old clients and RFC 5987 UTF-8 for the 文号 itself. */
function contentDisposition(docNo: string): string {
  const fileName = `${docNo}.pdf`;
  const ascii = fileName.replace(/[^\x20-\x7e]/gu, '_').replace(/["\\]/gu, '_');
  return `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

function ifNoneMatch(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (!header) return false;
  return header === '*' || header.split(',').some((candidate) => candidate.trim().replace(/^W\//u, '') === etag);
}
