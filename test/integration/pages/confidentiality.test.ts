import request from 'supertest';
import type { Express } from 'express';
import { criminalPackageItems } from '../../../domain/referral';
import { startTestStack, type TestStack } from '../../support/stack';
import { appWithPages, complainant, complaintBody, complaintInRectification } from './page-app';

jest.setTimeout(300_000);

/** The complainant's name and phone, and the phone without its prefix, in case of reformatting. */
const secrets = [complainant.name, complainant.phone, complainant.phone.slice(3)];

function expectNoComplainant(label: string, text: string): void {
  for (const secret of secrets) {
    if (text.includes(secret)) throw new Error(`${label} reveals the complainant (${secret})`);
  }
}

describe('complainant confidentiality: nothing served to the locality handler or the police liaison names the complainant', () => {
  let stack: TestStack;
  let app: Express;
  let officer: string;
  let caseId: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'pages_confidential' });
    app = appWithPages(stack);
    officer = await stack.login('officer');
    caseId = await complaintInRectification(app, officer, 'confidential-0001');
  });
  afterAll(() => stack.stop());

  test('when the registering officer opens the case, then the complainant is shown (the check below is not vacuous)', async () => {
    const page = await request(app).get(`/cases/${caseId}`).set('Authorization', officer);
    expect(page.status).toBe(200);
    expect(page.text).toContain(complainant.phone);
  });

  test('when the locality handler reads every page and API it can reach, then neither name nor phone appears', async () => {
    const locality = await stack.login('locality');
    const served: [string, number, string][] = [];
    for (const path of [`/cases/${caseId}`, '/tasks', '/board', '/intake', `/api/cases/${caseId}`, '/api/cases', '/api/tasks?view=unit', '/api/tasks?view=mine', `/api/cases/${caseId}/documents`]) {
      const response = await request(app).get(path).set('Authorization', locality);
      served.push([path, response.status, response.text]);
    }
    // The case page and its JSON are served (and say the identity is withheld), not merely refused.
    expect(served.find(([path]) => path === `/cases/${caseId}`)?.[1]).toBe(200);
    expect(served.find(([path]) => path === `/cases/${caseId}`)?.[2]).toContain('依法保密');
    expect(served.find(([path]) => path === `/api/cases/${caseId}`)?.[1]).toBe(200);
    for (const [path, , text] of served) expectNoComplainant(`${path} for the locality handler`, text);

    // Documents addressed to the complainant are refused to the locality handler.
    const documents = JSON.parse(served.find(([path]) => path.endsWith('/documents'))![2]) as { items: { kind: string; pdfUrl: string | null }[] };
    expect(documents.items.map((doc) => doc.kind)).not.toContain('acceptance_notice');
  });

  test('when the police liaison receives a referral of a complaint case, then neither the referral APIs nor the pages name the complainant', async () => {
    const supervisor = await stack.login('supervisor');
    const police = await stack.login('police');
    const posted = await request(app).post('/api/intakes').set('Authorization', officer).send(complaintBody('confidential-0002', { location: { address: '漳州市芗城区西桥街道工业路', regionCode: '350602002' }, subject: { name: '漳州某电镀有限公司' } }));
    const referralCase = posted.body.caseId as string;
    for (const command of [{ action: 'triage', decision: 'accept' }, { action: 'acknowledge' }, { action: 'recordInvestigation', outcome: 'suspected_crime', findings: '暗管排放含镍废水' }]) {
      expect((await request(app).post(`/api/cases/${referralCase}/actions`).set('Authorization', officer).send(command)).status).toBe(200);
    }
    const proposed = await request(app)
      .post(`/api/cases/${referralCase}/referrals`)
      .set('Authorization', officer)
      .send({
        route: 'criminal',
        suspectedOffence: '刑法第三百三十八条（污染环境罪）',
        facts: '利用暗管排放含镍废水，总镍超标二十四倍',
        evidence: ['现场检查笔录', '监测报告'],
        package: criminalPackageItems.map((name) => ({ name, provided: true, copies: 1, pages: 3 })),
        // Complete, since a proposal the 移送书 could not be issued from is refused (issue 9, item 5).
        party: { name: '漳州某电镀有限公司', creditCode: '91350100M000100Y43', address: '漳州市芗城区西桥街道工业路', legalRepresentative: '郭某' },
        contact: { name: '王执法', phone: '0596-2034567' },
      });
    expect(proposed.status).toBe(201);
    const referralId = proposed.body.referralId as string;
    let approved = 0;
    for (let attempt = 0; attempt < 50 && approved !== 200; attempt += 1) {
      approved = (await request(app).post(`/api/referrals/${referralId}/actions`).set('Authorization', supervisor).send({ action: 'approve', note: '同意移送' })).status;
      if (approved !== 200) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(approved).toBe(200);

    let inbox: { items: { referralId: string }[] } = { items: [] };
    for (let attempt = 0; attempt < 50 && !inbox.items.some((item) => item.referralId === referralId); attempt += 1) {
      inbox = (await request(app).get('/api/referrals').set('Authorization', police)).body;
      if (!inbox.items.some((item) => item.referralId === referralId)) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(inbox.items.map((item) => item.referralId)).toContain(referralId);

    for (const path of ['/api/referrals', `/api/referrals/${referralId}`, '/tasks', `/cases/${referralCase}`, `/api/cases/${referralCase}`, '/api/tasks']) {
      const response = await request(app).get(path).set('Authorization', police);
      expectNoComplainant(`${path} for the police liaison`, response.text);
      // The police liaison has no access to the case file itself, only to the referral.
      if (path.includes('/cases/')) expect(response.status).toBe(403);
    }
  });
});
