import { createHash } from 'node:crypto';
import { AuditEntryModel, type AuditEntryRecord } from '../models/audit-entry.model';
import { insertWithNextSerial } from '../models/serial-allocation';

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

export async function appendAudit(append: AuditAppend): Promise<void> {
  await insertWithNextSerial<AuditEntryRecord & { _id: string }>({
    model: AuditEntryModel,
    scope: {},
    idempotency: { _id: append.key },
    build: (serial, previous) => {
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
        prevHash: previous?.hash ?? genesisHash,
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
  return { ok: true, checked };
}
