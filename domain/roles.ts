import type { CaseStatus } from './case';

export const roles = ['grid_member', 'locality_handler', 'officer', 'supervisor', 'police_liaison', 'admin'] as const;
export type Role = (typeof roles)[number];

export const roleLabels: Record<Role, string> = {
  grid_member: '网格员',
  locality_handler: '属地经办人',
  officer: '执法人员',
  supervisor: '负责人',
  police_liaison: '公安联络员',
  admin: '系统管理员',
};

/** Who acts: carried into every workflow Update so the trace says who, as what, from where. */
export interface Actor {
  userId: string;
  name: string;
  role: Role;
  /** The root of the user's jurisdiction subtree (GB/T 2260). */
  regionCode: string;
  /** A police unit, for the police liaison. */
  unitId?: string;
  /** Client address as the API saw it. */
  ip?: string;
}

/**
 * The human actions on a case. Each is a workflow Update; the same table answers the API's
 * "may this role do this?" and the workflow validator's, so they can never disagree.
 */
export const caseActions = [
  'claimTask',
  'triage',
  'acknowledge',
  'recordInvestigation',
  'reportRectification',
  'requestExtension',
  'decideExtension',
  'verify',
  'decideClosure',
  'recordFiling',
  'recordPenaltyDecision',
  'escalate',
  'suspendClock',
  'resumeClock',
  'reopen',
  'recordSatisfaction',
  'proposeReferral',
  'reissueDocument',
] as const;
export type CaseAction = (typeof caseActions)[number];

export const actionPermissions: Record<CaseAction, readonly Role[]> = {
  claimTask: ['grid_member', 'locality_handler', 'officer', 'supervisor'],
  triage: ['officer'],
  acknowledge: ['locality_handler', 'officer'],
  recordInvestigation: ['officer'],
  reportRectification: ['locality_handler', 'officer'],
  requestExtension: ['locality_handler', 'officer'],
  decideExtension: ['supervisor'],
  verify: ['officer', 'grid_member'],
  decideClosure: ['supervisor'],
  recordFiling: ['officer'],
  recordPenaltyDecision: ['officer'],
  escalate: ['supervisor'],
  suspendClock: ['supervisor'],
  resumeClock: ['supervisor'],
  reopen: ['officer', 'supervisor'],
  recordSatisfaction: ['officer'],
  proposeReferral: ['officer'],
  reissueDocument: ['officer', 'supervisor'],
};

/** The statuses in which each action makes sense; the machine checks finer conditions. */
export const actionStatuses: Record<CaseAction, readonly CaseStatus[]> = {
  claimTask: ['received', 'assigned', 'investigating', 'rectifying', 'verifying', 'closing'],
  triage: ['received'],
  acknowledge: ['assigned'],
  recordInvestigation: ['investigating'],
  reportRectification: ['rectifying'],
  requestExtension: ['assigned', 'investigating', 'rectifying', 'verifying', 'closing'],
  decideExtension: ['assigned', 'investigating', 'rectifying', 'verifying', 'closing'],
  verify: ['verifying'],
  decideClosure: ['closing'],
  recordFiling: ['investigating', 'rectifying', 'verifying', 'closing', 'closed'],
  recordPenaltyDecision: ['investigating', 'rectifying', 'verifying', 'closing', 'closed'],
  escalate: ['received', 'assigned', 'investigating', 'rectifying', 'verifying', 'closing'],
  suspendClock: ['received', 'assigned', 'investigating', 'rectifying', 'verifying', 'closing', 'closed'],
  resumeClock: ['received', 'assigned', 'investigating', 'rectifying', 'verifying', 'closing', 'closed'],
  reopen: ['closed'],
  recordSatisfaction: ['closing', 'closed'],
  proposeReferral: ['investigating', 'rectifying', 'verifying', 'closing', 'closed'],
  // A document that failed is owed whatever the case has become since, a closed case included.
  reissueDocument: ['received', 'rejected', 'assigned', 'investigating', 'rectifying', 'verifying', 'closing', 'closed'],
};

export function canRolePerform(role: Role, action: CaseAction): boolean {
  return actionPermissions[action].includes(role);
}

/** Roles that may see the complainant's identity (confidentiality is a legal duty). */
export const rolesSeeingComplainant: readonly Role[] = ['officer', 'supervisor', 'admin'];
