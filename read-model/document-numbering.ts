import type { DocumentModels, DocumentRecord } from '../models/document.model';
import { formatDocumentNumber, kindCodeOf, type DocumentKind } from '../domain/documents';
import { isDuplicateKey } from '../models/duplicate-key';

/** Everything a reservation records except the number, which is allocated here. */
export interface DocumentReservation {
  caseId: string;
  caseNo: string;
  kind: DocumentKind;
  occasion: string;
  agencyCode: string;
  agencyName: string;
  year: number;
  title: string;
  templateVersion: string;
  fieldsJson: string;
  issuedAt: Date;
  issuedBy?: string;
}

export interface ReservedDocument {
  record: DocumentRecord;
  /** False when (case, kind, occasion) already had a record: a retry or a concurrent twin. */
  created: boolean;
}

/** Gave up after many lost races for the next number; retryable, the sequence is intact. */
export class NumberAllocationContendedError extends Error {
  override readonly name = 'NumberAllocationContendedError';
}

export interface ReserveOptions {
  maxAttempts?: number;
  /** Serialises callers of this process per sequence; optional, only cuts lost races. */
  locks?: SequenceLocks;
}

/**
 * Takes the next number of (agency, kind, year) for (case, kind, occasion), or returns the
 * record that occasion already holds.
 *
 * Correct by construction, without transactions or an atomic $inc (FerretDB has neither):
 * read the highest serial, insert n+1. The unique index on (agency, kind, year, serial) lets
 * exactly one of several racing inserts of n+1 succeed; the losers see a duplicate key and
 * read again. The unique index on (case, kind, occasion) makes a retried or doubled call land
 * on the same record. Only an inserted record consumes a number, and records are never
 * deleted, so the sequence has no gaps and no reuse. Works the same on MongoDB.
 */
export async function reserveDocumentNumber(
  models: DocumentModels,
  reservation: DocumentReservation,
  options: ReserveOptions = {},
): Promise<ReservedDocument> {
  await models.ready();
  const { Document } = models;
  const occasionKey = { caseId: reservation.caseId, kind: reservation.kind, occasion: reservation.occasion };
  const sequenceKey = { agencyCode: reservation.agencyCode, kind: reservation.kind, year: reservation.year };
  const maxAttempts = options.maxAttempts ?? 200;

  const attempt = async (): Promise<ReservedDocument> => {
    for (let tries = 0; tries < maxAttempts; tries += 1) {
      const existing = await Document.findOne(occasionKey).lean<DocumentRecord>();
      if (existing) return { record: existing, created: false };

      const last = await Document.findOne(sequenceKey)
        .sort({ serial: -1 })
        .select({ serial: 1 })
        .lean<Pick<DocumentRecord, 'serial'>>();
      const serial = (last?.serial ?? 0) + 1;
      const docNo = formatDocumentNumber({
        agencyCode: reservation.agencyCode,
        kindCode: kindCodeOf(reservation.kind),
        year: reservation.year,
        serial,
      });
      try {
        const created = await Document.create({ ...reservation, serial, docNo, status: 'rendering' });
        return { record: created.toObject<DocumentRecord>(), created: true };
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        // Someone took n+1 (or this very occasion): look again after a short, jittered pause so
        // that racing callers spread out instead of colliding in lockstep.
        await delay(Math.random() * Math.min(40, 2 + tries * 2));
      }
    }
    throw new NumberAllocationContendedError(
      `no number for ${reservation.agencyCode}/${reservation.kind}/${reservation.year} after ${maxAttempts} attempts`,
    );
  };

  const lockKey = `${reservation.agencyCode}\u0000${reservation.kind}\u0000${reservation.year}`;
  return options.locks ? options.locks.run(lockKey, attempt) : attempt();
}

export { isDuplicateKey };

/**
 * Per-key promise chains: callers in one process take turns on a sequence, so with one worker
 * nobody loses a race at all. Other processes are still handled by the unique index.
 */
export class SequenceLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
