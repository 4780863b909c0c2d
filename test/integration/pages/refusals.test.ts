import request from 'supertest';
import type { Express } from 'express';
import { criminalPackageItems } from '../../../domain/referral';
import { demoPassword } from '../../../scripts/demo-data';
import { startTestStack, type TestStack } from '../../support/stack';
import { aComplaint, caseApi, eventually } from '../api/case-api';
import { appWithPages } from './page-app';

jest.setTimeout(300_000);

function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/u.exec(html);
  if (!match) throw new Error('no CSRF field on the page');
  return match[1]!;
}

/** The page's refusal banner (the reason of a refused action whose form is not drawn), as text. */
function refusalOf(html: string): string | undefined {
  const match = /<div class="errors" role="alert" id="refusal">([\s\S]*?)<\/div>/u.exec(html);
  return match?.[1]?.replace(/<[^>]+>/gu, '');
}

// Issue 9, item 8: every refused page form says why, on the page it was posted from.
describe('refused page actions show their reason', () => {
  let stack: TestStack;
  let app: Express;
  let api: ReturnType<typeof caseApi>;
  let officer: string;
  let supervisor: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'pages_refusals' });
    app = appWithPages(stack);
    api = caseApi(stack);
    [officer, supervisor] = await Promise.all([stack.login('officer'), stack.login('supervisor')]);
  });
  afterAll(() => stack.stop());

  async function loggedIn(username: string) {
    const agent = request.agent(app);
    const form = await agent.get('/login');
    const response = await agent.post('/login').type('form').send({ _csrf: csrfOf(form.text), username, password: demoPassword, next: '/tasks' });
    expect(response.status).toBe(303);
    return agent;
  }

  /** A case already at 省级挂牌督办 (level 4): a further 督办 is refused with 409. */
  async function caseAtTopLevel(key: string, place: number): Promise<string> {
    const intake = await api.postIntake(officer, aComplaint({ key, place }));
    expect(intake.status).toBe(201);
    const caseId = intake.body.caseId as string;
    for (let level = 2; level <= 4; level += 1) {
      const escalated = await api.act(supervisor, caseId, { action: 'escalate', reason: `第${level}级督办` });
      expect(escalated.status).toBe(200);
    }
    return caseId;
  }

  test('when 督办 is refused from the board, then the board is shown again with the reason (409)', async () => {
    const caseId = await caseAtTopLevel('refusal-board-01', 71);
    const agent = await loggedIn('supervisor');
    const board = await agent.get('/board');
    const response = await agent.post(`/cases/${caseId}/actions/escalate`).type('form').send({ _csrf: csrfOf(board.text), returnTo: '/board', reason: '再次督办' });
    expect(response.status).toBe(409);
    expect(response.text).toContain('<h1>督办看板</h1>');
    expect(refusalOf(response.text)).toMatch(/督办升级未能完成.*已是最高督办级别（挂牌督办）/su);
  });

  test('when a case page action is refused and its form is no longer drawn, then the reason is shown above the forms', async () => {
    const caseId = await caseAtTopLevel('refusal-case-001', 72);
    const agent = await loggedIn('supervisor');
    const page = await agent.get(`/cases/${caseId}`);
    expect(page.text).not.toContain('data-action="escalate"');
    const response = await agent.post(`/cases/${caseId}/actions/escalate`).type('form').send({ _csrf: csrfOf(page.text), reason: '再次督办' });
    expect(response.status).toBe(409);
    expect(refusalOf(response.text)).toMatch(/已是最高督办级别（挂牌督办）/u);
  });

  test('when a referral page action is refused for the role, then the referral page says why', async () => {
    const intake = await api.postIntake(officer, aComplaint({ key: 'refusal-referral1', place: 73, creditCode: '91350100M000100Y43' }));
    const caseId = intake.body.caseId as string;
    for (const command of [{ action: 'triage', decision: 'accept' }, { action: 'acknowledge' }, { action: 'recordInvestigation', outcome: 'suspected_crime', findings: '暗管排放含镍废水' }]) {
      expect((await api.act(officer, caseId, command)).status).toBe(200);
    }
    const proposed = await request(app).post(`/api/cases/${caseId}/referrals`).set('Authorization', officer).send({
      route: 'criminal',
      suspectedOffence: '刑法第三百三十八条（污染环境罪）',
      facts: '利用暗管排放含镍废水',
      package: criminalPackageItems.map((name) => ({ name, provided: true })),
      party: { name: '漳州某化工有限公司', creditCode: '91350100M000100Y43', address: '漳州市芗城区工业园区1号', legalRepresentative: '郭某' },
      contact: { name: '王执法', phone: '0596-2034567' },
    });
    expect(proposed.status).toBe(201);
    const referralId = proposed.body.referralId as string;
    const agent = await loggedIn('supervisor');
    const page = await eventually('the referral page', async () => {
      const response = await agent.get(`/referrals/${referralId}`);
      return response.status === 200 ? response : undefined;
    });
    const response = await agent.post(`/referrals/${referralId}/actions/sign`).type('form').send({ _csrf: csrfOf(page.text) });
    expect(response.status).toBe(403);
    expect(refusalOf(response.text)).toMatch(/签收移送材料未能完成.*负责人无权执行此操作/su);
  });
});
