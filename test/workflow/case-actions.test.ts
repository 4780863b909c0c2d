import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { CaseCommand } from '../../domain/case-commands';
import { chinaCalendarData } from '../../domain/calendar';
import { extendDue } from '../../domain/periods';
import type { Actor } from '../../domain/roles';
import { caseActionUpdate, repeatComplaintSignal } from '../../workflows/case-messages';
import { actors, startCaseWorkflowEnv, type CaseWorkflowEnv } from './support/case-workflow-env';

let t: CaseWorkflowEnv;
beforeAll(async () => {
  t = await startCaseWorkflowEnv();
});
afterAll(() => t?.stop());

async function registered(): Promise<WorkflowHandle> {
  const handle = await t.startCase();
  await t.waitFor(handle, (view) => view.status === 'received');
  return handle;
}

function eventsOf(caseId: string, type: string, clockId?: string) {
  return t.events(caseId).filter((event) => event.type === type && (clockId === undefined || event.data?.clockId === clockId));
}

describe('extension', () => {
  test('when the supervisor approves an extension, then the due date moves, the old one is kept in history, and the old due instant passes without overdue', async () => {
    const handle = await registered();
    const assigned = await t.act(handle, actors.officer, { action: 'triage', decision: 'accept' });
    const oldDue = assigned.clocks.unit_acknowledge!.dueAt;
    await t.act(handle, actors.officer, { action: 'requestExtension', clockId: 'unit_acknowledge', amount: 2, unit: 'WD', reason: '承办人员出差' });
    const approved = await t.act(handle, actors.supervisor, { action: 'decideExtension', clockId: 'unit_acknowledge', approve: true });
    const clock = approved.clocks.unit_acknowledge!;
    const newDue = extendDue(oldDue, 2, 'WD', chinaCalendarData);
    expect(clock.dueAt).toBe(newDue);
    expect(clock.history).toEqual([expect.objectContaining({ from: oldDue, to: newDue, by: actors.supervisor.userId })]);
    expect(approved.tasks.find((task) => task.kind === 'acknowledge' && task.status === 'open')?.dueAt).toBe(newDue);

    await t.sleepUntil(oldDue, 60_000);
    const afterOldDue = await t.waitFor(handle, () => true);
    expect(afterOldDue.clocks.unit_acknowledge?.escalationLevel).toBe(0);
    expect(eventsOf(afterOldDue.caseId, 'overdue', 'unit_acknowledge')).toEqual([]);

    await t.sleepUntil(newDue);
    await t.waitFor(handle, (view) => view.clocks.unit_acknowledge?.escalationLevel === 1, 'overdue at the new due instant');
  });
});

describe('suspension', () => {
  test('when a supervisor suspends a clock, then its due instant passes without overdue; on resume it moves by exactly the stopped time', async () => {
    const handle = await registered();
    const before = await t.act(handle, actors.supervisor, { action: 'suspendClock', clockId: 'acceptance_notice', reason: '等待监测报告' });
    const oldDue = before.clocks.acceptance_notice!.dueAt;
    const suspendedAt = before.clocks.acceptance_notice!.suspendedAt!;
    expect(before.clocks.acceptance_notice?.status).toBe('suspended');

    // Sleep past the reminder, the due instant and level 2 of the ladder: nothing fires.
    const level2 = before.clocks.acceptance_notice!.ladder[1]!;
    await t.sleepUntil(level2, 86_400_000);
    const stopped = await t.waitFor(handle, () => true);
    expect(stopped.clocks.acceptance_notice).toEqual(expect.objectContaining({ status: 'suspended', escalationLevel: 0, dueAt: oldDue }));
    expect(stopped.escalationLevel).toBe(0);
    expect(eventsOf(stopped.caseId, 'overdue')).toEqual([]);
    expect(eventsOf(stopped.caseId, 'reminder')).toEqual([]);

    const resumed = await t.act(handle, actors.supervisor, { action: 'resumeClock', clockId: 'acceptance_notice' });
    const clock = resumed.clocks.acceptance_notice!;
    const resumedAt = clock.history[0]!.at;
    expect(clock.status).toBe('running');
    expect(Date.parse(clock.dueAt) - Date.parse(oldDue)).toBe(Date.parse(resumedAt) - Date.parse(suspendedAt));
    expect(clock.history).toEqual([expect.objectContaining({ from: oldDue, to: clock.dueAt })]);

    await t.sleepUntil(clock.dueAt);
    await t.waitFor(handle, (view) => view.clocks.acceptance_notice?.escalationLevel === 1, 'overdue at the shifted due instant');
  });
});

