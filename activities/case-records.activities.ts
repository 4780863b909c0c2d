import { DomainError } from '../domain/errors';
import { canBeRepeated, findRepeatOf, type DedupeCandidate } from '../domain/dedupe';
import type { IntakeInput } from '../domain/case';
import { findRegion, issuingAgencyCode, regionPath, responsibleCounty } from '../domain/regions';
import { CaseEventModel } from '../models/case-event.model';
import { CaseModel } from '../models/case.model';
import { CaseStateModel } from '../models/case-state.model';
import { CaseNumberModel, DedupeClaimModel, IntakeKeyModel, MergedIntakeModel, NotificationModel } from '../models/intake.model';
import { appendToSequence } from '../models/sequence-append';
import { isDuplicateKey } from '../models/duplicate-key';
import { appendAudit } from '../read-model/audit-chain';
import type { CaseActivities } from './case-activities.types';
import { openCaseStatuses } from '../domain/case-lifecycle';
import { caseListKey, caseListKeys } from '../domain/list-keys';
import { projectTask, taskRowFields, undatedSortKey, upsertIfNewer } from '../read-model/projection-writes';
import { regionScope } from '../read-model/region-scope';


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
        await insertIgnoringDuplicates(IntakeKeyModel, [
          { _id: caseId, channel: intake.channel, idempotencyKey: intake.idempotencyKey, contentFingerprint: intake.contentFingerprint },
        ]);
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
      // One sequence per county and year, appended through its head document by `_id`.
      const numbered = await appendToSequence<{ _id: string; serial: number; caseNo: string }>({
        model: CaseNumberModel,
        sequence: `case-no:${scope}`,
        scope: { scope },
        id: caseId,
        build: (serial) => ({
          _id: caseId,
          caseId,
          scope,
          serial,
          caseNo: `${county.code}-${year}-${String(serial).padStart(5, '0')}`,
        }),
      });
      if (decision.claimId) await DedupeClaimModel.updateOne({ _id: decision.claimId }, { $set: { caseNo: numbered.caseNo } });
      return { caseNo: numbered.caseNo, jurisdiction };
    },

    async projectCase({ state, events }) {
      const scope = regionScope(state.location.regionCode);
      const runningDues = Object.values(state.clocks)
        .filter((clock) => clock?.status === 'running')
        .map((clock) => clock!.dueAt)
        .sort();
      const nextDueAt = runningDues[0];
      const caseDoc = {
        caseNo: state.caseNo,
        revision: state.revision,
        status: state.status,
        channel: state.channel,
        category: state.category,
        description: state.description,
        address: state.location.address,
        regionCode: state.location.regionCode,
        lng: state.location.coordinates?.lng,
        lat: state.location.coordinates?.lat,
        subjectName: state.subject?.name,
        creditCode: state.subject?.creditCode,
        reporter: state.reporter,
        countyCode: state.countyCode,
        scope,
        assignedUnitKind: state.assignedUnit?.kind,
        assignedUnitRegion: state.assignedUnit?.regionCode,
        outcome: state.outcome,
        escalationLevel: state.escalationLevel,
        nextDueAt: nextDueAt ? new Date(nextDueAt) : undefined,
        sortDue: nextDueAt ? new Date(nextDueAt) : undatedSortKey,
        listKeys: caseListKeys({ regionCode: state.location.regionCode, status: state.status }),
        overdue: Object.values(state.clocks).some((clock) => clock?.status === 'running' && clock.escalationLevel > 0),
        clocks: Object.values(state.clocks),
        relatedComplaints: state.relatedComplaints,
        documents: state.documents,
        idempotencyKey: state.idempotencyKey,
        receivedAt: new Date(state.receivedAt),
        closedAt: state.closure?.approvedAt ? new Date(state.closure.approvedAt) : undefined,
      };
      // The state first, so a case that lists always has its state; `cases` stays lean (and a
      // copy of the state an older projection kept there is dropped).
      await upsertIfNewer(CaseStateModel, state.caseId, state.revision, { state });
      await upsertIfNewer(CaseModel, state.caseId, state.revision, caseDoc, ['state']);

      await Promise.all(
        state.tasks.map((task) =>
          projectTask(task.taskId, state.revision, {
            caseId: state.caseId,
            caseNo: state.caseNo,
            ...taskRowFields(task),
            assigneeId: task.assigneeId,
            assigneeName: task.assigneeName,
            caseStatus: state.status,
            category: state.category,
            summary: state.description.slice(0, 80),
          }),
        ),
      );
      // Tasks dropped from the state by continue-as-new were closed before; nothing to do.

      if (events.length > 0) {
        await insertIgnoringDuplicates(
          CaseEventModel,
          events.map((event) => ({
            _id: `${state.caseId}:${event.seq}`,
            caseId: state.caseId,
            seq: event.seq,
            at: new Date(event.at),
            type: event.type,
            summary: event.summary,
            actor: event.actor,
            data: event.data,
          })),
        );
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
      await insertIgnoringDuplicates(MergedIntakeModel, [
        { _id: caseId, channel, idempotencyKey, mergedIntoCaseId: mergedInto.caseId, mergedIntoCaseNo: mergedInto.caseNo },
      ]);
    },

    async notify({ key, caseId, caseNo, role, regionCode, message }) {
      await insertIgnoringDuplicates(NotificationModel, [{ _id: key, caseId, caseNo, role, regionCode, message }]);
    },
  };
}

