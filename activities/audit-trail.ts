import { createHash } from 'node:crypto';
import { AuditEntryModel, type AuditEntryRecord } from '../models/audit-entry.model';
import { appendToSequence, SequenceHeadModel } from '../models/sequence-append';

export interface AuditAppend {
  /** Idempotency key: appending the same key twice records one entry. */
  key: string;
  at: Date;
  actor?: { userId: string; name: string; role: string; regionCode: string; unitId?: string };
  ip?: string;
  action: string;
  caseId?: string;
  result: 'accepted' | 'refused' | 'ok' | 'failed';
  detail?: string;
}

export const genesisHash = '0'.repeat(64);

/** The hash of an entry: its content in a fixed field order, chained to the previous hash. */
export function auditHash(entry: Omit<AuditEntryRecord, 'hash'> & { _id: string }): string {
  const canonical = JSON.stringify([
    entry._id,
    entry.serial,
    new Date(entry.at).toISOString(),
    entry.actor?.userId ?? null,
    entry.actor?.name ?? null,
    entry.actor?.role ?? null,
    entry.actor?.regionCode ?? null,
    entry.actor?.unitId ?? null,
    entry.ip ?? null,
    entry.action,
    entry.caseId ?? null,
    entry.result,
    entry.detail ?? null,
    entry.prevHash,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

/** The audit chain's head in `sequence_heads`: serial and hash of the last appended entry. */
export const auditSequence = 'audit';

/**
 * Appends to the one global chain through its head document (models/sequence-append.ts): every
 * read is by `_id`, so an append costs the same however long the chain is, and a writer that
 * loses the race for the next serial learns so from the unique index and tries the next one.
 */
export async function appendAudit(append: AuditAppend): Promise<void> {
  await appendToSequence<AuditEntryRecord & { _id: string }>({
    model: AuditEntryModel,
    sequence: auditSequence,
    scope: {},
    id: append.key,
    hashOf: (entry) => entry.hash,
    build: (serial, previousHash) => {
      const entry = {
        _id: append.key,
        serial,
        at: append.at,
        actor: append.actor,
        ip: append.ip,
        action: append.action,
        caseId: append.caseId,
        result: append.result,
        detail: append.detail,
        prevHash: previousHash ?? genesisHash,
      };
      return { ...entry, hash: auditHash(entry as never) } as never;
    },
  });
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** The first entry whose content, link or serial does not hold, and why. */
  firstBreak?: { serial: number; entryId?: string; reason: string };
}

/** Walks the whole chain in serial order; reports the first edited, deleted or reordered entry. */
export async function verifyAuditChain(): Promise<ChainVerification> {
  let previousHash = genesisHash;
  let expectedSerial = 1;
  let checked = 0;
  const cursor = AuditEntryModel.find().sort({ serial: 1 }).lean().cursor();
  for await (const entry of cursor) {
    const record = entry as unknown as AuditEntryRecord & { _id: string };
    if (record.serial !== expectedSerial) {
      return { ok: false, checked, firstBreak: { serial: expectedSerial, reason: `entry ${expectedSerial} is missing (found ${record.serial} next)` } };
    }
    if (record.prevHash !== previousHash) {
      return { ok: false, checked, firstBreak: { serial: record.serial, entryId: record._id, reason: 'link to the previous entry is broken' } };
    }
    if (auditHash(record) !== record.hash) {
      return { ok: false, checked, firstBreak: { serial: record.serial, entryId: record._id, reason: 'content does not match its hash (edited)' } };
    }
    previousHash = record.hash;
    expectedSerial += 1;
    checked += 1;
  }
  // The head names the last entry appended, so a deleted tail is noticed too.
  const head = await SequenceHeadModel.findById(auditSequence).lean();
  if (head && head.serial >= expectedSerial) {
    return { ok: false, checked, firstBreak: { serial: expectedSerial, reason: `entry ${expectedSerial} is missing (the chain's head is at ${head.serial})` } };
  }
  return { ok: true, checked };
}
