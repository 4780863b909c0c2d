import { createHash, randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { IntakeInput } from '../domain/case';
import { assertIntakeRegistrable, assertReceiptTimeAllowed, defaultReceiptTimeRule, keyReusedMessage, type ReceiptTimeRule } from '../domain/intake';
import type { CaseCommand } from '../domain/case-commands';
import { defaultCasePolicy, type CasePolicy } from '../domain/case-clocks';
import { chinaCalendarData, type HolidayCalendarData } from '../domain/calendar';
import type { Actor } from '../domain/roles';
import { isWithinRegion } from '../domain/regions';
import { appendAudit } from '../read-model/audit-chain';
import { findCaseNo } from '../read-model/cases.repository';
import { findIntakeFingerprint, findMergedInto } from '../read-model/intake.repository';
import type { caseProcessingWorkflow } from '../workflows/case-processing.workflow';
import { caseActionUpdate, caseWorkflowId, intakeOutcomeUpdate, type CaseView, type IntakeOutcome } from '../workflows/case-messages';
import { canRegisterIntake } from './access-control';
import { HttpError, toProblem } from './http-errors';
import { countAction, countIntake, countRefusal } from './metrics';

export interface CaseCommandDeps {
  temporal: Client;
  taskQueue: string;
  calendar?: HolidayCalendarData;
  policy?: CasePolicy;
  /** How far a receipt time may lie from now (政策默认 (可配置): 5 minutes ahead, 7 ND back). */
  receiptTimeRule?: ReceiptTimeRule;
}

/** A stable case id from the sender's idempotency key: the same key always names the same case. */
export function caseIdFor(channel: string, idempotencyKey: string): string {
  return createHash('sha256').update(`${channel}\u0000${idempotencyKey}`).digest('hex').slice(0, 20);
}

/**
 * Registers an intake: starts the case workflow (or finds the one this key already started) and
 * waits until it is registered or merged into an open case, in one update-with-start call.
 * A resent key needs no read first: while its workflow runs, the same Update answers it (and
 * refuses another content under the key with 409); only a workflow that has ended (a merged or
 * finished case) refuses the start, and then the read model answers.
 */
export async function registerIntake(deps: CaseCommandDeps, intake: IntakeInput, actor: Actor): Promise<IntakeOutcome & { created: boolean }> {
  if (!canRegisterIntake(actor.role, intake.channel)) {
    throw new HttpError(403, `您的角色不能登记"${intake.channel}"来源的事项`);
  }
  if (!isWithinRegion(intake.location.regionCode, actor.regionCode)) {
    throw new HttpError(403, `问题地点 ${intake.location.regionCode} 不在您的辖区内`);
  }
  const caseId = caseIdFor(intake.channel, intake.idempotencyKey);
  const calendar = deps.calendar ?? chinaCalendarData;
  const policy = deps.policy ?? defaultCasePolicy;
  const now = new Date().toISOString();
  // Refused here, before anything starts: a receipt time in the future or back-dated without
  // a supervisor, or one the calendar cannot count from (it would fail after numbering).
  try {
    assertReceiptTimeAllowed({ receivedAt: intake.receivedAt, lateEntryReason: intake.lateEntryReason, role: actor.role, now }, deps.receiptTimeRule ?? defaultReceiptTimeRule);
    assertIntakeRegistrable(intake, now, { calendar, policy });
  } catch (refusal) {
    // A resend of an intake registered days ago may by now lie outside the window; it is
    // still answered with its case. Read only here, where a refusal is otherwise due.
    const known = await knownOutcome(caseId, intake);
    if (!known) throw refusal;
    countIntake(intake.channel, 'existing');
    return { ...known, created: false };
  }
  const requestId = randomUUID();
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof caseProcessingWorkflow>('caseProcessingWorkflow', {
    workflowId: caseWorkflowId(caseId),
    taskQueue: deps.taskQueue,
    args: [{ caseId, intake, registeredBy: actor, calendar, policy, requestId }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    // A finished case (rejected, merged) must never be started again by a resent intake; an
    // intake refused inside the workflow (failed, no case) may be sent again, corrected.
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
  });
  try {
    const outcome = await deps.temporal.workflow.executeUpdateWithStart(intakeOutcomeUpdate, {
      args: [{ fingerprint: intake.contentFingerprint, requestId }],
      startWorkflowOperation,
    });
    countIntake(intake.channel, outcome.mergedInto ? 'merged' : outcome.created === false ? 'existing' : 'created');
    return { ...outcome, created: outcome.created ?? true };
  } catch (error) {
    if (error instanceof WorkflowExecutionAlreadyStartedError || (error as Error).name === 'WorkflowExecutionAlreadyStartedError') {
      const again = await knownOutcome(caseId, intake);
      if (again) {
        countIntake(intake.channel, 'existing');
        return { ...again, created: false };
      }
    }
    throw error;
  }
}

/**
 * The case this key already made, if any. The same key with another content is refused (409):
 * answering it with the first case would drop the new content without a word.
 */
async function knownOutcome(caseId: string, intake: IntakeInput): Promise<IntakeOutcome | undefined> {
  const outcome = await storedOutcome(caseId);
  if (!intake.contentFingerprint) return outcome;
  // Until the outcome is in the read model the running workflow answers, naming the case.
  if (!outcome) return undefined;
  const fingerprint = await findIntakeFingerprint(caseId);
  if (fingerprint !== undefined && fingerprint !== intake.contentFingerprint) {
    const caseNo = outcome.mergedInto?.caseNo ?? outcome.caseNo;
    throw new HttpError(409, keyReusedMessage(intake.idempotencyKey, caseNo), { caseNo });
  }
  return outcome;
}

async function storedOutcome(caseId: string): Promise<IntakeOutcome | undefined> {
  const mergedInto = await findMergedInto(caseId);
  if (mergedInto) return { caseId: mergedInto.caseId, caseNo: mergedInto.caseNo, mergedInto };
  const caseNo = await findCaseNo(caseId);
  return caseNo !== undefined ? { caseId, caseNo } : undefined;
}

/**
 * Forwards a human action to the case workflow as an Update. A refusal (validator or handler)
 * changes nothing in the case; it is still written to the trace, as the law asks of attempts.
 */
export async function performCaseAction(deps: CaseCommandDeps, caseId: string, command: CaseCommand, actor: Actor): Promise<CaseView> {
  const handle = deps.temporal.workflow.getHandle(caseWorkflowId(caseId));
  try {
    const view = await handle.executeUpdate(caseActionUpdate, { args: [{ command, actor }] });
    countAction('case', command.action);
    return view;
  } catch (error) {
    const { status, body } = toProblem(error);
    if (status < 500) {
      countRefusal('case', command.action, body.code);
      await appendAudit({
        key: `refused:${caseId}:${actor.userId}:${Date.now()}:${Math.random().toString(36).slice(2)}`,
        at: new Date(),
        actor: { userId: actor.userId, name: actor.name, role: actor.role, regionCode: actor.regionCode, unitId: actor.unitId },
        ip: actor.ip,
        action: command.action,
        caseId,
        result: 'refused',
        detail: body.error,
      });
    }
    throw error;
  }
}
