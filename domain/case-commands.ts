import type { Category } from './case';
import type { ClockId } from './case-state';
import type { ProposeReferralCommand } from './referral-case';
import type { DocumentKind } from './documents';

/**
 * The inputs of each human action, one per Update. Plain JSON; the API validates the shape
 * with zod and the machine validates the meaning against the case's state.
 */
export type CaseCommand =
  | { action: 'claimTask'; taskId: string }
  | {
      action: 'triage';
      decision: 'accept' | 'reject';
      reason?: string;
      /** Overrides the routing rule; must lie inside the case's county. */
      unitRegionCode?: string;
      category?: Category;
    }
  | { action: 'acknowledge'; note?: string }
  | {
      action: 'recordInvestigation';
      outcome: 'no_violation' | 'violation' | 'suspected_crime';
      findings: string;
      /** For a violation: what the order to correct requires, and by when (ISO date). */
      requirement?: string;
      rectificationDueDate?: string;
      /** For a violation: the provisions breached, distinct from the basis of the order. */
      violatedProvisions?: string;
      legalBasis?: string;
    }
  | { action: 'reportRectification'; report: string; evidenceFileIds?: string[] }
  | { action: 'requestExtension'; clockId: ClockId; amount: number; unit: 'ND' | 'WD'; reason: string }
  | { action: 'decideExtension'; clockId: ClockId; approve: boolean; note?: string }
  | { action: 'verify'; passed: boolean; findings: string; newDueDate?: string }
  | { action: 'decideClosure'; approve: boolean; answer?: string; note?: string }
  | { action: 'recordFiling'; filedOn: string; note?: string }
  | { action: 'recordPenaltyDecision'; decidedOn: string; decision: string }
  | { action: 'escalate'; reason: string }
  | { action: 'suspendClock'; clockId: ClockId; reason: string }
  | { action: 'resumeClock'; clockId: ClockId; note?: string }
  | { action: 'reopen'; reason: string }
  | { action: 'recordSatisfaction'; satisfaction: 'satisfied' | 'basically_satisfied' | 'dissatisfied'; note?: string }
  /** Issues again a document that failed (kind and occasion as the failure recorded them). */
  | { action: 'reissueDocument'; kind: DocumentKind; occasion: string }
  | ProposeReferralCommand;

export type CaseCommandOf<A extends CaseCommand['action']> = Extract<CaseCommand, { action: A }>;
