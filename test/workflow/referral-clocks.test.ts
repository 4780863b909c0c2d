import { randomUUID } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/common';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import type { WorkflowHandle } from '@temporalio/client';
import { defaultCasePolicy } from '../../domain/case-clocks';
import { addDays } from '../../domain/calendar';
import { chinaCalendarData, type HolidayCalendarData } from '../../domain/calendar';
import { deadlineFor } from '../../domain/deadlines';
import { addPeriod, shanghaiDate } from '../../domain/periods';
import { criminalPackageItems, detentionPackageItems, type ReferralCommand, type ReferralView } from '../../domain/referral';
import type { Actor } from '../../domain/roles';
import type { ReferralActivities } from '../../activities/referral-activities.types';
import { getReferralQuery, referralActionUpdate } from '../../workflows/referral-messages';
import type { referralWorkflow, ReferralWorkflowInput } from '../../workflows/referral.workflow';
import { toolPaths } from '../../scripts/stack/tool-paths';

const officer: Actor = { userId: 'officer', name: '王执法', role: 'officer', regionCode: '350602' };
const supervisor: Actor = { userId: 'supervisor', name: '张科长', role: 'supervisor', regionCode: '350602' };
const police: Actor = { userId: 'police', name: '郑警官', role: 'police_liaison', regionCode: '350602', unitId: 'psb-350602' };

