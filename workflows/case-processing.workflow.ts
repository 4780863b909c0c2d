import {
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  ParentClosePolicy,
  startChild,
  log,
  setHandler,
  allHandlersFinished,
  workflowInfo,
} from '@temporalio/workflow';
import type { IntakeInput } from '../domain/case';
import type { Actor } from '../domain/roles';
import type { CaseContext, CasePolicy } from '../domain/case-clocks';
import { nextClockEventAt } from '../domain/case-clocks';
import {
  assertCanPerform,
  compactForContinueAsNew,
  fireDueClocks,
  mergeRepeatComplaint,
  perform,
  recordDocumentFailure,
  recordDocumentIssued,
  registerCase,
  type CaseEffect,
} from '../domain/case-machine';
import type { CaseState } from '../domain/case-state';
import type { HolidayCalendarData } from '../domain/calendar';
import { applyReferralOutcome } from '../domain/referral-case';
import { referralWorkflowId } from '../domain/referral';
import { referralOutcomeSignal } from './referral-messages';
import type { referralWorkflow } from './referral.workflow';
import { documentActivities, recordActivities } from './activity-options';
import { asFailure, nowIso, projectPending, withoutUnprojected } from './machine-bridge';
import {
  caseActionUpdate,
  caseWorkflowId,
  getCaseQuery,
  intakeOutcomeUpdate,
  repeatComplaintSignal,
  type CaseView,
  type IntakeOutcome,
} from './case-messages';

export interface CaseWorkflowInput {
  caseId: string;
  intake: IntakeInput;
  /** Fixed at start so that a calendar update never changes a running case's due dates. */
  calendar: HolidayCalendarData;
  policy: CasePolicy;
  /** Set when continuing as new: the case as it stood. */
  carriedState?: CaseState;
  /** Who registered the intake, for the timeline and the trace. */
  registeredBy?: Actor;
}

/** How long a closed case stays open to a review request (复查 30 ND + 复核 30 ND) before the workflow ends. */
const reviewWindowMs = 60 * 86_400_000;

/**
 * One case, from intake to closure (接转办核验). Decisions live in domain/case-machine; this
 * function wires Updates, the repeat-complaint Signal and one durable timer — always set to
 * the next reminder or overdue level across all of the case's clocks — to that machine, and
 * carries out the effects (documents, notifications, read-model projection) as activities.
 */
export async function caseProcessingWorkflow(input: CaseWorkflowInput): Promise<IntakeOutcome> {
  const context: CaseContext = { calendar: input.calendar, policy: input.policy, isChangeInForce: (changeId) => patched(changeId) };
  let state: CaseState | undefined = input.carriedState;
  let outcome: IntakeOutcome | undefined = state ? { caseId: state.caseId, caseNo: state.caseNo } : undefined;
  let busy = false;
  let changed = false;

  setHandler(intakeOutcomeUpdate, async () => {
    await condition(() => outcome !== undefined);
    return outcome!;
  });
  setHandler(getCaseQuery, () => view(requireState()));
  setHandler(repeatComplaintSignal, (repeat) => {
    if (!state) return;
    mergeRepeatComplaint(state, repeat, nowIso());
    changed = true;
  });
  setHandler(referralOutcomeSignal, (outcome) => {
    if (!state) return;
    applyReferralOutcome(state, outcome, nowIso(), context);
    changed = true;
  });
  setHandler(
    caseActionUpdate,
    async ({ command, actor }) => {
      await condition(() => !busy && state !== undefined);
      busy = true;
      try {
        const current = requireState();
        const effects = asFailure(() => perform(current, command, actor, nowIso(), context));
        await carryOut(current, effects);
        await project(current);
        return view(current);
      } finally {
        busy = false;
        changed = true;
      }
    },
    {
      validator: ({ command, actor }) => {
        if (!state) throw ApplicationFailure.nonRetryable('案件尚在登记中，请稍后再试', 'Conflict');
        asFailure(() => assertCanPerform(state!, command, actor, nowIso(), { ...context, isChangeInForce: () => true }));
        // Dry run on a copy: a handler that throws part-way (e.g. a due date outside the
        // calendar) would leave the live state half-changed. Validators do not run on replay,
        // so this changes no history; patched() must not be called here, so the copy assumes
        // every change is in force, as it is for a new Update.
        const draft = JSON.parse(JSON.stringify(state)) as CaseState;
        asFailure(() => perform(draft, command, actor, nowIso(), { ...context, isChangeInForce: () => true }));
      },
    },
  );

  if (!state) {
    const prepared = await recordActivities.prepareIntake({ caseId: input.caseId, intake: input.intake });
    if (prepared.duplicateOf) {
      await getExternalWorkflowHandle(caseWorkflowId(prepared.duplicateOf.caseId)).signal(repeatComplaintSignal, {
        caseId: input.caseId,
        channel: input.intake.channel,
        receivedAt: input.intake.receivedAt,
        description: input.intake.description,
        hasReporter: Boolean(input.intake.reporter && !input.intake.reporter.anonymous),
      });
      outcome = { caseId: prepared.duplicateOf.caseId, caseNo: prepared.duplicateOf.caseNo, mergedInto: prepared.duplicateOf };
      await recordActivities.recordMergedIntake({
        idempotencyKey: input.intake.idempotencyKey,
        channel: input.intake.channel,
        caseId: input.caseId,
        mergedInto: prepared.duplicateOf,
      });
      await condition(allHandlersFinished);
      return outcome;
    }
    state = registerCase({ caseId: input.caseId, caseNo: prepared.caseNo, intake: input.intake, ...prepared.jurisdiction }, nowIso(), context, input.registeredBy);
    await project(state);
    outcome = { caseId: state.caseId, caseNo: state.caseNo };
  }

  const current = state;
  let closedSince: number | undefined;
  // Events a signal adds while the loop awaits a projection were left for the next timer,
  // possibly days away: wake on them too. Patched because it changes when activities run.
  const wakeOnUnprojected = patched('wake-on-unprojected-events');
  for (;;) {
    if (current.status === 'rejected') break;
    closedSince = current.status === 'closed' ? (closedSince ?? Date.now()) : undefined;
    if (closedSince !== undefined && Date.now() - closedSince >= reviewWindowMs) break;

    const wakeAt = nextClockEventAt(current);
    const untilWake = wakeAt === undefined ? undefined : Math.max(0, Date.parse(wakeAt) - Date.now());
    const untilEnd = closedSince === undefined ? undefined : Math.max(0, closedSince + reviewWindowMs - Date.now());
    const timeout = minDefined(untilWake, untilEnd);
    changed = false;
    const woken = () => changed || (wakeOnUnprojected && current.unprojectedEvents.length > 0);
    if (timeout === undefined) await condition(woken);
    else await condition(woken, timeout);

    await condition(() => !busy);
    busy = true;
    try {
      const effects = fireDueClocks(current, nowIso(), context);
      await carryOut(current, effects);
      if (effects.length > 0 || current.unprojectedEvents.length > 0) await project(current);
    } finally {
      busy = false;
    }

    if (shouldContinueAsNew(input.policy)) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof caseProcessingWorkflow>({ ...input, carriedState: compactForContinueAsNew(current) });
    }
  }
  await condition(allHandlersFinished);
  return outcome!;

  function requireState(): CaseState {
    if (!state) throw ApplicationFailure.nonRetryable('案件尚在登记中', 'Conflict');
    return state;
  }
}

