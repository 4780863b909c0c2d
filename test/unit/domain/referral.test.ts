import { chinaCalendarData } from '../../../domain/calendar';
import { defaultCasePolicy } from '../../../domain/case-clocks';
import { deadlineFor } from '../../../domain/deadlines';
import { criminalPackageItems } from '../../../domain/referral';
import { assertCanPerformReferral, missingPackageItems, openReferral } from '../../../domain/referral-machine';
import type { Actor } from '../../../domain/roles';

const officer: Actor = { userId: 'officer', name: '王执法', role: 'officer', regionCode: '350602' };
const supervisor: Actor = { userId: 'supervisor', name: '张科长', role: 'supervisor', regionCode: '350602' };
const context = { calendar: chinaCalendarData, policy: defaultCasePolicy };

function aReferral(provided: readonly string[]) {
  return openReferral(
    {
      caseSnapshot: {
        caseId: 'c1', caseNo: '350602-2026-00001', countyCode: '350602', cityCode: '350600', agencyCode: '漳环芗',
        agencyName: '漳州市芗城区生态环境局', description: '暗管排放', location: { address: '工业园区', regionCode: '350602001' },
      },
      sequence: 1,
      proposal: { route: 'criminal', suspectedOffence: '刑法第三百三十八条', facts: '暗管排放', evidence: [], package: provided.map((name) => ({ name, provided: true })) },
      proposedBy: officer,
    },
    '2026-09-28T02:00:00.000Z',
    context,
  );
}

describe('referral rules', () => {
  test('when 复议 is asked on 2026-09-30, then the 3 WD window steps over National Day (1–7 Oct) and ends on the 调休 Saturday 10 Oct', () => {
    const deadline = deadlineFor('referral_reconsideration_request', '2026-09-30', chinaCalendarData);
    expect(deadline.basis).toBe('两法衔接办法 第十一条');
    expect(deadline.due).toBe('2026-10-10T15:59:59.999Z');
    expect(deadlineFor('referral_reconsideration_answer', '2026-09-30', chinaCalendarData).due).toBe('2026-10-10T15:59:59.999Z');
  });

  test('when the Art. 6 checklist lacks items, then approval is refused naming each missing item', () => {
    const referral = aReferral(criminalPackageItems.filter((name) => name !== '涉案物品清单'));
    expect(missingPackageItems(referral)).toEqual(['涉案物品清单']);
    expect(() => assertCanPerformReferral(referral, { action: 'approve' }, supervisor, '2026-09-28T03:00:00.000Z')).toThrow(/涉案物品清单/);
  });

  test('when a police liaison of another unit acts, then it is not permitted', () => {
    const referral = aReferral(criminalPackageItems);
    const stranger: Actor = { userId: 'p2', name: '何警官', role: 'police_liaison', regionCode: '350212', unitId: 'psb-350212' };
    expect(() => assertCanPerformReferral(referral, { action: 'sign' }, stranger, '2026-09-28T03:00:00.000Z')).toThrow(/不是移送给您/);
  });
});
