// What intake registration keeps besides the case: the content each idempotency key was first
// sent with, intakes merged into another case, the dedupe log and the case-number sequences.
import type { DedupeCandidate } from '../domain/dedupe';
import { isDuplicateKey } from '../models/duplicate-key';
import { CaseNumberModel, DedupeClaimModel, IntakeKeyModel, MergedIntakeModel } from '../models/intake.model';
import { appendToSequence } from '../models/sequence-append';
import { insertIgnoringDuplicates } from './insert-ignoring-duplicates';

export interface IntakeKey {
  caseId: string;
  channel: string;
  idempotencyKey: string;
  contentFingerprint: string;
}

/** Records what the key was first sent with; a later record under the same case id is ignored. */
export async function recordIntakeKey(key: IntakeKey): Promise<void> {
  await insertIgnoringDuplicates(IntakeKeyModel, [
    { _id: key.caseId, channel: key.channel, idempotencyKey: key.idempotencyKey, contentFingerprint: key.contentFingerprint },
  ]);
}

/** The content fingerprint the intake of `caseId` was first sent with, if recorded. */
export async function findIntakeFingerprint(caseId: string): Promise<string | undefined> {
  const key = await IntakeKeyModel.findById(caseId).lean();
  return key?.contentFingerprint;
}

export interface MergedIntake {
  caseId: string;
  channel: string;
  idempotencyKey: string;
  mergedInto: { caseId: string; caseNo: string };
}

export async function recordMergedIntake({ caseId, channel, idempotencyKey, mergedInto }: MergedIntake): Promise<void> {
  await insertIgnoringDuplicates(MergedIntakeModel, [
    { _id: caseId, channel, idempotencyKey, mergedIntoCaseId: mergedInto.caseId, mergedIntoCaseNo: mergedInto.caseNo },
  ]);
}

/** The case the intake of `caseId` was merged into, if it was. */
export async function findMergedInto(caseId: string): Promise<{ caseId: string; caseNo: string } | undefined> {
  const merged = await MergedIntakeModel.findById(caseId).lean();
  return merged ? { caseId: merged.mergedIntoCaseId, caseNo: merged.mergedIntoCaseNo } : undefined;
}

/**
 * Gives `caseId` the next serial of `scope` (one sequence per county and year, appended through
 * its head document by `_id`) and returns the number `formatCaseNo` makes of it. Asking again
 * for the same case returns its number.
 */
export async function takeCaseNumber(caseId: string, scope: string, formatCaseNo: (serial: number) => string): Promise<string> {
  const numbered = await appendToSequence<{ _id: string; serial: number; caseNo: string }>({
    model: CaseNumberModel,
    sequence: `case-no:${scope}`,
    scope: { scope },
    id: caseId,
    build: (serial) => ({ _id: caseId, caseId, scope, serial, caseNo: formatCaseNo(serial) }),
  });
  return numbered.caseNo;
}

/** The number taken for `caseId`, if any. */
export async function findTakenCaseNo(caseId: string): Promise<string | undefined> {
  const numbered = await CaseNumberModel.findById(caseId).select({ caseNo: 1 }).lean();
  return numbered?.caseNo || undefined;
}

// --- the dedupe log: `_id` = `<scope>#<serial>` (see models/intake.model.ts) ---

export interface DedupeClaim {
  scope: string;
  serial: number;
  caseId: string;
  category: string;
  creditCode?: string;
  lng?: number;
  lat?: number;
  receivedAt: string;
  createdAt: Date;
}

export function dedupeClaimId(scope: string, serial: number): string {
  return `${scope}#${serial}`;
}

/** The id of the entry `caseId` holds in the log of `scope`, if any. */
export async function findOwnDedupeClaim(scope: string, caseId: string): Promise<string | undefined> {
  const own = await DedupeClaimModel.findOne({ scope, caseId }).select({ _id: 1 }).lean();
  return own ? String(own._id) : undefined;
}

/** The serial of the last entry of the log of `scope`, 0 if it is empty. */
export async function lastDedupeSerial(scope: string): Promise<number> {
  const last = await DedupeClaimModel.findOne({ scope }).sort({ serial: -1 }).select({ serial: 1 }).lean();
  return last?.serial ?? 0;
}

/** Appends the entry; false if another intake took its serial first. */
export async function appendDedupeClaim(claim: DedupeClaim): Promise<boolean> {
  try {
    await DedupeClaimModel.create({ _id: dedupeClaimId(claim.scope, claim.serial), ...claim });
    return true;
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    return false;
  }
}

export async function setDedupeClaimCaseNo(claimId: string, caseNo: string): Promise<void> {
  await DedupeClaimModel.updateOne({ _id: claimId }, { $set: { caseNo } });
}

/** Entries of `scope` made since `since` by cases other than `exceptCaseId`, as dedupe candidates. */
export async function listRecentDedupeClaims(scope: string, since: Date, exceptCaseId: string): Promise<DedupeCandidate[]> {
  const recent = await DedupeClaimModel.find({ scope, createdAt: { $gte: since }, caseId: { $ne: exceptCaseId } }).lean();
  return recent.map((claim) => ({
    caseId: claim.caseId,
    caseNo: claim.caseNo ?? '',
    category: claim.category as DedupeCandidate['category'],
    creditCode: claim.creditCode,
    lng: claim.lng,
    lat: claim.lat,
    receivedAt: claim.receivedAt,
  }));
}

/** The case number the log entry of `caseId` in `scope` carries, if set yet. */
export async function findClaimedCaseNo(scope: string, caseId: string): Promise<string | undefined> {
  const claim = await DedupeClaimModel.findOne({ scope, caseId }).select({ caseNo: 1 }).lean();
  return claim?.caseNo || undefined;
}
