import { chinaCalendar } from '../../../domain/calendar';
import {
  deadlineCatalogue,
  deadlineFor,
  deadlineKinds,
  defaultDeadlinePolicy,
  escalationLadder,
  POLICY_BASIS,
  reminderBefore,
  reminderFor,
  resolveDeadlinePolicy,
  ruleFor,
} from '../../../domain/deadlines';
import type { DeadlineKind } from '../../../domain/deadlines';
import type { PeriodUnit } from '../../../domain/periods';
import { endOfShanghaiDay, shanghaiInstant } from '../../../domain/periods';

const calendar = chinaCalendar;

describe('deadline catalogue', () => {
  it.each<[DeadlineKind, number, PeriodUnit, boolean, string]>([
    ['complaint_acceptance_notice', 15, 'ND', false, '信访工作条例 第二十三条'],
    ['complaint_remit_objection', 5, 'WD', false, '信访工作条例 第二十三条'],
    ['complaint_answer', 60, 'ND', false, '信访工作条例 第三十四条'],
    ['complaint_review_request', 30, 'ND', false, '信访工作条例 第三十五条'],
    ['complaint_review_opinion', 30, 'ND', false, '信访工作条例 第三十五条'],
    ['complaint_re_review_opinion', 30, 'ND', false, '信访工作条例 第三十六条'],
    ['penalty_filing_decision', 15, 'ND', false, '第十八条'],
    ['penalty_decision', 90, 'ND', false, '第五十七条'],
    ['correction_reinspection', 30, 'ND', false, '按日连续处罚办法 第十条'],
    ['referral_head_decision', 3, 'ND', true, '两法衔接办法 第五条'],
    ['referral_transfer', 24, 'H', false, '两法衔接办法 第六条'],
    ['referral_supplement_request', 24, 'H', false, '两法衔接办法 第八条'],
    ['referral_supplement_cure', 3, 'ND', true, '两法衔接办法 第八条'],
    ['referral_police_decision', 3, 'ND', true, '两法衔接办法 第九条'],
    ['referral_police_decision_leads', 7, 'ND', true, '两法衔接办法 第九条'],
    ['referral_police_decision_complex', 30, 'ND', true, '两法衔接办法 第九条'],
    ['referral_police_notify', 3, 'ND', true, '两法衔接办法 第九条'],
    ['referral_goods_handover', 3, 'ND', true, '两法衔接办法 第十条'],
    ['referral_reconsideration_request', 3, 'WD', false, '两法衔接办法 第十一条'],
    ['referral_reconsideration_answer', 3, 'WD', false, '两法衔接办法 第十一条'],
    ['detention_transfer', 3, 'WD', false, '第十二条'],
    ['detention_supplement_request', 3, 'WD', false, '第十三条'],
    ['detention_decision_copy', 3, 'WD', false, '第十四条'],
    ['detention_refusal', 5, 'WD', false, '第十五条'],
  ])('when the rule for %s is read, then it is %i %s (roll-forward %s) under %s', (kind, amount, unit, roll, basis) => {
    const rule = deadlineCatalogue[kind];
    expect(rule).toMatchObject({ amount, unit, rollForwardOnHoliday: roll, source: 'law' });
    expect(rule.basis).toContain(basis);
  });

  it.each<[DeadlineKind, number]>([
    ['patrol_rectify', 3],
    ['unit_acknowledge', 1],
    ['onsite_investigation', 5],
  ])('when the policy rule %s is read, then it is %i WD marked as policy, never as law', (kind, amount) => {
    expect(deadlineCatalogue[kind]).toMatchObject({ amount, unit: 'WD', source: 'policy', basis: POLICY_BASIS });
  });

  it('when the catalogue is listed, then every kind has exactly one rule', () => {
    expect(Object.keys(deadlineCatalogue).sort()).toEqual([...deadlineKinds].sort());
  });

  it('when a 两法衔接 period counts natural days, then it rolls off holidays (Art. 38)', () => {
    const liangfaDays = Object.values(deadlineCatalogue).filter((rule) => rule.basis.startsWith('两法衔接办法') && rule.unit === 'ND');
    expect(liangfaDays.length).toBeGreaterThan(5);
    expect(liangfaDays.every((rule) => rule.rollForwardOnHoliday)).toBe(true);
  });

  it('when extensions are provided for, then they follow the sources', () => {
    expect(deadlineCatalogue.complaint_answer.extensions).toEqual([expect.objectContaining({ amount: 30, unit: 'ND' })]);
    expect(deadlineCatalogue.penalty_filing_decision.extensions).toEqual([expect.objectContaining({ amount: 15, unit: 'ND' })]);
    expect(deadlineCatalogue.penalty_decision.extensions).toEqual([
      expect.objectContaining({ amount: 30, approval: 'agency_head' }),
      expect.objectContaining({ amount: 30, approval: 'collective' }),
    ]);
  });
});

