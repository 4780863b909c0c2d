import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { ensureAuditAnchorWorkflow } from '../../../activities/audit-anchor';
import { signatureHolds, type AuditVerification } from '../../../read-model/audit-verification';
import { appendAudit, auditHash, verifyAuditChain } from '../../../read-model/audit-chain';
import { buildApp } from '../../../api/app';
import { pageRoutes } from '../../../api/pages/page-routes';
import { formatSignedHeadLine, type AuditAnchorState } from '../../../domain/audit-anchor';
import { AuditEntryModel } from '../../../models/audit-entry.model';
import { SequenceHeadModel } from '../../../models/sequence-append';
import { verifyAudit } from '../../../scripts/verify-audit';
import { auditAnchorsQuery, auditAnchorWorkflowId } from '../../../workflows/audit-anchor-messages';
import { startTestStack, type TestStack } from '../../support/stack';
import { testConfig } from '../pages/page-app';

jest.setTimeout(300_000);

/**
 * Tampering that keeps the chain linked (only someone with write access to MongoDB can do it):
 * the anchors kept in the anchor workflow's Temporal history, and the signed daily head, catch it.
 * The workflow reads the head every second here and continues as new every 5 readings.
 */
describe('audit anchors: a chain rewritten or cut back in MongoDB no longer matches its anchors', () => {
  let stack: TestStack;
  let pages: Express;
  let supervisor: string;
  let admin: string;
  let firstRunId: string;
  const workflowId = () => auditAnchorWorkflowId(stack.taskQueue);

  beforeAll(async () => {
    stack = await startTestStack({ name: 'audit_anchor', auditAnchor: { intervalMs: 1000, ticksPerRun: 5 } });
    const config = { ...testConfig, TEMPORAL_TASK_QUEUE: stack.taskQueue, AUDIT_ANCHOR_KEY: stack.anchorKey };
    pages = buildApp({ config, temporal: stack.client, logger: pino({ level: 'silent' }), pages: pageRoutes({ temporal: stack.client, config }) });
    supervisor = await stack.login('supervisor');
    admin = await stack.login('admin');
    firstRunId = (await stack.client.workflow.getHandle(workflowId()).describe()).runId;
  });
  afterAll(() => stack.stop());

  const anchors = () => stack.client.workflow.getHandle(workflowId()).query(auditAnchorsQuery);
  const waitForState = async (accept: (state: AuditAnchorState) => boolean, what: string): Promise<AuditAnchorState> => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const state = await anchors().catch(() => undefined);
      if (state && accept(state)) return state;
      if (Date.now() > deadline) throw new Error(`anchor workflow: ${what} not seen; last state ${JSON.stringify(state)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  };
  const headSerial = async () => (await SequenceHeadModel.findById('audit').lean())!.serial;
  const append = (key: string) => appendAudit({ key, at: new Date(), action: 'test.append', result: 'ok', detail: key });
  /** Appends and waits until the workflow has anchored the new head. */
  const appendAnchored = async (key: string): Promise<number> => {
    await append(key);
    const serial = await headSerial();
    await waitForState((state) => state.anchors.at(-1)?.serial === serial, `anchor at ${serial}`);
    return serial;
  };
  const verifyOverApi = async () => {
    const response = await request(stack.app).get('/api/audit/verify').set('Authorization', supervisor);
    expect(response.status).toBe(200);
    return response.body as AuditVerification;
  };

  test('when the chain is untouched, then the head is anchored, signed for the day, printed to the log and shown on the admin page', async () => {
    const serial = await appendAnchored('anchor-intact');
    const state = await waitForState((current) => current.signedHeads.length > 0, 'a signed head');
    const signed = state.signedHeads[0]!;
    expect(signatureHolds(stack.anchorKey, signed)).toBe(true);
    expect(signatureHolds('another-key-another-key-another-key', signed)).toBe(false);
    expect(stack.anchorLog).toContain(formatSignedHeadLine(signed));

    const body = await verifyOverApi();
    expect(body).toMatchObject({ ok: true, anchoring: { available: true, conflictCount: 0 } });
    expect(body.anchorCheck?.failed).toBe(0);
    expect(body.anchorCheck?.matched).toBeGreaterThanOrEqual(1);

    const page = await request(pages).get('/audit').set('Authorization', admin);
    expect(page.status).toBe(200);
    expect(page.text).toContain('与锚点一致');
    // Handlebars escapes '=' in the line.
    expect(page.text).toContain(formatSignedHeadLine(signed).replaceAll('=', '&#x3D;'));
    expect(page.text).toContain(`第 ${serial} 条`);
  });

  test('when a signed head from the log is forged, then the command says its signature does not hold', async () => {
    const signed = (await anchors()).signedHeads[0]!;
    const forged = { ...signed, serial: signed.serial + 1000 };
    const lines: string[] = [];
    const result = await verifyAudit((line) => lines.push(line), { temporal: stack.client, taskQueue: stack.taskQueue, anchorKey: stack.anchorKey, signedHeads: [forged] });
    expect(result.ok).toBe(false);
    expect(lines.join('\n')).toContain('签名无效');
  });

  test('when the last entry is deleted and the head moved back, then the chain alone still links up, but verification names the first entry after the last good anchor and the workflow records the deletion', async () => {
    const good = await headSerial();
    const tail = await appendAnchored('anchor-tail');
    expect(tail).toBe(good + 1);
    const goodEntry = await AuditEntryModel.findOne({ serial: good }).lean();
    const tailEntry = await AuditEntryModel.findOne({ serial: tail }).lean();
    await AuditEntryModel.collection.deleteOne({ _id: tailEntry!._id as never });
    await SequenceHeadModel.updateOne({ _id: 'audit' }, { $set: { serial: good, hash: goodEntry!.hash } });

    // What verification saw before the anchors: nothing.
    expect((await verifyAuditChain()).ok).toBe(true);

    const body = await verifyOverApi();
    expect(body.ok).toBe(false);
    expect(body.anchorCheck?.lastGood?.serial).toBe(good);
    expect(body.anchorCheck?.firstSuspect).toEqual({ serial: tail });
    expect(body.breaks).toContainEqual(expect.objectContaining({ serial: tail, kind: 'anchor' }));

    const lines: string[] = [];
    await verifyAudit((line) => lines.push(line), { temporal: stack.client, taskQueue: stack.taskQueue, anchorKey: stack.anchorKey });
    expect(lines.join('\n')).toContain(`最后一个相符锚点之后的第一条：第 ${tail} 条`);

    // The workflow's own next reading finds the anchored entry gone, and keeps that for good.
    const state = await waitForState((current) => current.conflictCount > 0, 'a conflict');
    expect(state.conflicts[0]).toMatchObject({ anchored: { serial: tail, hash: tailEntry!.hash }, found: null });

    // Put back, the chain matches its anchors again, but the deletion the workflow saw stays reported.
    await AuditEntryModel.collection.insertOne(tailEntry as never);
    await SequenceHeadModel.updateOne({ _id: 'audit' }, { $set: { serial: tail, hash: tailEntry!.hash } });
    const after = await verifyOverApi();
    expect(after.anchorCheck?.failed).toBe(0);
    expect(after.ok).toBe(false);
    expect(after.breaks).toEqual([expect.objectContaining({ serial: tail, kind: 'anchor', reason: expect.stringContaining('已被删除') })]);
  });

  test('when every hash is recomputed from one entry onward, then the chain alone still links up, but the anchors name the first rewritten entry', async () => {
    const lastGood = await appendAnchored('anchor-rewrite-1');
    await append('anchor-rewrite-2');
    const rewrittenHead = await appendAnchored('anchor-rewrite-3');

    const entries = await AuditEntryModel.find({ serial: { $gte: lastGood } }).sort({ serial: 1 }).lean();
    let previous = entries[0]!.hash;
    for (const entry of entries.slice(1)) {
      const detail = entry.serial === lastGood + 1 ? '改写后的内容' : entry.detail;
      const hash = auditHash({ ...entry, detail, prevHash: previous } as never);
      await AuditEntryModel.collection.updateOne({ _id: entry._id as never }, { $set: { detail, prevHash: previous, hash } });
      previous = hash;
    }
    await SequenceHeadModel.updateOne({ _id: 'audit' }, { $set: { hash: previous } });

    expect((await verifyAuditChain()).ok).toBe(true);

    const body = await verifyOverApi();
    expect(body.ok).toBe(false);
    expect(body.anchorCheck?.lastGood?.serial).toBe(lastGood);
    expect(body.anchorCheck?.firstSuspect).toEqual({ serial: lastGood + 1, entryId: 'anchor-rewrite-2' });
    expect(body.breaks).toContainEqual(expect.objectContaining({ serial: rewrittenHead, kind: 'anchor', reason: expect.stringContaining('哈希被改写') }));

    const page = await request(pages).get('/audit').set('Authorization', admin);
    expect(page.text).toContain(`最后一个相符锚点之后的第一条：第 ${lastGood + 1} 条（anchor-rewrite-2）`);

    const state = await waitForState((current) => current.conflicts.some((conflict) => conflict.anchored.serial === rewrittenHead), 'the rewrite');
    expect(state.conflicts.find((conflict) => conflict.anchored.serial === rewrittenHead)?.found).toEqual({ serial: rewrittenHead, hash: previous });
  });

  test('the workflow continues as new every few readings and carries its anchors; a stopped one is started again by the worker with its evidence', async () => {
    const handle = stack.client.workflow.getHandle(workflowId());
    const firstRun = stack.client.workflow.getHandle(workflowId(), firstRunId);
    for (let wait = 0; wait < 100 && (await firstRun.describe()).status.name === 'RUNNING'; wait += 1) await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await firstRun.describe()).status.name).toBe('CONTINUED_AS_NEW');
    const before = await anchors();
    expect(before.conflictCount).toBeGreaterThanOrEqual(2);

    expect(await ensureAuditAnchorWorkflow(stack.client, { taskQueue: stack.taskQueue, intervalMs: 1000, ticksPerRun: 5 })).toBe('running');
    await handle.terminate('operator stopped it');
    expect(await ensureAuditAnchorWorkflow(stack.client, { taskQueue: stack.taskQueue, intervalMs: 1000, ticksPerRun: 5 })).toBe('started');
    const carried = await waitForState((state) => state.lastCheckedAt !== undefined && state.lastCheckedAt > before.lastCheckedAt!, 'a reading of the new run');
    expect(carried.conflictCount).toBe(before.conflictCount);
    expect(carried.conflicts).toEqual(before.conflicts);
    expect(carried.signedHeads[0]).toEqual(before.signedHeads[0]);
  });
});
