// The audit chain checked against its anchors outside MongoDB: the heads the anchor workflow
// recorded (read by query) and the signed daily heads.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { AuditAnchorState, SignedAuditHead } from '../domain/audit-anchor';
import { signedHeadPayload } from '../domain/audit-anchor';
import { auditAnchorsQuery, auditAnchorWorkflowId } from '../workflows/audit-anchor-messages';
import { verifyAuditChain, type AnchorRef, type ChainBreak, type ChainVerification } from './audit-chain';

export function signHead(key: string, head: { day: string; serial: number; hash: string }): string {
  return createHmac('sha256', key).update(signedHeadPayload(head)).digest('hex');
}

export function signatureHolds(key: string, head: SignedAuditHead): boolean {
  const expected = Buffer.from(signHead(key, head), 'hex');
  const given = Buffer.from(head.signature, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
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

export function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