describe('deadlineFor', () => {
  it.each<[DeadlineKind, string, string]>([
    // 3 ND from 09-28 ends on 10-01, a holiday: rolls to Thursday 10-08.
    ['referral_police_decision', '2026-09-28', endOfShanghaiDay('2026-10-08')],
    // 15 ND, no roll-forward: 10-13.
    ['complaint_acceptance_notice', '2026-09-28', endOfShanghaiDay('2026-10-13')],
    // 90 ND from 立案 on 03-02: 29 days left in March + 30 in April + 31 in May.
    ['penalty_decision', '2026-03-02', endOfShanghaiDay('2026-05-31')],
    // 24 h from 18:30 on 09-30 Shanghai time, onto a holiday: wall-clock hours.
    ['referral_transfer', '2026-09-30T18:30:00+08:00', '2026-10-01T10:30:00.000Z'],
    // 3 WD from Friday 10-09: 10-10 (make-up Saturday), 10-12, 10-13.
    ['detention_transfer', '2026-10-09', endOfShanghaiDay('2026-10-13')],
  ])('when %s starts at %s, then it is due at %s', (kind, start, due) => {
    expect(deadlineFor(kind, start, calendar)).toMatchObject({ kind, start, due });
  });

  it('when computed, then the deadline carries its basis, source and calendar version for the record', () => {
    expect(deadlineFor('referral_police_notify', '2026-09-28', calendar)).toEqual({
      kind: 'referral_police_notify',
      label: '书面通知立案结果',
      start: '2026-09-28',
      due: endOfShanghaiDay('2026-10-08'),
      amount: 3,
      unit: 'ND',
      rollForwardOnHoliday: true,
      basis: '两法衔接办法 第九条',
      source: 'law',
      calendarVersion: 'chinese-days@1.5.7+provisional-2027',
    });
  });
});

describe('overrides', () => {
  it('when a region sets 立行立改 to 5 WD, then the due date follows and the rule stays policy', () => {
    const deadline = deadlineFor('patrol_rectify', '2026-09-28', calendar, { patrol_rectify: { amount: 5 } });
    // 09-29, 09-30, 10-08, 10-09, 10-10 (make-up Saturday).
    expect(deadline).toMatchObject({ amount: 5, due: endOfShanghaiDay('2026-10-10'), source: 'policy', basis: POLICY_BASIS });
  });

  it('when an override tries to make a policy rule look like law, then it stays policy', () => {
    expect(ruleFor('onsite_investigation', { onsite_investigation: { source: 'law', amount: 7 } }).source).toBe('policy');
  });

  it('when an override changes a legal period, then it throws NotPermitted', () => {
    expect(() => ruleFor('complaint_answer', { complaint_answer: { amount: 90 } })).toThrow(
      expect.objectContaining({ code: 'NotPermitted' }),
    );
  });

  it('when an override repeats a legal period unchanged, then it is accepted', () => {
    expect(ruleFor('complaint_answer', { complaint_answer: { amount: 60, unit: 'ND' } })).toBe(deadlineCatalogue.complaint_answer);
  });

  it.each<[string, () => unknown]>([
    ['a zero amount', () => ruleFor('unit_acknowledge', { unit_acknowledge: { amount: 0 } })],
    ['an unknown unit', () => ruleFor('unit_acknowledge', { unit_acknowledge: { unit: 'MONTH' as never } })],
    ['an unknown kind', () => ruleFor('no_such_kind' as DeadlineKind)],
  ])('when an override has %s, then it throws InvalidInput', (_name, act) => {
    expect(act).toThrow(expect.objectContaining({ code: 'InvalidInput' }));
  });
});

