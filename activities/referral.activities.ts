import { buildReferralDocumentFields } from '../domain/case-document-fields';
import type { ReferralStatus, ReferralView } from '../domain/referral';
import { isReferralEnded } from '../domain/referral-machine';
import type { DocumentActivities } from './documents/issue-document';
import { NotificationModel } from '../models/intake.model';
import { isDuplicateKey } from '../models/duplicate-key';
import { ReferralModel } from '../models/referral.model';
import { appendAudit } from '../read-model/audit-chain';
import type { ReferralActivities } from './referral-activities.types';
import { projectTask, taskRowFields, upsertIfNewer } from '../read-model/projection-writes';
import { regionScope } from '../read-model/region-scope';

export interface ReferralActivityDeps {
  /** The shared document numbering and renderer (activities/documents/issue-document.ts). */
  issueDocument?: DocumentActivities['issueDocument'];
}

/** The inbox a referral sits in, for GET /api/referrals?box=… */
export function boxOf(status: ReferralStatus): 'awaiting_approval' | 'awaiting_receipt' | 'awaiting_decision' | 'decided' | 'ended' {
  if (isReferralEnded(status)) return 'ended';
  if (status === 'awaiting_approval' || status === 'approved') return 'awaiting_approval';
  if (status === 'transferred') return 'awaiting_receipt';
  if (status === 'received' || status === 'supplement_requested') return 'awaiting_decision';
  return 'decided';
}

/** Keeps the referral read model, its tasks and the audit trail in step with the workflow. */
export function createReferralActivities(deps: ReferralActivityDeps): ReferralActivities {
  return {
    async projectReferral({ referral, events }) {
      await upsertReferral(referral);
      await Promise.all(referral.tasks.map((task) => upsertTask(referral, task)));
      for (const event of events) {
        // The police liaison is audited like an officer: who, as what, from which unit, from where.
        await appendAudit({
          key: `referral:${referral.referralId}:${event.seq}`,
          at: new Date(event.at),
          actor: event.actor
            ? {
                userId: event.actor.userId,
                name: event.actor.name,
                role: event.actor.role,
                regionCode: event.actor.regionCode,
                ...(event.actor.role === 'police_liaison' ? { unitId: referral.policeUnitId } : {}),
              }
            : { userId: 'system', name: '系统', role: 'system', regionCode: referral.case.countyCode },
          ip: event.actor?.ip,
          action: `referral.${event.type}`,
          caseId: referral.case.caseId,
          result: 'ok',
          detail: event.summary,
        });
      }
    },

    async issueReferralDocument({ referral, kind, occasion, fields }) {
      if (!deps.issueDocument) throw new Error('issueDocument is not wired into the worker');
      const issuedAt = new Date().toISOString();
      const issued = await deps.issueDocument({
        caseId: referral.case.caseId,
        caseNo: referral.case.caseNo,
        kind,
        occasion,
        agencyCode: referral.case.agencyCode,
        agencyName: referral.case.agencyName,
        issuedAt,
        fields: { caseNo: referral.case.caseNo, issuedAt, ...buildReferralDocumentFields(referral, fields) },
      });
      return { docNo: issued.docNo, documentId: issued.documentId, issuedAt: issued.issuedAt };
    },

    async notifyReferral({ key, caseId, caseNo, role, regionCode, unitId, message }) {
      try {
        await NotificationModel.create({ _id: key, caseId, caseNo, role, regionCode, message, ...(unitId ? { unitId } : {}) });
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    },
  };
}

async function upsertReferral(referral: ReferralView): Promise<void> {
  const policeClocks = Object.values(referral.clocks).filter((clock) => clock?.party === 'police' && clock.status === 'running');
  const policeDue = policeClocks.map((clock) => clock!.dueAt).sort()[0];
  await upsertIfNewer(ReferralModel, referral.referralId, referral.revision, {
    caseId: referral.case.caseId,
    caseNo: referral.case.caseNo,
    route: referral.route,
    status: referral.status,
    box: boxOf(referral.status),
    ended: isReferralEnded(referral.status),
    policeUnitId: referral.policeUnitId,
    countyCode: referral.case.countyCode,
    scope: regionScope(referral.case.countyCode),
    suspectedOffence: referral.proposal.suspectedOffence,
    partyName: referral.proposal.party?.name ?? referral.case.subject?.name,
    policeDueAt: policeDue ? new Date(policeDue) : undefined,
    policeOverdue: policeClocks.some((clock) => clock!.escalationLevel > 0),
    escalationLevel: referral.escalationLevel,
    proposedAt: new Date(referral.proposedAt),
    view: referral,
  });
}

async function upsertTask(referral: ReferralView, task: ReferralView['tasks'][number]): Promise<void> {
  await projectTask(task.taskId, referral.revision, {
    caseId: referral.case.caseId,
    caseNo: referral.case.caseNo,
    referralId: referral.referralId,
    ...taskRowFields(task),
    caseStatus: referral.status,
    summary: `移送公安：${referral.proposal.suspectedOffence}`.slice(0, 80),
  });
}
