import fs from 'node:fs';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import type { CaseCommand } from '../../domain/case-commands';
import type { Actor } from '../../domain/roles';
import { repeatComplaintSignal } from '../../workflows/case-messages';
import { actors, startCaseWorkflowEnv } from '../workflow/support/case-workflow-env';

// Recorded histories guard running cases against incompatible workflow changes: a change that
// alters the commands a recorded history expects must go behind patched(). Re-record only for a
// deliberate new scenario: RECORD_HISTORIES=1 npx jest --selectProjects workflow test/replay
const historiesDir = path.join(__dirname, 'histories');
const complaintToClosure = path.join(historiesDir, 'complaint-to-closure.json');
// Issue 9 (items 5-7): two conclusions, a failed and reissued order, closure ending every clock.
// Recorded alone with RECORD_HISTORIES=closure-ends-work.
const closureEndsWork = path.join(historiesDir, 'closure-ends-work.json');
// Issue 11 (item 4): the read-model steps as local activities (patch record-steps-as-local-activities),
// a reminder, a repeat complaint and an action on that path. Recorded alone with
// RECORD_HISTORIES=local-record-steps.
const localRecordSteps = path.join(historiesDir, 'local-record-steps.json');

// Stored as protobufjs toObject JSON (longs, enums and bytes as strings) and read back with
// fromObject, not with historyToJSON/historyFromJSON from @temporalio/common: in this install
// common's nested protobufjs copy rejects @temporalio/proto's types ("type must be a Type").
const { History } = temporal.api.history.v1;
const historyJsonOptions = { longs: String, enums: String, bytes: String } as const;

function replayOptions() {
  const bundlePath = process.env.WORKFLOW_BUNDLE_PATH;
  return bundlePath ? { workflowBundle: { codePath: bundlePath } } : { workflowsPath: require.resolve('../../workflows') };
}

