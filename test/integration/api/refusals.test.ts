import { CaseModel } from '../../../models/case.model';
import { CaseEventModel } from '../../../models/case-event.model';
import { startTestStack, type TestStack } from '../../support/stack';
import { aComplaint, caseApi } from './case-api';

/**
 * Refusals change nothing: each test takes the case's revision, status and event count before
 * the request and checks they are the same after it.
 */
describe('refused requests leave the case as it was', () => {
  let stack: TestStack;
  let api: ReturnType<typeof caseApi>;
  let officer: string;
  let locality: string;
  let officerTongan: string;
  let caseId: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'refusals' });
    api = caseApi(stack);
    [officer, locality, officerTongan] = await Promise.all([stack.login('officer'), stack.login('locality'), stack.login('officer.tongan')]);
    const intake = await api.postIntake(officer, aComplaint({ key: 'refusals-0001', place: 1 }));
    expect(intake.status).toBe(201);
    caseId = intake.body.caseId;
  });
  afterAll(() => stack.stop());

  async function snapshot() {
    const stored = await CaseModel.findById(caseId).select({ revision: 1, status: 1, escalationLevel: 1 }).lean();
    return {
      revision: stored?.revision,
      status: stored?.status,
      escalationLevel: stored?.escalationLevel,
      events: await CaseEventModel.countDocuments({ caseId }),
      cases: await CaseModel.countDocuments(),
    };
  }

  test('when a locality handler tries to triage, then 403 and the case is unchanged', async () => {
    const before = await snapshot();
    const response = await api.act(locality, caseId, { action: 'triage', decision: 'accept' });
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('NotPermitted');
    expect(response.body.error).toContain('属地经办人');
    expect(await snapshot()).toEqual(before);
  });

  test('when an officer of another county (同安区) acts on a 芗城区 case, then 404 and the case is unchanged', async () => {
    const before = await snapshot();
    const response = await api.act(officerTongan, caseId, { action: 'triage', decision: 'accept' });
    expect(response.status).toBe(404);
    expect((await api.tasks(officerTongan)).filter((task) => task.caseId === caseId)).toEqual([]);
    const read = await api.getCase(officerTongan, caseId).catch((error: Error) => error.message);
    expect(read).toContain('404');
    expect(await snapshot()).toEqual(before);
  });

  test('when the officer verifies a case that is still received, then 409 and the case is unchanged', async () => {
    const before = await snapshot();
    const response = await api.act(officer, caseId, { action: 'verify', passed: true, findings: '复查达标' });
    expect(response.status).toBe(409);
    expect(response.body.code).toBe('InvalidTransition');
    expect(await snapshot()).toEqual(before);
  });

  test('when an intake names a city rather than a county or township, then 400 and no case or workflow is started', async () => {
    const citySupervisor = await stack.login('city.supervisor');
    const cases = await CaseModel.countDocuments();
    const response = await api.postIntake(citySupervisor, aComplaint({ key: 'refusals-city-0001', place: 9, regionCode: '350600' }));
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('县区或乡镇街道');
    expect(await CaseModel.countDocuments()).toBe(cases);
  });

  test('when an action misses a required field, then 400 naming the field and the case is unchanged', async () => {
    const before = await snapshot();
    const response = await api.act(officer, caseId, { action: 'triage' });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('受理决定：必填');
    expect(await snapshot()).toEqual(before);
  });

  test('when a suspected crime comes with an order to correct but no legal basis, then 400 naming it (the order could not be issued) and the case is unchanged', async () => {
    const before = await snapshot();
    const response = await api.act(officer, caseId, { action: 'recordInvestigation', outcome: 'suspected_crime', findings: '暗管排放', requirement: '拆除暗管', rectificationDueDate: '2030-01-01' });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('违反的规定和法律依据');
    expect(await snapshot()).toEqual(before);
  });

  test('when a rejection has no reason, then the workflow validator refuses it with 400 and the case is unchanged', async () => {
    const before = await snapshot();
    const response = await api.act(officer, caseId, { action: 'triage', decision: 'reject' });
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('理由');
    expect(await snapshot()).toEqual(before);
  });

  test('when an intake misses its description, then 400 naming the field and no case is created', async () => {
    const before = await snapshot();
    const { description: _missing, ...body } = aComplaint({ key: 'refusals-0002', place: 2 });
    const response = await api.postIntake(officer, body);
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('问题描述：必填');
    expect(await snapshot()).toEqual(before);
  });

  test('when an intake names an unknown region, then 400 naming the region code and no case is created', async () => {
    const before = await snapshot();
    const response = await api.postIntake(officer, aComplaint({ key: 'refusals-0003', place: 3, regionCode: '350699999' }));
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('所在区域：未知的行政区划代码');
    expect(response.body.details).toEqual([expect.objectContaining({ path: 'location.regionCode', label: '所在区域' })]);
    expect(await snapshot()).toEqual(before);
  });

  test('when an intake carries a credit code with a wrong check character, then 400 naming it and no case is created', async () => {
    const before = await snapshot();
    const response = await api.postIntake(officer, aComplaint({ key: 'refusals-0004', place: 4, creditCode: '91350100M000100Y44' }));
    expect(response.status).toBe(400);
    expect(response.body.error).toContain('统一社会信用代码：校验码错误：第18位应为“3”，实为“4”');
    expect(response.body.error).not.toMatch(/[A-Za-z]{3,}/);
    expect(await snapshot()).toEqual(before);
  });

  test('when an officer of another county registers an intake in 芗城区, then 403 and no case is created', async () => {
    const before = await snapshot();
    const response = await api.postIntake(officerTongan, aComplaint({ key: 'refusals-0005', place: 5 }));
    expect(response.status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  test('after all the refusals, the rightful officer can still triage the case', async () => {
    const response = await api.act(officer, caseId, { action: 'triage', decision: 'accept' });
    expect(response.status).toBe(200);
    expect(response.body.status).toBe('assigned');
  });
});