async function carryOut(state: CaseState, effects: CaseEffect[]): Promise<void> {
  for (const effect of effects) {
    if (effect.type === 'notify') {
      await recordActivities.notify({
        caseId: state.caseId,
        caseNo: state.caseNo,
        key: `${state.caseId}:${state.revision}:${effect.role}:${effect.regionCode}:${effect.message}`,
        role: effect.role,
        regionCode: effect.regionCode,
        message: effect.message,
      });
      continue;
    }
    if (effect.type === 'startReferral') {
      await startReferral(state, effect);
      continue;
    }
    const existing = state.documents.find((doc) => doc.kind === effect.kind && doc.occasion === effect.occasion);
    if (existing) continue;
    try {
      const issued = await documentActivities.issueCaseDocument({ state: view(state), kind: effect.kind, occasion: effect.occasion, fields: effect.fields });
      state.documents.push({ kind: effect.kind, occasion: effect.occasion, docNo: issued.docNo, documentId: issued.documentId, issuedAt: issued.issuedAt });
      recordDocumentIssued(state, effect.kind, effect.occasion, nowIso());
    } catch (error) {
      // A document that cannot be issued must not undo the legal action already taken; it is
      // recorded on the timeline and, since the change below, owed with a task for the officer
      // and the reissueDocument action, so that nothing waits on it without someone able to act.
      log.error('document not issued', { kind: effect.kind, error: String(error) });
      if (patched('document-failure-opens-task')) {
        recordDocumentFailure(state, { kind: effect.kind, occasion: effect.occasion, fields: effect.fields, reason: failureReason(error) }, nowIso());
        continue;
      }
      state.unprojectedEvents.push({
        seq: ++state.eventSeq,
        at: nowIso(),
        type: 'document_failed',
        summary: `文书未能生成：${effect.kind}`,
        data: { kind: effect.kind, occasion: effect.occasion },
      });
    }
  }
}

/**
 * Starts the referral as a child workflow. ABANDON, not REQUEST_CANCEL: the referral's legal
 * life (police decision, 复议, 立案监督) does not end with this run. The case continues-as-new
 * and closes 60 days after closure, either of which would cancel or terminate a child under
 * another policy; the child signals the case by workflow id, which reaches the current run.
 */
async function startReferral(state: CaseState, effect: Extract<CaseEffect, { type: 'startReferral' }>): Promise<void> {
  try {
    await startChild<typeof referralWorkflow>('referralWorkflow', {
      workflowId: referralWorkflowId(state.caseId, effect.sequence),
      args: [effect.input],
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
  } catch (error) {
    log.error('referral not started', { sequence: effect.sequence, error: String(error) });
    state.unprojectedEvents.push({
      seq: ++state.eventSeq,
      at: nowIso(),
      type: 'referral_failed',
      summary: `移送流程未能启动（第${effect.sequence}次移送）`,
      data: { sequence: effect.sequence },
    });
  }
}

async function project(state: CaseState): Promise<void> {
  await projectPending(state, (events) => recordActivities.projectCase({ state: view(state), events }));
}

function view(state: CaseState): CaseView {
  return withoutUnprojected(state);
}

/**
 * The server suggests continue-as-new when a history grows large; the policy may ask for it
 * sooner (and tests use that to prove a case survives the hand-over).
 */
function shouldContinueAsNew(policy: CasePolicy): boolean {
  const info = workflowInfo();
  if (info.continueAsNewSuggested) return true;
  const limit = policy.continueAsNewAfterEvents;
  return limit !== undefined && info.historyLength > limit && patched('continue-as-new-by-history-length');
}

/** The failure's own message (e.g. the missing fields), without the activity wrapper's. */
function failureReason(error: unknown): string | undefined {
  const cause = (error as { cause?: { message?: unknown } }).cause;
  const message = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : undefined;
  return message?.slice(0, 200);
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}
