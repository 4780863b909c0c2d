import { chinaCalendarData } from '../../../domain/calendar';
import { defaultCasePolicy } from '../../../domain/case-clocks';
import { deadlineFor } from '../../../domain/deadlines';
import { criminalPackageItems } from '../../../domain/referral';
import { assertCanPerformReferral, completeTransfer, fireDueReferralClocks, missingPackageItems, openReferral, performReferral } from '../../../domain/referral-machine';
import { assertCanPerform, perform, registerCase } from '../../../domain/case-machine';
import type { CaseCommand } from '../../../domain/case-commands';
import { isDomainError } from '../../../domain/errors';
import type { ReferralProposal } from '../../../domain/referral';
import type { Actor } from '../../../domain/roles';

const officer: Actor = { userId: 'officer', name: '王执法', role: 'officer', regionCode: '350602' };
const supervisor: Actor = { userId: 'supervisor', name: '张科长', role: 'supervisor', regionCode: '350602' };
const context = { calendar: chinaCalendarData, policy: defaultCasePolicy };

const completeProposal: Partial<ReferralProposal> = {
  party: { name: '漳州某电镀有限公司', creditCode: '91350100M000100Y43', address: '芗城区工业园区', legalRepresentative: '陈某' },
  contact: { name: '王执法', phone: '0596-2345678' },
};

function refusalOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

function aReferral(provided: readonly string[], extra: Partial<ReferralProposal> = completeProposal) {
  return openReferral(
    {
      caseSnapshot: {
        caseId: 'c1', caseNo: '350602-2026-00001', countyCode: '350602', cityCode: '350600', agencyCode: '漳环芗',
        agencyName: '漳州市芗城区生态环境局', description: '暗管排放', location: { address: '工业园区', regionCode: '350602001' },
      },
      sequence: 1,
      proposal: { route: 'criminal', suspectedOffence: '刑法第三百三十八条', facts: '暗管排放', evidence: [], package: provided.map((name) => ({ name, provided: true })), ...extra },
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

describe('the 移送书 is never left stuck (issue 9, item 5)', () => {
  const at = (hours: number) => new Date(Date.parse('2026-09-28T02:00:00.000Z') + hours * 3_600_000).toISOString();
  // The letter needs a contact phone (the party's credit code became optional: a natural person has none).
  const withoutContact = { ...completeProposal, contact: undefined };

  test('when the proposal gave no contact phone, then approval is refused naming the missing field in Chinese', () => {
    const referral = aReferral(criminalPackageItems, withoutContact);
    const error = refusalOf(() => assertCanPerformReferral(referral, { action: 'approve' }, supervisor, at(1)));
    expect(error.message).toBe('涉嫌环境犯罪案件移送书缺少必填内容：联系电话。请补充后再提交');
    expect(referral.status).toBe('awaiting_approval');
  });

  test('when the officer proposes a criminal referral without a contact phone, then the case refuses the proposal naming it', () => {
    const context = { calendar: chinaCalendarData, policy: defaultCasePolicy };
    const state = registerCase(
      {
        caseId: 'c9', caseNo: '350602-2026-00009', countyCode: '350602', cityCode: '350600', agencyCode: '漳环芗', agencyName: '漳州市芗城区生态环境局',
        intake: { channel: 'patrol', category: 'water', description: '暗管排放', location: { address: '工业园区', regionCode: '350602001' }, attachments: [], idempotencyKey: 'k9', receivedAt: at(0) },
      },
      at(0),
      context,
    );
    for (const command of [{ action: 'triage', decision: 'accept' }, { action: 'acknowledge' }, { action: 'recordInvestigation', outcome: 'suspected_crime', findings: '暗管排放含镍废水' }] as CaseCommand[]) {
      perform(state, command, officer, at(1), context);
    }
    const proposal = { action: 'proposeReferral', route: 'criminal', suspectedOffence: '污染环境罪', facts: '暗管排放', evidence: [], package: criminalPackageItems.map((name) => ({ name, provided: true })), ...withoutContact } as CaseCommand;
    expect(refusalOf(() => assertCanPerform(state, proposal, officer, at(2), context)).message).toMatch(/移送书缺少必填内容：联系电话/);
    expect(state.referrals ?? []).toEqual([]);
    expect(() => assertCanPerform(state, { ...proposal, contact: completeProposal.contact } as CaseCommand, officer, at(2), context)).not.toThrow();
  });

  test('when the approved letter fails to render, then the officer has a task and a reissue that transfers the referral', () => {
    const context = { calendar: chinaCalendarData, policy: defaultCasePolicy };
    const referral = aReferral(criminalPackageItems);
    performReferral(referral, { action: 'approve' }, supervisor, at(1), context);
    completeTransfer(referral, undefined, at(1), context);
    expect(referral.status).toBe('approved');
    const reissueTasks = () => referral.tasks.filter((task) => task.kind === 'referral_reissue' && task.status === 'open');
    expect(reissueTasks()).toEqual([expect.objectContaining({ role: 'officer', regionCode: '350602', clockId: 'transfer' })]);
    // Failing again does not list the same work twice.
    completeTransfer(referral, undefined, at(2), context);
    expect(reissueTasks()).toHaveLength(1);

    const effects = performReferral(referral, { action: 'reissueDocument', contact: { name: '李执法', phone: '0596-1111111' } }, officer, at(3), context);
    expect(effects).toEqual([expect.objectContaining({ type: 'issueDocument', kind: 'criminal_transfer', then: 'transfer', fields: expect.objectContaining({ contact: { name: '李执法', phone: '0596-1111111' } }) })]);
    expect(reissueTasks()).toEqual([]);
    completeTransfer(referral, { docNo: '漳环芗移送〔2026〕1号', documentId: 'd1', issuedAt: at(3) }, at(3), context);
    expect(referral.status).toBe('transferred');
    expect(refusalOf(() => assertCanPerformReferral(referral, { action: 'reissueDocument' }, officer, at(4))).message).toMatch(/没有需要重新生成的移送书/);
  });

  test('when a referral ends, then every clock stops and every task closes, 督办 listings included', () => {
    const context = { calendar: chinaCalendarData, policy: defaultCasePolicy };
    const referral = aReferral(criminalPackageItems);
    // The head lets the 3 ND decision period lapse: a 督办 task opens for the supervisor.
    fireDueReferralClocks(referral, referral.clocks.head_decision!.ladder[1]!, context);
    fireDueReferralClocks(referral, referral.clocks.head_decision!.ladder[1]!, context);
    expect(referral.tasks.some((task) => task.kind === 'supervise_overdue' && task.status === 'open')).toBe(true);
    performReferral(referral, { action: 'refuseApproval', reason: '证据不足' }, supervisor, at(200), context);
    expect(referral.tasks.filter((task) => task.status === 'open')).toEqual([]);
    expect(Object.values(referral.clocks).filter((clock) => clock?.status === 'running' || clock?.status === 'suspended')).toEqual([]);
  });
});
