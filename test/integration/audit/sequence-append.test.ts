import mongoose from 'mongoose';
import { appendAudit, verifyAuditChain } from '../../../read-model/audit-chain';
import { projectTask } from '../../../read-model/projection-writes';
import { connectMongo } from '../../../config/mongo';
import { AuditEntryModel } from '../../../models/audit-entry.model';
import { CaseModel } from '../../../models/case.model';
import { CaseStateModel } from '../../../models/case-state.model';
import { SequenceHeadModel, SequenceSlotModel } from '../../../models/sequence-append';
import { TaskHistoryModel, TaskModel } from '../../../models/task.model';
import { migrateReadModel } from '../../../read-model/read-model-migration';

jest.setTimeout(120_000);

const append = (key: string) =>
  appendAudit({ key, at: new Date('2026-11-29T08:00:00Z'), action: 'test.append', result: 'ok', detail: key });

describe('chain heads by _id: appends, a writer that died half way, and the open-task table', () => {
  beforeAll(async () => {
    const uri = process.env.MONGODB_URI;
    if (!uri) throw new Error('MONGODB_URI is not set (global setup starts FerretDB)');
    await connectMongo({ MONGODB_URI: uri, MONGODB_DB: `sequence_append_${process.env.JEST_WORKER_ID ?? '0'}_${Date.now()}` });
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });

  test('when 200 writers append at once, then the serials are gapless, each key is recorded once and the head is the last entry', async () => {
    const writers = 200;
    await Promise.all(Array.from({ length: writers }, (_, index) => append(`k${index}`)));
    await Promise.all([append('k3'), append('k7')]);
    const entries = await AuditEntryModel.find().sort({ serial: 1 }).lean();
    expect(entries.map((entry) => entry.serial)).toEqual(Array.from({ length: writers }, (_, index) => index + 1));
    const head = await SequenceHeadModel.findById('audit').lean();
    expect(head).toMatchObject({ serial: writers, hash: entries[writers - 1]!.hash });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: writers });
  });

  test('when a writer died after its insert (no slot, head behind), then the next append repairs the head and chains on', async () => {
    const last = (await AuditEntryModel.find().sort({ serial: -1 }).limit(1).lean())[0]!;
    // What appendAudit would have written as entry n+1 before dying.
    await append('orphan');
    const orphan = await AuditEntryModel.findById('orphan').lean();
    await SequenceSlotModel.deleteOne({ _id: `audit#${orphan!.serial}` });
    await SequenceHeadModel.updateOne({ _id: 'audit' }, { $set: { serial: last.serial, hash: last.hash } });

    await append('after-orphan');
    const after = await AuditEntryModel.findById('after-orphan').lean();
    expect(after?.serial).toBe(orphan!.serial + 1);
    expect(after?.prevHash).toBe(orphan!.hash);
    expect(await SequenceHeadModel.findById('audit').lean()).toMatchObject({ serial: after!.serial, hash: after!.hash });
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  test('when the last entry is deleted, then the head still names it and verification reports it missing', async () => {
    const head = await SequenceHeadModel.findById('audit').lean();
    await AuditEntryModel.deleteOne({ serial: head!.serial });
    const verification = await verifyAuditChain();
    expect(verification.ok).toBe(false);
    expect(verification.firstBreak?.serial).toBe(head!.serial);
    expect(verification.firstBreak?.kind).toBe('missing');
  });

  const row = (status: 'open' | 'done') => ({
    caseId: 'c1',
    caseNo: '350602-2026-00001',
    kind: 'triage',
    title: '分办',
    role: 'officer',
    regionCode: '350602',
    scope: { county: '350602' },
    sortDue: new Date('2026-12-01T00:00:00Z'),
    status,
    createdAt: new Date('2026-11-29T00:00:00Z'),
  });

  test('when a task is done, then it moves to task_history, and a stale projection of it as open does not list it again', async () => {
    await projectTask('c1-t1', 1, row('open'));
    expect(await TaskModel.exists({ _id: 'c1-t1' })).toBeTruthy();
    await projectTask('c1-t1', 2, row('done'));
    expect(await TaskModel.exists({ _id: 'c1-t1' })).toBeNull();
    expect((await TaskHistoryModel.findById('c1-t1').lean())?.status).toBe('done');
    await projectTask('c1-t1', 1, row('open'));
    expect(await TaskModel.exists({ _id: 'c1-t1' })).toBeNull();
    await projectTask('c1-t1', 2, row('done'));
    expect(await TaskHistoryModel.countDocuments({ _id: 'c1-t1' })).toBe(1);
  });
});

describe('migrating data written before the split', () => {
  beforeAll(async () => {
    const uri = process.env.MONGODB_URI;
    if (!uri) throw new Error('MONGODB_URI is not set (global setup starts FerretDB)');
    await connectMongo({ MONGODB_URI: uri, MONGODB_DB: `read_model_migrate_${process.env.JEST_WORKER_ID ?? '0'}_${Date.now()}` });
  });
  afterAll(async () => {
    await mongoose.connection.dropDatabase().catch(() => undefined);
    await mongoose.disconnect();
  });

  test('when done tasks and case states sit in the old places, then the migration moves them once and leaves open tasks', async () => {
    await TaskModel.collection.insertMany([
      { _id: 'm-t1' as never, status: 'done', caseId: 'm' },
      { _id: 'm-t2' as never, status: 'open', caseId: 'm' },
    ]);
    await CaseModel.collection.insertOne({ _id: 'm' as never, revision: 4, status: 'closed', state: { caseId: 'm', revision: 4 } });
    expect(await migrateReadModel(() => undefined)).toEqual({ tasksMoved: 1, statesMoved: 1, rowsKeyed: 0 });
    expect(await migrateReadModel(() => undefined)).toEqual({ tasksMoved: 0, statesMoved: 0, rowsKeyed: 0 });
    expect((await TaskModel.find().lean()).map((task) => task._id)).toEqual(['m-t2']);
    expect(await TaskHistoryModel.exists({ _id: 'm-t1' })).toBeTruthy();
    expect((await CaseStateModel.findById('m').lean())?.state).toEqual({ caseId: 'm', revision: 4 });
    expect((await CaseModel.collection.findOne({ _id: 'm' as never }))?.state).toBeUndefined();
  });

  test('when task and case rows predate the list keys, then the migration keys them once from their own columns and they list', async () => {
    await TaskModel.collection.insertOne({ _id: 'k-t1' as never, revision: 2, status: 'open', caseId: 'k', role: 'officer', regionCode: '350602', assigneeId: 'officer' });
    await CaseModel.collection.insertOne({ _id: 'k' as never, revision: 3, status: 'rectifying', regionCode: '350602001', nextDueAt: new Date('2026-12-20T00:00:00Z') });
    expect((await migrateReadModel(() => undefined)).rowsKeyed).toBe(2);
    expect((await migrateReadModel(() => undefined)).rowsKeyed).toBe(0);
    expect((await TaskModel.collection.findOne({ _id: 'k-t1' as never }))?.listKeys).toEqual(
      expect.arrayContaining(['officer|province:350000', 'officer|county:350602', 'assignee:officer']),
    );
    const row = await CaseModel.collection.findOne({ _id: 'k' as never });
    expect(row?.listKeys).toEqual(expect.arrayContaining(['county:350602|open', 'township:350602001|status:rectifying']));
    expect(row?.sortDue).toEqual(new Date('2026-12-20T00:00:00Z'));
  });
});
