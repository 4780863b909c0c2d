import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import mongoose from 'mongoose';
import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { AttachmentModel } from '../../../models/attachment.model';
import { buildApp } from '../../../api/app';
import { pageRoutes } from '../../../api/pages/page-routes';
import { AuditEntryModel } from '../../../models/audit-entry.model';
import { CaseModel } from '../../../models/case.model';
import { SessionModel } from '../../../models/user.model';
import { demoPassword } from '../../../scripts/demo-data';
import { fuzzCorpus, sendFuzzCase, type FuzzCase } from '../../support/fuzz-corpus';
import { startTestStack, type TestStack } from '../../support/stack';
import { listen, testConfig } from '../pages/page-app';

const { sign } = require('cookie-signature') as { sign(value: string, secret: string): string };

jest.setTimeout(120_000);

const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

/** Log lines as the app writes them, to see at which level each refusal was logged. */
function capturingLogger(): { logger: pino.Logger; levels: () => number[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), levels: () => lines.map((line) => (JSON.parse(line) as { level: number }).level) };
}

async function counts() {
  const [cases, audit, attachments, sessions] = await Promise.all([
    CaseModel.countDocuments(),
    AuditEntryModel.countDocuments(),
    AttachmentModel.countDocuments(),
    SessionModel.countDocuments(),
  ]);
  return { cases, audit, attachments, sessions };
}

describe('malformed requests: their own 4xx in Chinese, logged at warn, nothing written', () => {
  let stack: TestStack;
  let app: Express;
  let server: Server;
  let baseUrl: string;
  let bearer: string;
  let cookie: string;
  let log: ReturnType<typeof capturingLogger>;
  let before: Awaited<ReturnType<typeof counts>>;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'malformed' });
    log = capturingLogger();
    const config = { ...testConfig, TEMPORAL_TASK_QUEUE: stack.taskQueue };
    app = buildApp({ config, temporal: stack.client, logger: log.logger, pages: pageRoutes({ temporal: stack.client, config }) });
    ({ server, baseUrl } = await listen(app));
    bearer = await stack.login('officer');
    cookie = `envcase_session=${encodeURIComponent(`s:${sign(bearer.slice('Bearer '.length), testConfig.SESSION_SECRET)}`)}`;
    before = await counts();
  });

  function credentialsFor(fuzzCase: FuzzCase): Record<string, string> {
    if (fuzzCase.as === 'anonymous') return {};
    return fuzzCase.path.startsWith('/api/') ? { Authorization: bearer } : { Cookie: cookie };
  }
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    await stack.stop();
  });

  test.each(fuzzCorpus.map((fuzzCase) => [fuzzCase.name, fuzzCase] as const))('when %s is sent, then it gets its 4xx with a Chinese message', async (_name, fuzzCase) => {
    const response = await sendFuzzCase(baseUrl, fuzzCase, credentialsFor(fuzzCase));
    expect(response.status).toBe(fuzzCase.expectStatus);
    if (fuzzCase.expectType === 'json') {
      expect(response.contentType).toMatch(/application\/json/u);
      const body = JSON.parse(response.body) as { error: string; code: string };
      expect(body.code).not.toBe('Internal');
      expect(body.error).toMatch(/[\u4e00-\u9fff]/u);
    } else {
      expect(response.contentType).toMatch(/text\/html/u);
      expect(response.body).toContain(`（${fuzzCase.expectStatus}）`);
      expect(response.body).toMatch(/<p>[^<]*[\u4e00-\u9fff][^<]*<\/p>/u);
    }
  });

  test('when an id has the wrong shape, then 404 before any lookup: no query reaches the cases, documents or referrals', async () => {
    const queried: string[] = [];
    mongoose.set('debug', (collection: string) => {
      queried.push(collection);
    });
    try {
      const wrongShapes = ['%00', 'a'.repeat(5000), 'ABCDEF0123456789ABCD', '0123456789abcdef012', "'%20OR%201=1"];
      for (const id of wrongShapes) {
        for (const path of [`/api/cases/${id}`, `/api/cases/${id}/documents`, `/api/documents/${id}/pdf`, `/api/referrals/${id}`]) {
          const response = await sendFuzzCase(baseUrl, { name: path, method: 'GET', path, headers: {}, expectStatus: 404, as: 'officer', expectType: 'json' }, { Authorization: bearer });
          expect([path, response.status]).toEqual([path, 404]);
        }
      }
    } finally {
      mongoose.set('debug', false);
    }
    expect(queried.filter((collection) => ['cases', 'case_states', 'documents', 'document_files', 'referrals'].includes(collection))).toEqual([]);
  });

  test('when a grid member uploads seven photos, then 413 on the form and no photo is stored', async () => {
    const agent = request.agent(app);
    const loginForm = await agent.get('/login');
    const csrf = (page: string) => /name="_csrf" value="([^"]+)"/u.exec(page)?.[1] ?? '';
    expect((await agent.post('/login').type('form').send({ _csrf: csrf(loginForm.text), username: 'grid', password: demoPassword, next: '/intake' })).status).toBe(303);
    const page = await agent.get('/intake');
    let upload = agent.post('/intake/patrol').field('_csrf', csrf(page.text)).field('idempotencyKey', 'malformed-photos-0001');
    for (let i = 0; i < 7; i += 1) upload = upload.attach('photos', png, { filename: `p${i}.png`, contentType: 'image/png' });
    const response = await upload;
    expect(response.status).toBe(413);
    expect(response.text).toContain('最多上传 6 张照片');
    expect(await AttachmentModel.countDocuments()).toBe(before.attachments);
  });

  test('after the whole corpus, nothing was written and nothing was logged at error level', async () => {
    for (const fuzzCase of fuzzCorpus) {
      await sendFuzzCase(baseUrl, fuzzCase, credentialsFor(fuzzCase));
    }
    const after = await counts();
    // The photo test logged the grid member in: one session, one audited login, nothing else.
    expect(after).toEqual({ ...before, sessions: before.sessions + 1, audit: before.audit + 1 });
    const levels = log.levels();
    expect(levels.filter((level) => level >= 50)).toEqual([]);
    expect(levels.filter((level) => level === 40).length).toBeGreaterThanOrEqual(fuzzCorpus.length);
  });
});
