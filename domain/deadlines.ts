// The catalogue of time limits: each legal or policy period as data, with its basis, plus the
// functions that turn a rule and a trigger into due, reminder and escalation instants.
// Law periods come from DOMAIN.md §1–§4 and are not configurable; policy periods (DESIGN.md §5)
// are defaults that callers override per region or category through the `overrides` data.
import type { CalendarInput } from './calendar';
import { toHolidayCalendar } from './calendar';
import { DomainError } from './errors';
import {
  addPeriod,
  endOfShanghaiDay,
  extendDue,
  instantToMs,
  isInstant,
  periodUnits,
  shanghaiDate,
  shiftInstant,
  subtractWorkingDays,
} from './periods';
import type { PeriodUnit } from './periods';

export const deadlineKinds = [
  // 信访 / 12369 complaints
  'complaint_acceptance_notice',
  'complaint_remit_objection',
  'complaint_answer',
  'complaint_review_request',
  'complaint_review_opinion',
  'complaint_re_review_request',
  'complaint_re_review_opinion',
  // administrative penalty and continuing violations
  'penalty_filing_decision',
  'penalty_evidence_preservation',
  'penalty_hearing_request',
  'penalty_decision',
  'penalty_decision_service',
  'penalty_fine_payment',
  'correction_reinspection',
  // 两法衔接 criminal referral
  'referral_head_decision',
  'referral_transfer',
  'referral_supplement_request',
  'referral_supplement_cure',
  'referral_police_forward',
  'referral_police_decision',
  'referral_police_decision_leads',
  'referral_police_decision_complex',
  'referral_police_notify',
  'referral_goods_handover',
  'referral_reconsideration_request',
  'referral_reconsideration_answer',
  'referral_procuratorial_transfer',
  'referral_platform_entry',
  // 行政拘留 detention referral
  'detention_transfer',
  'detention_supplement_request',
  'detention_decision_copy',
  'detention_refusal',
  // policy defaults
  'patrol_rectify',
  'unit_acknowledge',
  'onsite_investigation',
] as const;

export type DeadlineKind = (typeof deadlineKinds)[number];

export type DeadlineSource = 'law' | 'policy';

/** Who may grant an extension step. */
export type ExtensionApproval = 'agency_head' | 'collective' | 'supervisor' | 'higher_level';

export interface DeadlineExtensionStep {
  /** The most this step may add; the approver may grant less. */
  readonly amount: number;
  readonly unit: PeriodUnit;
  readonly approval: ExtensionApproval;
  readonly basis: string;
}

export interface DeadlineRule {
  /** Short Chinese name shown on tasks and timers. */
  readonly label: string;
  readonly amount: number;
  readonly unit: PeriodUnit;
  readonly rollForwardOnHoliday: boolean;
  /** The legal basis, e.g. '两法衔接办法 第九条', or POLICY_BASIS for a policy default. */
  readonly basis: string;
  readonly source: DeadlineSource;
  /** Extension steps in the order they may be granted; absent when none is provided for. */
  readonly extensions?: readonly DeadlineExtensionStep[];
  /** Why the rule reads as it does where the source leaves doubt. */
  readonly note?: string;
}

export const POLICY_BASIS = '政策默认 (可配置)';

const xinfang = '信访工作条例';
const penalty2023 = '生态环境行政处罚办法（2023）';
const penaltyLaw = '行政处罚法';
const liangfa = '两法衔接办法';
const detention = '行政拘留移送办法';

// 两法衔接办法 第三十八条: ND periods exclude the trigger day and roll off a holiday. Its WD
// periods (Art. 11) are stated as 工作日 and need no roll.
function liangfaDays(label: string, amount: number, article: string): DeadlineRule {
  return { label, amount, unit: 'ND', rollForwardOnHoliday: true, basis: `${liangfa} ${article}`, source: 'law' };
}

function law(label: string, amount: number, unit: PeriodUnit, basis: string, extras: Partial<DeadlineRule> = {}): DeadlineRule {
  return { label, amount, unit, rollForwardOnHoliday: false, basis, source: 'law', ...extras };
}

// DESIGN.md §5: one extension by the supervisor of at most the original period, a second one
// level up.
function policy(label: string, amount: number, unit: PeriodUnit): DeadlineRule {
  return {
    label,
    amount,
    unit,
    rollForwardOnHoliday: false,
    basis: POLICY_BASIS,
    source: 'policy',
    extensions: [
      { amount, unit, approval: 'supervisor', basis: POLICY_BASIS },
      { amount, unit, approval: 'higher_level', basis: POLICY_BASIS },
    ],
  };
}

