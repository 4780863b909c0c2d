import { Router } from 'express';
import { referralWorkflowId } from '../domain/referral';
import { findReferralPage } from '../read-model/referrals.repository';
import { referralActionUpdate } from '../workflows/referral-messages';
import { requireAccess } from './access-control';
import { actorOf, currentUser, requireUser } from './auth';
import { assertCaseVisible } from './case-queries';
import { performCaseAction, type CaseCommandDeps } from './case-commands';
import { HttpError, toProblem } from './http-errors';
import { countAction } from './metrics';
import { auditReferralRefusal, referralAudience, visibleReferral } from './referral-access';
import { referralCommandSchema, referralListQuerySchema, referralProposalSchema } from './referrals.schemas';

/**
 * Referrals to the police (两法衔接 / 行政拘留): the officer's proposal on a case, the police
 * liaison's inbox (their unit only), one referral with its package, and every action of either
 * side on one endpoint. Referral payloads never carry the complainant's identity.
 */
export function referralRoutes(deps: CaseCommandDeps): Router {
  const router = Router();
  router.use('/referrals', requireUser);

  // Acting on a case: the same role gate as every other case action, before the case is looked
  // up, so a role that may not act (the police liaison) cannot probe which cases exist.
  router.post('/cases/:caseId/referrals', requireAccess('cases.act'), async (req, res) => {
    const user = currentUser(req);
    await assertCaseVisible(user, req.params.caseId as string);
    const proposal = referralProposalSchema.parse(req.body);
    const view = await performCaseAction(deps, req.params.caseId as string, { action: 'proposeReferral', ...proposal }, actorOf(req));
    const referral = view.referrals?.[view.referrals.length - 1];
    res.status(201).json({ referralId: referral?.referralId, workflowId: referral && referralWorkflowId(view.caseId, referral.sequence), route: referral?.route });
  });

  router.get('/referrals', async (req, res) => {
    const user = currentUser(req);
    const query = referralListQuerySchema.parse(req.query);
    const { rows: docs, total } = await findReferralPage(referralAudience(user), query.box, query);
    res.json({
      items: docs.map((doc) => ({
        referralId: doc._id,
        caseId: doc.caseId,
        caseNo: doc.caseNo,
        route: doc.route,
        status: doc.status,
        box: doc.box,
        suspectedOffence: doc.suspectedOffence,
        partyName: doc.partyName,
        policeUnitId: doc.policeUnitId,
        policeDueAt: doc.policeDueAt?.toISOString(),
        policeOverdue: Boolean(doc.policeOverdue),
        escalationLevel: doc.escalationLevel ?? 0,
      })),
      page: query.page,
      pageSize: query.pageSize,
      total,
    });
  });

  router.get('/referrals/:referralId', async (req, res) => {
    const { view } = await visibleReferral(currentUser(req), req.params.referralId as string);
    res.json(view);
  });

  router.post('/referrals/:referralId/actions', async (req, res) => {
    const user = currentUser(req);
    const actor = actorOf(req);
    const { view, ended } = await visibleReferral(user, req.params.referralId as string);
    const command = referralCommandSchema.parse(req.body);
    const refuse = async (status: number, message: string, code: string) => {
      await auditReferralRefusal(view, actor, command.action, message);
      throw Object.assign(new HttpError(status, message), { code });
    };
    if (ended) await refuse(409, `移送已办结，不能再执行此操作 (${command.action})`, 'Conflict');
    const handle = deps.temporal.workflow.getHandle(referralWorkflowId(view.case.caseId, view.sequence));
    try {
      const updated = await handle.executeUpdate(referralActionUpdate, { args: [{ command, actor }] });
      countAction('referral', command.action);
      res.json(updated);
    } catch (error) {
      const { status, body } = toProblem(error);
      if (status < 500) await auditReferralRefusal(view, actor, command.action, body.error);
      throw error;
    }
  });

  return router;
}
