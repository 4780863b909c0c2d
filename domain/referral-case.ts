// The case side of a referral: the `proposeReferral` action that starts the child workflow and
// stops the penalty clocks (两法衔接办法 第十六条), and what the case does with each outcome the
// referral signals back. Kept apart from case-machine.ts, which only wires these in.
import { isChangeInForce, markSuspended, resumeSuspended, type CaseContext } from './case-clocks';
import { assertTransferLetterReady } from './referral-machine';
import type { CaseState, ClockId } from './case-state';
import type { HolidayCalendarData } from './calendar';
import type { CasePolicy } from './case-clocks';
import { DomainError } from './errors';
import { resolveReferralPoliceUnit } from './police-units';
import { syncTaskDue } from './task-list';
import { recordEvent } from './timeline';
import type { Actor } from './roles';
import {
  packageItemsFor,
  referralIdOf,
  referralSuspensionReason,
  type ReferralCaseSnapshot,
  type ReferralOutcome,
  type ReferralProposal,
} from './referral';

export type ProposeReferralCommand = { action: 'proposeReferral' } & ReferralProposal;

export type { CaseReferralRef } from './referral-ref';

export interface ReferralStartEffect {
  type: 'startReferral';
  sequence: number;
  input: {
    caseSnapshot: ReferralCaseSnapshot;
    sequence: number;
    proposal: ReferralProposal;
    proposedBy: Actor;
    calendar: HolidayCalendarData;
    policy: CasePolicy;
  };
}

/** The penalty clocks a criminal referral stops; orders to correct keep running. */
export const penaltyClockIds: readonly ClockId[] = ['penalty_filing', 'penalty_decision'];

export function guardProposeReferral(state: CaseState, command: ProposeReferralCommand, actor: Actor, now?: string, context?: CaseContext): void {
  if (!command.suspectedOffence?.trim()) throw new DomainError('InvalidInput', '须写明涉嫌的罪名或违法情形');
  if (!command.facts?.trim()) throw new DomainError('InvalidInput', '须写明涉嫌犯罪（违法）的事实');
  if (command.route === 'criminal' && state.outcome !== 'suspected_crime') {
    throw new DomainError('InvalidTransition', '调查结论为涉嫌环境犯罪后方可提请移送公安机关');
  }
  const known = new Set(packageItemsFor(command.route));
  const unknown = (command.package ?? []).filter((item) => !known.has(item.name) && item.provided && !item.note);
  if (unknown.length > 0 && unknown.length === (command.package ?? []).length) {
    throw new DomainError('InvalidInput', `移送材料清单项目不识别：${unknown.map((item) => item.name).join('、')}`);
  }
  if ((state.referrals ?? []).some((ref) => ref.route === command.route && !ref.ended)) {
    throw new DomainError('Conflict', '本案已有进行中的同类移送');
  }
  // The 移送书 is issued on approval from this proposal: one it could not be issued from is
  // refused now, naming what to add, rather than approved and left stuck at 已批准待移送.
  if (!context || isChangeInForce(context, 'referral-letter-ready-before-proposal')) {
    const { action: _action, ...proposal } = command;
    assertTransferLetterReady({ route: command.route, proposal, case: snapshotOf(state), proposedBy: actor });
  }
}

function snapshotOf(state: CaseState): ReferralCaseSnapshot {
  return {
    caseId: state.caseId,
    caseNo: state.caseNo,
    countyCode: state.countyCode,
    cityCode: state.cityCode,
    agencyCode: state.agencyCode,
    agencyName: state.agencyName,
    description: state.description,
    location: state.location,
    subject: state.subject,
  };
}

export function proposeReferralOnCase(
  state: CaseState,
  command: ProposeReferralCommand,
  actor: Actor,
  now: string,
  context: CaseContext,
): ReferralStartEffect[] {
  const { action: _action, ...proposal } = command;
  // The addressed unit must exist and answer for the case's county. In the handler rather than
  // the guard so that replaying a proposal accepted before the registry existed is unchanged;
  // the Update validator's dry run has every change in force, so new proposals are refused.
  if (isChangeInForce(context, 'police-unit-registry')) resolveReferralPoliceUnit(proposal.policeUnitId, state.countyCode);
  const referrals = (state.referrals ??= []);
  const sequence = referrals.length + 1;
  const referralId = referralIdOf(state.caseId, sequence);
  referrals.push({ referralId, sequence, route: proposal.route, proposedAt: now, ended: false });
  recordEvent(state, now, 'referral_proposed', `提请移送公安机关（${proposal.route === 'criminal' ? '涉嫌犯罪' : '行政拘留'}）：${proposal.suspectedOffence}`, actor, { referralId });
  if (proposal.route === 'criminal') {
    for (const id of penaltyClockIds) {
      const clock = state.clocks[id];
      if (!clock || clock.status !== 'running') continue;
      markSuspended(clock, referralSuspensionReason, now);
      recordEvent(state, now, 'clock_suspended', `${clock.label}中止计时：${referralSuspensionReason}`, actor, { clockId: id, referralId });
    }
  }
  const caseSnapshot = snapshotOf(state);
  return [
    {
      type: 'startReferral',
      sequence,
      input: { caseSnapshot, sequence, proposal, proposedBy: actor, calendar: context.calendar as HolidayCalendarData, policy: context.policy },
    },
  ];
}

/**
 * Records an outcome the referral signalled. When the referral lets go of the case (refused,
 * returned, head refused), the penalty clocks it stopped run again, their due instants moved by
 * exactly the time they stood still. Safe to apply twice: a clock resumes only once.
 */
export function applyReferralOutcome(state: CaseState, outcome: ReferralOutcome, now: string, context: CaseContext): void {
  const ref = (state.referrals ?? []).find((candidate) => candidate.referralId === outcome.referralId);
  if (ref) {
    ref.lastOutcome = outcome.type;
    if (outcome.ended) ref.ended = true;
  }
  recordEvent(state, now, 'referral_outcome', `移送公安：${outcome.summary}`, undefined, { referralId: outcome.referralId, outcome: outcome.type });
  const stillHeld = (state.referrals ?? []).some((candidate) => candidate.route === 'criminal' && !candidate.ended && candidate.referralId !== outcome.referralId);
  if (outcome.releasesPenaltyClocks && !stillHeld) {
    for (const id of penaltyClockIds) {
      const clock = state.clocks[id];
      if (!clock || clock.status !== 'suspended' || clock.suspensionReason !== referralSuspensionReason) continue;
      resumeSuspended(clock, now, context);
      syncTaskDue(state, id);
      recordEvent(state, now, 'clock_resumed', `${clock.label}恢复计时（移送${outcome.summary}），期限顺延至 ${clock.dueAt}`, undefined, { clockId: id, referralId: outcome.referralId });
    }
  }
  state.revision += 1;
}
