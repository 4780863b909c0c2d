import { Router } from 'express';
import { verifyAuditChain } from '../activities/audit-trail';
import { currentUser, requireUser } from './auth';
import { HttpError } from './http-errors';

export function auditRoutes(): Router {
  const router = Router();
  router.get('/audit/verify', requireUser, async (req, res) => {
    const user = currentUser(req);
    if (user.role !== 'supervisor' && user.role !== 'admin') throw new HttpError(403, '仅负责人和管理员可校验留痕链');
    res.json(await verifyAuditChain());
  });
  return router;
}
