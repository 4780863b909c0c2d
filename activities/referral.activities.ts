import { buildReferralDocumentFields } from '../domain/case-document-fields';
import type { DocumentActivities } from './documents/issue-document';
import { appendAudit } from '../read-model/audit-chain';
import { saveUnitNotification } from '../read-model/notifications.repository';
import { saveReferralRow, saveReferralTaskRows } from '../read-model/referrals.repository';
import type { ReferralActivities } from './referral-activities.types';

export interface ReferralActivityDeps {
  /** The shared document numbering and renderer (activities/documents/issue-document.ts). */
  issueDocument?: DocumentActivities['issueDocument'];
}

/** Keeps the referral read model, its tasks and the audit trail in step with the workflow. */
export function createReferralActivities(deps: ReferralActivityDeps): ReferralActivities {
  return {
    async projectReferral({ referral, events }) {
      await saveReferralRow(referral);
      await saveReferralTaskRows(referral);
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
      await saveUnitNotification({ key, caseId, caseNo, role, regionCode, unitId, message });
    },
  };
}
