import { startTestStack, type TestStack } from '../../support/stack';
import { aComplaint, caseApi, type CaseDetail } from './case-api';

/** YYYY-MM-DD in Asia/Shanghai, `days` from now. */
function shanghaiDate(days: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

describe('a complaint from intake to closure, each step by its own user through the API', () => {
  let stack: TestStack;
  let api: ReturnType<typeof caseApi>;
  let officer: string;
  let locality: string;
  let supervisor: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'lifecycle' });
    api = caseApi(stack);
    [officer, locality, supervisor] = await Promise.all([stack.login('officer'), stack.login('locality'), stack.login('supervisor')]);
  });
  afterAll(() => stack.stop());

  test('when officer, locality handler, officer and supervisor each act in turn, then the case walks 接转办核验 to closed with tasks, clocks and timeline to match', async () => {
    // 接: the officer registers a hotline complaint located in the township 350602001.
    const intake = await api.postIntake(officer, aComplaint({ key: 'lifecycle-0001', place: 1 }));
    expect(intake.status).toBe(201);
    const { caseId } = intake.body as { caseId: string };

    let { detail } = await api.getCase(officer, caseId);
    expect(detail.status).toBe('received');
    expectLegalClock(detail, 'acceptance_notice', '信访工作条例 第二十三条');
    const triageTasks = await api.tasksOn(officer, caseId, 'triage');
    expect(triageTasks).toHaveLength(1);
    expect(triageTasks[0]!.dueAt).toBe(detail.clocks.acceptance_notice!.dueAt);
    expect(await api.tasksOn(locality, caseId, 'triage')).toHaveLength(0);

    // 转: triage accepts; a complaint goes to the county team, which the officer signs for.
    const triaged = await api.act(officer, caseId, { action: 'triage', decision: 'accept' });
    expect(triaged.status).toBe(200);
    expect(triaged.body.status).toBe('assigned');
    expect(triaged.body.clocks.acceptance_notice.status).toBe('met');
    expectLegalClock(triaged.body, 'complaint_answer', '信访工作条例 第三十四条');
    expect(await api.tasksOn(officer, caseId, 'triage')).toHaveLength(0);
    expect(await api.tasksOn(officer, caseId, 'acknowledge')).toHaveLength(1);

    const acknowledged = await api.act(officer, caseId, { action: 'acknowledge', note: '已签收' });
    expect(acknowledged.status).toBe(200);
    expect(acknowledged.body.status).toBe('investigating');
    expect(await api.tasksOn(officer, caseId, 'acknowledge')).toHaveLength(0);
    expect(await api.tasksOn(officer, caseId, 'investigate')).toHaveLength(1);

    // 办: a violation; the order to correct sets the due date, and the locality must rectify.
    const dueDate = shanghaiDate(20);
    const investigated = await api.act(officer, caseId, {
      action: 'recordInvestigation',
      outcome: 'violation',
      findings: '现场检查发现排污口超标排放',
      requirement: '立即停止超标排放，完成污水处理设施整改',
      rectificationDueDate: dueDate,
      violatedProvisions: '《中华人民共和国水污染防治法》第十条',
      legalBasis: '《中华人民共和国水污染防治法》第八十三条',
    });
    expect(investigated.status).toBe(200);
    detail = investigated.body;
    expect(detail.status).toBe('rectifying');
    expect(detail.rectification?.requirement).toBe('立即停止超标排放，完成污水处理设施整改');
    // The order's date, to the end of that day in Asia/Shanghai.
    expect(detail.clocks.rectification?.dueAt).toBe(detail.rectification?.dueAt);
    expect(new Date(Date.parse(detail.clocks.rectification!.dueAt) + 8 * 3_600_000).toISOString().slice(0, 10)).toBe(dueDate);
    expect(detail.clocks.rectification?.basis).toBe('责令改正违法行为决定书');
    expectLegalClock(detail, 'penalty_filing', '生态环境行政处罚办法（2023） 第十八条');
    expectLegalClock(detail, 'reinspection', '环境保护主管部门实施按日连续处罚办法 第十条');
    expect(await api.tasksOn(officer, caseId, 'investigate')).toHaveLength(0);

    const rectifyForLocality = await api.tasksOn(locality, caseId, 'rectify');
    expect(rectifyForLocality).toEqual([expect.objectContaining({ role: 'locality_handler', regionCode: '350602001', dueAt: detail.clocks.rectification!.dueAt })]);
    expect(await api.tasksOn(officer, caseId, 'rectify')).toHaveLength(0);

    const reported = await api.act(locality, caseId, { action: 'reportRectification', report: '已完成整改，排放达标', evidenceFileIds: ['photo-1'] });
    expect(reported.status).toBe(200);
    expect(reported.body.status).toBe('verifying');
    expect(reported.body.clocks.rectification.status).toBe('met');
    expect(await api.tasksOn(locality, caseId, 'rectify')).toHaveLength(0);
    expect(await api.tasksOn(officer, caseId, 'verify')).toHaveLength(1);

    // 核: the officer verifies on site.
    const verified = await api.act(officer, caseId, { action: 'verify', passed: true, findings: '复查排放达标' });
    expect(verified.status).toBe(200);
    expect(verified.body.status).toBe('closing');
    expect(await api.tasksOn(officer, caseId, 'verify')).toHaveLength(0);
    const approvals = await api.tasksOn(supervisor, caseId, 'approve_closure');
    expect(approvals).toHaveLength(1);
    expect(approvals[0]!.dueAt).toBe(verified.body.clocks.closure_approval.dueAt);
    expect(verified.body.clocks.closure_approval.source).toBe('policy');

    // 验: the supervisor approves closure with the answer to the complainant.
    const answer = '经查，该企业超标排放属实，已责令改正并复查合格。';
    const closed = await api.act(supervisor, caseId, { action: 'decideClosure', approve: true, answer });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(closed.body.closure.answer).toBe(answer);
    expect(closed.body.clocks.complaint_answer.status).toBe('met');
    expect(await api.tasksOn(supervisor, caseId, 'approve_closure')).toHaveLength(0);

    const { detail: final, timeline } = await api.getCase(supervisor, caseId);
    expect(final.status).toBe('closed');
    const steps = timeline
      .filter((entry) => ['registered', 'assigned', 'acknowledged', 'investigated', 'rectification_reported', 'verified', 'closed'].includes(entry.type))
      .map((entry) => [entry.type, entry.actor?.userId]);
    expect(steps).toEqual([
      ['registered', 'officer'],
      ['assigned', 'officer'],
      ['acknowledged', 'officer'],
      ['investigated', 'officer'],
      ['rectification_reported', 'locality'],
      ['verified', 'officer'],
      ['closed', 'supervisor'],
    ]);
    expect(timeline.map((entry) => entry.seq)).toEqual([...timeline.map((entry) => entry.seq)].sort((a, b) => a - b));
  });
});

function expectLegalClock(detail: CaseDetail, clockId: string, basis: string): void {
  const clock = detail.clocks[clockId];
  expect(clock).toEqual(expect.objectContaining({ id: clockId, basis: expect.stringContaining(basis), source: 'law', status: 'running' }));
  expect(Date.parse(clock!.dueAt)).toBeGreaterThan(Date.now());
}
