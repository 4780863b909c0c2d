import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { chinaCalendarData } from '../../../domain/calendar';
import { defaultCasePolicy } from '../../../domain/case-clocks';
import { caseIdFor } from '../../../api/case-commands';
import { toIntakeInput, intakeSchema } from '../../../api/cases.schemas';
import { CaseModel } from '../../../models/case.model';
import { CaseNumberModel, MergedIntakeModel } from '../../../models/intake.model';
import type { caseProcessingWorkflow } from '../../../workflows/case-processing.workflow';
import { caseWorkflowId, intakeOutcomeUpdate } from '../../../workflows/case-messages';
import { startTestStack, type TestStack } from '../../support/stack';
import { aComplaint, caseApi, eventually } from './case-api';

describe('intake integrity under concurrent senders', () => {
  let stack: TestStack;
  let api: ReturnType<typeof caseApi>;
  let officer: string;
  let supervisor: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'intake-integrity' });
    api = caseApi(stack);
    [officer, supervisor] = await Promise.all([stack.login('officer'), stack.login('supervisor')]);
  });
  afterAll(() => stack.stop());

  describe('one idempotency key, one content', () => {
    test('when 30 senders repeat the same intake at once, then exactly one is answered 201 created and 29 are answered 200 not created, all naming one case', async () => {
      const body = aComplaint({ key: 'integrity-repeat-0001', place: 11 });
      const answers = await Promise.all(Array.from({ length: 30 }, () => api.postIntake(officer, body)));
      const statuses = answers.map((answer) => answer.status).sort();
      expect(statuses).toEqual([...Array(29).fill(200), 201]);
      expect(answers.filter((answer) => answer.body.created === true)).toHaveLength(1);
      expect(new Set(answers.map((answer) => answer.body.caseNo)).size).toBe(1);
      expect(await CaseModel.countDocuments({ idempotencyKey: 'integrity-repeat-0001' })).toBe(1);
    });

    test('when the same key comes back with another content, then 409 names the existing case and the new content makes no case', async () => {
      const first = await api.postIntake(officer, aComplaint({ key: 'integrity-edit-0001', place: 12 }));
      expect(first.status).toBe(201);
      const before = await CaseModel.countDocuments();
      const edited = await api.postIntake(officer, { ...aComplaint({ key: 'integrity-edit-0001', place: 12 }), description: '另一个来电：工地夜间施工噪声' });
      expect(edited.status).toBe(409);
      expect(edited.body.error).toContain(first.body.caseNo);
      expect(edited.body.error).toContain('幂等键');
      expect(await CaseModel.countDocuments()).toBe(before);
      // The original content under its key is still answered with its case.
      const again = await api.postIntake(officer, aComplaint({ key: 'integrity-edit-0001', place: 12 }));
      expect(again.status).toBe(200);
      expect(again.body).toEqual(expect.objectContaining({ caseNo: first.body.caseNo, created: false }));
    });

    test('when two contents race under one key, then one makes the case and every sender of the other gets 409', async () => {
      const a = aComplaint({ key: 'integrity-race-0001', place: 13 });
      const b = { ...a, description: '另一个来电：化工厂烟囱冒黑烟' };
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => api.postIntake(officer, i % 2 === 0 ? a : b)));
      const winner = answers.find((answer) => answer.body.created === true);
      expect(winner).toBeDefined();
      const winningDescription = answers.indexOf(winner!) % 2 === 0 ? a.description : b.description;
      answers.forEach((answer, i) => {
        const sameContent = (i % 2 === 0 ? a.description : b.description) === winningDescription;
        expect(answer.status).toBe(sameContent ? (answer === winner ? 201 : 200) : 409);
      });
      expect(await CaseModel.countDocuments({ idempotencyKey: 'integrity-race-0001' })).toBe(1);
    });

    test('when the key of a merged intake comes back with another content, then 409 names the case it was merged into', async () => {
      const original = await api.postIntake(officer, aComplaint({ key: 'integrity-merged-0001', place: 14 }));
      const repeat = await api.postIntake(officer, aComplaint({ key: 'integrity-merged-0002', place: 14, offsetMetres: 50 }));
      expect(repeat.body.mergedInto?.caseNo).toBe(original.body.caseNo);
      const edited = await api.postIntake(officer, { ...aComplaint({ key: 'integrity-merged-0002', place: 14, offsetMetres: 50 }), description: '改过的内容' });
      expect(edited.status).toBe(409);
      expect(edited.body.error).toContain(original.body.caseNo);
    });
  });

  describe('the receipt time', () => {
    const numbersOf = (year: number) => CaseNumberModel.countDocuments({ scope: `350602-${year}` });

    test.each([['2028-01-10T09:00:00+08:00'], ['2099-01-10T09:00:00+08:00']])(
      'when an intake says it was received at %s, then 400 says the receipt cannot lie in the future, and no number is taken',
      async (receivedAt) => {
        const year = Number(receivedAt.slice(0, 4));
        const response = await api.postIntake(officer, aComplaint({ key: `integrity-future-${year}`, place: 15, receivedAt }));
        expect(response.status).toBe(400);
        expect(response.body.error).toContain('受理时间不能晚于当前时间');
        expect(await numbersOf(year)).toBe(0);
      },
    );

    test('when an officer back-dates an intake 40 days, then 403 says it is a supervisor’s late entry', async () => {
      const receivedAt = new Date(Date.now() - 40 * 86_400_000).toISOString();
      const response = await api.postIntake(officer, aComplaint({ key: 'integrity-backdate-0001', place: 16, receivedAt }));
      expect(response.status).toBe(403);
      expect(response.body.error).toContain('负责人');
      expect(await CaseModel.countDocuments({ idempotencyKey: 'integrity-backdate-0001' })).toBe(0);
    });

    test('when a supervisor enters a receipt from 1970 with a reason, then 422 says the calendar does not cover it, no number is taken, and the corrected resend under the same key is registered', async () => {
      const body = { ...aComplaint({ key: 'integrity-1970-0001', place: 17, receivedAt: '1970-01-05T09:00:00+08:00' }), lateEntryReason: '历史档案补录' };
      const refused = await api.postIntake(supervisor, body);
      expect(refused.status).toBe(422);
      expect(refused.body.code).toBe('CalendarOutOfRange');
      expect(await numbersOf(1970)).toBe(0);

      const corrected = await api.postIntake(supervisor, { ...body, receivedAt: new Date(Date.now() - 60_000).toISOString() });
      expect(corrected.status).toBe(201);
    });

    test('when the workflow itself gets an intake outside the calendar, then the update fails at once with CalendarOutOfRange, no number is taken, and the key can be used again', async () => {
      const body = intakeSchema.parse(aComplaint({ key: 'integrity-workflow-2028', place: 18, receivedAt: '2028-01-10T09:00:00+08:00' }));
      const intake = toIntakeInput(body, new Date());
      const caseId = caseIdFor(intake.channel, intake.idempotencyKey);
      const start = () =>
        new WithStartWorkflowOperation<typeof caseProcessingWorkflow>('caseProcessingWorkflow', {
          workflowId: caseWorkflowId(caseId),
          taskQueue: stack.taskQueue,
          args: [{ caseId, intake, calendar: chinaCalendarData, policy: defaultCasePolicy, requestId: randomUUID() }],
          workflowIdConflictPolicy: 'USE_EXISTING',
          workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        });
      const failure = await stack.client.workflow.executeUpdateWithStart(intakeOutcomeUpdate, { args: [{}], startWorkflowOperation: start() }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(WorkflowUpdateFailedError);
      const cause = (failure as WorkflowUpdateFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).type).toBe('CalendarOutOfRange');
      expect(await numbersOf(2028)).toBe(0);
      const described = await stack.client.workflow.getHandle(caseWorkflowId(caseId)).describe();
      expect(described.status.name).toBe('FAILED');

      // The same key, corrected, starts a new run: the failed one left no case behind.
      const fixed = toIntakeInput({ ...body, receivedAt: new Date().toISOString() }, new Date());
      const response = await api.postIntake(officer, { ...aComplaint({ key: 'integrity-workflow-2028', place: 18 }), receivedAt: fixed.receivedAt });
      expect(response.status).toBe(201);
    });
  });

  describe('identical complaints arriving together', () => {
    test('when 5 pairs of identical complaints are sent at once, each pair at its own place, then each pair makes one case with the other merged into it', async () => {
      const pairs = Array.from({ length: 5 }, (_, pair) => [
        aComplaint({ key: `integrity-pair-${pair}-a`, place: 30 + pair }),
        aComplaint({ key: `integrity-pair-${pair}-b`, place: 30 + pair, offsetMetres: 30 }),
      ]);
      const answers = await Promise.all(pairs.flat().map((body) => api.postIntake(officer, body)));
      for (let pair = 0; pair < 5; pair += 1) {
        const [a, b] = [answers[2 * pair]!, answers[2 * pair + 1]!];
        expect([a.status, b.status]).toEqual([201, 201]);
        expect(a.body.caseId).toBe(b.body.caseId);
        expect([a.body.mergedInto, b.body.mergedInto].filter(Boolean)).toHaveLength(1);
      }
      const caseIds = new Set(answers.map((answer) => answer.body.caseId as string));
      expect(caseIds.size).toBe(5);
      expect(await MergedIntakeModel.countDocuments({ idempotencyKey: { $regex: '^integrity-pair-' } })).toBe(5);
      // Every merged complaint reaches its case, even one merged while the case was still registering.
      for (const caseId of caseIds) {
        await eventually(`the related complaint and its timeline entry on ${caseId}`, async () => {
          const { detail, timeline } = await api.getCase(officer, caseId);
          return detail.relatedComplaints.length === 1 && timeline.some((entry) => entry.type === 'repeat_merged') ? true : undefined;
        });
      }
    });

    test('when 6 complaints of one category are sent at once from 6 places 1 km apart, then none is merged', async () => {
      const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => api.postIntake(officer, aComplaint({ key: `integrity-apart-${i}`, place: 40 + i }))));
      expect(answers.map((answer) => answer.status)).toEqual(Array(6).fill(201));
      expect(answers.filter((answer) => answer.body.mergedInto)).toHaveLength(0);
    });

    test('when two complaints 150 m apart across a grid line arrive together, then they make one case', async () => {
      const answers = await Promise.all([
        api.postIntake(officer, aComplaint({ key: 'integrity-border-a', place: 50, offsetMetres: -75 })),
        api.postIntake(officer, aComplaint({ key: 'integrity-border-b', place: 50, offsetMetres: 75 })),
      ]);
      expect(answers[0]!.body.caseId).toBe(answers[1]!.body.caseId);
    });
  });
});
