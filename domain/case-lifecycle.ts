import type { CaseStatus } from './case';

/** The state machine of DESIGN.md §3: from each status, where a case may go next. */
export const caseTransitions: Record<CaseStatus, readonly CaseStatus[]> = {
  received: ['assigned', 'rejected'],
  rejected: [],
  assigned: ['investigating', 'rectifying'],
  investigating: ['rectifying', 'closing'],
  rectifying: ['verifying'],
  verifying: ['rectifying', 'closing'],
  closing: ['closed', 'investigating', 'verifying'],
  closed: ['investigating'],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return caseTransitions[from].includes(to);
}

export function isTerminal(status: CaseStatus): boolean {
  return caseTransitions[status].length === 0;
}

/** Statuses in which a case still needs work: what "open" lists and the board count. */
export const openCaseStatuses: readonly CaseStatus[] = ['received', 'assigned', 'investigating', 'rectifying', 'verifying', 'closing'];

export function isOpenStatus(status: string): boolean {
  return (openCaseStatuses as readonly string[]).includes(status);
}