function agencyNameOf(countyCode: string): string {
  const path = regionPath(countyCode) ?? [];
  const county = path[path.length - 1];
  const city = path.find((region) => region.level === 'city');
  return county && city ? `${city.name}${county.name}生态环境局` : '福建省生态环境厅';
}

async function insertIgnoringDuplicates(model: typeof CaseEventModel | typeof MergedIntakeModel | typeof NotificationModel | typeof IntakeKeyModel, docs: Record<string, unknown>[]): Promise<void> {
  try {
    await (model as typeof CaseEventModel).insertMany(docs, { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { code?: number; err?: { code?: number } }[] }).writeErrors;
    const allDuplicates = writeErrors?.every((writeError) => (writeError.code ?? writeError.err?.code) === 11000);
    if (!isDuplicateKey(error) && !allDuplicates) throw error;
  }
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
    const own = await DedupeClaimModel.findOne({ scope, caseId }).select({ _id: 1 }).lean();
    if (own) return { claimId: String(own._id) };
    const last = await DedupeClaimModel.findOne({ scope }).sort({ serial: -1 }).select({ serial: 1 }).lean();
    const serial = (last?.serial ?? 0) + 1;
    const candidates = await dedupeCandidates(caseId, intake, countyCode, scope);
    const repeat = findRepeatOf(intake, candidates);
    if (repeat) return { repeatOf: { caseId: repeat.caseId, caseNo: repeat.caseNo || (await numberOfClaimOwner(scope, repeat.caseId)) } };
    // Nothing can repeat an intake with neither a place nor a credit code: no entry needed.
    if (!canBeRepeated(intake)) return {};
    const claimId = `${scope}#${serial}`;
    try {
      await DedupeClaimModel.create({
        _id: claimId,
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
      return { claimId };
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 20));
  }
  throw new Error(`dedupe log ${scope} stayed contended`);
}

async function dedupeCandidates(caseId: string, intake: IntakeInput, countyCode: string, scope: string): Promise<DedupeCandidate[]> {
  // Equalities only, so FerretDB pages in PostgreSQL; one more than the window, as this case
  // itself may already be listed.
  const open = (
    await CaseModel.find({ listKeys: caseListKey({ level: 'county', code: countyCode }, { kind: 'open' }), category: intake.category })
      .select({ _id: 1, caseNo: 1, category: 1, creditCode: 1, lng: 1, lat: 1, receivedAt: 1 })
      .sort({ receivedAt: -1, _id: 1 })
      .limit(501)
      .lean()
  )
    .filter((candidate) => String(candidate._id) !== caseId)
    .slice(0, 500);
  const candidates = open.map(
    (candidate): DedupeCandidate => ({
      caseId: String(candidate._id),
      caseNo: candidate.caseNo,
      category: candidate.category as DedupeCandidate['category'],
      creditCode: candidate.creditCode,
      lng: candidate.lng,
      lat: candidate.lat,
      receivedAt: new Date(candidate.receivedAt).toISOString(),
    }),
  );
  const recent = await DedupeClaimModel.find({ scope, createdAt: { $gte: new Date(Date.now() - pendingClaimMs) }, caseId: { $ne: caseId } }).lean();
  if (recent.length === 0) return candidates;
  // A claim stands for its case until the case's row answers the open-case query above: a row
  // that exists but is still being written (no status yet) must not hide the claim, or a twin
  // arriving in that moment finds neither and becomes a second case.
  const listed = new Set(candidates.map((candidate) => candidate.caseId));
  const ended = new Set(
    (await CaseModel.find({ _id: { $in: recent.map((claim) => claim.caseId) }, status: { $nin: openCaseStatuses, $exists: true } }).select({ _id: 1 }).lean()).map((row) =>
      String(row._id),
    ),
  );
  for (const claim of recent) {
    if (listed.has(claim.caseId) || ended.has(claim.caseId)) continue;
    candidates.push({
      caseId: claim.caseId,
      caseNo: claim.caseNo ?? '',
      category: claim.category as DedupeCandidate['category'],
      creditCode: claim.creditCode,
      lng: claim.lng,
      lat: claim.lat,
      receivedAt: claim.receivedAt,
    });
  }
  return candidates;
}

/** The number of a case still being registered: its owner sets it right after taking it. */
async function numberOfClaimOwner(scope: string, caseId: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const claim = await DedupeClaimModel.findOne({ scope, caseId }).select({ caseNo: 1 }).lean();
    if (claim?.caseNo) return claim.caseNo;
    const numbered = await CaseNumberModel.findById(caseId).select({ caseNo: 1 }).lean();
    if (numbered?.caseNo) return numbered.caseNo;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Retried by the activity's policy: the owner may be between its log entry and its number.
  throw new Error(`case ${caseId} has no number yet`);
}
