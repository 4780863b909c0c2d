import { createHash } from 'node:crypto';
import type { AuditHead, HeadReading } from '../domain/audit-anchor';
import { chineseDateTime } from '../domain/timeline';
import { AuditEntryModel, type AuditEntryRecord } from '../models/audit-entry.model';
import { appendToSequence, SequenceHeadModel, SequenceSlotModel } from '../models/sequence-append';

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
 * Lone surrogates become U+FFFD, as BSON stores them, and so does NUL, which PostgreSQL's jsonb
 * (under FerretDB) cannot store at all: what is hashed is what is stored, on every backend.
 */
export function wellFormed(value: string): string {
  return (value as string & { toWellFormed(): string }).toWellFormed().replaceAll('\u0000', '\uFFFD');
}

function wellFormedAppend(append: AuditAppend): AuditAppend {
  const text = (value: string | undefined) => (value === undefined ? undefined : wellFormed(value));
  const actor = append.actor && {
    userId: wellFormed(append.actor.userId),
    name: wellFormed(append.actor.name),
    role: wellFormed(append.actor.role),
    regionCode: wellFormed(append.actor.regionCode),
    unitId: text(append.actor.unitId),
  };
  return { ...append, key: wellFormed(append.key), actor, ip: text(append.ip), action: wellFormed(append.action), caseId: text(append.caseId), detail: text(append.detail) };
}

/**
 * Appends to the one global chain through its head document (models/sequence-append.ts): every
 * read is by `_id`, so an append costs the same however long the chain is, and a writer that
 * loses the race for the next serial learns so from the unique index and tries the next one.
 * Every entry is built here, from well-formed text only.
 */
