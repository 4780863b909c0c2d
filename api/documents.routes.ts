import { Router, type Request } from 'express';
import { getDocumentPdf, listCaseDocuments } from '../activities/documents/document-repository';
import type { DocumentKind } from '../domain/documents';
import type { Role } from '../domain/roles';
import { CaseModel } from '../models/case.model';
import { currentUser, requireUser, type AuthenticatedUser } from './auth';
import { HttpError } from './http-errors';
import { canSeeCase } from './jurisdiction';
import { isCaseId, isDocumentId } from './route-ids';

/** Documents addressed to the complainant: they name the complainant. */
export const complainantDocumentKinds: readonly DocumentKind[] = ['acceptance_notice', 'rejection_notice', 'complainant_answer'];

/** Roles outside the registering team, who must not learn who complained (DESIGN.md §1). */
const rolesDeniedComplainantDocuments: readonly Role[] = ['locality_handler', 'grid_member', 'police_liaison'];

export function canReadDocumentKind(user: Pick<AuthenticatedUser, 'role'>, kind: DocumentKind): boolean {
  return !(complainantDocumentKinds.includes(kind) && rolesDeniedComplainantDocuments.includes(user.role));
}

/**
 * The documents of a case and their PDFs. A user sees them only for a case in their region
 * subtree (404 otherwise, as for the case itself, so that existence does not leak); documents
 * naming the complainant are refused (403) to roles outside the registering team and are left
 * out of their list.
 */
export function documentRoutes(): Router {
  const router = Router();

  router.get('/cases/:caseId/documents', requireUser, async (req, res) => {
    const user = currentUser(req);
    await assertCaseVisible(user, req.params.caseId as string);
    const documents = await listCaseDocuments(req.params.caseId as string);
    res.json({
      items: documents
        .filter((doc) => canReadDocumentKind(user, doc.kind))
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
    await assertCaseVisible(user, pdf.caseId, `文书不存在或不在您的辖区内：${req.params.documentId}`);
    if (!canReadDocumentKind(user, pdf.kind)) throw new HttpError(403, '该文书载有举报人信息，您的角色无权查看');

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

async function assertCaseVisible(user: AuthenticatedUser, caseId: string, message = `案件不存在或不在您的辖区内：${caseId}`): Promise<void> {
  if (!isCaseId(caseId)) throw new HttpError(404, message);
  const record = await CaseModel.findById(caseId).select({ regionCode: 1 }).lean();
  if (!record || !canSeeCase(user, record.regionCode)) throw new HttpError(404, message);
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
