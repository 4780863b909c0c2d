import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import request from 'supertest';
import type { Express } from 'express';
import { chromiumFlags } from '../../../activities/documents/pdf-renderer';
import { criminalPackageItems } from '../../../domain/referral';
import { ReferralModel } from '../../../models/referral.model';
import { demoPassword } from '../../../scripts/demo-data';
import { startTestStack, type TestStack } from '../../support/stack';
import { appWithPages, complainant, complaintBody, listen } from './page-app';

jest.setTimeout(300_000);

const screenshots = path.resolve(__dirname, '..', '..', '..', 'test-artifacts', 'screenshots');

/** The complainant's name and phone, and the phone without its prefix, in case of reformatting. */
const secrets = [complainant.name, complainant.phone, complainant.phone.slice(3)];

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, attempts = 100): Promise<T> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    const found = await probe();
    if (found !== undefined) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('(c) the police liaison through the referral pages (Debian Chromium, puppeteer-core)', () => {
  let stack: TestStack;
  let app: Express;
  let server: Server;
  let baseUrl: string;
  let browser: Browser;
  let userDataDir: string;
  let page: Page;
  /** Every page the police liaison was served, to check for the complainant at the end. */
  const policeHtml: [string, string][] = [];

  beforeAll(async () => {
    stack = await startTestStack({ name: 'pages_police' });
    app = appWithPages(stack);
    ({ server, baseUrl } = await listen(app));
    fs.mkdirSync(screenshots, { recursive: true });
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'envcase-police-'));
    browser = await puppeteer.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
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

  /** Opens the action's form, fills it and submits; returns the resulting page's HTML. */
  async function act(action: string, fill: (form: string) => Promise<void> = async () => undefined): Promise<string> {
    const form = `details[data-action="${action}"]`;
    await page.waitForSelector(form);
    await page.$eval(form, (details) => ((details as HTMLDetailsElement).open = true));
    await fill(form);
    await Promise.all([page.waitForNavigation(), page.click(`${form} button[type=submit]`)]);
    return page.content();
  }

  const offered = () => page.$$eval('details[data-action]', (nodes) => nodes.map((node) => node.getAttribute('data-action')));
  const referralStatus = () => page.$eval('#referral-status', (element) => element.getAttribute('data-status'));
  const clockStatus = (clockId: string) => page.$eval(`tr[data-clock="${clockId}"]`, (row) => row.getAttribute('data-clock-status'));
  const keep = async () => policeHtml.push([page.url(), await page.content()]);

  test('the liaison signs, asks for supplements (the officer supplies), extends with an approval reference and decides 立案; another unit gets 404; the complainant is never shown', async () => {
    // A complaint (with a named complainant) investigated to a suspected crime, through the API.
    const officer = await stack.login('officer');
    const posted = await request(app)
      .post('/api/intakes')
      .set('Authorization', officer)
      .send(complaintBody('police-journey-0001', { location: { address: '漳州市芗城区西桥街道工业路', regionCode: '350602002' }, subject: { name: '漳州某电镀有限公司', creditCode: '91350100M000100Y43' } }));
    expect(posted.status).toBe(201);
    const caseId = posted.body.caseId as string;
    for (const command of [{ action: 'triage', decision: 'accept' }, { action: 'acknowledge' }, { action: 'recordInvestigation', outcome: 'suspected_crime', findings: '暗管排放含镍废水，总镍超标二十四倍' }]) {
      expect((await request(app).post(`/api/cases/${caseId}/actions`).set('Authorization', officer).send(command)).status).toBe(200);
    }

    // The officer proposes 移送公安 from the case page; a missing field is named on the form.
    await loginAs('officer');
    await page.goto(`${baseUrl}/cases/${caseId}`);
    let html = await act('proposeReferral', async (form) => {
      await page.type(`${form} input[name=suspectedOffence]`, '刑法第三百三十八条（污染环境罪）');
    });
    expect(html).toContain('涉嫌犯罪（违法）事实：必填');
    expect(await page.$eval('#rp-offence', (input) => (input as HTMLInputElement).value)).toBe('刑法第三百三十八条（污染环境罪）');
    html = await act('proposeReferral', async (form) => {
      await page.type(`${form} textarea[name=facts]`, '利用暗管排放含镍废水，总镍超标二十四倍');
      await page.type(`${form} textarea[name=evidence]`, '现场检查笔录\n监测报告');
      await page.type(`${form} input[name=contactPhone]`, '0596-2034567');
      await page.type(`${form} input[name=partyLegalRepresentative]`, '郭某');
      for (const name of criminalPackageItems) {
        await page.$eval(`${form} fieldset[data-route=criminal] input[value="${name}"]`, (input) => ((input as HTMLInputElement).checked = true));
      }
    });
    expect(html).toContain('已完成：提出移送公安');
    const referralId = `${caseId}-1`;
    await eventually('the referral in the read model', async () => ((await ReferralModel.findById(referralId).lean()) ? true : undefined));
    await page.goto(`${baseUrl}/cases/${caseId}`);
    expect(await page.$(`#referrals li[data-referral-id="${referralId}"] a`)).not.toBeNull();
    await logout();

    // The supervisor approves on the referral page (bureau actions only).
    await loginAs('supervisor');
    await page.goto(`${baseUrl}/referrals/${referralId}`);
    expect(await offered()).toEqual(expect.arrayContaining(['approve', 'refuseApproval']));
    expect(await offered()).not.toContain('sign');
    await act('approve', async (form) => {
      await page.type(`${form} textarea[name=note]`, '同意移送');
    });
    expect(await referralStatus()).toBe('transferred');
    await logout();

    // The police liaison: the task on /tasks leads to the referral; the inbox lists it under 待签收.
    await loginAs('police');
    await keep();
    expect(await page.$(`a[href="/referrals/${referralId}"]`)).not.toBeNull();
    await page.goto(`${baseUrl}/referrals`);
    await keep();
    expect(await page.$eval('.tabs .tab.current', (tab) => tab.getAttribute('data-box'))).toBe('awaiting_receipt');
    expect(await page.$$eval('.tabs .tab', (tabs) => tabs.map((tab) => tab.getAttribute('data-box')))).toEqual(['awaiting_receipt', 'awaiting_decision', 'overdue', 'decided']);
    expect(await page.$(`tr[data-referral-id="${referralId}"] .badge.urgent`)).not.toBeNull();
    await shot('police-01-inbox');
    await Promise.all([page.waitForNavigation(), page.click(`tr[data-referral-id="${referralId}"] a.referral-link`)]);
    await keep();
    expect(await page.$$eval('table.package tr[data-provided="true"]', (rows) => rows.length)).toBe(criminalPackageItems.length);
    expect(await page.$('tr[data-clock="police_receipt"]')).not.toBeNull();
    expect(await page.content()).toContain('两法衔接办法 第七条');
    expect(await offered()).toEqual(['sign', 'returnReferral']);
    await shot('police-02-referral');

    await act('sign', async (form) => {
      await page.type(`${form} textarea[name=note]`, '材料已收');
    });
    await keep();
    expect(await referralStatus()).toBe('received');
    expect(await offered()).toEqual(expect.arrayContaining(['requestSupplement', 'extendDecision', 'decide', 'returnReferral']));
    expect(await page.content()).toContain('两法衔接办法 第九条');

    // Asking for nothing is refused on the form; then asking for the original report.
    html = await act('requestSupplement');
    await keep();
    expect(html).toContain('材料：至少一项');
    expect(await referralStatus()).toBe('received');
    await act('requestSupplement', async (form) => {
      await page.type(`${form} textarea[name=items]`, '监测报告原件');
      await page.type(`${form} textarea[name=note]`, '请于三日内补充');
    });
    await keep();
    expect(await referralStatus()).toBe('supplement_requested');
    expect(await clockStatus('police_decision')).toBe('suspended');
    expect(await offered()).not.toContain('decide');
    await shot('police-03-supplement-requested');
    await logout();

    // The officer supplies what was asked (the form comes filled with it).
    await loginAs('officer');
    await page.goto(`${baseUrl}/referrals/${referralId}`);
    expect(await page.$eval('details[data-action="supply"] textarea[name=items]', (area) => (area as HTMLTextAreaElement).value)).toBe('监测报告原件');
    await act('supply');
    expect(await referralStatus()).toBe('received');
    expect(await clockStatus('police_decision')).toBe('running');
    await logout();

    // The liaison finds it under 待决定, extends with an approval reference, and decides 立案.
    await loginAs('police');
    await page.goto(`${baseUrl}/referrals?box=awaiting_decision`);
    await keep();
    await Promise.all([page.waitForNavigation(), page.click(`tr[data-referral-id="${referralId}"] a.referral-link`)]);
    html = await act('extendDecision', async (form) => {
      await page.type(`${form} textarea[name=reason]`, '涉案企业多，需调取银行流水');
    });
    await keep();
    expect(html).toContain('批准文号或审批记录：');
    await act('extendDecision', async (form) => {
      await page.type(`${form} input[name=approvalRef]`, '漳芗公刑审〔2026〕12号');
    });
    await keep();
    expect(await page.content()).toContain('data-type="decision_extended"');
    html = await act('decide', async (form) => {
      await page.click(`${form} input[name=decision][value=not_file]`);
    });
    expect(html).toContain('不予立案（不予受理）须书面说明理由');
    expect(await referralStatus()).toBe('received');
    await act('decide', async (form) => {
      await page.click(`${form} input[name=decision][value=file]`);
      await page.type(`${form} textarea[name=reasons]`, '有证据证明污染环境的犯罪事实，需要追究刑事责任');
    });
    await keep();
    expect(await referralStatus()).toBe('decided');
    expect(await page.$eval('#referral-decision', (element) => element.getAttribute('data-decision'))).toBe('file');
    expect(await offered()).toEqual(['reportOutcome']);
    await act('reportOutcome', async (form) => {
      await page.type(`${form} input[name=noticeNo]`, '漳芗公立字〔2026〕7号');
    });
    await keep();
    expect(await referralStatus()).toBe('filed');
    expect(await offered()).toEqual([]);
    for (const type of ['received', 'supplement_requested', 'supplied', 'decision_extended']) expect(await page.content()).toContain(`data-type="${type}"`);
    await shot('police-04-decided');
    await page.goto(`${baseUrl}/referrals?box=decided`);
    await keep();
    expect(await page.$(`tr[data-referral-id="${referralId}"]`)).not.toBeNull();
    await page.setViewport({ width: 390, height: 844, isMobile: true });
    await shot('police-05-inbox-decided-mobile');
    await page.setViewport({ width: 1280, height: 900 });
    await logout();

    // Another unit's liaison: 404 on the page, an empty inbox, and no action either.
    await loginAs('police.tongan');
    const foreign = await page.goto(`${baseUrl}/referrals/${referralId}`);
    expect(foreign?.status()).toBe(404);
    for (const box of ['awaiting_receipt', 'awaiting_decision', 'overdue', 'decided']) {
      await page.goto(`${baseUrl}/referrals?box=${box}`);
      expect(await page.$(`tr[data-referral-id="${referralId}"]`)).toBeNull();
    }
    await logout();
    const otherPolice = await stack.login('police.tongan');
    expect((await request(app).get(`/referrals/${referralId}`).set('Authorization', otherPolice)).status).toBe(404);

    // Nothing the liaison was served names the complainant (and the officer's case page does: not vacuous).
    const police = await stack.login('police');
    for (const route of ['/referrals', '/referrals?box=decided', `/referrals/${referralId}`, '/tasks']) {
      const response = await request(app).get(route).set('Authorization', police);
      expect(response.status).toBe(200);
      policeHtml.push([route, response.text]);
    }
    expect(policeHtml.length).toBeGreaterThan(10);
    for (const [url, text] of policeHtml) {
      for (const secret of secrets) {
        if (text.includes(secret)) throw new Error(`${url} shows the police liaison the complainant (${secret})`);
      }
      expect(text).not.toMatch(/reporter|举报人姓名/u);
    }
    expect((await request(app).get(`/cases/${caseId}`).set('Authorization', officer)).text).toContain(complainant.phone);
  });
});