const xinfangNdNote = '信访工作条例 defines no counting rule; read as ND, start day excluded (DOMAIN.md §0).';

export const deadlineCatalogue: Readonly<Record<DeadlineKind, DeadlineRule>> = Object.freeze({
  complaint_acceptance_notice: law('受理告知', 15, 'ND', `${xinfang} 第二十三条`, { note: xinfangNdNote }),
  complaint_remit_objection: law('不属于本机关职权范围的退回', 5, 'WD', `${xinfang} 第二十三条`),
  complaint_answer: law('办理答复', 60, 'ND', `${xinfang} 第三十四条；福建省“12369”环保举报热线工作管理暂行规定`, {
    note: `${xinfangNdNote} Art. 31(5) complaints take the same 60 + 30 from the Fujian 12369 rules.`,
    extensions: [{ amount: 30, unit: 'ND', approval: 'agency_head', basis: `${xinfang} 第三十四条` }],
  }),
  complaint_review_request: law('申请复查', 30, 'ND', `${xinfang} 第三十五条`, { note: xinfangNdNote }),
  complaint_review_opinion: law('复查意见', 30, 'ND', `${xinfang} 第三十五条`, { note: xinfangNdNote }),
  complaint_re_review_request: law('申请复核', 30, 'ND', `${xinfang} 第三十六条`, { note: xinfangNdNote }),
  complaint_re_review_opinion: law('复核意见', 30, 'ND', `${xinfang} 第三十六条`, {
    note: `${xinfangNdNote} Hearing time is excluded: suspend the clock for it.`,
  }),

  penalty_filing_decision: law('立案审查决定', 15, 'ND', `${penalty2023} 第十八条`, {
    extensions: [{ amount: 15, unit: 'ND', approval: 'agency_head', basis: `${penalty2023} 第十八条` }],
  }),
  penalty_evidence_preservation: law('先行登记保存物品处理决定', 7, 'WD', `${penaltyLaw} 第五十六条、第八十五条`),
  penalty_hearing_request: law('当事人申请听证', 5, 'WD', `${penaltyLaw} 第六十四条、第八十五条`),
  penalty_decision: law('作出处罚决定', 90, 'ND', `${penaltyLaw} 第六十条；${penalty2023} 第五十七条`, {
    note: 'Counted from 立案. Hearing, announcement, monitoring, appraisal, service and criminal-transfer time is excluded: suspend the clock. Maximum 150 ND with both extensions.',
    extensions: [
      { amount: 30, unit: 'ND', approval: 'agency_head', basis: `${penalty2023} 第五十七条` },
      { amount: 30, unit: 'ND', approval: 'collective', basis: `${penalty2023} 第五十七条` },
    ],
  }),
  penalty_decision_service: law('送达处罚决定书', 7, 'WD', `${penaltyLaw} 第六十一条、第八十五条`),
  penalty_fine_payment: law('缴纳罚款', 15, 'ND', `${penaltyLaw} 第六十七条`),
  correction_reinspection: law('责令改正后复查', 30, 'ND', '环境保护主管部门实施按日连续处罚办法 第十条'),

  referral_head_decision: liangfaDays('负责人决定是否移送', 3, '第五条'),
  referral_transfer: law('移送公安机关', 24, 'H', `${liangfa} 第六条`),
  referral_supplement_request: law('公安机关通知补充材料', 24, 'H', `${liangfa} 第八条`),
  referral_supplement_cure: liangfaDays('补充移送材料', 3, '第八条'),
  referral_police_forward: law('公安机关转送或退回', 24, 'H', `${liangfa} 第九条`),
  referral_police_decision: liangfaDays('公安机关决定是否立案', 3, '第九条'),
  referral_police_decision_leads: liangfaDays('公安机关决定是否立案（需核查线索）', 7, '第九条'),
  referral_police_decision_complex: liangfaDays('公安机关决定是否立案（重大疑难复杂）', 30, '第九条'),
  referral_police_notify: liangfaDays('书面通知立案结果', 3, '第九条'),
  referral_goods_handover: liangfaDays('移交涉案物品', 3, '第十条'),
  referral_reconsideration_request: law('提请复议', 3, 'WD', `${liangfa} 第十一条`),
  referral_reconsideration_answer: law('公安机关复议决定', 3, 'WD', `${liangfa} 第十一条`),
  referral_procuratorial_transfer: liangfaDays('依检察意见移送', 3, '第十四条'),
  referral_platform_entry: liangfaDays('录入信息共享平台', 7, '第三十三条、第三十四条'),

  detention_transfer: law('移送行政拘留案件', 3, 'WD', `${detention} 第十二条`),
  detention_supplement_request: law('公安机关要求补充证据', 3, 'WD', `${detention} 第十三条`),
  detention_decision_copy: law('公安机关抄送拘留决定', 3, 'WD', `${detention} 第十四条`),
  detention_refusal: law('公安机关不予受理退回', 5, 'WD', `${detention} 第十五条`),

  patrol_rectify: policy('立行立改', 3, 'WD'),
  unit_acknowledge: policy('承办单位签收', 1, 'WD'),
  onsite_investigation: policy('现场调查', 5, 'WD'),
});

