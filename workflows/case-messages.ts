import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CaseCommand } from '../domain/case-commands';
import type { CaseView } from '../domain/case-state';
import type { Actor } from '../domain/roles';
import type { Channel } from '../domain/case';

/** The case workflow's public API; the API server imports these definitions. */

export interface CaseActionInput {
  command: CaseCommand;
  actor: Actor;
}

/** What the caller of an action gets back: the case as it stands after the action. */
export type { CaseView };

export interface IntakeOutcome {
  caseId: string;
  caseNo: string;
  /** Set when the intake was a repeat merged into an open case. */
  mergedInto?: { caseId: string; caseNo: string };
  /** True only for the request that started the case workflow (IntakeOutcomeRequest.requestId). */
  created?: boolean;
}

/** Who asks for the outcome: the content they sent, and the id of their request. */
export interface IntakeOutcomeRequest {
  /** The sender's `contentFingerprint`: another content under the same key is refused. */
  fingerprint?: string;
  /** Equal to the workflow input's `requestId` for the request that started the workflow. */
  requestId?: string;
}

export interface RepeatComplaint {
  caseId: string;
  channel: Channel;
  receivedAt: string;
  description: string;
  hasReporter: boolean;
}

export const caseActionUpdate = defineUpdate<CaseView, [CaseActionInput]>('caseAction');
/** Resolves once the intake is registered (or merged); the API waits on it with update-with-start. */
export const intakeOutcomeUpdate = defineUpdate<IntakeOutcome, [IntakeOutcomeRequest?]>('intakeOutcome');
export const getCaseQuery = defineQuery<CaseView>('getCase');
export const repeatComplaintSignal = defineSignal<[RepeatComplaint]>('repeatComplaint');

export const caseTaskQueue = 'envcase-cases';

export function caseWorkflowId(caseId: string): string {
  return `case-${caseId}`;
}