export async function appendAudit(raw: AuditAppend): Promise<void> {
  const append = wellFormedAppend(raw);
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

export type ChainBreakKind = 'edited' | 'link' | 'missing' | 'anchor';

export interface ChainBreak {
  serial: number;
  entryId?: string;
  /** edited: content no longer matches its hash; link: prevHash is not the previous hash;
   * missing: serials deleted; anchor: the chain disagrees with its anchors outside MongoDB. */
  kind: ChainBreakKind;
  reason: string;
}

/** A head recorded outside MongoDB: by the anchor workflow, or signed for a day. */
export interface AnchorRef {
  serial: number;
  hash: string;
  at: string;
  source: 'workflow' | 'signed';
}

export interface AnchorCheck {
  checked: number;
  matched: number;
  failed: number;
  /** The highest anchor the chain still matches below the first one it does not. */
  lastGood?: AnchorRef;
  /** The first entry after the last good anchor: where rewriting or deletion may begin. */
  firstSuspect?: { serial: number; entryId?: string };
}

export interface ChainVerification {
  ok: boolean;
  checked: number;
  /** Every break, in serial order, up to `maxBreaks`; `breakCount` counts them all. */
  breaks: ChainBreak[];
  breakCount: number;
  /** The first break (the lowest serial), as before breaks were all reported. */
  firstBreak?: ChainBreak;
  anchorCheck?: AnchorCheck;
}

export interface VerifyOptions {
  anchors?: AnchorRef[];
  /** Tampering the anchor workflow itself saw: `{ serial, at, found }` of an anchored entry. */
  conflicts?: { serial: number; at: string; gone: boolean }[];
  /** Breaks found beyond the ones listed (kept conflicts are bounded). */
  extraBreakCount?: number;
  maxBreaks?: number;
}

/**
 * Streams the whole chain in serial order (memory bounded by the anchors, not the chain) and
 * reports every edited, unlinked or deleted entry, then every anchor the chain no longer matches.
 * Each check stands on the stored entries alone: an edited entry is one break, not a cascade,
 * because the next entry's link is checked against the stored hash before it.
 */
export async function verifyAuditChain(options: VerifyOptions = {}): Promise<ChainVerification> {
  const maxBreaks = options.maxBreaks ?? 1000;
  const breaks: ChainBreak[] = [];
  let breakCount = options.extraBreakCount ?? 0;
  const report = (found: ChainBreak) => {
    breakCount += 1;
    if (breaks.length < maxBreaks) breaks.push(found);
  };

  const anchors = options.anchors ?? [];
  const anchorsAt = new Map<number, AnchorRef[]>();
  for (const anchor of anchors) anchorsAt.set(anchor.serial, [...(anchorsAt.get(anchor.serial) ?? []), anchor]);
  const idsWanted = new Set<number>([1, ...anchors.flatMap((anchor) => [anchor.serial, anchor.serial + 1])]);
  const idAt = new Map<number, string>();
  const storedHashAt = new Map<AnchorRef, string>();

  let previousHash = genesisHash;
  let expectedSerial = 1;
  let checked = 0;
  const cursor = AuditEntryModel.find().sort({ serial: 1 }).lean().cursor({ batchSize: 500 });
  for await (const entry of cursor) {
    const record = entry as unknown as AuditEntryRecord & { _id: string };
    let linkCheckable = true;
    if (record.serial > expectedSerial) {
      const last = record.serial - 1;
      report({ serial: expectedSerial, kind: 'missing', reason: last === expectedSerial ? `第 ${expectedSerial} 条缺失（被删除）` : `第 ${expectedSerial}–${last} 条缺失（被删除）` });
      linkCheckable = false;
    }
    if (linkCheckable && record.prevHash !== previousHash) {
      report({ serial: record.serial, entryId: record._id, kind: 'link', reason: `第 ${record.serial} 条与前一条的链接断开（前序哈希不符）` });
    }
    if (auditHash(record) !== record.hash) {
      // Entries written before text was made well-formed were hashed over a lone surrogate that
      // the database stored as U+FFFD: say so, the operator should not take them for an edit.
      const legacy = JSON.stringify(record).includes('\ufffd') ? '；含替换字符 U+FFFD，可能是修复前写入的含无效字符的记录' : '';
      report({ serial: record.serial, entryId: record._id, kind: 'edited', reason: `第 ${record.serial} 条的内容与其哈希不符（被修改${legacy}）` });
    }
    for (const anchor of anchorsAt.get(record.serial) ?? []) storedHashAt.set(anchor, record.hash);
    if (idsWanted.has(record.serial)) idAt.set(record.serial, record._id);
    previousHash = record.hash;
    expectedSerial = record.serial + 1;
    checked += 1;
  }
  // The head names the last entry appended, so a deleted tail is noticed too (unless the head
  // was moved back as well: that is what the anchors are for).
  const head = await SequenceHeadModel.findById(auditSequence).lean();
  if (head && head.serial >= expectedSerial) {
    report({ serial: expectedSerial, kind: 'missing', reason: head.serial === expectedSerial ? `第 ${expectedSerial} 条缺失（链头在第 ${head.serial} 条）` : `第 ${expectedSerial}–${head.serial} 条缺失（链头在第 ${head.serial} 条）` });
  } else if (head && head.serial === expectedSerial - 1 && head.hash && head.hash !== previousHash) {
    report({ serial: head.serial, entryId: idAt.get(head.serial), kind: 'link', reason: `链头记录的哈希与第 ${head.serial} 条不符` });
  }

  for (const conflict of options.conflicts ?? []) {
    report({ serial: conflict.serial, kind: 'anchor', reason: `锚定工作流于 ${chineseDateTime(conflict.at)} 发现已锚定的第 ${conflict.serial} 条${conflict.gone ? '已被删除' : '的哈希被改写'}` });
  }

  let anchorCheck: AnchorCheck | undefined;
  if (anchors.length > 0) {
    const failed = anchors.filter((anchor) => storedHashAt.get(anchor) !== anchor.hash).sort((a, b) => a.serial - b.serial);
    const firstFailed = failed[0];
    const good = anchors.filter((anchor) => storedHashAt.get(anchor) === anchor.hash && (!firstFailed || anchor.serial < firstFailed.serial));
    const lastGood = good.sort((a, b) => a.serial - b.serial).at(-1);
    anchorCheck = { checked: anchors.length, matched: anchors.length - failed.length, failed: failed.length, lastGood };
    if (firstFailed) {
      const serial = (lastGood?.serial ?? 0) + 1;
      anchorCheck.firstSuspect = { serial, entryId: idAt.get(serial) };
      report({
        serial,
        entryId: idAt.get(serial),
        kind: 'anchor',
        reason: lastGood
          ? `最后一个相符的锚点是第 ${lastGood.serial} 条（${chineseDateTime(lastGood.at)}）；自第 ${serial} 条起与锚点不符，可能被改写或删除`
          : `没有相符的锚点；自第 ${serial} 条起与锚点不符，可能被改写或删除`,
      });
      for (const anchor of failed) {
        const source = anchor.source === 'signed' ? '签名链头' : '锚点';
        report({
          serial: anchor.serial,
          entryId: idAt.get(anchor.serial),
          kind: 'anchor',
          reason: storedHashAt.has(anchor)
            ? `第 ${anchor.serial} 条的哈希与 ${anchor.at} 的${source}不符（哈希被改写）`
            : `${anchor.at} 的${source}记录的第 ${anchor.serial} 条已不存在（被删除或链头被回退）`,
        });
      }
    }
  }

  breaks.sort((a, b) => a.serial - b.serial);
  return { ok: breakCount === 0, checked, breaks, breakCount, firstBreak: breaks[0], anchorCheck };
}

/** The entry holding `serial` by its slot (a read by `_id`), or by its serial if the slot is gone. */
async function storedAt(serial: number): Promise<AuditHead | null> {
  const slot = await SequenceSlotModel.findById(`${auditSequence}#${serial}`).lean();
  let entry: { serial: number; hash: string } | null = slot ? await AuditEntryModel.findById(slot.ref, { serial: 1, hash: 1 }).lean() : null;
  if (!entry || entry.serial !== serial) entry = await AuditEntryModel.findOne({ serial }, { serial: 1, hash: 1 }).lean();
  return entry ? { serial: entry.serial, hash: entry.hash } : null;
}

/**
 * The chain's head, read as the entry it names (its stored hash, not the head document's copy,
 * so a head document edited on its own is not anchored), and whether `previous` still holds.
 */
export async function readAuditChainHead(previous?: AuditHead): Promise<HeadReading> {
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
}
