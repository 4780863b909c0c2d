import { Router } from 'express';
import { verifyAuditChain } from '../activities/audit-trail';
import { requireAccess } from './access-control';

export function auditRoutes(): Router {
  const router = Router();
  router.get('/audit/verify', requireAccess('audit.verify'), async (_req, res) => {
    res.json(await verifyAuditChain());
  });
  return router;
}
