import pino from 'pino';
import request from 'supertest';
import type { Express } from 'express';
import { buildApp } from '../../../api/app';
import { createLoginGuard, defaultLoginPolicy, type LoginGuard, type LoginPolicy } from '../../../api/login-guard';
import { pageRoutes } from '../../../api/pages/page-routes';
import { loadConfig } from '../../../config';
import { AuditEntryModel } from '../../../models/audit-entry.model';
import { demoPassword } from '../../../scripts/demo-data';
import { startTestStack, type TestStack } from '../../support/stack';
import { testConfig } from '../pages/page-app';

jest.setTimeout(180_000);

const demoUsers = ['grid', 'locality', 'officer', 'supervisor', 'city.supervisor', 'province.supervisor', 'police', 'admin', 'officer.tongan', 'locality.tongan', 'police.tongan'];

function csrfOf(html: string): string {
  return /name="_csrf" value="([^"]+)"/u.exec(html)?.[1] ?? '';
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('login limits: failed attempts per account and address, across the API and the login page', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'login_limits' });
  });
  afterAll(() => stack.stop());

  /** The API and the pages in one app, as api/server.ts wires them, around one guard. */
  function appWith(policy: Partial<LoginPolicy> = {}, trustProxy: string[] | false = false): { app: Express; guard: LoginGuard } {
    const guard = createLoginGuard({ ...defaultLoginPolicy, ...policy });
    const config = { ...testConfig, TEMPORAL_TASK_QUEUE: stack.taskQueue, TRUST_PROXY: trustProxy };
    const app = buildApp({ config, temporal: stack.client, logger: pino({ level: 'silent' }), loginGuard: guard, pages: pageRoutes({ temporal: stack.client, config, loginGuard: guard }) });
    return { app, guard };
  }

  const apiLogin = (app: Express, username: string, password: string, forwardedFor?: string) => {
    const call = request(app).post('/api/auth/login');
    if (forwardedFor) call.set('X-Forwarded-For', forwardedFor);
    return call.send({ username, password });
  };

  async function pageLogin(app: Express, username: string, password: string) {
    const agent = request.agent(app);
    const form = await agent.get('/login');
    return agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), username, password });
  }

  test('when thirty officers log in through one gateway address, then none is refused', async () => {
    const { app } = appWith();
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1) statuses.push((await apiLogin(app, demoUsers[i % demoUsers.length]!, demoPassword)).status);
    expect(statuses).toEqual(Array(30).fill(200));
  });

  test('when X-Forwarded-For rotates on every guess from one address, then the account still locks and the right password is refused', async () => {
    const { app } = appWith({ backoffBaseSeconds: 0 });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i += 1) statuses.push((await apiLogin(app, 'locality.tongan', `guess-${i}`, `203.0.113.${i + 1}`)).status);
    expect(statuses).toEqual([...Array(10).fill(401), 429, 429]);
    const right = await apiLogin(app, 'locality.tongan', demoPassword, '198.51.100.7');
    expect(right.status).toBe(429);
    expect(right.body.error).toContain('临时锁定');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(60);
  });

  test('when proxies are trusted by configuration, then each forwarded client is its own address', async () => {
    const { app } = appWith({ addressFailuresBeforeBlock: 2, backoffBaseSeconds: 0 }, ['loopback']);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await apiLogin(app, `nobody-proxied-${i}`, 'x', `203.0.113.${10 + (i % 2)}`)).status);
    // Two failures from each of two clients: neither reaches the block of the third.
    expect(statuses).toEqual([401, 401, 401, 401]);
    expect((await apiLogin(app, `nobody-proxied-x`, 'x', '203.0.113.10')).status).toBe(429);
    expect((await apiLogin(app, 'grid', demoPassword, '203.0.113.12')).status).toBe(200);
  });

  test('when TRUST_PROXY is not set, then the configuration trusts no proxy; a bad value stops the start', () => {
    const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017', SESSION_SECRET: 'a-secret-of-16-chars' };
    expect(loadConfig(base).TRUST_PROXY).toBe(false);
    expect(loadConfig({ ...base, TRUST_PROXY: 'loopback, 10.0.0.0/8' }).TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8']);
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(() => loadConfig({ ...base, TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/u);
  });

  test('when failures alternate between the JSON API and the login page, then they count together', async () => {
    const { app } = appWith({ accountFailuresBeforeLock: 4, backoffBaseSeconds: 0 });
    expect((await apiLogin(app, 'police.tongan', 'wrong-1')).status).toBe(401);
    expect((await pageLogin(app, 'police.tongan', 'wrong-2')).status).toBe(401);
    expect((await apiLogin(app, 'police.tongan', 'wrong-3')).status).toBe(401);
    expect((await pageLogin(app, 'police.tongan', 'wrong-4')).status).toBe(401);
    const page = await pageLogin(app, 'police.tongan', demoPassword);
    expect(page.status).toBe(429);
    expect(page.text).toContain('临时锁定');
    expect((await apiLogin(app, 'police.tongan', demoPassword)).status).toBe(429);
  });

  test('when an account fails again and again, then each further attempt must wait longer first', async () => {
    const { app } = appWith({ failuresBeforeBackoff: 2, backoffBaseSeconds: 1 });
    expect((await apiLogin(app, 'province.supervisor', 'wrong-1')).status).toBe(401);
    expect((await apiLogin(app, 'province.supervisor', 'wrong-2')).status).toBe(401);
    expect((await apiLogin(app, 'province.supervisor', 'wrong-3')).status).toBe(401);
    const early = await apiLogin(app, 'province.supervisor', demoPassword);
    expect(early.status).toBe(429);
    expect(early.headers['retry-after']).toBe('1');
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await apiLogin(app, 'province.supervisor', 'wrong-4')).status).toBe(401);
    const later = await apiLogin(app, 'province.supervisor', demoPassword);
    expect([later.status, later.headers['retry-after']]).toEqual([429, '2']);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await apiLogin(app, 'province.supervisor', demoPassword)).status).toBe(200);
    // A success clears the count: the next typo starts afresh.
    expect((await apiLogin(app, 'province.supervisor', 'wrong-5')).status).toBe(401);
    expect((await apiLogin(app, 'province.supervisor', demoPassword)).status).toBe(200);
  });

  test('when one address guesses at many accounts, then it is blocked, even for a right password', async () => {
    const { app } = appWith({ addressFailuresBeforeBlock: 5, backoffBaseSeconds: 0 });
    for (let i = 0; i < 5; i += 1) expect((await apiLogin(app, `nobody-${i}`, 'spray-password')).status).toBe(401);
    const blocked = await apiLogin(app, 'grid', demoPassword);
    expect(blocked.status).toBe(429);
    expect(blocked.body.error).toContain('网络地址');
  });

  test('when an account is locked, then the lock is audited, survives a new API process, is listed for the admin and can be lifted by the admin', async () => {
    const policy = { accountFailuresBeforeLock: 3, backoffBaseSeconds: 0 };
    const first = appWith(policy);
    for (let i = 0; i < 3; i += 1) expect((await apiLogin(first.app, 'city.supervisor', `wrong-${i}`)).status).toBe(401);
    expect(await AuditEntryModel.countDocuments({ action: 'login_lock', 'actor.userId': 'city.supervisor' })).toBe(1);

    // Another API process (or this one restarted): nothing in its memory, the lock still holds.
    const second = appWith(policy);
    expect((await apiLogin(second.app, 'city.supervisor', demoPassword)).status).toBe(429);

    const admin = `Bearer ${(await apiLogin(second.app, 'admin', demoPassword)).body.token as string}`;
    const officer = `Bearer ${(await apiLogin(second.app, 'officer', demoPassword)).body.token as string}`;
    expect((await request(second.app).get('/api/admin/login-locks').set('Authorization', officer)).status).toBe(403);
    const listed = await request(second.app).get('/api/admin/login-locks').set('Authorization', admin);
    expect(listed.status).toBe(200);
    const lock = (listed.body.items as { account: string; failures: number; lastAddress: string; lockedUntil: string }[]).find((item) => item.account === 'city.supervisor');
    expect(lock).toEqual(expect.objectContaining({ failures: 3, lastAddress: expect.any(String) }));
    expect(Date.parse(lock!.lockedUntil)).toBeGreaterThan(Date.now() + 10 * 60_000);

    expect((await request(second.app).delete('/api/admin/login-locks/city.supervisor').set('Authorization', admin)).status).toBe(204);
    expect(await AuditEntryModel.countDocuments({ action: 'login_unlock' })).toBe(1);
    expect((await apiLogin(second.app, 'city.supervisor', demoPassword)).status).toBe(200);
  });

  test('when the username is unknown, then refusing it costs as long as a wrong password for a real user', async () => {
    const { app } = appWith({ accountFailuresBeforeLock: 1000, addressFailuresBeforeBlock: 1000, backoffBaseSeconds: 0 });
    await apiLogin(app, 'nobody-warmup', 'x');
    const unknown: number[] = [];
    const known: number[] = [];
    for (let i = 0; i < 9; i += 1) {
      let started = performance.now();
      expect((await apiLogin(app, `nobody-timing-${i}`, 'wrong')).status).toBe(401);
      unknown.push(performance.now() - started);
      started = performance.now();
      expect((await apiLogin(app, 'officer', 'wrong')).status).toBe(401);
      known.push(performance.now() - started);
    }
    // Before: 114 ms against 407 ms (no bcrypt for an unknown user). Now both run one compare.
    expect(median(unknown) / median(known)).toBeGreaterThan(0.6);
  });

  test('when the username holds control characters, then it is an ordinary refusal, not a server error', async () => {
    const { app } = appWith();
    const withNul = await apiLogin(app, 'off\u0000icer', demoPassword);
    expect(withNul.status).toBe(400);
    expect(withNul.body.error).toContain('无效字符');
    const withBell = await apiLogin(app, 'off\u0007icer', demoPassword);
    expect(withBell.status).toBe(401);
    expect(withBell.body.error).toBe('用户名或密码错误');
  });
});
