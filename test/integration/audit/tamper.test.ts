import request from 'supertest';
import type { Express } from 'express';
import { appendAudit } from '../../../read-model/audit-chain';
import type { AuditVerification } from '../../../read-model/audit-verification';
import { AuditEntryModel } from '../../../models/audit-entry.model';
import { CaseModel } from '../../../models/case.model';
import { verifyAudit } from '../../../scripts/verify-audit';
import { startTestStack, type TestStack } from '../../support/stack';
import { appWithPages, complaintBody, complaintInRectification } from '../pages/page-app';

jest.setTimeout(300_000);

describe('audit trail: an edit or a deletion made directly in MongoDB is found', () => {
  let stack: TestStack;
  let pages: Express;
  let supervisor: string;
  let admin: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'audit_tamper' });
    pages = appWithPages(stack);
    const officer = await stack.login('officer');
    supervisor = await stack.login('supervisor');
    admin = await stack.login('admin');
    await complaintInRectification(stack.app, officer, 'tamper-0001');
  });
  afterAll(() => stack.stop());

  const verifyOverApi = async () => {
    const response = await request(stack.app).get('/api/audit/verify').set('Authorization', supervisor);
    expect(response.status).toBe(200);
    return response.body as AuditVerification;
  };
  const verifyByCommand = async () => {
    const lines: string[] = [];
    const result = await verifyAudit((line) => lines.push(line), { temporal: stack.client, taskQueue: stack.taskQueue });
    return { result, output: lines.join('\n') };
  };
  const flip = (result: string) => (result === 'refused' ? 'accepted' : 'refused');

  test('when nothing was touched, then the API and the command report an intact chain', async () => {
    const body = await verifyOverApi();
    expect(body.ok).toBe(true);
    expect(body.checked).toBeGreaterThanOrEqual(5);
    expect(body.breaks).toEqual([]);
    const { result, output } = await verifyByCommand();
    expect(result.ok).toBe(true);
    expect(output).toContain('留痕链完整');
  });

  test('when one entry is edited in MongoDB, then that entry is the first break, over the API and in the command', async () => {
    const entries = await AuditEntryModel.find().sort({ serial: 1 }).lean();
    const victim = entries[Math.floor(entries.length / 2)]!;
    await AuditEntryModel.collection.updateOne({ _id: victim._id as never }, { $set: { result: flip(victim.result) } });

    const body = await verifyOverApi();
    expect(body.ok).toBe(false);
    // One edit is one break: the next entry links to the stored hash, which did not change.
    expect(body.breaks).toEqual([expect.objectContaining({ serial: victim.serial, entryId: victim._id, kind: 'edited' })]);
    expect(body.firstBreak).toMatchObject({ serial: victim.serial, entryId: victim._id });

    const { result, output } = await verifyByCommand();
    expect(result.firstBreak).toMatchObject({ serial: victim.serial, entryId: victim._id });
    expect(output).toContain(`第 ${victim.serial} 条（${victim._id}）`);

    await AuditEntryModel.collection.updateOne({ _id: victim._id as never }, { $set: { result: victim.result } });
    expect((await verifyOverApi()).ok).toBe(true);
  });

  test('when two entries are edited and one between them deleted, then every break is reported with serial and entry id: API, command and admin page', async () => {
    const entries = await AuditEntryModel.find().sort({ serial: 1 }).lean();
    const [first, deleted, second] = [entries[1]!, entries[3]!, entries[entries.length - 2]!];
    await AuditEntryModel.collection.updateOne({ _id: first._id as never }, { $set: { result: flip(first.result) } });
    await AuditEntryModel.collection.updateOne({ _id: second._id as never }, { $set: { detail: 'rewritten' } });
    await AuditEntryModel.collection.deleteOne({ _id: deleted._id as never });

    const body = await verifyOverApi();
    expect(body.ok).toBe(false);
    expect(body.breakCount).toBe(3);
    expect(body.breaks.map(({ serial, entryId, kind }) => ({ serial, entryId, kind }))).toEqual([
      { serial: first.serial, entryId: first._id, kind: 'edited' },
      { serial: deleted.serial, entryId: undefined, kind: 'missing' },
      { serial: second.serial, entryId: second._id, kind: 'edited' },
    ]);

    const { result, output } = await verifyByCommand();
    expect(result.breakCount).toBe(3);
    expect(output).toContain(`第 ${first.serial} 条（${first._id}）`);
    expect(output).toContain(`第 ${deleted.serial} 条 [missing]`);
    expect(output).toContain(`第 ${second.serial} 条（${second._id}）`);

    const page = await request(pages).get('/audit').set('Authorization', admin);
    expect(page.status).toBe(200);
    expect(page.text).toContain('发现 3 处问题');
    for (const entry of [first, second]) {
      expect(page.text).toContain(`data-serial="${entry.serial}" data-kind="edited"`);
      expect(page.text).toContain(entry._id);
    }
    expect(page.text).toContain(`data-serial="${deleted.serial}" data-kind="missing"`);

    await AuditEntryModel.collection.updateOne({ _id: first._id as never }, { $set: { result: first.result } });
    await AuditEntryModel.collection.updateOne({ _id: second._id as never }, { $set: { detail: second.detail } });
    await AuditEntryModel.collection.insertOne(deleted as never);
    expect((await verifyOverApi()).ok).toBe(true);
  });

  test('when more breaks than the list holds are found, then the list is capped and all are counted', async () => {
    const { verifyAuditChain } = await import('../../../read-model/audit-chain');
    const entries = await AuditEntryModel.find().sort({ serial: 1 }).limit(4).lean();
    for (const entry of entries) await AuditEntryModel.collection.updateOne({ _id: entry._id as never }, { $set: { result: flip(entry.result) } });
    const result = await verifyAuditChain({ maxBreaks: 2 });
    expect(result.breaks.map((broken) => broken.serial)).toEqual([entries[0]!.serial, entries[1]!.serial]);
    expect(result.breakCount).toBe(4);
    for (const entry of entries) await AuditEntryModel.collection.updateOne({ _id: entry._id as never }, { $set: { result: entry.result } });
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  test('the admin page is the admin\'s: a supervisor is refused, an intact chain is shown as such', async () => {
    expect((await request(pages).get('/audit').set('Authorization', supervisor)).status).toBe(403);
    const page = await request(pages).get('/audit').set('Authorization', admin);
    expect(page.status).toBe(200);
    expect(page.text).toContain('留痕链完整');
    expect(page.text).toContain('未能与锚点比对');
  });

  test('when an anonymous login carries a lone surrogate, then it is refused with 400 before anything is recorded, and the chain still verifies', async () => {
    const before = await AuditEntryModel.countDocuments();
    const response = await request(stack.app).post('/api/auth/login').set('Content-Type', 'application/json').send('{"username":"x\\ud800y","password":"z"}');
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('无效字符');
    expect(await AuditEntryModel.countDocuments()).toBe(before);
    expect((await verifyOverApi()).ok).toBe(true);
  });

  test('when an intake description carries a lone surrogate, then it is refused with 400 and no case is registered', async () => {
    const officer = await stack.login('officer');
    const cases = await CaseModel.countDocuments();
    const response = await request(stack.app).post('/api/intakes').set('Authorization', officer).send(complaintBody('tamper-surrogate', { description: '排污口\ud800夜间排放' }));
    expect(response.status).toBe(400);
    expect(await CaseModel.countDocuments()).toBe(cases);
    expect((await verifyOverApi()).ok).toBe(true);
  });

  test('when any caller appends text with lone surrogates, then the entry is stored well-formed and its hash still holds', async () => {
    await appendAudit({
      key: 'login:x\ud800y:1',
      at: new Date(),
      actor: { userId: 'x\ud800y', name: 'x\udc00y', role: 'unknown', regionCode: '' },
      action: 'login',
      result: 'refused',
      detail: 'tail\ud800',
    });
    const stored = await AuditEntryModel.findById('login:x\ufffdy:1').lean();
    expect(stored).toMatchObject({ actor: { userId: 'x\ufffdy', name: 'x\ufffdy' }, detail: 'tail\ufffd' });
    expect((await verifyOverApi()).ok).toBe(true);
  });

  test('when an entry written before the fix was hashed over a lone surrogate, then it is reported as edited, with a hint at the cause', async () => {
    const { auditHash } = await import('../../../read-model/audit-chain');
    const { SequenceHeadModel } = await import('../../../models/sequence-append');
    const last = (await AuditEntryModel.find().sort({ serial: -1 }).limit(1).lean())[0]!;
    // What the old code did: hash the text as sent, store it as BSON turns it (U+FFFD).
    const legacyHash = auditHash({ ...last, detail: 'x\ud800' } as never);
    await AuditEntryModel.collection.updateOne({ _id: last._id as never }, { $set: { detail: 'x\ufffd', hash: legacyHash } });
    await SequenceHeadModel.updateOne({ _id: 'audit' }, { $set: { hash: legacyHash } });

    const body = await verifyOverApi();
    expect(body.breaks).toEqual([expect.objectContaining({ serial: last.serial, kind: 'edited', reason: expect.stringContaining('修复前写入') })]);

    await AuditEntryModel.collection.updateOne({ _id: last._id as never }, { $set: { detail: last.detail, hash: last.hash } });
    await SequenceHeadModel.updateOne({ _id: 'audit' }, { $set: { hash: last.hash } });
    expect((await verifyOverApi()).ok).toBe(true);
  });

  test('when one entry is deleted in MongoDB, then its serial is reported as missing', async () => {
    const entries = await AuditEntryModel.find().sort({ serial: 1 }).lean();
    const victim = entries[2]!;
    await AuditEntryModel.collection.deleteOne({ _id: victim._id as never });

    const body = await verifyOverApi();
    expect(body.ok).toBe(false);
    expect(body.firstBreak).toMatchObject({ serial: victim.serial, kind: 'missing' });

    const { result } = await verifyByCommand();
    expect(result.ok).toBe(false);
    expect(result.firstBreak?.serial).toBe(victim.serial);
  });
});
