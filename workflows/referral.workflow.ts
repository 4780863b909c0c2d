import { allHandlersFinished, condition, getExternalWorkflowHandle, log, patched, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CaseContext } from '../domain/case-clocks';
import type { CasePolicy } from '../domain/case-clocks';
import type { HolidayCalendarData } from '../domain/calendar';
import type { ReferralState, ReferralView } from '../domain/referral';
import { nextReferralEventAt } from '../domain/referral-clocks';
import {
  assertCanPerformReferral,
  completeTransfer,
  fireDueReferralClocks,
  isReferralEnded,
  openReferral,
  performReferral,
  type OpenReferralInput,
  type ReferralEffect,
} from '../domain/referral-machine';
import type { ReferralActivities } from '../activities/referral-activities.types';
import { caseWorkflowId } from './case-messages';
import { getReferralQuery, referralActionUpdate, referralOutcomeSignal } from './referral-messages';
import { asFailure, nowIso, projectPending, withoutUnprojected } from './machine-bridge';
import { referralLevelNames, timerOptions, timerSummary } from './case-visibility';
import { documentActivityOptions, recordActivityOptions } from './activity-options';

export interface ReferralWorkflowInput extends OpenReferralInput {
  calendar: HolidayCalendarData;
  policy: CasePolicy;
}

const records = proxyActivities<Pick<ReferralActivities, 'projectReferral' | 'notifyReferral'>>(recordActivityOptions);

const documents = proxyActivities<Pick<ReferralActivities, 'issueReferralDocument'>>({
  ...documentActivityOptions,
  retry: { ...documentActivityOptions.retry, maximumAttempts: 5 },
});

/**
 * One referral to the police (两法衔接, or 行政拘留), started by its case as a child workflow.
 * Decisions live in domain/referral-machine; this function wires the action Update, one
 * durable timer (the next reminder, lapsed window or overdue level of any clock) and the
 * effects: documents, notifications, the read model, and a signal to the case per outcome.
 */
export async function referralWorkflow(input: ReferralWorkflowInput): Promise<ReferralView> {
  const context: CaseContext = { calendar: input.calendar, policy: input.policy, isChangeInForce: (changeId) => patched(changeId) };
  const state = openReferral(input, nowIso(), context);
  let busy = false;
  let changed = false;

  setHandler(getReferralQuery, () => view(state));
  setHandler(
    referralActionUpdate,
    async ({ command, actor }) => {
      await condition(() => !busy);
      busy = true;
      try {
        const effects = asFailure(() => performReferral(state, command, actor, nowIso(), context));
        await carryOut(effects);
        await project();
        return view(state);
      } finally {
        busy = false;
        changed = true;
      }
    },
    { validator: ({ command, actor }) => asFailure(() => assertCanPerformReferral(state, command, actor, nowIso())) },
  );

  await project();

  while (!isReferralEnded(state.status)) {
    const wakeAt = nextReferralEventAt(state);
    changed = false;
    if (wakeAt === undefined) await condition(() => changed);
    else await condition(() => changed, Math.max(0, Date.parse(wakeAt) - Date.now()), timerOptions(() => timerSummary(Object.values(state.clocks), wakeAt, referralLevelNames)));
    await condition(() => !busy);
    busy = true;
    try {
      const effects = fireDueReferralClocks(state, nowIso(), context);
      await carryOut(effects);
      if (state.unprojectedEvents.length > 0) await project();
    } finally {
      busy = false;
    }
  }
  await condition(allHandlersFinished);
  return view(state);

  async function carryOut(effects: ReferralEffect[]): Promise<void> {
    for (const effect of effects) {
      if (effect.type === 'outcome') {
        await tellCase(effect.outcome);
      } else if (effect.type === 'notify') {
        await records.notifyReferral({
          referralId: state.referralId,
          caseId: state.case.caseId,
          caseNo: state.case.caseNo,
          key: `${state.referralId}:${state.revision}:${effect.role}:${effect.unitId ?? effect.regionCode}:${effect.message}`,
          role: effect.role,
          regionCode: effect.regionCode,
          unitId: effect.unitId,
          message: effect.message,
        });
      } else {
        let issued: { docNo: string; documentId: string; issuedAt: string } | undefined;
        try {
          issued = await documents.issueReferralDocument({ referral: view(state), kind: effect.kind, occasion: effect.occasion, fields: effect.fields });
          state.documents.push({ kind: effect.kind, occasion: effect.occasion, ...issued });
        } catch (error) {
          log.error('referral document not issued', { kind: effect.kind, error: String(error) });
        }
        if (effect.then === 'transfer') await carryOut(completeTransfer(state, issued, nowIso(), context));
      }
    }
  }

  async function tellCase(outcome: ReferralState['outcomes'][number]): Promise<void> {
    try {
      await getExternalWorkflowHandle(caseWorkflowId(state.case.caseId)).signal(referralOutcomeSignal, outcome);
    } catch (error) {
      // The case workflow may have ended (closed cases stay open 60 days only); the outcome
      // stays on the referral's own record, which the case page reads as well.
      log.warn('case not told of referral outcome', { referralId: state.referralId, type: outcome.type, error: String(error) });
    }
  }

  async function project(): Promise<void> {
    await projectPending(state, (events) => records.projectReferral({ referral: view(state), events }));
  }
}

function view(state: ReferralState): ReferralView {
  return withoutUnprojected(state);
}
