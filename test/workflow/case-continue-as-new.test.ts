import { defaultCasePolicy } from '../../domain/case-clocks';
import { actors, startCaseWorkflowEnv, type CaseWorkflowEnv } from './support/case-workflow-env';

let t: CaseWorkflowEnv;
beforeAll(async () => {
  t = await startCaseWorkflowEnv();
});
afterAll(() => t?.stop());

describe('continue-as-new', () => {
  test('when a case outgrows its history limit, then it continues as new with its state, clocks and timeline intact and keeps accepting actions', async () => {
    const handle = await t.startCase({ policy: { ...defaultCasePolicy, continueAsNewAfterEvents: 40 } });
    await t.waitFor(handle, (view) => view.status === 'received');
    const firstRun = (await handle.describe()).runId;

    const assigned = await t.act(handle, actors.officer, { action: 'triage', decision: 'accept' });
    // Suspending and resuming a clock grows the history without moving the case on.
    for (let round = 0; round < 4; round += 1) {
      await t.act(handle, actors.supervisor, { action: 'suspendClock', clockId: 'complaint_answer', reason: `等待监测报告（第${round + 1}次）` });
      await t.act(handle, actors.supervisor, { action: 'resumeClock', clockId: 'complaint_answer' });
    }

    const latest = t.env.client.workflow.getHandle(handle.workflowId);
    let secondRun = firstRun;
    for (let attempt = 0; attempt < 100 && secondRun === firstRun; attempt += 1) {
      secondRun = (await latest.describe()).runId;
      if (secondRun === firstRun) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(secondRun).not.toBe(firstRun);

    const carried = await t.waitFor(latest, (view) => view.generation >= 1, 'the continued run answers queries');
    expect(carried.caseNo).toBe(assigned.caseNo);
    expect(carried.status).toBe('assigned');
    expect(carried.clocks.complaint_answer?.history).toHaveLength(4);
    expect(carried.clocks.unit_acknowledge?.dueAt).toBe(assigned.clocks.unit_acknowledge?.dueAt);

    const acknowledged = await t.act(latest, actors.officer, { action: 'acknowledge' });
    expect(acknowledged.status).toBe('investigating');
    const sequence = t.events(acknowledged.caseId).map((event) => event.seq);
    expect(sequence).toEqual([...sequence].sort((a, b) => a - b));
    expect(new Set(sequence).size).toBe(sequence.length);
  });
});
