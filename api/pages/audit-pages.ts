import { Router, type Request, type RequestHandler, type Response } from 'express';
import type { Client } from '@temporalio/client';
import { verifyAuditTrail } from '../../read-model/audit-verification';
import type { ChainBreakKind } from '../../read-model/audit-chain';
import { formatSignedHeadLine } from '../../domain/audit-anchor';
import { assertAccess } from '../access-control';
import { currentUser } from '../auth';
import { dateTime } from './present';

export interface AuditPageContext {
  render(req: Request, res: Response, view: string, context: Record<string, unknown>, status?: number): void;
  requirePage: RequestHandler;
  temporal: Client;
  taskQueue: string;
  anchorKey?: string;
}

const kindLabels: Record<ChainBreakKind, string> = { edited: '内容被修改', link: '链接断开', missing: '记录缺失', anchor: '与锚点不符' };

/**
 * The admin's view of the trace: the chain checked against its anchors with every break listed,
 * the anchor workflow's last reading, and the signed daily heads (to copy out of the system).
 */
export function auditPages(ctx: AuditPageContext): Router {
  const router = Router();
  router.get('/audit', ctx.requirePage, async (req, res) => {
    assertAccess(currentUser(req), 'audit.anchors');
    const result = await verifyAuditTrail(ctx);
    const anchoring = result.anchoring;
    const when = (iso: string | undefined) => (iso ? dateTime(iso) : '—');
    ctx.render(req, res, 'audit', {
      title: '留痕校验',
      result,
      breaks: result.breaks.map((broken) => ({ ...broken, kindLabel: kindLabels[broken.kind] })),
      more: result.breakCount - result.breaks.length,
      suspect: result.anchorCheck?.firstSuspect,
      lastGood: result.anchorCheck?.lastGood && { ...result.anchorCheck.lastGood, atLabel: when(result.anchorCheck.lastGood.at) },
      anchoring: anchoring.available
        ? {
            ...anchoring,
            lastCheckedLabel: when(anchoring.lastCheckedAt),
            lastAnchor: anchoring.lastAnchor && { ...anchoring.lastAnchor, atLabel: when(anchoring.lastAnchor.at) },
            signedHeads: [...anchoring.signedHeads].reverse().map((head) => ({ ...head, atLabel: when(head.at), line: formatSignedHeadLine(head) })),
          }
        : anchoring,
    });
  });
  return router;
}