describe('verification', () => {
  test('when verification fails a second time, then the case escalates to a county 督办 with its document', async () => {
    const handle = await registered();
    const inFourteenDays = new Date(Date.parse(await t.nowIso()) + 14 * 86_400_000).toISOString().slice(0, 10);
    const steps: [Actor, CaseCommand][] = [
      [actors.officer, { action: 'triage', decision: 'accept' }],
      [actors.officer, { action: 'acknowledge' }],
      [actors.officer, { action: 'recordInvestigation', outcome: 'violation', findings: '超标排放', requirement: '封堵排污口', rectificationDueDate: inFourteenDays }],
      [actors.localityHandler, { action: 'reportRectification', report: '已封堵' }],
      [actors.officer, { action: 'verify', passed: false, findings: '仍有渗漏', newDueDate: inFourteenDays }],
    ];
    let view = await t.act(handle, ...steps[0]!);
    for (const step of steps.slice(1)) view = await t.act(handle, ...step);
    expect(view.rectification).toEqual(expect.objectContaining({ round: 2, failures: 1 }));
    expect(view.escalationLevel).toBe(0);

    await t.act(handle, actors.localityHandler, { action: 'reportRectification', report: '已重新封堵' });
    view = await t.act(handle, actors.officer, { action: 'verify', passed: false, findings: '仍有渗漏', newDueDate: inFourteenDays });
    expect(view.rectification).toEqual(expect.objectContaining({ round: 3, failures: 2 }));
    expect(view.escalationLevel).toBe(2);
    expect(view.documents).toContainEqual(expect.objectContaining({ kind: 'supervision_notice', occasion: 'level-2' }));
    expect(view.tasks).toContainEqual(expect.objectContaining({ kind: 'supervise_overdue', regionCode: '350602', escalationLevel: 2, status: 'open' }));
    expect(eventsOf(view.caseId, 'escalated')).toHaveLength(1);
  });
});