if (process.env.RECORD_HISTORIES === '1') {
  test('record: a complaint from intake to closure, with a reminder, a repeat complaint and the end of the review window', async () => {
    const t = await startCaseWorkflowEnv();
    try {
      const handle = await t.startCase();
      const view = await t.waitFor(handle, (candidate) => candidate.status === 'received');
      await t.sleepUntil(view.clocks.acceptance_notice!.reminderAt!);
      await t.waitFor(handle, (candidate) => candidate.clocks.acceptance_notice?.reminded === true);
      await handle.signal(repeatComplaintSignal, { caseId: 'c-repeat', channel: 'hotline', receivedAt: await t.nowIso(), description: '同一排污口又在排放', hasReporter: false });
      await t.waitFor(handle, (candidate) => candidate.relatedComplaints.length === 1);
      const dueDate = new Date(Date.parse(await t.nowIso()) + 10 * 86_400_000).toISOString().slice(0, 10);
      const steps: [Actor, CaseCommand][] = [
        [actors.officer, { action: 'triage', decision: 'accept' }],
        [actors.officer, { action: 'acknowledge' }],
        [actors.officer, { action: 'recordInvestigation', outcome: 'violation', findings: '超标排放', requirement: '封堵排污口', rectificationDueDate: dueDate }],
        [actors.localityHandler, { action: 'reportRectification', report: '已封堵' }],
        [actors.officer, { action: 'verify', passed: true, findings: '已整改到位' }],
        [actors.supervisor, { action: 'decideClosure', approve: true, answer: '经查属实，已责令整改并复查合格' }],
        [actors.officer, { action: 'recordSatisfaction', satisfaction: 'satisfied' }],
      ];
      for (const [actor, command] of steps) await t.act(handle, actor, command);
      // The closed case waits out its 60 ND review window, then the workflow completes.
      await t.env.sleep('61 days');
      await handle.result();
      fs.mkdirSync(historiesDir, { recursive: true });
      const history = History.decode(History.encode(await handle.fetchHistory()).finish());
      fs.writeFileSync(complaintToClosure, `${JSON.stringify(History.toObject(history, historyJsonOptions), null, 1)}\n`);
    } finally {
      await t.stop();
    }
  });
} else if (process.env.RECORD_HISTORIES === 'closure-ends-work') {
  test('record: 涉嫌犯罪 then 违法, a failed order reissued, closure while the 立案审查 clock runs, then the review window ends', async () => {
    const t = await startCaseWorkflowEnv();
    try {
      const handle = await t.startCase();
      await t.waitFor(handle, (candidate) => candidate.status === 'received');
      const dueDate = new Date(Date.parse(await t.nowIso()) + 10 * 86_400_000).toISOString().slice(0, 10);
      const act = (actor: Actor, command: CaseCommand) => t.act(handle, actor, command);
      await act(actors.officer, { action: 'triage', decision: 'accept' });
      await act(actors.officer, { action: 'acknowledge' });
      await act(actors.officer, { action: 'recordInvestigation', outcome: 'suspected_crime', findings: '暗管排放含镍废水' });
      t.failingDocumentKinds.add('correction_order');
      await act(actors.officer, { action: 'recordInvestigation', outcome: 'violation', findings: '超标排放', requirement: '封堵排污口', rectificationDueDate: dueDate });
      t.failingDocumentKinds.delete('correction_order');
      await act(actors.officer, { action: 'reissueDocument', kind: 'correction_order', occasion: 'round-1' });
      await act(actors.localityHandler, { action: 'reportRectification', report: '已封堵' });
      await act(actors.officer, { action: 'verify', passed: true, findings: '已整改到位' });
      await act(actors.supervisor, { action: 'decideClosure', approve: true, answer: '经查属实，已责令整改并复查合格' });
      await t.env.sleep('61 days');
      await handle.result();
      const history = History.decode(History.encode(await handle.fetchHistory()).finish());
      fs.writeFileSync(closureEndsWork, `${JSON.stringify(History.toObject(history, historyJsonOptions), null, 1)}\n`);
    } finally {
      await t.stop();
    }
  });
} else if (process.env.RECORD_HISTORIES === 'local-record-steps') {
  test('record: intake, a reminder, a repeat complaint and triage with the read-model steps as local activities', async () => {
    const t = await startCaseWorkflowEnv({ plainPayloads: true });
    try {
      const handle = await t.startCase();
      const view = await t.waitFor(handle, (candidate) => candidate.status === 'received');
      await t.sleepUntil(view.clocks.acceptance_notice!.reminderAt!);
      await t.waitFor(handle, (candidate) => candidate.clocks.acceptance_notice?.reminded === true);
      await handle.signal(repeatComplaintSignal, { caseId: 'c-repeat', channel: 'hotline', receivedAt: await t.nowIso(), description: '同一排污口又在排放', hasReporter: false });
      await t.waitFor(handle, (candidate) => candidate.relatedComplaints.length === 1);
      await t.act(handle, actors.officer, { action: 'triage', decision: 'accept' });
      await t.act(handle, actors.officer, { action: 'acknowledge' });
      const history = History.decode(History.encode(await handle.fetchHistory()).finish());
      fs.writeFileSync(localRecordSteps, `${JSON.stringify(History.toObject(history, historyJsonOptions), null, 1)}\n`);
    } finally {
      await t.stop();
    }
  });
} else {
  test('when the recorded local-record-steps history (issue 11) is replayed on the current workflow code, then it replays without nondeterminism', async () => {
    const history = History.fromObject(JSON.parse(fs.readFileSync(localRecordSteps, 'utf8')));
    const markers = history.events?.map((event) => event.markerRecordedEventAttributes?.markerName).filter(Boolean);
    expect(markers).toContain('core_local_activity');
    const activityTasks = history.events?.map((event) => event.activityTaskScheduledEventAttributes?.activityType?.name).filter(Boolean);
    expect(activityTasks).not.toEqual(expect.arrayContaining(['prepareIntake']));
    expect(activityTasks).not.toEqual(expect.arrayContaining(['projectCase']));
    expect(history.events?.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(2);
    await Worker.runReplayHistory(replayOptions(), history, 'case-local-record-steps');
  });

  test('when the recorded closure-ends-work history (issue 9) is replayed on the current workflow code, then it replays without nondeterminism', async () => {
    const history = History.fromObject(JSON.parse(fs.readFileSync(closureEndsWork, 'utf8')));
    expect(history.events?.some((event) => event.workflowExecutionCompletedEventAttributes)).toBe(true);
    expect(history.events?.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(8);
    await Worker.runReplayHistory(replayOptions(), history, 'case-closure-ends-work');
  });

  test('when the recorded complaint-to-closure history is replayed on the current workflow code, then it replays without nondeterminism', async () => {
    const history = History.fromObject(JSON.parse(fs.readFileSync(complaintToClosure, 'utf8')));
    expect(history.events?.some((event) => event.workflowExecutionCompletedEventAttributes)).toBe(true);
    expect(history.events?.filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes)).toHaveLength(7);
    expect(history.events?.some((event) => event.timerFiredEventAttributes)).toBe(true);
    await Worker.runReplayHistory(replayOptions(), history, 'case-complaint-to-closure');
  });
}
