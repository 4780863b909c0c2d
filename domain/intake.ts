// Rules an intake must meet before it may take a case number: what counts as "the same intake"
// for an idempotency key, and how far its receipt time may lie from the moment it is entered.
import type { IntakeInput } from './case';
import type { CaseContext } from './case-clocks';
import { registerCase } from './case-machine';
import { DomainError } from './errors';
import type { Role } from './roles';

/**
 * The intake's content as one canonical string (keys sorted, idempotency key left out): two
 * sends of the same content give the same string, any edit gives another. `receivedAt` counts
 * only when the sender set it, so a resend without it is still the same intake.
 */
export function intakeContent(intake: object): string {
  const { idempotencyKey: _key, contentFingerprint: _fingerprint, attachments, ...content } = intake as Partial<IntakeInput>;
  // An attachment is its bytes (sha256), not where a particular upload stored them.
  const files = (attachments ?? []).map(({ name, contentType, sha256 }) => ({ name, contentType, sha256 }));
  return canonicalJson({ ...content, attachments: files });
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** How far `receivedAt` may lie from the moment the intake is entered. */
export interface ReceiptTimeRule {
  /** Clocks of sending systems run a little fast or slow. */
  futureSkewMinutes: number;
  /** Entering a receipt older than this (natural days) is a late entry (补录). */
  lateEntryDays: number;
  /** Who may make a late entry; they must give a reason. */
  lateEntryRoles: readonly Role[];
}

/** 政策默认 (可配置): a week covers a weekend and a holiday; older receipts open clocks that are already overdue. */
export const defaultReceiptTimeRule: ReceiptTimeRule = { futureSkewMinutes: 5, lateEntryDays: 7, lateEntryRoles: ['supervisor'] };

/**
 * Throws a DomainError when `receivedAt` may not be entered now by `role`: in the future beyond
 * the skew, or older than the late-entry window without a supervisor and a reason. A late entry
 * backdates every clock of the case (the acceptance notice may be overdue at once), so it is a
 * supervisor's decision, on record.
 */
export function assertReceiptTimeAllowed(
  input: { receivedAt: string; lateEntryReason?: string; role: Role; now: string },
  rule: ReceiptTimeRule = defaultReceiptTimeRule,
): void {
  const received = Date.parse(input.receivedAt);
  const now = Date.parse(input.now);
  if (Number.isNaN(received)) throw new DomainError('InvalidInput', '受理时间格式不正确', { field: 'receivedAt' });
  if (received > now + rule.futureSkewMinutes * 60_000) {
    throw new DomainError('InvalidInput', `受理时间不能晚于当前时间（允许误差 ${rule.futureSkewMinutes} 分钟）`, { field: 'receivedAt' });
  }
  if (received >= now - rule.lateEntryDays * 86_400_000) return;
  if (!rule.lateEntryRoles.includes(input.role)) {
    throw new DomainError('NotPermitted', `受理时间早于 ${rule.lateEntryDays} 日前，属补录，须由负责人登记并说明补录原因`, { field: 'receivedAt' });
  }
  if (!input.lateEntryReason?.trim()) {
    throw new DomainError('InvalidInput', `受理时间早于 ${rule.lateEntryDays} 日前，属补录，须说明补录原因`, { field: 'lateEntryReason' });
  }
}

/**
 * Registers the intake on a scratch case and throws what registering would throw (a receipt
 * date outside the holiday calendar, a period that cannot be computed), so the intake is refused
 * before it takes a case number, not after.
 */
export function assertIntakeRegistrable(intake: IntakeInput, now: string, context: CaseContext): void {
  registerCase(
    { caseId: 'check', caseNo: 'check', intake, countyCode: intake.location.regionCode, cityCode: '', agencyCode: '', agencyName: '' },
    now,
    context,
  );
}

/** The refusal of an idempotency key resent with another content, naming the case it made. */
export function keyReusedMessage(idempotencyKey: string, caseNo: string): string {
  const made = caseNo ? `案件 ${caseNo}` : '另一件正在登记的事项';
  return `幂等键“${idempotencyKey}”已用于登记${made}，本次内容与其不同，未予登记；如为新的事项，请使用新的幂等键（页面请刷新后重新填写）`;
}
