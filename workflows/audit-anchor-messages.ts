import { defineQuery } from '@temporalio/workflow';
import type { AuditAnchorState } from '../domain/audit-anchor';

export interface AuditAnchorInput {
  /** Time between two readings of the chain's head. */
  intervalMs: number;
  /** Readings before the run continues as new with its state (keeps the history short). */
  ticksPerRun?: number;
  /** Carried over continue-as-new, or from a previous run the worker found closed. */
  state?: AuditAnchorState;
}

export const auditAnchorsQuery = defineQuery<AuditAnchorState>('auditAnchors');

/**
 * One instance per deployment, named after the task queue: the queue's worker holds the database
 * connection whose chain it anchors (each test stack has its own queue and database).
 */
export function auditAnchorWorkflowId(taskQueue: string): string {
  return `audit-anchor/${taskQueue}`;
}

export const defaultTicksPerRun = 500;