describe('reminders', () => {
  it.each<[string, { amount: number; unit: PeriodUnit }, { amount: number; unit: 'WD' | 'H' }]>([
    ['a 15 ND period', { amount: 15, unit: 'ND' }, { amount: 2, unit: 'WD' }],
    ['a 5 WD period', { amount: 5, unit: 'WD' }, { amount: 2, unit: 'WD' }],
    ['a 3 WD period', { amount: 3, unit: 'WD' }, { amount: 1, unit: 'WD' }],
    ['a 3 ND period', { amount: 3, unit: 'ND' }, { amount: 1, unit: 'WD' }],
    ['a 24 H period', { amount: 24, unit: 'H' }, { amount: 4, unit: 'H' }],
  ])('when the rule is %s, then the reminder lead is %o', (_name, rule, lead) => {
    expect(reminderBefore(rule)).toEqual(lead);
  });

  it('when the policy sets a 3 WD lead, then long periods use it', () => {
    expect(reminderBefore({ amount: 60, unit: 'ND' }, { reminder: { workingDaysBefore: 3 } })).toEqual({ amount: 3, unit: 'WD' });
  });

  it('when the acceptance notice is due Tuesday 10-13, then the reminder is 09:00 on make-up Saturday 10-10', () => {
    const deadline = deadlineFor('complaint_acceptance_notice', '2026-09-28', calendar);
    expect(reminderFor(deadline, calendar)).toBe(shanghaiInstant('2026-10-10', 9));
  });

  it('when a 1 WD period starts on a date, then no reminder falls before the work even starts', () => {
    const deadline = deadlineFor('unit_acknowledge', '2026-09-28', calendar);
    expect(reminderFor(deadline, calendar)).toBeUndefined();
  });

  it('when a 1 WD period starts at 08:00, then the reminder is 09:00 the same day', () => {
    const deadline = deadlineFor('unit_acknowledge', '2026-09-28T08:00:00+08:00', calendar);
    expect(reminderFor(deadline, calendar)).toBe('2026-09-28T01:00:00.000Z');
  });

  it('when a 24 H transfer is due at 10:30Z, then the reminder is 4 h earlier', () => {
    const deadline = deadlineFor('referral_transfer', '2026-09-30T18:30:00+08:00', calendar);
    expect(reminderFor(deadline, calendar)).toBe('2026-10-01T06:30:00.000Z');
  });
});

describe('escalationLadder', () => {
  it('when a step is due at the end of 09-30, then levels fall at due, +3, +10 and +20 WD across National Day', () => {
    // +3 WD: 10-08, 10-09, 10-10 (make-up Saturday).
    // +10 WD: … 10-12, 10-13, 10-14, 10-15, 10-16, 10-19, 10-20.
    // +20 WD: … 10-21, 10-22, 10-23, 10-26 … 10-30, 11-02, 11-03.
    expect(escalationLadder(endOfShanghaiDay('2026-09-30'), calendar)).toEqual([
      { level: 1, at: '2026-09-30T15:59:59.999Z' },
      { level: 2, at: endOfShanghaiDay('2026-10-10') },
      { level: 3, at: endOfShanghaiDay('2026-10-20') },
      { level: 4, at: endOfShanghaiDay('2026-11-03') },
    ]);
  });

  it('when a policy sets a shorter ladder, then it is followed', () => {
    expect(escalationLadder(endOfShanghaiDay('2026-10-09'), calendar, { escalation: { workingDaysAfterDue: [0, 1] } })).toEqual([
      { level: 1, at: endOfShanghaiDay('2026-10-09') },
      { level: 2, at: endOfShanghaiDay('2026-10-10') },
    ]);
  });

  it('when a policy ladder is not increasing, then it throws InvalidInput', () => {
    expect(() => escalationLadder(endOfShanghaiDay('2026-10-09'), calendar, { escalation: { workingDaysAfterDue: [0, 5, 5] } })).toThrow(
      expect.objectContaining({ code: 'InvalidInput' }),
    );
  });
});

describe('policy defaults', () => {
  it('when nothing is overridden, then the DESIGN.md §5 defaults apply', () => {
    expect(resolveDeadlinePolicy()).toEqual(defaultDeadlinePolicy);
    expect(defaultDeadlinePolicy.dedupe).toEqual({ windowAmount: 30, windowUnit: 'ND', radiusMetres: 200 });
    expect(defaultDeadlinePolicy.escalation.workingDaysAfterDue).toEqual([0, 3, 10, 20]);
  });

  it('when a region widens the dedupe radius, then only that value changes', () => {
    expect(resolveDeadlinePolicy({ dedupe: { radiusMetres: 500 } }).dedupe).toEqual({ windowAmount: 30, windowUnit: 'ND', radiusMetres: 500 });
  });
});
