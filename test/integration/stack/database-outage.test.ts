import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { verifyAuditChain } from '../../../read-model/audit-chain';
import { CaseModel } from '../../../models/case.model';
import { startEmbeddedMongo, startPostgres, type EmbeddedMongo, type StartedPostgres } from '../../../scripts/stack/embedded-servers';
import { startTestStack, type TestStack } from '../../support/stack';

jest.setTimeout(300_000);

/**
 * The database stops under load and comes back: this file runs its own PostgreSQL cluster and
 * FerretDB (the run's shared ones must stay up for the other files) under the real test stack.
 */
describe('PostgreSQL stops while the API runs', () => {
  let scratch: string;
  let mongo: EmbeddedMongo;
  let postgres: StartedPostgres;
  let stack: TestStack;
  let officer: string;

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'envcase-outage-'));
    fs.chmodSync(scratch, 0o755);
    mongo = await startEmbeddedMongo({ dataDir: path.join(scratch, 'postgres'), logDir: scratch, sharedBuffers: '64MB' });
    postgres = mongo.postgres;
    stack = await startTestStack({ name: 'outage', mongoUri: mongo.address });
    officer = await stack.login('officer');
  });
  afterAll(async () => {
    await stack?.stop();
    await mongo?.ferretdb.process.stop();
    await postgres?.process.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  const intake = (index: number) => ({
    channel: 'hotline',
    category: 'water',
    description: `停库演练：排污口排放污水（第${index}处）`,
    location: { address: `漳州市芗城区东铺头街道演练点${index}号`, regionCode: '350602001', coordinates: { lng: 117.3 + index * 0.01, lat: 24.2 } },
    reporter: { anonymous: true },
    idempotencyKey: `outage-${index}`,
  });
  /** Posts intake `index`; resolves with the status, or 0 when the request did not answer in time. */
  const post = (index: number, timeoutMs = 20_000) =>
    request(stack.app)
      .post('/api/intakes')
      .set('Authorization', officer)
      .timeout(timeoutMs)
      .send(intake(index))
      .then((response) => response.status)
      .catch(() => 0);

  test('when PostgreSQL is killed mid-load, then requests answer 503 in Chinese within 5 s, /health names the database, and after its restart every intake is registered exactly once', async () => {
    const total = 12;
    const statuses = new Map<number, number>();
    // Load: four intakes in flight while the database goes away.
    const inFlight = Array.from({ length: 4 }, (_, index) => post(index).then((status) => statuses.set(index, status)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const killed = new Promise((resolve) => postgres.process.child.once('exit', resolve));
    postgres.process.child.kill('SIGQUIT'); // immediate shutdown: no checkpoint, crash recovery at the next start
    await killed;

    const started = Date.now();
    const list = await request(stack.app).get('/api/tasks?view=unit').set('Authorization', officer).timeout(10_000);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(list.status).toBe(503);
    expect(list.body).toMatchObject({ code: 'DatabaseUnavailable', error: '数据库暂时不可用，请稍后重试' });

    const refused = await request(stack.app).post('/api/intakes').set('Authorization', officer).timeout(10_000).send(intake(4));
    expect(refused.status).toBe(503);

    const health = await request(stack.app).get('/health').timeout(10_000);
    expect(health.status).toBe(503);
    expect(health.body.checks.mongo.ok).toBe(false);
    expect(health.body.checks.mongo.detail).toContain('PostgreSQL');

    postgres = await startPostgres({ dataDir: postgres.dataDir, logFile: path.join(scratch, 'postgres.log'), sharedBuffers: '64MB' });
    for (const deadline = Date.now() + 60_000; ; ) {
      const again = await request(stack.app).get('/health');
      if (again.body.checks?.mongo?.ok) break;
      if (Date.now() > deadline) throw new Error(`database not back: ${JSON.stringify(again.body)}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await Promise.all(inFlight);

    // The client's part: resend whatever did not get a 201/200, with the same idempotency key.
    for (let index = 0; index < total; index += 1) {
      for (let attempt = 0; ![200, 201].includes(statuses.get(index) ?? 0); attempt += 1) {
        if (attempt >= 5) throw new Error(`intake ${index} still answers ${statuses.get(index)}`);
        statuses.set(index, await post(index, 60_000));
      }
    }

    const cases = await CaseModel.find({ idempotencyKey: /^outage-/ }).select({ idempotencyKey: 1, caseNo: 1 }).lean();
    expect(cases.map((row) => row.idempotencyKey).sort()).toEqual(Array.from({ length: total }, (_, index) => `outage-${index}`).sort());
    // Gapless case numbers: no number was taken by an attempt that failed with the database.
    expect(cases.map((row) => Number(row.caseNo.split('-').pop())).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, index) => index + 1));
    expect(await verifyAuditChain()).toMatchObject({ ok: true });
    const listed = await request(stack.app).get('/api/tasks?view=unit&pageSize=100').set('Authorization', officer);
    expect(listed.status).toBe(200);
  });
});
