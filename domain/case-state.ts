import type { CaseStatus, Channel, IntakeInput } from './case';
import type { Actor, Role } from './roles';
import type { DocumentKind } from './documents';
import type { CaseReferralRef } from './referral-ref';

/** A legal or policy clock on a case. Due instants are ISO strings fixed when set. */
export interface Clock {
  id: ClockId;
  label: string;
  /** The legal basis, or '政策默认 (可配置)' for a policy period. */
  basis: string;
  source: 'law' | 'policy';
  startedAt: string;
  dueAt: string;
  status: 'running' | 'suspended' | 'met' | 'cancelled';
  /** Set while suspended: the instant the clock stopped. */
  suspendedAt?: string;
  suspensionReason?: string;
  reminderAt?: string;
  reminded: boolean;
  /** Instants of overdue levels 1..4 (level 1 = the due instant). */
  ladder: string[];
  escalationLevel: number;
  /** Extensions granted so far (each approved by a supervisor). */
  extensions: number;
  history: DueChange[];
  /** The task kind that owns this clock's work, so overdue can name the step. */
  step: TaskKind;
}

export interface DueChange {
  at: string;
  from: string;
  to: string;
  reason: string;
  by?: string;
}

export const clockIds = [
  'acceptance_notice',
  'unit_acknowledge',
  'onsite_investigation',
  'patrol_fix',
  'rectification',
  'reinspection',
  'verification',
  'closure_approval',
  'complaint_answer',
  'penalty_filing',
  'penalty_decision',
  'review_opinion',
] as const;
export type ClockId = (typeof clockIds)[number];

export const taskKinds = [
  'triage',
  'acknowledge',
  'investigate',
  'rectify',
  'verify',
  'approve_extension',
  'approve_closure',
  'approve_referral',
  'police_receive',
  'police_decide',
  'supervise_overdue',
  'record_penalty',
  'reissue_document',
] as const;
export type TaskKind = (typeof taskKinds)[number];

export interface CaseTask {
  taskId: string;
  kind: TaskKind;
  role: Role;
  /** The region the task belongs to: users see it when it lies in their subtree. */
  regionCode: string;
  unitId?: string;
  assigneeId?: string;
  assigneeName?: string;
  dueAt?: string;
  clockId?: ClockId;
  escalationLevel: number;
  status: 'open' | 'done';
  createdAt: string;
  closedAt?: string;
  /** What the task asks for, in the user's language. */
  title: string;
}

export interface CaseEvent {
  seq: number;
  at: string;
  type: string;
  summary: string;
  actor?: Pick<Actor, 'userId' | 'name' | 'role' | 'regionCode' | 'ip'>;
  data?: Record<string, unknown>;
}

export interface PendingExtension {
  clockId: ClockId;
  amount: number;
  unit: 'ND' | 'WD';
  reason: string;
  requestedBy: string;
  requestedAt: string;
  taskId: string;
}

export interface RelatedComplaint {
  caseId: string;
  channel: Channel;
  receivedAt: string;
  description: string;
  hasReporter: boolean;
}

/** A document a step owed that could not be issued; kept until a reissue succeeds. */
export interface FailedDocument {
  kind: DocumentKind;
  occasion: string;
  /** The step's fields, so the reissue issues the same document. */
  fields: Record<string, unknown>;
  failedAt: string;
  reason?: string;
}

export interface IssuedDocumentRef {
  kind: DocumentKind;
  occasion: string;
  docNo: string;
  documentId: string;
  issuedAt: string;
}

/**
 * The case: the intake as registered (the reporter is kept in the workflow; the read model shows
 * it only to roles allowed to see it), then everything the case has become since.
 */
export interface CaseState extends IntakeInput {
  caseId: string;
  caseNo: string;
  status: CaseStatus;
  /** The county that owns the case; a township for patrol items fixed on the spot. */
  countyCode: string;
  cityCode: string;
  agencyCode: string;
  agencyName: string;
  assignedUnit?: { kind: 'township' | 'county_team'; regionCode: string };
  outcome?: 'no_violation' | 'violation' | 'suspected_crime';
  rectification?: { round: number; requirement: string; dueAt: string; failures: number };
  penalty?: { filedAt?: string; decidedAt?: string; decision?: string };
  closure?: { approvedAt?: string; answer?: string; satisfaction?: 'satisfied' | 'basically_satisfied' | 'dissatisfied' };
  rejection?: { reason: string };
  /** The status to return to if closure is refused. */
  closingFrom?: CaseStatus;
  clocks: Partial<Record<ClockId, Clock>>;
  tasks: CaseTask[];
  pendingExtensions: PendingExtension[];
  relatedComplaints: RelatedComplaint[];
  documents: IssuedDocumentRef[];
  /** Documents that failed and are owed still (each with a reissue task). */
  failedDocuments?: FailedDocument[];
  escalationLevel: number;
  /** Monotonic: every change bumps it, so projections can ignore stale writes. */
  revision: number;
  eventSeq: number;
  taskSeq: number;
  /** Events not yet projected to the read model; the workflow drains this list. */
  unprojectedEvents: CaseEvent[];
  /** Rounds of continue-as-new, for the trace. */
  generation: number;
  /** Referrals to the police (两法衔接 / 行政拘留), each a child workflow. */
  referrals?: CaseReferralRef[];
}

/** The case as callers and activities see it: the state without the workflow's projection queue. */
export type CaseView = Omit<CaseState, 'unprojectedEvents'>;
