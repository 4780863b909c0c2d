import request from 'supertest';
import type { Express } from 'express';
import { AttachmentModel } from '../../../models/attachment.model';
import { CaseModel } from '../../../models/case.model';
import { CaseStateModel } from '../../../models/case-state.model';
import { demoPassword } from '../../../scripts/demo-data';
import { startTestStack, type TestStack } from '../../support/stack';
import { appWithPages } from './page-app';

jest.setTimeout(300_000);

// The smallest valid PNG (1×1) and a "PNG" that is really text.
const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/u.exec(html);
  if (!match) throw new Error('no CSRF field on the page');
  return match[1]!;
}

describe('page forms: CSRF, login cookie, patrol finding with photos', () => {
  let stack: TestStack;
  let app: Express;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'pages_forms' });
    app = appWithPages(stack);
  });
  afterAll(() => stack.stop());

  async function loggedIn(username: string) {
    const agent = request.agent(app);
    const form = await agent.get('/login');
    const response = await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), username, password: demoPassword, next: '/intake' });
    expect(response.status).toBe(303);
    expect(response.headers['location']).toBe('/intake');
    const cookie = String(response.headers['set-cookie']);
    expect(cookie).toMatch(/envcase_session=s%3A/u);
    expect(cookie).toMatch(/HttpOnly/u);
    expect(cookie).toMatch(/SameSite=Lax/u);
    return agent;
  }

  test('when a form is posted without its CSRF token, then it is refused with 403 and nothing happens', async () => {
    const agent = request.agent(app);
    await agent.get('/login');
    const response = await agent.post('/login').type('form').send({ username: 'officer', password: demoPassword });
    expect(response.status).toBe(403);
    expect(response.text).toContain('表单已过期');
    expect(response.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/envcase_session=s/u)]));
  });

  test('when a grid member files a patrol finding with a photo, then the photo is stored with its SHA-256 and the case carries it', async () => {
    const agent = await loggedIn('grid');
    const page = await agent.get('/intake');
    expect(page.text).toContain('网格巡查发现');
    expect(page.text).not.toContain('信访 / 热线举报登记');
    const response = await agent
      .post('/intake/patrol')
      .field('_csrf', csrfOf(page.text))
      .field('idempotencyKey', 'patrol-page-0001')
      .field('category', 'rubbish_burning_dumping')
      .field('description', '河道边有人焚烧垃圾')
      .field('address', '东铺头街道九龙江边步道')
      .field('regionCode', '350602001')
      .field('lng', '117.66')
      .field('lat', '24.52')
      .attach('photos', png, { filename: 'scene.png', contentType: 'image/png' });
    expect(response.status).toBe(303);
    const caseId = /\/cases\/([^?]+)/u.exec(response.headers['location'] ?? '')?.[1];
    expect(caseId).toBeDefined();
    const stored = await AttachmentModel.findOne({ name: 'scene.png' }).lean();
    expect(stored?.sha256).toMatch(/^[0-9a-f]{64}$/u);
    const record = await CaseStateModel.findById(caseId).lean();
    expect((record?.state as { attachments: { sha256: string }[] }).attachments[0]?.sha256).toBe(stored?.sha256);
  });

  test('when the photo is not really a PNG, then the form says so and no case is created', async () => {
    const agent = await loggedIn('grid');
    const page = await agent.get('/intake');
    const before = await CaseModel.countDocuments();
    const response = await agent
      .post('/intake/patrol')
      .field('_csrf', csrfOf(page.text))
      .field('idempotencyKey', 'patrol-page-0002')
      .field('category', 'rubbish_burning_dumping')
      .field('description', '河道边有人焚烧垃圾')
      .field('address', '东铺头街道九龙江边步道')
      .field('regionCode', '350602001')
      .attach('photos', Buffer.from('not an image'), { filename: 'fake.png', contentType: 'image/png' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('文件内容不是声明的图片格式');
    expect(await CaseModel.countDocuments()).toBe(before);
  });

  test('when a required field is missing, then the form is shown again with the error naming the field and the input kept', async () => {
    const agent = await loggedIn('officer');
    const page = await agent.get('/intake');
    const response = await agent
      .post('/intake/complaint')
      .type('form')
      .send({ _csrf: csrfOf(page.text), idempotencyKey: 'complaint-page-0001', channel: 'complaint', category: 'noise', description: '夜间施工噪声扰民', address: '', regionCode: '350602001' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('地址');
    expect(response.text).toContain('夜间施工噪声扰民');
  });

  test('when a call is registered, then Back, another call entered on the same page and submitted, then both calls are cases; the same call submitted twice is one', async () => {
    const agent = await loggedIn('officer');
    const page = await agent.get('/intake');
    const nonce = /name="idempotencyKey" value="([^"]+)"/u.exec(page.text)?.[1];
    expect(nonce).toBeDefined();
    const call = (description: string, place: string) => ({
      _csrf: csrfOf(page.text),
      idempotencyKey: nonce,
      channel: 'hotline',
      category: 'noise',
      description,
      address: `漳州市芗城区东铺头街道${place}`,
      regionCode: '350602001',
      reporterName: '王女士',
      reporterPhone: '13900000000',
    });
    const first = await agent.post('/intake/complaint').type('form').send(call('工地夜间施工噪声扰民', '建设路1号'));
    expect(first.status).toBe(303);
    // Back: the browser shows the same page again, with the same hidden nonce.
    const second = await agent.post('/intake/complaint').type('form').send(call('烧烤店油烟直排', '胜利路8号'));
    expect(second.status).toBe(303);
    expect(second.headers['location']).not.toBe(first.headers['location']);
    const caseOf = (location: string) => decodeURIComponent(/\/cases\/([^?]+)/u.exec(location)![1]!);
    const [firstCase, secondCase] = await Promise.all([CaseModel.findById(caseOf(first.headers['location']!)).lean(), CaseModel.findById(caseOf(second.headers['location']!)).lean()]);
    expect(firstCase?.description).toBe('工地夜间施工噪声扰民');
    expect(secondCase?.description).toBe('烧烤店油烟直排');

    // A double submit of the second call lands on its case, and makes no third one.
    const before = await CaseModel.countDocuments();
    const again = await agent.post('/intake/complaint').type('form').send(call('烧烤店油烟直排', '胜利路8号'));
    expect(again.headers['location']?.split('?')[0]).toBe(second.headers['location']?.split('?')[0]);
    expect(await CaseModel.countDocuments()).toBe(before);
  });
});
