import mongoose, { Schema, type Model } from 'mongoose';
import { isDuplicateKey } from './duplicate-key';

/**
 * Gapless sequences addressed by `_id` only (FerretDB 1.x on SQLite pushes down nothing but a
 * lone `_id` equality, so "the highest serial" by a sorted query reads the whole collection).
 *
 * - `sequence_heads`: one document per sequence, `_id` = sequence name, `serial` and `hash` of
 *   the last record known to be appended.
 * - `sequence_slots`: `_id` = `<sequence>#<serial>`, `ref` = the `_id` of the record holding that
 *   serial, so the record n+1 is found by `_id` when the head lags behind.
 *
 * Append = read the head (n) → insert record n+1 (the model's unique index on its serial is the
 * guard: of two writers that read n, one insert wins) → write the slot → compare-and-set the
 * head from n to n+1. A writer that dies between its insert and the head update leaves the head
 * behind; the next writer's insert then collides, finds record n+1 through its slot (or, if the
 * slot is missing too, by one query on the serial) and moves the head on. No transactions and no
 * atomic $inc (FerretDB has neither): a head that a non-atomic update set back to an earlier
 * (serial, hash) pair still names a real record, so it only costs a collision and a repair.
 */
const sequenceHeadSchema = new Schema(
  {
    _id: { type: String, required: true },
    serial: { type: Number, required: true },
    hash: String,
  },
  { collection: 'sequence_heads', versionKey: false },
);
export const SequenceHeadModel = mongoose.model('SequenceHead', sequenceHeadSchema);

const sequenceSlotSchema = new Schema(
  {
    _id: { type: String, required: true },
    ref: { type: String, required: true },
  },
  { collection: 'sequence_slots', versionKey: false },
);
export const SequenceSlotModel = mongoose.model('SequenceSlot', sequenceSlotSchema);

interface Head {
  serial: number;
  hash?: string;
}

export interface SequencedRecord {
  _id: string;
  serial: number;
}

export async function appendToSequence<T extends SequencedRecord>(options: {
  // Any model: Mongoose's inferred document types do not unify across schemas.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  model: Model<any>;
  /** The head's `_id`. */
  sequence: string;
  /** Selects this sequence's records in `model` (with `serial`): for the first head and repairs. */
  scope: Record<string, unknown>;
  /** The record's `_id`, also its idempotency key: appending the same id twice records once. */
  id: string;
  /** Builds the record from its serial and the head's hash (the previous record's, if any). */
  build: (serial: number, previousHash: string | undefined) => T;
  /** What the head keeps of a record besides its serial (the audit chain's hash). */
  hashOf?: (record: T) => string | undefined;
  maxAttempts?: number;
}): Promise<T> {
  return inTurn(options.sequence, () => append(options));
}

/**
 * Appenders in this process take turns per sequence. Without it, N concurrent writers (200 in
 * the tests) all read the same head and race for each serial, one winning per round, which is
 * quadratic; other processes are still kept apart by the unique index and the repair below.
 */
const turns = new Map<string, Promise<unknown>>();
async function inTurn<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = turns.get(key) ?? Promise.resolve();
  const result = previous.then(task, task);
  const tail = result.catch(() => undefined);
  turns.set(key, tail);
  try {
    return await result;
  } finally {
    if (turns.get(key) === tail) turns.delete(key);
  }
}

async function append<T extends SequencedRecord>(options: Parameters<typeof appendToSequence<T>>[0]): Promise<T> {
  const { model, sequence, scope, id, build } = options;
  const hashOf = options.hashOf ?? (() => undefined);
  const maxAttempts = options.maxAttempts ?? 200;
  const slotId = (serial: number) => `${sequence}#${serial}`;

  /** Slot and head for a record that is in place; both writes are idempotent. */
  const settle = async (record: T): Promise<void> => {
    try {
      await SequenceSlotModel.create({ _id: slotId(record.serial), ref: record._id });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    await SequenceHeadModel.updateOne({ _id: sequence, serial: record.serial - 1 }, { $set: { serial: record.serial, hash: hashOf(record) } });
  };

  const readHead = async (): Promise<Head> => {
    const head = await SequenceHeadModel.findById(sequence).lean();
    if (head) return { serial: head.serial, hash: head.hash ?? undefined };
    // First use of this sequence (or data written before heads existed): one sorted query.
    const last = await model.findOne(scope).sort({ serial: -1 }).lean<T>();
    const first = { _id: sequence, serial: last?.serial ?? 0, hash: last ? hashOf(last) : undefined };
    try {
      await SequenceHeadModel.create(first);
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    return readHead();
  };

  /** The head says n but record n+1 exists: find it by its slot (or its serial) and move on. */
  const repair = async (head: Head, scan: boolean): Promise<void> => {
    const slot = await SequenceSlotModel.findById(slotId(head.serial + 1)).lean();
    let next = slot ? await model.findById(slot.ref).lean<T>() : null;
    if (!next && scan) next = await model.findOne({ ...scope, serial: head.serial + 1 }).lean<T>();
    if (next) await settle(next);
  };

  let stalledAt = -1;
  let stalls = 0;
  for (let attempt = 0; attempt < maxAttempts; attempt += 1) {
    const existing = await model.findById(id).lean<T>();
    if (existing) {
      await settle(existing);
      return existing;
    }
    const head = await readHead();
    const record = build(head.serial + 1, head.hash);
    try {
      const created = (await model.create(record)).toObject() as T;
      await settle(created);
      return created;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
    if (await model.exists({ _id: id })) continue;
    // Lost serial n+1 to another writer (or the head lags behind a writer that died).
    stalls = head.serial === stalledAt ? stalls + 1 : 0;
    stalledAt = head.serial;
    await repair(head, stalls >= 3);
    await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(20, 2 * (stalls + 1))));
  }
  throw new Error(`could not append to ${sequence} in ${model.collection.name} after ${maxAttempts} attempts`);
}
