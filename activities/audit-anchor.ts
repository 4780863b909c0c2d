import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AuditAnchorState, AuditHead, HeadReading, SignedAuditHead } from '../domain/audit-anchor';
import { formatSignedHeadLine } from '../domain/audit-anchor';
import type { auditAnchorWorkflow } from '../workflows/audit-anchor.workflow';
import { auditAnchorsQuery, auditAnchorWorkflowId, type AuditAnchorInput } from '../workflows/audit-anchor-messages';
import { readAuditChainHead } from '../read-model/audit-chain';
import { signHead, withTimeout } from '../read-model/audit-verification';

export interface AuditAnchorActivities {
  readAuditHead(input: { previous?: AuditHead }): Promise<HeadReading>;
  /** Null when no AUDIT_ANCHOR_KEY is configured. */
  signAuditHead(input: { day: string; serial: number; hash: string; at: string }): Promise<SignedAuditHead | null>;
}

/**
 * The anchor workflow's activities. The head is read as the entry it names (its stored hash,
 * not the head document's copy), so a head document edited on its own is not anchored.
 */
export function createAuditAnchorActivities(deps: { key?: string; log?: (line: string) => void }): AuditAnchorActivities {
  const log = deps.log ?? ((line: string) => console.log(line));
  return {
    async readAuditHead({ previous }) {
      return readAuditChainHead(previous);
    },
    async signAuditHead(input) {
      if (!deps.key) return null;
      const signed: SignedAuditHead = { ...input, signature: signHead(deps.key, input) };
      log(formatSignedHeadLine(signed));
      return signed;
    },
  };
}

/**
 * Starts the anchor workflow unless it runs. A closed earlier run (terminated, failed) hands its
 * anchors to the new one through its query, so the evidence in its history is not left behind.
 * Call with the worker running: a query on a closed workflow is answered by replaying it.
 */
export async function ensureAuditAnchorWorkflow(
  client: Client,
  options: { taskQueue: string; intervalMs: number; ticksPerRun?: number },
): Promise<'running' | 'started'> {
  const workflowId = auditAnchorWorkflowId(options.taskQueue);
  const handle = client.workflow.getHandle(workflowId);
  let state: AuditAnchorState | undefined;
  try {
    const description = await handle.describe();
    if (description.status.name === 'RUNNING') return 'running';
    state = await withTimeout(handle.query(auditAnchorsQuery), 30_000).catch(() => undefined);
  } catch (error) {
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
  const input: AuditAnchorInput = { intervalMs: options.intervalMs, ticksPerRun: options.ticksPerRun, state };
  try {
    await client.workflow.start<typeof auditAnchorWorkflow>('auditAnchorWorkflow', { workflowId, taskQueue: options.taskQueue, args: [input] });
  } catch (error) {
    if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    return 'running';
  }
  return 'started';
}