describe('referral workflow clocks on the time-skipping server', () => {
  let env: TestWorkflowEnvironment;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `referral-${randomUUID()}`;
  const notices: string[] = [];
  /** Kinds the fake issuer refuses, as the renderer refuses a letter with missing fields. */
  const failingKinds = new Set<string>();

  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: toolPaths.temporalTestServer } } });
    const activities: ReferralActivities = {
      async projectReferral() {},
      async notifyReferral({ message }) {
        notices.push(message);
      },
      async issueReferralDocument({ kind, occasion }) {
        if (failingKinds.has(kind)) throw ApplicationFailure.nonRetryable(`${kind} is missing required fields: party.creditCode`, 'MissingDocumentFields');
        return { docNo: `漳环移送〔2026〕${occasion}号`, documentId: `${kind}-${occasion}`, issuedAt: new Date().toISOString() };
      },
    };
    worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE_PATH ?? toolPaths.workflowBundle },
      activities,
    });
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await env?.teardown();
  });

  function input(route: 'criminal' | 'detention', calendar: HolidayCalendarData = chinaCalendarData): ReferralWorkflowInput {
    const items = route === 'criminal' ? criminalPackageItems : detentionPackageItems;
    return {
      caseSnapshot: {
        caseId: `c${randomUUID().slice(0, 8)}`,
        caseNo: '350602-2026-00001',
        countyCode: '350602',
        cityCode: '350600',
        agencyCode: '漳环芗',
        agencyName: '漳州市芗城区生态环境局',
        description: '暗管排放含镍废水',
        location: { address: '漳州市芗城区工业园区1号', regionCode: '350602001' },
      },
      sequence: 1,
      proposal: {
        route,
        suspectedOffence: route === 'criminal' ? '刑法第三百三十八条' : '环境保护法第六十三条第三项（暗管排放）',
        facts: '暗管排放',
        evidence: ['笔录'],
        package: items.map((name) => ({ name, provided: true })),
        // Everything the 移送书 needs: approval refuses a proposal it could not be issued from.
        party: { name: '漳州某电镀有限公司', creditCode: '91350100M000100Y43', address: '漳州市芗城区工业园区1号', legalRepresentative: '陈某' },
        contact: { name: '王执法', phone: '0596-2345678' },
        ...(route === 'detention' ? { responsiblePersons: [{ name: '陈某', role: '直接负责的主管人员' }] } : {}),
      },
      proposedBy: officer,
      calendar,
      policy: defaultCasePolicy,
    };
  }

  async function start(route: 'criminal' | 'detention', calendar?: HolidayCalendarData): Promise<WorkflowHandle<typeof referralWorkflow>> {
    return env.client.workflow.start<typeof referralWorkflow>('referralWorkflow', {
      taskQueue,
      workflowId: `referral-test-${randomUUID()}`,
      args: [input(route, calendar)],
    });
  }

  const act = (handle: WorkflowHandle, command: ReferralCommand, actor: Actor) => handle.executeUpdate(referralActionUpdate, { args: [{ command, actor }] });
  const query = (handle: WorkflowHandle): Promise<ReferralView> => handle.query(getReferralQuery);
  /**
   * The referral once its workflow has completed. Read by query rather than `result()`: awaiting
   * a result unlocks the test server's time skipping, which then races far ahead of every clock.
   */
  async function ended(handle: WorkflowHandle): Promise<ReferralView> {
    for (let attempt = 0; attempt < 100; attempt += 1) {
      if ((await handle.describe()).status.name === 'COMPLETED') return query(handle);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('referral workflow did not complete');
  }

  test('when the head does not decide within 3 ND, then the proposal is overdue and a supervise_overdue task goes to the bureau supervisor', async () => {
    const handle = await start('criminal');
    const opened = await query(handle);
    const clock = opened.clocks.head_decision!;
    expect(clock.basis).toBe('两法衔接办法 第五条');
    expect(clock.dueAt).toBe(deadlineFor('referral_head_decision', opened.proposedAt, chinaCalendarData).due);
    await env.sleep('6 days');
    const later = await query(handle);
    expect(later.clocks.head_decision!.escalationLevel).toBeGreaterThanOrEqual(1);
    expect(later.tasks).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'supervise_overdue', role: 'supervisor', regionCode: '350602' })]));
  });

  test('when the approved 移送书 fails to render, then the officer has a task and the reissue transfers the referral (issue 9, item 5)', async () => {
    const handle = await start('criminal');
    failingKinds.add('criminal_transfer');
    let approved: ReferralView;
    try {
      approved = await act(handle, { action: 'approve' }, supervisor);
    } finally {
      failingKinds.delete('criminal_transfer');
    }
    expect(approved.status).toBe('approved');
    expect(approved.tasks.filter((task) => task.status === 'open')).toEqual([expect.objectContaining({ kind: 'referral_reissue', role: 'officer', clockId: 'transfer' })]);
    expect(approved.events.map((event) => event.type)).toContain('document_failed');

    const reissued = await act(handle, { action: 'reissueDocument' }, officer);
    expect(reissued.status).toBe('transferred');
    expect(reissued.documents).toEqual([expect.objectContaining({ kind: 'criminal_transfer' })]);
    expect(reissued.tasks.filter((task) => task.status === 'open').map((task) => task.kind)).toEqual(['police_receive']);
  });

  test('when the criminal route is walked to 立案 with a 30 ND extension on a recorded approval, then each clock has its catalogue period', async () => {
    const handle = await start('criminal');
    const approved = await act(handle, { action: 'approve' }, supervisor);
    expect(approved.status).toBe('transferred');
    const transfer = approved.clocks.transfer!;
    expect(transfer.basis).toBe('两法衔接办法 第六条');
    expect(Date.parse(transfer.dueAt) - Date.parse(transfer.startedAt)).toBe(24 * 3_600_000);
    expect(transfer.status).toBe('met');
    expect(approved.tasks).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'police_receive', role: 'police_liaison', unitId: 'psb-350602' })]));

    const signed = await act(handle, { action: 'sign' }, police);
    const receivedAt = signed.receipt!.at;
    expect(signed.clocks.supplement_request!.dueAt).toBe(new Date(Date.parse(receivedAt) + 24 * 3_600_000).toISOString());
    expect(signed.clocks.police_decision!.dueAt).toBe(deadlineFor('referral_police_decision', receivedAt, chinaCalendarData).due);

    await expect(act(handle, { action: 'extendDecision', period: 'complex', approvalRef: ' ', reason: '重大复杂' }, police)).rejects.toThrow();
    const extended = await act(handle, { action: 'extendDecision', period: 'complex', approvalRef: '芗公审〔2026〕12号', reason: '重大复杂' }, police);
    expect(extended.decisionApprovalRef).toBe('芗公审〔2026〕12号');
    expect(extended.clocks.police_decision!.dueAt).toBe(deadlineFor('referral_police_decision_complex', receivedAt, chinaCalendarData).due);
    expect(extended.clocks.police_decision!.basis).toBe('两法衔接办法 第九条');

    // The 24 h window for supplements has passed: a request now is refused.
    await env.sleep('2 days');
    await expect(act(handle, { action: 'requestSupplement', items: ['监测报告'] }, police)).rejects.toThrow();

    const decided = await act(handle, { action: 'decide', decision: 'file' }, police);
    expect(decided.clocks.police_notify!.dueAt).toBe(deadlineFor('referral_police_notify', decided.decision!.at, chinaCalendarData).due);
    const notified = await act(handle, { action: 'reportOutcome', noticeNo: '芗公立字〔2026〕3号' }, police);
    expect(notified.status).toBe('filed');
    expect(notified.clocks.goods_handover!.dueAt).toBe(deadlineFor('referral_goods_handover', notified.notice!.at, chinaCalendarData).due);
    const done = await act(handle, { action: 'handOverGoods' }, officer);
    expect(done.status).toBe('completed');
    const result = await ended(handle);
    expect(result.outcomes.map((outcome) => outcome.type)).toEqual(['approved', 'transferred', 'received', 'decision_extended', 'filed', 'notified', 'goods_handed_over']);
    expect(result.outcomes.some((outcome) => outcome.releasesPenaltyClocks)).toBe(false);
  });

  test('when police ask for supplements, then the decision clock stands still until the officer cures them within 3 ND', async () => {
    const handle = await start('criminal');
    await act(handle, { action: 'approve' }, supervisor);
    const signed = await act(handle, { action: 'sign' }, police);
    const dueAtSign = signed.clocks.police_decision!.dueAt;
    const asked = await act(handle, { action: 'requestSupplement', items: ['采样记录单'] }, police);
    expect(asked.clocks.police_decision!.status).toBe('suspended');
    expect(asked.clocks.supplement_cure!.dueAt).toBe(deadlineFor('referral_supplement_cure', asked.supplements[0]!.requestedAt, chinaCalendarData).due);
    await env.sleep('1 day');
    const supplied = await act(handle, { action: 'supply', items: ['采样记录单'] }, officer);
    expect(supplied.clocks.police_decision!.status).toBe('running');
    expect(Date.parse(supplied.clocks.police_decision!.dueAt)).toBeGreaterThan(Date.parse(dueAtSign));
  });

  test('when police refuse, then the 3 WD reconsideration window comes from the calendar given to the workflow, and an unanswered 复议 climbs to the joint 挂牌督办', async () => {
    // A calendar in which the next 40 days are holidays (the test server's clock runs ahead of
    // the wall clock by the earlier tests' sleeps): the window must step over all of them.
    const today = shanghaiDate(new Date().toISOString());
    const holidays = Array.from({ length: 40 }, (_, days) => addDays(today, days));
    const calendar: HolidayCalendarData = { ...chinaCalendarData, version: 'test-holidays', holidays: [...chinaCalendarData.holidays, ...holidays] };
    const handle = await start('criminal', calendar);
    await act(handle, { action: 'approve' }, supervisor);
    await act(handle, { action: 'sign' }, police);
    await act(handle, { action: 'decide', decision: 'not_file', reasons: '证据不足' }, police);
    const notified = await act(handle, { action: 'reportOutcome', noticeNo: '芗公不立字〔2026〕1号' }, police);
    const window = notified.clocks.reconsideration_request!;
    expect(window.basis).toBe('两法衔接办法 第十一条');
    expect(window.dueAt).toBe(addPeriod({ start: notified.notice!.at, amount: 3, unit: 'WD', calendar }));
    expect(window.dueAt).not.toBe(addPeriod({ start: notified.notice!.at, amount: 3, unit: 'WD', calendar: chinaCalendarData }));

    const asked = await act(handle, { action: 'requestReconsideration', reason: '理由不成立' }, officer);
    expect(asked.clocks.reconsideration_answer!.dueAt).toBe(addPeriod({ start: asked.reconsideration!.requestedAt, amount: 3, unit: 'WD', calendar }));
    await env.sleep('120 days');
    const late = await query(handle);
    expect(late.clocks.reconsideration_answer!.escalationLevel).toBe(4);
    expect(late.jointSupervision?.clockId).toBe('reconsideration_answer');
    const levels = late.tasks.filter((task) => task.kind === 'supervise_overdue' && task.clockId === 'reconsideration_answer').map((task) => task.escalationLevel);
    expect(levels).toEqual([1, 2, 3, 4]);
    expect(late.outcomes.map((outcome) => outcome.type)).toEqual(expect.arrayContaining(['overdue', 'joint_supervision']));
    // After the unanswered 复议 the bureau may propose 立案监督 to the procuratorate.
    const proposed = await act(handle, { action: 'proposeSupervision', procuratorate: '芗城区人民检察院', reason: '公安逾期未作复议决定' }, supervisor);
    expect(proposed.supervision?.procuratorate).toBe('芗城区人民检察院');
    expect((await ended(handle)).status).toBe('supervision_proposed');
  });

  test('when the bureau lets the 3 WD reconsideration window lapse, then the refusal stands, the referral ends and the case clocks are released', async () => {
    const handle = await start('criminal');
    await act(handle, { action: 'approve' }, supervisor);
    await act(handle, { action: 'sign' }, police);
    await act(handle, { action: 'decide', decision: 'not_file', reasons: '不构成犯罪' }, police);
    await act(handle, { action: 'reportOutcome', noticeNo: '芗公不立字〔2026〕2号' }, police);
    await env.sleep('12 days');
    const result = await ended(handle);
    expect(result.status).toBe('refused');
    expect(result.outcomes[result.outcomes.length - 1]).toEqual(expect.objectContaining({ type: 'refused', releasesPenaltyClocks: true, ended: true }));
  });

  test('when the detention route runs, then sending, supplements, refusal and the copy of the decision are counted in working days', async () => {
    const handle = await start('detention');
    const approved = await act(handle, { action: 'approve' }, supervisor);
    const transfer = approved.clocks.transfer!;
    expect(transfer.basis).toBe('行政拘留移送办法 第十二条');
    expect(transfer.dueAt).toBe(deadlineFor('detention_transfer', transfer.startedAt, chinaCalendarData).due);
    const signed = await act(handle, { action: 'sign' }, police);
    expect(signed.clocks.supplement_request!.dueAt).toBe(deadlineFor('detention_supplement_request', signed.receipt!.at, chinaCalendarData).due);
    expect(signed.clocks.police_decision!.dueAt).toBe(deadlineFor('detention_refusal', signed.receipt!.at, chinaCalendarData).due);
    expect(signed.clocks.police_decision!.basis).toBe('行政拘留移送办法 第十五条');
    await expect(act(handle, { action: 'decide', decision: 'file' }, police)).rejects.toThrow();
    const decided = await act(handle, { action: 'decide', decision: 'detain' }, police);
    expect(decided.clocks.police_notify!.dueAt).toBe(deadlineFor('detention_decision_copy', decided.decision!.at, chinaCalendarData).due);
    await act(handle, { action: 'reportOutcome', noticeNo: '芗公拘决字〔2026〕5号' }, police);
    expect((await ended(handle)).status).toBe('detained');
  });

  test('when the police refuse a detention, then the file is returned, the referral ends and the police overdue ladder notifies the supervisor if they are late', async () => {
    const handle = await start('detention');
    await act(handle, { action: 'approve' }, supervisor);
    await act(handle, { action: 'sign' }, police);
    await env.sleep('10 days');
    const late = await query(handle);
    expect(late.clocks.police_decision!.escalationLevel).toBeGreaterThanOrEqual(1);
    expect(late.tasks.some((task) => task.kind === 'supervise_overdue' && task.clockId === 'police_decision')).toBe(true);
    const refused = await act(handle, { action: 'decide', decision: 'refuse', reasons: '事实不清' }, police);
    expect(refused.status).toBe('refused');
    expect((await ended(handle)).outcomes.at(-1)).toEqual(expect.objectContaining({ type: 'refused', releasesPenaltyClocks: true, ended: true }));
  });
});
