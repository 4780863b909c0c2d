import request from 'supertest';
import { CaseModel } from '../../../models/case.model';
import { startTestStack, type TestStack } from '../../support/stack';

describe('walking skeleton: intake through the real stack', () => {
  let stack: TestStack;
  let officer: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'skeleton' });
    officer = await stack.login('officer');
  });
  afterAll(() => stack.stop());

  // Each test reports a different place with no subject: dedupe (same category, same credit code
  // or within 200 m) would otherwise merge a later test's intake into an earlier test's case.
  const complaint = (key: string, place: number) => ({
    channel: 'hotline',
    category: 'water',
    description: `工业园区排污口夜间排放黄色污水，河面有泡沫（${place}号排口）`,
    location: { address: `漳州市芗城区东铺头街道九龙江边${place}号`, regionCode: '350602001', coordinates: { lng: 117.6 + place * 0.01, lat: 24.51 } },
    reporter: { anonymous: false, name: '李先生', phone: '13800000000' },
    idempotencyKey: key,
  });

  test('when an intake is posted, then a case workflow registers it, MongoDB holds it and the officer sees it and its triage task', async () => {
    const posted = await request(stack.app).post('/api/intakes').set('Authorization', officer).send(complaint('skeleton-0001', 1));
    expect(posted.status).toBe(201);
    expect(posted.body.caseNo).toMatch(/^350602-\d{4}-\d{5}$/);

    const stored = await CaseModel.findById(posted.body.caseId).lean();
    expect(stored?.status).toBe('received');
    expect(stored?.clocks.map((clock) => clock.id)).toContain('acceptance_notice');

    const description = await stack.client.workflow.getHandle(`case-${posted.body.caseId}`).describe();
    expect(description.status.name).toBe('RUNNING');

    const cases = await request(stack.app).get('/api/cases').set('Authorization', officer);
    expect(cases.status).toBe(200);
    expect(cases.body.items.map((item: { caseId: string }) => item.caseId)).toContain(posted.body.caseId);

    const tasks = await request(stack.app).get('/api/tasks?view=unit').set('Authorization', officer);
    expect(tasks.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ caseId: posted.body.caseId, kind: 'triage' })]));
  });

  test('when the same idempotency key is sent twice, then there is exactly one case', async () => {
    const first = await request(stack.app).post('/api/intakes').set('Authorization', officer).send(complaint('skeleton-0002', 2));
    const second = await request(stack.app).post('/api/intakes').set('Authorization', officer).send(complaint('skeleton-0002', 2));
    expect(second.body.caseId).toBe(first.body.caseId);
    expect(await CaseModel.countDocuments({ idempotencyKey: 'skeleton-0002' })).toBe(1);
  });

  test('when the credit code has a wrong check character, then the intake is refused with a 400 naming it and nothing is created', async () => {
    const before = await CaseModel.countDocuments();
    const response = await request(stack.app)
      .post('/api/intakes')
      .set('Authorization', officer)
      .send({ ...complaint('skeleton-0003', 3), subject: { name: '某公司', creditCode: '91350100M000100Y44' } });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('统一社会信用代码');
    expect(await CaseModel.countDocuments()).toBe(before);
  });
});
