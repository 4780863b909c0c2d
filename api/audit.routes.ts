import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { verifyAuditTrail } from '../read-model/audit-verification';
import { requireAccess } from './access-control';

export interface AuditRouteDeps {
  temporal: Client;
  taskQueue: string;
  /** Checks the signed daily heads; without it they are compared but not authenticated. */
  anchorKey?: string;
}

export function auditRoutes(deps: AuditRouteDeps): Router {
  const router = Router();
  router.get('/audit/verify', requireAccess('audit.verify'), async (_req, res) => {
    res.json(await verifyAuditTrail(deps));
  });
  return router;
}