export type DeadlineRuleOverrides = Partial<Record<DeadlineKind, Partial<DeadlineRule>>>;

export interface ReminderPolicy {
  readonly workingDaysBefore: number;
  /** Periods of at most `shortPeriodMaxDays` ND or WD get this shorter lead instead. */
  readonly shortPeriodWorkingDaysBefore: number;
  readonly shortPeriodMaxDays: number;
  /** Lead for hour-counted periods, where a lead in days would precede the start. */
  readonly hoursBeforeHourPeriods: number;
}

export interface EscalationPolicy {
  /** Working days after the due instant at which level n (index n - 1) starts; 0 = at due. */
  readonly workingDaysAfterDue: readonly number[];
}

export interface DedupePolicy {
  readonly windowAmount: number;
  readonly windowUnit: PeriodUnit;
  readonly radiusMetres: number;
}

export interface DeadlinePolicy {
  readonly reminder: ReminderPolicy;
  readonly escalation: EscalationPolicy;
  readonly dedupe: DedupePolicy;
}

export interface DeadlinePolicyOverrides {
  reminder?: Partial<ReminderPolicy>;
  escalation?: Partial<EscalationPolicy>;
  dedupe?: Partial<DedupePolicy>;
}

/** DESIGN.md §5 defaults. The hour-period reminder lead is our own choice (4 h). */
export const defaultDeadlinePolicy: DeadlinePolicy = Object.freeze({
  reminder: Object.freeze({
    workingDaysBefore: 2,
    shortPeriodWorkingDaysBefore: 1,
    shortPeriodMaxDays: 3,
    hoursBeforeHourPeriods: 4,
  }),
  escalation: Object.freeze({ workingDaysAfterDue: Object.freeze([0, 3, 10, 20]) }),
  dedupe: Object.freeze({ windowAmount: 30, windowUnit: 'ND', radiusMetres: 200 }),
});

function isWholeNumber(value: unknown, minimum: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= minimum;
}

function invalid(message: string, details: Record<string, unknown>): DomainError {
  return new DomainError('InvalidInput', message, details);
}

export function resolveDeadlinePolicy(overrides: DeadlinePolicyOverrides = {}): DeadlinePolicy {
  const reminder = { ...defaultDeadlinePolicy.reminder, ...overrides.reminder };
  const escalation = { ...defaultDeadlinePolicy.escalation, ...overrides.escalation };
  const dedupe = { ...defaultDeadlinePolicy.dedupe, ...overrides.dedupe };
  for (const [name, value] of Object.entries(reminder)) {
    if (!isWholeNumber(value, 0)) throw invalid(`reminder.${name} must be a whole number ≥ 0`, { [name]: value });
  }
  const steps = escalation.workingDaysAfterDue;
  if (steps.length === 0 || steps.some((step, index) => !isWholeNumber(step, 0) || (index > 0 && step <= (steps[index - 1] ?? 0)))) {
    throw invalid('escalation.workingDaysAfterDue must be increasing whole numbers ≥ 0', { workingDaysAfterDue: steps });
  }
  if (!isWholeNumber(dedupe.windowAmount, 1) || !isWholeNumber(dedupe.radiusMetres, 1) || !periodUnits.includes(dedupe.windowUnit)) {
    throw invalid('dedupe needs a whole window ≥ 1 in ND/WD/H and a radius ≥ 1 m', { dedupe });
  }
  return { reminder, escalation, dedupe };
}

/**
 * The rule for `kind` after overrides. Only policy rules take overrides: a legal period is not
 * configuration, so an override that changes a law rule throws NotPermitted. An overridden
 * policy rule stays `source: 'policy'` so it is never shown as a legal basis.
 */
