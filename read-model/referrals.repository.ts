// The referral read model (models/referral.model.ts): the police liaison's inbox, the bureau's
// list and a case's referrals. Written by the referral workflow's projection only.
import type { RegionArea } from '../domain/list-keys';
import type { ReferralFacts } from '../domain/document-access';
import type { ReferralStatus, ReferralView } from '../domain/referral';
import { isReferralEnded, referralBoxOf } from '../domain/referral-machine';
import { ReferralModel, type ReferralRecord } from '../models/referral.model';
import type { PageRequest } from './list-page';
import { projectTask, taskRowFields, upsertIfNewer } from './projection-writes';
import { regionScope, regionScopeFilter } from './region-scope';

/** Whose referrals a list shows: a police unit's (in the statuses it may read) or a region subtree's. */
export type ReferralAudience = { policeUnitId: string; statuses: readonly ReferralStatus[] } | { area: RegionArea };

/** An inbox (`box` column), 'overdue' (police clock overdue, not ended), or every box. */
export type ReferralBoxFilter = string | undefined;

export type ReferralRow = ReferralRecord & { _id: string };

function referralFilter(audience: ReferralAudience, box: ReferralBoxFilter): Record<string, unknown> {
  const filter: Record<string, unknown> =
    'policeUnitId' in audience ? { policeUnitId: audience.policeUnitId, status: { $in: audience.statuses } } : regionScopeFilter(audience.area);
  if (box === 'overdue') Object.assign(filter, { policeOverdue: true, ended: false });
  else if (box) filter.box = box;
  return filter;
}

const inboxOrder = { policeDueAt: 1, proposedAt: -1 } as const;

/** One page of the referral list, without the referral views, and how many match in all. */
export async function findReferralPage(audience: ReferralAudience, box: ReferralBoxFilter, { page, pageSize }: PageRequest): Promise<{ rows: ReferralRow[]; total: number }> {
  const filter = referralFilter(audience, box);
  const [rows, total] = await Promise.all([
    ReferralModel.find(filter)
      .sort(inboxOrder)
      .skip((page - 1) * pageSize)
      .limit(pageSize)
      .select({ view: 0 })
      .lean(),
    ReferralModel.countDocuments(filter),
  ]);
  return { rows, total };
}

/** The first `limit` referrals of an inbox, with their views. */
export async function listReferralInbox(audience: ReferralAudience, box: ReferralBoxFilter, limit: number): Promise<ReferralRow[]> {
  return ReferralModel.find(referralFilter(audience, box)).sort(inboxOrder).limit(limit).lean();
}

export async function countReferrals(audience: ReferralAudience, box: ReferralBoxFilter): Promise<number> {
  return ReferralModel.countDocuments(referralFilter(audience, box));
}

/** A referral's view and whether it has ended, or undefined if it has no read-model row yet. */
export async function findReferralView(referralId: string): Promise<{ view: ReferralView | undefined; ended: boolean } | undefined> {
  const doc = await ReferralModel.findById(referralId).select({ view: 1, ended: 1 }).lean();
  return doc ? { view: doc.view as ReferralView | undefined, ended: Boolean(doc.ended) } : undefined;
}

/** What the read rules need of every referral of a case (domain/document-access.ts). */
export async function listReferralFactsOfCase(caseId: string): Promise<ReferralFacts[]> {
  const docs = await ReferralModel.find({ caseId }).select({ _id: 1, policeUnitId: 1, status: 1, countyCode: 1 }).lean();
  return docs.map((doc) => ({ referralId: doc._id, policeUnitId: doc.policeUnitId, status: doc.status as ReferralStatus, countyCode: doc.countyCode }));
}

/** The status of each referral of a case, by referral id. */
export async function listReferralStatusesOfCase(caseId: string): Promise<{ referralId: string; status: ReferralStatus }[]> {
  const docs = await ReferralModel.find({ caseId }).select({ status: 1, route: 1, proposedAt: 1 }).lean();
  return docs.map((doc) => ({ referralId: doc._id, status: doc.status as ReferralStatus }));
}

/** Writes the task rows of the referral's tasks (see projectTask). */
export async function saveReferralTaskRows(referral: ReferralView): Promise<void> {
  await Promise.all(referral.tasks.map((task) => saveReferralTaskRow(referral, task)));
}

/** Writes the referral's list row (with its view), unless a newer revision is already stored. */
export async function saveReferralRow(referral: ReferralView): Promise<void> {
  const policeClocks = Object.values(referral.clocks).filter((clock) => clock?.party === 'police' && clock.status === 'running');
  const policeDue = policeClocks.map((clock) => clock!.dueAt).sort()[0];
  await upsertIfNewer(ReferralModel, referral.referralId, referral.revision, {
    caseId: referral.case.caseId,
    caseNo: referral.case.caseNo,
    route: referral.route,
    status: referral.status,
    box: referralBoxOf(referral.status),
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

async function saveReferralTaskRow(referral: ReferralView, task: ReferralView['tasks'][number]): Promise<void> {
  await projectTask(task.taskId, referral.revision, {
    caseId: referral.case.caseId,
    caseNo: referral.case.caseNo,
    referralId: referral.referralId,
    ...taskRowFields(task),
    caseStatus: referral.status,
    summary: `移送公安：${referral.proposal.suspectedOffence}`.slice(0, 80),
  });
}