describe('repeat complaint', () => {
  test('when a repeat complaint is signalled, then it is merged as a related complaint with an event', async () => {
    const handle = await registered();
    const repeat = { caseId: 'c-repeat-1', channel: 'hotline' as const, receivedAt: await t.nowIso(), description: '同一排污口又在排放', hasReporter: true };
    await handle.signal(repeatComplaintSignal, repeat);
    await handle.signal(repeatComplaintSignal, repeat);
    const view = await t.waitFor(handle, (candidate) => candidate.relatedComplaints.length > 0, 'the merge');
    expect(view.relatedComplaints).toEqual([repeat]);
    for (let attempt = 0; attempt < 100 && eventsOf(view.caseId, 'repeat_merged').length === 0; attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(eventsOf(view.caseId, 'repeat_merged')).toEqual([expect.objectContaining({ data: { relatedCaseId: 'c-repeat-1' } })]);
  });
});

describe('refused Updates', () => {
  test('when an order to correct sets a due date years ahead (beyond the calendar), then the validator refuses it in Chinese and the case is not half-changed', async () => {
    const handle = await registered();
    await t.act(handle, actors.officer, { action: 'triage', decision: 'accept' });
    await t.act(handle, actors.officer, { action: 'acknowledge' });
    const before = await t.waitFor(handle, (view) => view.status === 'investigating');
    const command: CaseCommand = { action: 'recordInvestigation', outcome: 'violation', findings: '暗管排放', requirement: '拆除暗管', rectificationDueDate: '2031-01-15' };
    const error = await handle.executeUpdate(caseActionUpdate, { args: [{ command, actor: actors.officer }] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    expect(((error as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('InvalidInput');
    expect(((error as WorkflowUpdateFailedError).cause as ApplicationFailure).message).toMatch(/整改期限（2031-01-15）不能晚于一年后/);
    const after = await t.waitFor(handle, () => true);
    expect(after).toEqual(before);
  });


  test.each<[string, Actor, CaseCommand, string]>([
    ['a grid member triages', actors.gridMember, { action: 'triage', decision: 'accept' }, 'NotPermitted'],
    ['an officer of another county triages', { ...actors.officer, userId: 'u-x', regionCode: '350603' }, { action: 'triage', decision: 'accept' }, 'NotPermitted'],
    ['an officer verifies a received case', actors.officer, { action: 'verify', passed: true, findings: '已整改' }, 'InvalidTransition'],
    ['a supervisor closes a received case', actors.supervisor, { action: 'decideClosure', approve: true, answer: '已办结' }, 'InvalidTransition'],
  ])('when %s, then the validator rejects the Update and history holds no trace of it', async (_name, actor, command, type) => {
    const handle = await registered();
    const before = await t.waitFor(handle, () => true);
    const updateId = `refused-${Math.random().toString(36).slice(2)}`;
    const error = await handle.executeUpdate(caseActionUpdate, { args: [{ command, actor }], updateId }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (error as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(type);

    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    expect(events.filter((event) => JSON.stringify(event).includes(updateId))).toEqual([]);
    expect(events.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toEqual([]);
    const after = await t.waitFor(handle, () => true);
    expect(after).toEqual(before);

    // A permitted Update on the same case is accepted and recorded.
    await t.act(handle, actors.officer, { action: 'triage', decision: 'accept' });
    const later = await handle.fetchHistory();
    expect((later.events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(1);
  });
});

describe('issue 9: what real use broke', () => {
  const daysAhead = async (days: number) => new Date(Date.parse(await t.nowIso()) + days * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);

  test('when an order to correct is due yesterday, then the Update is refused in Chinese before history and nothing changes', async () => {
    const handle = await registered();
    await t.act(handle, actors.officer, { action: 'triage', decision: 'accept' });
    const before = await t.act(handle, actors.officer, { action: 'acknowledge' });
    const yesterday = await daysAhead(-1);
    const command: CaseCommand = { action: 'recordInvestigation', outcome: 'violation', findings: '暗管排放', requirement: '拆除暗管', rectificationDueDate: yesterday };
    const error = await handle.executeUpdate(caseActionUpdate, { args: [{ command, actor: actors.officer }] }).catch((caught: unknown) => caught);
    expect(((error as WorkflowUpdateFailedError).cause as ApplicationFailure).message).toMatch(/整改期限（.*）不能早于今天/);
    expect(await t.waitFor(handle, () => true)).toEqual(before);
  });

  test('when a case with a 立案审查 clock is closed, then no clock counts, no task is open, and its due instant later passes without overdue', async () => {
    const handle = await registered();
    await t.act(handle, actors.officer, { action: 'triage', decision: 'accept' });
    await t.act(handle, actors.officer, { action: 'acknowledge' });
    await t.act(handle, actors.officer, { action: 'recordInvestigation', outcome: 'suspected_crime', findings: '暗管排放含镍废水' });
    // A second conclusion lists the 立案审查 task once, not twice.
    const investigated = await t.act(handle, actors.officer, { action: 'recordInvestigation', outcome: 'violation', findings: '超标排放', requirement: '封堵排污口', rectificationDueDate: await daysAhead(14) });
    expect(investigated.tasks.filter((task) => task.kind === 'record_penalty' && task.status === 'open')).toHaveLength(1);
    const filingDue = investigated.clocks.penalty_filing!.dueAt;
    await t.act(handle, actors.localityHandler, { action: 'reportRectification', report: '已封堵' });
    await t.act(handle, actors.officer, { action: 'verify', passed: true, findings: '已整改' });
    const closed = await t.act(handle, actors.supervisor, { action: 'decideClosure', approve: true, answer: '经查属实，已整改完毕' });
    expect(closed.status).toBe('closed');
    expect(Object.values(closed.clocks).filter((clock) => clock?.status === 'running' || clock?.status === 'suspended')).toEqual([]);
    expect(closed.tasks.filter((task) => task.status === 'open')).toEqual([]);

    await t.sleepUntil(filingDue, 86_400_000);
    const later = await t.waitFor(handle, () => true);
    expect(later.clocks.penalty_filing?.escalationLevel).toBe(0);
    expect(eventsOf(later.caseId, 'overdue')).toEqual([]);
  });

  test('when a document fails to issue, then the officer gets a reissue task, and reissuing issues it and closes the task', async () => {
    const handle = await registered();
    await t.act(handle, actors.officer, { action: 'triage', decision: 'accept' });
    await t.act(handle, actors.officer, { action: 'acknowledge' });
    t.failingDocumentKinds.add('correction_order');
    let view: Awaited<ReturnType<typeof t.act>>;
    try {
      view = await t.act(handle, actors.officer, { action: 'recordInvestigation', outcome: 'violation', findings: '超标排放', requirement: '封堵排污口', rectificationDueDate: await daysAhead(14) });
    } finally {
      t.failingDocumentKinds.delete('correction_order');
    }
    expect(view.status).toBe('rectifying');
    expect(view.failedDocuments).toEqual([expect.objectContaining({ kind: 'correction_order', occasion: 'round-1' })]);
    expect(view.tasks.filter((task) => task.kind === 'reissue_document' && task.status === 'open')).toEqual([expect.objectContaining({ role: 'officer', regionCode: '350602' })]);
    expect(eventsOf(view.caseId, 'document_failed')).toHaveLength(1);

    const reissued = await t.act(handle, actors.officer, { action: 'reissueDocument', kind: 'correction_order', occasion: 'round-1' });
    expect(reissued.documents).toEqual([expect.objectContaining({ kind: 'transfer_to_locality' }), expect.objectContaining({ kind: 'acceptance_notice' }), expect.objectContaining({ kind: 'correction_order', occasion: 'round-1' })]);
    expect(reissued.failedDocuments).toEqual([]);
    expect(reissued.tasks.filter((task) => task.kind === 'reissue_document' && task.status === 'open')).toEqual([]);
    const again = await handle.executeUpdate(caseActionUpdate, { args: [{ command: { action: 'reissueDocument', kind: 'correction_order', occasion: 'round-1' }, actor: actors.officer }] }).catch((caught: unknown) => caught);
    expect(((again as WorkflowUpdateFailedError).cause as ApplicationFailure).message).toMatch(/没有待重新生成的文书/);
  });
});
