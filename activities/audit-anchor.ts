import { createHmac, timingSafeEqual } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AuditAnchorState, AuditHead, HeadReading, SignedAuditHead } from '../domain/audit-anchor';
import { formatSignedHeadLine, signedHeadPayload } from '../domain/audit-anchor';
import { AuditEntryModel } from '../models/audit-entry.model';
import { SequenceHeadModel, SequenceSlotModel } from '../models/sequence-append';
import type { auditAnchorWorkflow } from '../workflows/audit-anchor.workflow';
import { auditAnchorsQuery, auditAnchorWorkflowId, type AuditAnchorInput } from '../workflows/audit-anchor-messages';
import { auditSequence, verifyAuditChain, type AnchorRef, type ChainBreak, type ChainVerification } from '../read-model/audit-chain';

export interface AuditAnchorActivities {
  readAuditHead(input: { previous?: AuditHead }): Promise<HeadReading>;
  /** Null when no AUDIT_ANCHOR_KEY is configured. */
  signAuditHead(input: { day: string; serial: number; hash: string; at: string }): Promise<SignedAuditHead | null>;
}

/** The entry holding `serial` by its slot (a read by `_id`), or by its serial if the slot is gone. */
async function storedAt(serial: number): Promise<AuditHead | null> {
  const slot = await SequenceSlotModel.findById(`${auditSequence}#${serial}`).lean();
  let entry: { serial: number; hash: string } | null = slot ? await AuditEntryModel.findById(slot.ref, { serial: 1, hash: 1 }).lean() : null;
  if (!entry || entry.serial !== serial) entry = await AuditEntryModel.findOne({ serial }, { serial: 1, hash: 1 }).lean();
  return entry ? { serial: entry.serial, hash: entry.hash } : null;
}

export function signHead(key: string, head: { day: string; serial: number; hash: string }): string {
  return createHmac('sha256', key).update(signedHeadPayload(head)).digest('hex');
}

export function signatureHolds(key: string, head: SignedAuditHead): boolean {
  const expected = Buffer.from(signHead(key, head), 'hex');
  const given = Buffer.from(head.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * The anchor workflow's activities. The head is read as the entry it names (its stored hash,
 * not the head document's copy), so a head document edited on its own is not anchored.
 */
export function createAuditAnchorActivities(deps: { key?: string; log?: (line: string) => void }): AuditAnchorActivities {
  const log = deps.log ?? ((line: string) => console.log(line));
  return {
    async readAuditHead({ previous }) {
      const headDocument = await SequenceHeadModel.findById(auditSequence).lean();
      let head: AuditHead | null = null;
      if (headDocument && headDocument.serial > 0) {
        head = await storedAt(headDocument.serial);
      } else if (!headDocument) {
        const last = await AuditEntryModel.findOne({}, { serial: 1, hash: 1 }).sort({ serial: -1 }).lean();
        head = last ? { serial: last.serial, hash: last.hash } : null;
      }
      if (!previous) return { head };
      const found = previous.serial === head?.serial ? head : await storedAt(previous.serial);
      return { head, previous: { holds: found?.hash === previous.hash, found } };
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

export type AnchoringStatus =
  | { available: true; workflowId: string; lastCheckedAt?: string; anchors: number; signedHeads: SignedAuditHead[]; conflictCount: number; lastAnchor?: AnchorRef }
  | { available: false; workflowId: string; reason: string };

export type AuditVerification = ChainVerification & { anchoring: AnchoringStatus };

/** The anchor workflow's state, or why it cannot be had (not started, no worker, no server). */
export async function readAuditAnchors(client: Client, taskQueue: string): Promise<{ state: AuditAnchorState } | { reason: string }> {
  try {
    return { state: await withTimeout(client.workflow.getHandle(auditAnchorWorkflowId(taskQueue)).query(auditAnchorsQuery), 15_000) };
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return { reason: '锚定工作流未运行' };
    return { reason: `无法读取锚定工作流：${(error as Error).message}` };
  }
}

/**
 * The chain checked against its anchors: the workflow's recorded heads and conflicts, and the
 * signed daily heads (their signatures checked when the key is at hand). Without the workflow
 * the chain is still checked on its own, and `anchoring` says why it was not compared.
 */
export async function verifyAuditTrail(deps: { temporal?: Client; taskQueue?: string; anchorKey?: string; extraSignedHeads?: SignedAuditHead[] }): Promise<AuditVerification> {
  const workflowId = auditAnchorWorkflowId(deps.taskQueue ?? '');
  const read = deps.temporal && deps.taskQueue ? await readAuditAnchors(deps.temporal, deps.taskQueue) : { reason: '未连接 Temporal' };
  const state = 'state' in read ? read.state : undefined;
  const signedHeads = [...(state?.signedHeads ?? []), ...(deps.extraSignedHeads ?? [])];
  const forged: ChainBreak[] = [];
  const signedAnchors: AnchorRef[] = [];
  for (const signed of signedHeads) {
    if (deps.anchorKey && !signatureHolds(deps.anchorKey, signed)) {
      forged.push({ serial: signed.serial, kind: 'anchor', reason: `${signed.day} 的签名链头（第 ${signed.serial} 条）签名无效` });
    } else {
      signedAnchors.push({ serial: signed.serial, hash: signed.hash, at: signed.at, source: 'signed' });
    }
  }
  const anchors: AnchorRef[] = [...(state?.anchors ?? []).map((anchor) => ({ ...anchor, source: 'workflow' as const })), ...signedAnchors];
  const kept = state?.conflicts ?? [];
  const result = await verifyAuditChain({
    anchors,
    conflicts: kept.map((conflict) => ({ serial: conflict.anchored.serial, at: conflict.at, gone: conflict.found === null })),
    extraBreakCount: (state ? state.conflictCount - kept.length : 0) + forged.length,
  });
  result.breaks = [...result.breaks, ...forged].sort((a, b) => a.serial - b.serial);
  result.firstBreak = result.breaks[0];
  result.ok = result.breakCount === 0;
  const last = state?.anchors.at(-1);
  const anchoring: AnchoringStatus = state
    ? {
        available: true,
        workflowId,
        lastCheckedAt: state.lastCheckedAt,
        anchors: state.anchors.length,
        signedHeads: signedHeads,
        conflictCount: state.conflictCount,
        lastAnchor: last && { ...last, source: 'workflow' },
      }
    : { available: false, workflowId, reason: 'reason' in read ? read.reason : '' };
  return { ...result, anchoring };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
