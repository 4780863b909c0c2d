// Who may read which official document and which referral, as one table: the document API, the
// referral API and the pages' document lists all ask the functions below, so a PDF that a list
// leaves out cannot be opened by URL either.
//
// Three dimensions besides the role:
// - the document kind: documents naming the complainant (受理/不予受理告知书, 答复意见书) stay
//   with the registering team and its supervisors (DESIGN.md §1, a legal duty of confidentiality);
//   the internal 结案审批表 and the 移送书 stay with the bureau; the locality sees what it is sent
//   (交办单, 督办通知书) and the orders it helps carry out;
// - the referral state: the police see a referral, and the documents of its case that go with
//   it, only once it has been transferred to them, never while the head has not yet approved it;
// - jurisdiction: the bureau's and the locality's people read inside their region subtree; the
//   police liaison reads what is addressed to their own unit, nothing else.
import { findRegion, isWithinRegion } from './regions';
import type { DocumentKind } from './documents';
import type { ReferralStatus } from './referral';
import type { Role } from './roles';

/**
 * - `none`: never.
 * - `jurisdiction`: the case lies inside the reader's region subtree.
 * - `referred`: the case (for a 移送书: the very referral it belongs to) is referred to the
 *   reader's police unit and the referral is in a state the police may read.
 */
export type DocumentAudience = 'none' | 'jurisdiction' | 'referred';

const bureauOnly = {
  grid_member: 'none',
  locality_handler: 'none',
  officer: 'jurisdiction',
  supervisor: 'jurisdiction',
  police_liaison: 'none',
  admin: 'jurisdiction',
} as const satisfies Record<Role, DocumentAudience>;

export const documentReadRules: Readonly<Record<DocumentKind, Readonly<Record<Role, DocumentAudience>>>> = {
  transfer_to_locality: { ...bureauOnly, grid_member: 'jurisdiction', locality_handler: 'jurisdiction' },
  acceptance_notice: bureauOnly,
  rejection_notice: bureauOnly,
  complainant_answer: bureauOnly,
  closure_approval: bureauOnly,
  // The orders and their check are what the locality and the grid help carry out, and what the
  // police receive with a referral (两法衔接办法 第六条: 已作出的行政处罚决定书及相关材料).
  correction_order: { ...bureauOnly, grid_member: 'jurisdiction', locality_handler: 'jurisdiction', police_liaison: 'referred' },
  verification_result: { ...bureauOnly, grid_member: 'jurisdiction', locality_handler: 'jurisdiction', police_liaison: 'referred' },
  supervision_notice: { ...bureauOnly, locality_handler: 'jurisdiction' },
  criminal_transfer: { ...bureauOnly, police_liaison: 'referred' },
  detention_transfer: { ...bureauOnly, police_liaison: 'referred' },
};

/**
 * Who may read a referral in each state. The bureau's case staff follow it from the proposal on
 * (inside their region subtree); the police liaison of the addressed unit from the transfer on:
 * a proposal the head has not approved, an approval not yet sent, and a refused proposal were
 * never sent to the police.
 */
const bureauReaders: readonly Role[] = ['officer', 'supervisor', 'admin'];
const withPolice: readonly Role[] = [...bureauReaders, 'police_liaison'];

export const referralReadRules: Readonly<Record<ReferralStatus, readonly Role[]>> = {
  awaiting_approval: bureauReaders,
  approved: bureauReaders,
  head_refused: bureauReaders,
  transferred: withPolice,
  received: withPolice,
  supplement_requested: withPolice,
  decided: withPolice,
  filed: withPolice,
  not_filed: withPolice,
  reconsideration_requested: withPolice,
  refusal_maintained: withPolice,
  returned: withPolice,
  refused: withPolice,
  supervision_proposed: withPolice,
  completed: withPolice,
  detained: withPolice,
};

/** The referral states the police may read: what the liaison's lists filter on. */
export const policeReadableReferralStatuses: readonly ReferralStatus[] = (Object.keys(referralReadRules) as ReferralStatus[]).filter((status) =>
  referralReadRules[status].includes('police_liaison'),
);

export interface Reader {
  role: Role;
  /** Root of the reader's jurisdiction subtree. */
  regionCode: string;
  /** The police unit, for the police liaison. */
  unitId?: string;
}

export interface ReferralFacts {
  referralId: string;
  policeUnitId: string;
  status: ReferralStatus;
  /** The case's county: the bureau's jurisdiction over the referral. */
  countyCode: string;
}

/** May this user read the referral in its present state? */
export function canReadReferral(reader: Reader, referral: ReferralFacts): boolean {
  if (!referralReadRules[referral.status]?.includes(reader.role)) return false;
  if (reader.role === 'police_liaison') return Boolean(reader.unitId) && reader.unitId === referral.policeUnitId;
  return isInside(referral.countyCode, reader.regionCode);
}

export interface DocumentFacts {
  kind: DocumentKind;
  /** Why the document was issued; a referral's own documents carry `referral-<sequence>`. */
  occasion: string;
  caseId: string;
  /** The case's region (where the problem is). */
  caseRegionCode: string;
}

/**
 * May this user read this document? `referrals` are the referrals of the document's case (all
 * of them; the function picks what counts).
 */
export function canReadDocument(reader: Reader, document: DocumentFacts, referrals: readonly ReferralFacts[]): boolean {
  const audience = documentReadRules[document.kind]?.[reader.role] ?? 'none';
  switch (audience) {
    case 'none':
      return false;
    case 'jurisdiction':
      return isInside(document.caseRegionCode, reader.regionCode);
    case 'referred': {
      const ownReferral = referralIdOfOccasion(document.caseId, document.occasion);
      const relevant = ownReferral ? referrals.filter((referral) => referral.referralId === ownReferral) : referrals;
      return relevant.some((referral) => canReadReferral(reader, referral));
    }
  }
}

/** The referral a referral document belongs to (`referral-<n>` → `<caseId>-<n>`), if any. */
export function referralIdOfOccasion(caseId: string, occasion: string): string | undefined {
  const match = /^referral-(\d+)$/u.exec(occasion);
  return match ? `${caseId}-${match[1]}` : undefined;
}

function isInside(code: string, rootCode: string): boolean {
  return findRegion(rootCode) !== undefined && isWithinRegion(code, rootCode);
}
