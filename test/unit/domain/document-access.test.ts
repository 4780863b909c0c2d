import { canReadDocument, canReadReferral, policeReadableReferralStatuses, type Reader, type ReferralFacts } from '../../../domain/document-access';
import { documentKindList, type DocumentKind } from '../../../domain/documents';
import { referralStatuses, type ReferralStatus } from '../../../domain/referral';
import { roles, type Role } from '../../../domain/roles';

// The expectations are written out here, apart from the table in domain/document-access.ts,
// so that a change to the table that nobody meant shows up as a failing row.
const bureau: Role[] = ['officer', 'supervisor', 'admin'];
const readersInside: Record<DocumentKind, Role[]> = {
  transfer_to_locality: [...bureau, 'grid_member', 'locality_handler'],
  acceptance_notice: bureau,
  rejection_notice: bureau,
  complainant_answer: bureau,
  closure_approval: bureau,
  correction_order: [...bureau, 'grid_member', 'locality_handler'],
  verification_result: [...bureau, 'grid_member', 'locality_handler'],
  supervision_notice: [...bureau, 'locality_handler'],
  criminal_transfer: bureau,
  detention_transfer: bureau,
};
/** What the police may read of a case referred to their unit, once the referral reached them. */
const policeKinds: DocumentKind[] = ['correction_order', 'verification_result', 'criminal_transfer', 'detention_transfer'];
/** Never sent to the police: not yet approved, approved but not sent, refused by the head. */
const unsentStatuses: ReferralStatus[] = ['awaiting_approval', 'approved', 'head_refused'];

// A 芗城区 case; readers sit in 芗城区 (inside) or 同安区 (outside); the admin in the province.
const caseId = 'c1';
const caseRegionCode = '350602001';
const readerOf = (role: Role, inside: boolean, unitId?: string): Reader => ({
  role,
  regionCode: role === 'admin' ? '350000' : role === 'grid_member' || role === 'locality_handler' ? (inside ? '350602001' : '350212101') : inside ? '350602' : '350212',
  ...(unitId ? { unitId } : {}),
});
const referralIn = (status: ReferralStatus, policeUnitId = 'psb-350602'): ReferralFacts => ({ referralId: `${caseId}-1`, policeUnitId, status, countyCode: '350602' });
const occasionOf = (kind: DocumentKind) => (kind === 'criminal_transfer' || kind === 'detention_transfer' ? 'referral-1' : 'round-1');

type Row = [Role, DocumentKind, ReferralStatus | 'no referral', 'inside' | 'outside', boolean];
const rows: Row[] = [];
for (const role of roles) {
  for (const kind of documentKindList) {
    for (const status of ['no referral' as const, ...referralStatuses]) {
      for (const where of ['inside', 'outside'] as const) {
        let expected: boolean;
        if (role === 'police_liaison') {
          // The police read by referral to their own unit (modelled as "inside"), never by region.
          expected = where === 'inside' && status !== 'no referral' && !unsentStatuses.includes(status) && policeKinds.includes(kind);
        } else {
          expected = (where === 'inside' || role === 'admin') && readersInside[kind].includes(role);
        }
        rows.push([role, kind, status, where, expected]);
      }
    }
  }
}

describe('document read rules: role × kind × referral state × jurisdiction', () => {
  it.each(rows)('%s reading %s (referral: %s, %s) → %s', (role, kind, status, where, expected) => {
    const unitId = role === 'police_liaison' ? (where === 'inside' ? 'psb-350602' : 'psb-350212') : undefined;
    const referrals = status === 'no referral' ? [] : [referralIn(status)];
    expect(canReadDocument(readerOf(role, where === 'inside', unitId), { kind, occasion: occasionOf(kind), caseId, caseRegionCode }, referrals)).toBe(expected);
  });

  it('a police liaison whose unit shares the case’s region but got no referral reads nothing', () => {
    const police = readerOf('police_liaison', true, 'psb-350602');
    for (const kind of documentKindList) expect(canReadDocument(police, { kind, occasion: occasionOf(kind), caseId, caseRegionCode }, [])).toBe(false);
  });

  it('a transfer letter follows its own referral: a later referral to the unit does not open an earlier one sent elsewhere', () => {
    const police = readerOf('police_liaison', true, 'psb-350602');
    const referrals = [referralIn('transferred', 'psb-350600'), { ...referralIn('transferred'), referralId: `${caseId}-2` }];
    expect(canReadDocument(police, { kind: 'criminal_transfer', occasion: 'referral-1', caseId, caseRegionCode }, referrals)).toBe(false);
    expect(canReadDocument(police, { kind: 'criminal_transfer', occasion: 'referral-2', caseId, caseRegionCode }, referrals)).toBe(true);
  });
});

describe('referral read rules: role × state × unit or jurisdiction', () => {
  const rowsReferral = roles.flatMap((role) =>
    referralStatuses.flatMap((status) => (['inside', 'outside'] as const).map((where) => [role, status, where] as const)),
  );

  it.each(rowsReferral)('%s reading a referral in %s (%s)', (role, status, where) => {
    const unitId = role === 'police_liaison' ? (where === 'inside' ? 'psb-350602' : 'psb-350212') : undefined;
    const expected =
      role === 'police_liaison'
        ? where === 'inside' && !unsentStatuses.includes(status)
        : bureau.includes(role) && (where === 'inside' || role === 'admin');
    expect(canReadReferral(readerOf(role, where === 'inside', unitId), referralIn(status))).toBe(expected);
  });

  it('the police list filter holds exactly the states that were sent', () => {
    expect([...policeReadableReferralStatuses].sort()).toEqual(referralStatuses.filter((status) => !unsentStatuses.includes(status)).sort());
  });
});
