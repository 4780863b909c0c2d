// Who may see which referral, asked the same way by the referral API and the referral pages, by
// the read table of domain/document-access.ts: the police liaison sees what has been transferred
// to their unit, the bureau what lies in its region subtree, and nobody learns that a referral
// they may not read exists. Refused actions on a referral
// are audited the same way from both.
import { appendAudit } from '../read-model/audit-chain';
import { canReadReferral, policeReadableReferralStatuses, type ReferralFacts } from '../domain/document-access';
import type { ReferralView } from '../domain/referral';
import type { Actor, Role } from '../domain/roles';
import { findReferralView, listReferralFactsOfCase, type ReferralAudience } from '../read-model/referrals.repository';
import { userArea } from './access-control';
import type { AuthenticatedUser } from './auth';
import { HttpError } from './http-errors';
import { countRefusal } from './metrics';
import { isReferralId } from './route-ids';

/** The roles that work with referrals at all: the police liaison and the bureau's case staff. */
export const referralRoles: readonly Role[] = ['police_liaison', 'officer', 'supervisor', 'admin'];

export function canUseReferrals(role: Role): boolean {
  return referralRoles.includes(role);
}

/** The referrals this user may list. */
export function referralAudience(user: AuthenticatedUser): ReferralAudience {
  if (user.role === 'police_liaison') {
    if (!user.unitId) throw new HttpError(403, '账号未关联公安机关');
    return { policeUnitId: user.unitId, statuses: policeReadableReferralStatuses };
  }
  if (!canUseReferrals(user.role)) throw new HttpError(403, '无权查看移送案件');
  return { area: userArea(user) };
}

/** A referral this user may see, and whether it has ended; or 404 (existence is not disclosed to another unit). */
export async function visibleReferral(user: AuthenticatedUser, referralId: string): Promise<{ view: ReferralView; ended: boolean }> {
  if (!isReferralId(referralId)) throw new HttpError(404, `移送案件不存在或不属于您：${referralId}`);
  const doc = await findReferralView(referralId);
  const view = doc?.view;
  if (!view || !canReadReferral(user, referralFactsOf(view))) throw new HttpError(404, `移送案件不存在或不属于您：${referralId}`);
  return { view, ended: Boolean(doc?.ended) };
}

export function referralFactsOf(view: Pick<ReferralView, 'referralId' | 'policeUnitId' | 'status' | 'case'>): ReferralFacts {
  return { referralId: view.referralId, policeUnitId: view.policeUnitId, status: view.status, countyCode: view.case.countyCode };
}

/** What the read rules need of every referral of a case (domain/document-access.ts). */
export async function referralFactsOfCase(caseId: string): Promise<ReferralFacts[]> {
  return listReferralFactsOfCase(caseId);
}

/** An action refused on a referral, with the unit of whoever tried it. */
export async function auditReferralRefusal(view: ReferralView, actor: Actor, action: string, detail: string): Promise<void> {
  countRefusal('referral', action, 'Refused');
  await appendAudit({
    key: `referral-refused:${view.referralId}:${actor.userId}:${Date.now()}:${Math.random().toString(36).slice(2)}`,
    at: new Date(),
    actor: { userId: actor.userId, name: actor.name, role: actor.role, regionCode: actor.regionCode, unitId: actor.unitId },
    ip: actor.ip,
    action: `referral.${action}`,
    caseId: view.case.caseId,
    result: 'refused',
    detail,
  });
}
