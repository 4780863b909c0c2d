import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import request from 'supertest';
import type { Express } from 'express';
import { chromiumFlags } from '../../../activities/documents/pdf-renderer';
import { CaseModel } from '../../../models/case.model';
import { demoPassword } from '../../../scripts/demo-data';
import { startTestStack, type TestStack } from '../../support/stack';
import { appWithPages, beijingDate, complainant, complaintInRectification, listen } from './page-app';

jest.setTimeout(300_000);

const screenshots = path.resolve(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');

describe('pages in a real browser (Debian Chromium, puppeteer-core)', () => {
  let stack: TestStack;
  let app: Express;
  let server: Server;
  let baseUrl: string;
  let browser: Browser;
  let userDataDir: string;
  let page: Page;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'pages_journeys' });
    app = appWithPages(stack);
    ({ server, baseUrl } = await listen(app));
    fs.mkdirSync(screenshots, { recursive: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'envcase-pages-'));
    browser = await puppeteer.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      // The renderer's flags, except that loopback (the app under test) bypasses the dead proxy;
      // everything else still fails closed.
      args: [...chromiumFlags.filter((flag) => !flag.startsWith('--proxy-bypass-list')), '--proxy-bypass-list=127.0.0.1'],
      userDataDir,
    });
    page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
  });

  afterAll(async () => {
    await browser?.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
    await new Promise((resolve) => server?.close(resolve));
    await stack?.stop();
  });

  async function shot(name: string): Promise<void> {
    await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
  }

  async function loginAs(username: string): Promise<void> {
    await page.goto(`${baseUrl}/login`);
    await page.type('#username', username);
    await page.type('#password', demoPassword);
    await Promise.all([page.waitForNavigation(), page.click('#login-form button[type=submit]')]);
    expect(new URL(page.url()).pathname).toBe('/tasks');
  }

  async function logout(): Promise<void> {
    await Promise.all([page.waitForNavigation(), page.click('#logout')]);
    expect(new URL(page.url()).pathname).toBe('/login');
  }

  /** Opens the action's form on the case page, fills it and submits; returns the resulting page's HTML. */
  async function act(action: string, fill: (form: string) => Promise<void> = async () => undefined): Promise<string> {
    const form = `details[data-action="${action}"]`;
    await page.waitForSelector(form);
    await page.$eval(form, (details) => ((details as HTMLDetailsElement).open = true));
    await fill(form);
    await Promise.all([page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);
    return page.content();
  }

  async function caseStatus(): Promise<string | null> {
    return page.$eval('#case-status', (element) => element.getAttribute('data-status'));
  }

  test('(a) an officer takes a complaint from intake to closure; the locality rectifies and the supervisor approves closure', async () => {
    await page.goto(`${baseUrl}/tasks`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await shot('01-login');

    await page.type('#username', 'officer');
    await page.type('#password', 'wrong-password');
    await Promise.all([page.waitForNavigation(), page.click('#login-form button[type=submit]')]);
    expect(await page.content()).toContain('用户名或密码错误');

    await loginAs('officer');
    const cookies = await browser.cookies();
    const session = cookies.find((cookie) => cookie.name === 'envcase_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    await page.goto(`${baseUrl}/intake`);
    await page.select('#c-channel', 'hotline');
    await page.select('#c-category', 'water');
    await page.type('#c-description', '工业园区排污口夜间排放黄色污水，河面有泡沫');
    await page.type('#c-address', '漳州市芗城区东铺头街道九龙江边');
    await page.select('#c-region', '350602001');
    await page.type('#c-lng', '117.65');
    await page.type('#c-lat', '24.51');
    await page.type('#c-name', complainant.name);
    await page.type('#c-phone', complainant.phone);
    await shot('02-intake');
    await Promise.all([page.waitForNavigation(), page.click('#complaint-form button[type=submit]')]);
    expect(new URL(page.url()).pathname).toMatch(/^\/cases\//);
    const caseId = new URL(page.url()).pathname.split('/')[2]!;
    expect(await page.content()).toContain('登记成功');
    expect(await caseStatus()).toBe('received');
    // The registering officer sees the complainant.
    expect(await page.content()).toContain(complainant.phone);

    // A form error is shown on the form and changes nothing: rejecting needs a reason.
    let html = await act('triage', async (form) => {
      await page.click(`${form} input[name=decision][value=reject]`);
    });
    expect(html).toContain('不予受理须说明理由');
    expect(await caseStatus()).toBe('received');

    html = await act('triage', async (form) => {
      await page.click(`${form} input[name=decision][value=accept]`);
    });
    expect(await caseStatus()).toBe('assigned');
    html = await act('acknowledge');
    expect(await caseStatus()).toBe('investigating');
    await act('recordInvestigation', async (form) => {
      await page.select(`${form} select[name=outcome]`, 'violation');
      await page.type(`${form} textarea[name=findings]`, '现场检查发现排污口正在排放黄色污水');
      await page.type(`${form} textarea[name=requirement]`, '立即停止排放，清理排口并完善治污设施');
      await page.$eval(`${form} input[name=rectificationDueDate]`, (input, value) => ((input as HTMLInputElement).value = value), beijingDate(10));
      await page.type(`${form} input[name=legalBasis]`, '《水污染防治法》第八十三条');
      await page.type(`${form} input[name=violatedProvisions]`, '《水污染防治法》第十条');
    });
    expect(await caseStatus()).toBe('rectifying');
    await shot('03-case-officer');
    await logout();

    // The locality handler: the task is on their list, they claim it and report; no complainant identity anywhere.
    await loginAs('locality');
    html = await page.content();
    expect(html).toContain(`data-case-id="${caseId}"`);
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await shot('04-tasks-locality-mobile');
    await page.setViewport({ width: 1280, height: 900 });
    await Promise.all([page.waitForNavigation(), page.click(`tr[data-case-id="${caseId}"] button.claim`)]);
    expect(await page.content()).toContain('已认领任务');
    await page.goto(`${baseUrl}/cases/${caseId}`);
    html = await page.content();
    expect(html).not.toContain(complainant.name);
    expect(html).not.toContain(complainant.phone);
    expect(html).toContain('依法保密');
    // Only the actions a locality handler may take now.
    const offered = await page.$$eval('details[data-action]', (nodes) => nodes.map((node) => node.getAttribute('data-action')));
    expect(offered).toEqual(expect.arrayContaining(['reportRectification']));
    expect(offered).not.toContain('verify');
    expect(offered).not.toContain('decideClosure');
    await act('reportRectification', async (form) => {
      await page.type(`${form} textarea[name=report]`, '已停止排放，排口已封堵，治污设施已修复');
    });
    expect(await caseStatus()).toBe('verifying');
    await logout();

    await loginAs('officer');
    await page.goto(`${baseUrl}/cases/${caseId}`);
    await act('verify', async (form) => {
      await page.type(`${form} textarea[name=findings]`, '复查确认排口已封堵，水质正常');
    });
    expect(await caseStatus()).toBe('closing');
    await logout();

    // The supervisor finds the closure approval on the board and approves with the answer.
    await loginAs('supervisor');
    await page.goto(`${baseUrl}/board`);
    await shot('05-board-supervisor');
    await Promise.all([page.waitForNavigation(), page.click(`a.approval-link[data-kind="approve_closure"][href^="/cases/${caseId}"]`)]);
    html = await act('decideClosure', async (form) => {
      await page.click(`${form} input[name=approve][value=true]`);
    });
    expect(html).toContain('信访举报案件结案须填写答复意见');
    expect(await caseStatus()).toBe('closing');
    await act('decideClosure', async (form) => {
      await page.click(`${form} input[name=approve][value=true]`);
      await page.type(`${form} textarea[name=answer]`, '经查，该企业已停止排放并完成整改，感谢您的监督。');
    });
    expect(await caseStatus()).toBe('closed');
    html = await page.content();
    for (const type of ['assigned', 'acknowledged', 'investigated', 'rectification_reported', 'verified', 'closed']) expect(html).toContain(`data-type="${type}"`);
    await shot('06-case-closed');
    expect((await CaseModel.findById(caseId).lean())?.status).toBe('closed');
    await logout();
  });

  test('(b) a supervisor escalates a case from the board and approves an extension through its task link', async () => {
    const officer = await stack.login('officer');
    const locality = await stack.login('locality');
    const caseId = await complaintInRectification(app, officer, `pages-b-${Date.now()}`, 2);
    const requested = await request(app)
      .post(`/api/cases/${caseId}/actions`)
      .set('Authorization', locality)
      .send({ action: 'requestExtension', clockId: 'rectification', amount: 5, unit: 'WD', reason: '设备采购需要时间' });
    expect(requested.status).toBe(200);
    const dueBefore = requested.body.clocks.rectification.dueAt as string;

    await loginAs('supervisor');
    await page.goto(`${baseUrl}/board`);
    const row = `table.board-cases tr[data-case-id="${caseId}"]`;
    await page.waitForSelector(row);
    await page.type(`${row} input[name=reason]`, '整改进度滞后，区局督办');
    await Promise.all([page.waitForNavigation(), page.click(`${row} button[type=submit]`)]);
    expect(new URL(page.url()).pathname).toBe('/board');
    await shot('07-board-after-escalation');

    await Promise.all([page.waitForNavigation(), page.click(`a.approval-link[data-kind="approve_extension"][href^="/cases/${caseId}"]`)]);
    await act('decideExtension', async (form) => {
      await page.click(`${form} input[name=approve][value=true]`);
      await page.type(`${form} textarea[name=note]`, '同意延期');
    });
    const html = await page.content();
    expect(html).toContain('data-type="extension_approved"');
    expect(html).toContain('延期获批');
    // Timeline text reads as dates and names; a policy basis says 政策默认 once.
    const timelineHtml = html.slice(html.indexOf('<ol class="timeline">'));
    expect(timelineHtml).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(timelineHtml).toMatch(/期限改为 \d{4}年\d{1,2}月\d{1,2}日/);
    expect(timelineHtml).not.toMatch(/（\d{6,12}）/);
    expect(html).toContain('政策默认 (可配置)');
    expect(html).not.toContain('（政策默认）');
    await shot('08-case-extension-approved');

    const stored = await CaseModel.findById(caseId).lean();
    expect(stored?.escalationLevel).toBeGreaterThanOrEqual(1);
    const clock = stored?.clocks.find((candidate) => candidate.id === 'rectification');
    expect(clock?.dueAt).not.toBe(dueBefore);
    expect(clock?.history.length).toBeGreaterThanOrEqual(1);
    await logout();
  });

  // (c) the police liaison's journey (sign, supplements, extension, 立案) is in police-journey.test.ts.
});
