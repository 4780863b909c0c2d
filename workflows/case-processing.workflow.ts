import {
  ActivityFailure,
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
import { assertIntakeRegistrable, keyReusedMessage } from '../domain/intake';
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
import { documentActivities, recordActivitiesForRun, type RecordActivities } from './activity-options';
import { asFailure, nowIso, projectPending, withoutUnprojected } from './machine-bridge';
import { reviewWindowSummary, timerOptions, timerSummary, upsertCaseSearchAttributes, type VisibleCase } from './case-visibility';
import {
  caseActionUpdate,
  caseWorkflowId,
  getCaseQuery,
  intakeOutcomeUpdate,
  repeatComplaintSignal,
  type CaseView,
  type IntakeOutcome,
  type RepeatComplaint,
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
  /** The API request that started this workflow: only it is answered `created: true`. */
  requestId?: string;
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
  const records = recordActivitiesForRun(patched);
  let state: CaseState | undefined = input.carriedState;
  let outcome: IntakeOutcome | undefined = state ? { caseId: state.caseId, caseNo: state.caseNo } : undefined;
  let busy = false;
  let changed = false;
  let visible: VisibleCase | undefined;
  const show = (shown: CaseState) => (visible = upsertCaseSearchAttributes(shown, visible));
  /** Why the intake could not be registered: every waiting intake request fails with it. */
  let intakeFailure: ApplicationFailure | undefined;
  /** Repeats merged in while this case was still being registered (see the dedupe log). */
  const earlyRepeats: RepeatComplaint[] = [];

  setHandler(intakeOutcomeUpdate, async (request) => {
    await condition(() => outcome !== undefined || intakeFailure !== undefined);
    if (intakeFailure) throw intakeFailure;
    const expected = input.intake.contentFingerprint;
    if (request?.fingerprint && expected && request.fingerprint !== expected) {
      const caseNo = outcome!.mergedInto?.caseNo ?? outcome!.caseNo;
      throw ApplicationFailure.nonRetryable(keyReusedMessage(input.intake.idempotencyKey, caseNo), 'Conflict', { caseNo });
    }
    return request ? { ...outcome!, created: request.requestId !== undefined && request.requestId === input.requestId } : outcome!;
  });
  setHandler(getCaseQuery, () => view(requireState()));
  setHandler(repeatComplaintSignal, (repeat) => {
    if (!state) {
      earlyRepeats.push(repeat);
      return;
    }
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
        await carryOut(records, current, effects);
        await project(records, current);
        show(current);
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
    // Domain refusals while registering (a receipt date outside the calendar) fail the intake
    // request and the workflow with a reason, before a case number is taken; before this change
    // they failed the workflow task, which retried forever with the number already spent.
    const refuseCleanly = patched('intake-refused-before-numbering');
    try {
      if (refuseCleanly) asFailure(() => assertIntakeRegistrable(input.intake, nowIso(), context));
      const registered = await registerIntake(input, context, refuseCleanly);
      if (registered.merged) return registered.outcome;
      outcome = registered.outcome;
    } catch (error) {
      const failure = refuseCleanly ? intakeFailureOf(error) : undefined;
      if (!failure) throw error;
      intakeFailure = failure;
      await condition(allHandlersFinished);
      throw failure;
    }
  }

  async function registerIntake(
    workflowInput: CaseWorkflowInput,
    caseContext: CaseContext,
    refuseCleanly: boolean,
  ): Promise<{ merged: boolean; outcome: IntakeOutcome }> {
    const prepared = await records.prepareIntake({ caseId: workflowInput.caseId, intake: workflowInput.intake });
    if (prepared.duplicateOf) {
      await getExternalWorkflowHandle(caseWorkflowId(prepared.duplicateOf.caseId)).signal(repeatComplaintSignal, {
        caseId: workflowInput.caseId,
        channel: workflowInput.intake.channel,
        receivedAt: workflowInput.intake.receivedAt,
        description: workflowInput.intake.description,
        hasReporter: Boolean(workflowInput.intake.reporter && !workflowInput.intake.reporter.anonymous),
      });
      outcome = { caseId: prepared.duplicateOf.caseId, caseNo: prepared.duplicateOf.caseNo, mergedInto: prepared.duplicateOf };
      await records.recordMergedIntake({
        idempotencyKey: workflowInput.intake.idempotencyKey,
        channel: workflowInput.intake.channel,
        caseId: workflowInput.caseId,
        mergedInto: prepared.duplicateOf,
      });
      await condition(allHandlersFinished);
      return { merged: true, outcome };
    }
    const registrationInput = { caseId: workflowInput.caseId, caseNo: prepared.caseNo, intake: workflowInput.intake, ...prepared.jurisdiction };
    const registered = refuseCleanly
      ? asFailure(() => registerCase(registrationInput, nowIso(), caseContext, workflowInput.registeredBy))
      : registerCase(registrationInput, nowIso(), caseContext, workflowInput.registeredBy);
    // A repeat that found this case in the dedupe log before it was registered.
    if (earlyRepeats.length > 0 && patched('merge-repeats-received-while-registering')) {
      for (const repeat of earlyRepeats.splice(0)) mergeRepeatComplaint(registered, repeat, nowIso());
    }
    // Set before projecting, as it always was: a repeat signalled while the projection runs
    // merges into the live state.
    state = registered;
    await project(records, registered);
    return { merged: false, outcome: { caseId: registered.caseId, caseNo: registered.caseNo } };
  }

  const current = requireState();
  show(current);
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
    else await condition(woken, timeout, timerOptions(() => (timeout === untilWake ? timerSummary(Object.values(current.clocks), wakeAt!) : reviewWindowSummary(closedSince! + reviewWindowMs))));

    await condition(() => !busy);
    busy = true;
    try {
      const effects = fireDueClocks(current, nowIso(), context);
      await carryOut(records, current, effects);
      if (effects.length > 0 || current.unprojectedEvents.length > 0) await project(records, current);
      show(current);
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

async function carryOut(records: RecordActivities, state: CaseState, effects: CaseEffect[]): Promise<void> {
  for (const effect of effects) {
    if (effect.type === 'notify') {
      await records.notify({
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

async function project(records: RecordActivities, state: CaseState): Promise<void> {
  // A repeat merged while the projection ran (identical complaints arriving together) kept its
  // related complaint but lost its timeline event and the wake-up that would project it.
  const keepLateEvents = patched('keep-events-signalled-during-projection');
  await projectPending(state, (events) => records.projectCase({ state: view(state), events }), { keepLateEvents });
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

/**
 * The refusal an intake request gets for a domain refusal (in the workflow or in prepareIntake);
 * undefined for anything else, which stays a workflow-task failure to be retried after a fix.
 */
function intakeFailureOf(error: unknown): ApplicationFailure | undefined {
  if (error instanceof ApplicationFailure) return error;
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type === 'DomainError') {
    return ApplicationFailure.nonRetryable(error.cause.message, 'InvalidInput');
  }
  return undefined;
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
