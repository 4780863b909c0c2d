import request from 'supertest';
import { AuditEntryModel } from '../../../models/audit-entry.model';
import { verifyAudit } from '../../../scripts/verify-audit';
import { startTestStack, type TestStack } from '../../support/stack';
import { complaintInRectification } from '../pages/page-app';

jest.setTimeout(300_000);

describe('audit trail: an edit or a deletion made directly in MongoDB is found', () => {
  let stack: TestStack;
  let supervisor: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'audit_tamper' });
    const officer = await stack.login('officer');
    supervisor = await stack.login('supervisor');
    await complaintInRectification(stack.app, officer, 'tamper-0001');
  });
  afterAll(() => stack.stop());

  const verifyOverApi = async () => {
    const response = await request(stack.app).get('/api/audit/verify').set('Authorization', supervisor);
    expect(response.status).toBe(200);
    return response.body as { ok: boolean; checked: number; firstBreak?: { serial: number; entryId?: string; reason: string } };
  };

  test('when nothing was touched, then the API and the command report an intact chain', async () => {
    const lines: string[] = [];
    const body = await verifyOverApi();
    expect(body.ok).toBe(true);
    expect(body.checked).toBeGreaterThanOrEqual(5);
    expect((await verifyAudit((line) => lines.push(line))).ok).toBe(true);
    expect(lines.join('\n')).toContain('留痕链完整');
  });

  test('when one entry is edited in MongoDB, then that entry is the first break, over the API and in the command', async () => {
    const entries = await AuditEntryModel.find().sort({ serial: 1 }).lean();
    const victim = entries[Math.floor(entries.length / 2)]!;
    const original = victim.result;
    await AuditEntryModel.collection.updateOne({ _id: victim._id as never }, { $set: { result: original === 'refused' ? 'accepted' : 'refused' } });

    const body = await verifyOverApi();
    expect(body.ok).toBe(false);
    expect(body.firstBreak).toMatchObject({ serial: victim.serial, entryId: victim._id });
    expect(body.firstBreak?.reason).toContain('edited');

    const lines: string[] = [];
    const result = await verifyAudit((line) => lines.push(line));
    expect(result.firstBreak).toMatchObject({ serial: victim.serial, entryId: victim._id });
    expect(lines.join('\n')).toContain(`第 ${victim.serial} 条`);

    await AuditEntryModel.collection.updateOne({ _id: victim._id as never }, { $set: { result: original } });
    expect((await verifyOverApi()).ok).toBe(true);
  });

  test('when one entry is deleted in MongoDB, then its serial is reported as the first break', async () => {
    const entries = await AuditEntryModel.find().sort({ serial: 1 }).lean();
    const victim = entries[2]!;
    await AuditEntryModel.collection.deleteOne({ _id: victim._id as never });

    const body = await verifyOverApi();
    expect(body.ok).toBe(false);
    expect(body.firstBreak?.serial).toBe(victim.serial);
    expect(body.firstBreak?.reason).toContain('missing');

    const result = await verifyAudit(() => undefined);
    expect(result.ok).toBe(false);
    expect(result.firstBreak?.serial).toBe(victim.serial);
  });
});