export function ruleFor(kind: DeadlineKind, overrides?: DeadlineRuleOverrides): DeadlineRule {
  const base = (deadlineCatalogue as Partial<Record<string, DeadlineRule>>)[kind];
  if (!base) throw new DomainError('InvalidInput', `unknown deadline kind: ${String(kind)}`, { kind });
  const override = overrides?.[kind];
  if (!override) return base;
  const changed = (Object.keys(override) as (keyof DeadlineRule)[]).filter(
    (key) => JSON.stringify(override[key]) !== JSON.stringify(base[key]),
  );
  if (changed.length === 0) return base;
  if (base.source === 'law') {
    throw new DomainError('NotPermitted', `${kind} is a legal period (${base.basis}); it cannot be overridden`, {
      kind,
      fields: changed,
    });
  }
  const merged: DeadlineRule = { ...base, ...override, source: 'policy', basis: override.basis ?? base.basis };
  if (!isWholeNumber(merged.amount, 1) || !periodUnits.includes(merged.unit)) {
    throw invalid(`override of ${kind} needs a whole amount ≥ 1 and a unit of ND, WD or H`, { kind, override });
  }
  return merged;
}

export interface Deadline {
  readonly kind: DeadlineKind;
  readonly label: string;
  readonly start: string;
  readonly due: string;
  readonly amount: number;
  readonly unit: PeriodUnit;
  readonly rollForwardOnHoliday: boolean;
  readonly basis: string;
  readonly source: DeadlineSource;
  /** The calendar data the due instant was computed with, kept for the record. */
  readonly calendarVersion: string;
}

/** The due instant of `kind` triggered at `start` (a Shanghai date or an ISO instant). */
export function deadlineFor(
  kind: DeadlineKind,
  start: string,
  calendar: CalendarInput,
  overrides?: DeadlineRuleOverrides,
): Deadline {
  const rule = ruleFor(kind, overrides);
  const due = addPeriod({
    start,
    amount: rule.amount,
    unit: rule.unit,
    rollForwardOnHoliday: rule.rollForwardOnHoliday,
    calendar,
  });
  return {
    kind,
    label: rule.label,
    start,
    due,
    amount: rule.amount,
    unit: rule.unit,
    rollForwardOnHoliday: rule.rollForwardOnHoliday,
    basis: rule.basis,
    source: rule.source,
    calendarVersion: toHolidayCalendar(calendar).version,
  };
}

export interface ReminderLead {
  readonly amount: number;
  readonly unit: 'WD' | 'H';
}

/** How long before the due instant to remind: 2 WD, 1 WD for periods of 3 days or less. */
export function reminderBefore(rule: Pick<DeadlineRule, 'amount' | 'unit'>, policy?: DeadlinePolicyOverrides): ReminderLead {
  const { reminder } = resolveDeadlinePolicy(policy);
  if (rule.unit === 'H') return { amount: reminder.hoursBeforeHourPeriods, unit: 'H' };
  if (rule.amount <= reminder.shortPeriodMaxDays) return { amount: reminder.shortPeriodWorkingDaysBefore, unit: 'WD' };
  return { amount: reminder.workingDaysBefore, unit: 'WD' };
}

/**
 * The reminder instant for a computed deadline (09:00 Shanghai time on the working day the lead
 * points at, or the due instant minus the lead in hours), or undefined when that would not be
 * after the trigger: a reminder before the work was even handed over is noise. A trigger given
 * as a date counts as its whole day.
 */
export function reminderFor(
  deadline: Pick<Deadline, 'start' | 'due' | 'amount' | 'unit'>,
  calendar: CalendarInput,
  policy?: DeadlinePolicyOverrides,
): string | undefined {
  const lead = reminderBefore(deadline, policy);
  if (lead.amount === 0) return undefined;
  const at =
    lead.unit === 'H'
      ? shiftInstant(deadline.due, -lead.amount * 3_600_000)
      : subtractWorkingDays(deadline.due, lead.amount, calendar);
  const triggeredAt = isInstant(deadline.start) ? deadline.start : endOfShanghaiDay(shanghaiDate(deadline.start));
  return instantToMs(at) > instantToMs(triggeredAt) ? at : undefined;
}

export interface EscalationStep {
  readonly level: number;
  readonly at: string;
}

/**
 * The overdue ladder after a due instant: level 1 at the due instant, then each further level
 * at the end of the n-th working day after the due date (defaults +3, +10, +20 WD).
 */
export function escalationLadder(
  dueInstant: string,
  calendar: CalendarInput,
  policy?: DeadlinePolicyOverrides,
): readonly EscalationStep[] {
  const { escalation } = resolveDeadlinePolicy(policy);
  return escalation.workingDaysAfterDue.map((workingDays, index) => ({
    level: index + 1,
    at: workingDays === 0 ? shiftInstant(dueInstant, 0) : extendDue(dueInstant, workingDays, 'WD', calendar),
  }));
}
