import { DomainError } from '../domain/errors';
import { canBeRepeated, findRepeatOf, type DedupeCandidate } from '../domain/dedupe';
import type { IntakeInput } from '../domain/case';
import { findRegion, issuingAgencyCode, regionPath, responsibleCounty } from '../domain/regions';
import { appendAudit } from '../read-model/audit-chain';
import { listEndedCaseIds, listOpenDedupeCandidates, saveCaseRow, saveCaseTaskRows } from '../read-model/cases.repository';
import { saveCaseState } from '../read-model/case-state.repository';
import {
  appendDedupeClaim,
  dedupeClaimId,
  findClaimedCaseNo,
  findOwnDedupeClaim,
  findTakenCaseNo,
  lastDedupeSerial,
  listRecentDedupeClaims,
  recordIntakeKey,
  recordMergedIntake,
  setDedupeClaimCaseNo,
  takeCaseNumber,
} from '../read-model/intake.repository';
import { saveNotification } from '../read-model/notifications.repository';
import { appendTimelineEntries } from '../read-model/timeline.repository';
import type { CaseActivities } from './case-activities.types';

/** Activities that keep the read model (cases, tasks, timeline, trace) in step with the workflow. */
export function createCaseRecordActivities(): Omit<CaseActivities, 'issueCaseDocument'> {
  return {
    async prepareIntake({ caseId, intake }) {
      const county = responsibleCounty(intake.location.regionCode);
      const city = county?.parentCode ? findRegion(county.parentCode) : undefined;
      if (!county || !city) {
        throw new DomainError('InvalidInput', `未知或非县级以下行政区划：${intake.location.regionCode}`);
      }
      if (intake.contentFingerprint) {
        await recordIntakeKey({ caseId, channel: intake.channel, idempotencyKey: intake.idempotencyKey, contentFingerprint: intake.contentFingerprint });
      }
      const jurisdiction = {
        countyCode: county.code,
        cityCode: city.code,
        agencyCode: issuingAgencyCode(county.code) ?? '闽环',
        agencyName: agencyNameOf(county.code),
      };
      const decision = await decideRepeatOrClaim(caseId, intake, county.code);
      if (decision.repeatOf) return { caseNo: '', jurisdiction, duplicateOf: decision.repeatOf };
      const year = new Date(Date.parse(intake.receivedAt) + 8 * 3_600_000).getUTCFullYear();
      const scope = `${county.code}-${year}`;
      // One sequence per county and year.
      const caseNo = await takeCaseNumber(caseId, scope, (serial) => `${county.code}-${year}-${String(serial).padStart(5, '0')}`);
      if (decision.claimId) await setDedupeClaimCaseNo(decision.claimId, caseNo);
      return { caseNo, jurisdiction };
    },

    async projectCase({ state, events }) {
      // The state first, so a case that lists always has its state.
      await saveCaseState(state);
      await saveCaseRow(state);
      await saveCaseTaskRows(state);
      // Tasks dropped from the state by continue-as-new were closed before; nothing to do.

      if (events.length > 0) {
        await appendTimelineEntries(state.caseId, events);
        for (const event of events) {
          await appendAudit({
            key: `case:${state.caseId}:${event.seq}`,
            at: new Date(event.at),
            actor: event.actor
              ? { userId: event.actor.userId, name: event.actor.name, role: event.actor.role, regionCode: event.actor.regionCode }
              : { userId: 'system', name: '系统', role: 'system', regionCode: state.countyCode },
            ip: event.actor?.ip,
            action: event.type,
            caseId: state.caseId,
            result: 'ok',
            detail: event.summary,
          });
        }
      }
    },

    async recordMergedIntake({ idempotencyKey, channel, caseId, mergedInto }) {
      await recordMergedIntake({ caseId, channel, idempotencyKey, mergedInto });
    },

    async notify({ key, caseId, caseNo, role, regionCode, message }) {
      await saveNotification({ key, caseId, caseNo, role, regionCode, message });
    },
  };
}

function agencyNameOf(countyCode: string): string {
  const path = regionPath(countyCode) ?? [];
  const county = path[path.length - 1];
  const city = path.find((region) => region.level === 'city');
  return county && city ? `${city.name}${county.name}生态环境局` : '福建省生态环境厅';
}

/** Log entries younger than this whose case is not in the read model yet are cases being registered. */
const pendingClaimMs = 60 * 60_000;

/**
 * Decides whether the intake repeats an open case, atomically for its county and category: it
 * reads the dedupe log's last entry n, decides on the open cases plus the cases still being
 * registered, and, if it is new, appends entry n+1. Two intakes that decided on the same n race
 * for n+1 by its unique `_id`; the loser decides again and now sees the winner (without this,
 * identical complaints sent together all became new cases).
 */
async function decideRepeatOrClaim(
  caseId: string,
  intake: IntakeInput,
  countyCode: string,
): Promise<{ repeatOf?: { caseId: string; caseNo: string }; claimId?: string }> {
  const scope = `${countyCode}:${intake.category}`;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const own = await findOwnDedupeClaim(scope, caseId);
    if (own) return { claimId: own };
    const serial = (await lastDedupeSerial(scope)) + 1;
    const candidates = await dedupeCandidates(caseId, intake, countyCode, scope);
    const repeat = findRepeatOf(intake, candidates);
    if (repeat) return { repeatOf: { caseId: repeat.caseId, caseNo: repeat.caseNo || (await numberOfClaimOwner(scope, repeat.caseId)) } };
    // Nothing can repeat an intake with neither a place nor a credit code: no entry needed.
    if (!canBeRepeated(intake)) return {};
    const appended = await appendDedupeClaim({
      scope,
      serial,
      caseId,
      category: intake.category,
      creditCode: intake.subject?.creditCode,
      lng: intake.location.coordinates?.lng,
      lat: intake.location.coordinates?.lat,
      receivedAt: intake.receivedAt,
      createdAt: new Date(),
    });
    if (appended) return { claimId: dedupeClaimId(scope, serial) };
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  }
  throw new Error(`dedupe log ${scope} stayed contended`);
}

async function dedupeCandidates(caseId: string, intake: IntakeInput, countyCode: string, scope: string): Promise<DedupeCandidate[]> {
  const candidates = await listOpenDedupeCandidates(countyCode, intake.category, caseId);
  const recent = await listRecentDedupeClaims(scope, new Date(Date.now() - pendingClaimMs), caseId);
  if (recent.length === 0) return candidates;
  // A claim stands for its case until the case's row answers the open-case query above: a row
  // that exists but is still being written (no status yet) must not hide the claim, or a twin
  // arriving in that moment finds neither and becomes a second case.
  const listed = new Set(candidates.map((candidate) => candidate.caseId));
  const ended = await listEndedCaseIds(recent.map((claim) => claim.caseId));
  for (const claim of recent) {
    if (listed.has(claim.caseId) || ended.has(claim.caseId)) continue;
    candidates.push(claim);
  }
  return candidates;
}

/** The number of a case still being registered: its owner sets it right after taking it. */
async function numberOfClaimOwner(scope: string, caseId: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const claimed = await findClaimedCaseNo(scope, caseId);
    if (claimed) return claimed;
    const numbered = await findTakenCaseNo(caseId);
    if (numbered) return numbered;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Retried by the activity's policy: the owner may be between its log entry and its number.
  throw new Error(`case ${caseId} has no number yet`);
}
