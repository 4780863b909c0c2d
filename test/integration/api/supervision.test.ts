import request from 'supertest';
import { chinaCalendarData } from '../../../domain/calendar';
import { deadlineCatalogue } from '../../../domain/deadlines';
import { addPeriod } from '../../../domain/periods';
import { startTestStack, type TestStack } from '../../support/stack';
import { aComplaint, caseApi, eventually } from './case-api';

const dayMs = 86_400_000;
const dueSoonMs = 3 * dayMs;

/** When a complaint received at `receivedAt` must have its acceptance notice (15 ND, 信访工作条例 第二十三条). */
function acceptanceDueFor(receivedAt: string): number {
  const rule = deadlineCatalogue.complaint_acceptance_notice;
  return Date.parse(addPeriod({ start: receivedAt, amount: rule.amount, unit: rule.unit, rollForwardOnHoliday: rule.rollForwardOnHoliday, calendar: chinaCalendarData }));
}

/** A receipt instant some whole days ago whose acceptance notice falls due within `window` from now. */
function receivedSoThatDueWithin(now: number, window: { fromMs: number; toMs: number }): string {
  for (let daysAgo = 0; daysAgo <= 40; daysAgo += 1) {
    const receivedAt = new Date(now - daysAgo * dayMs).toISOString();
    const due = acceptanceDueFor(receivedAt);
    if (due - now > window.fromMs && due - now <= window.toMs) return receivedAt;
  }
  throw new Error('no receipt day gives a due date in the window');
}

interface BoardRow {
  regionCode: string;
  overdue: number;
  dueSoon: number;
  open: number;
}

describe('supervision: the board and escalation by hand', () => {
  let stack: TestStack;
  let api: ReturnType<typeof caseApi>;
  let officer: string;
  let supervisor: string;

  beforeAll(async () => {
    stack = await startTestStack({ name: 'supervision' });
    api = caseApi(stack);
    [officer, supervisor] = await Promise.all([stack.login('officer'), stack.login('supervisor')]);
  });
  afterAll(() => stack.stop());

  const board = (token: string) => request(stack.app).get('/api/board').set('Authorization', token);

  test('when cases are fresh, due within 3 days, overdue or in another county, then the board counts each in its row and lists the overdue one', async () => {
    const now = Date.now();
    const fresh = await api.postIntake(officer, aComplaint({ key: 'board-fresh-01', place: 1 }));
    // Receipts older than 7 days are late entries (补录): a supervisor's, with a reason.
    const lateEntry = { lateEntryReason: '12369 平台转来的历史工单补录' };
    const soon = await api.postIntake(supervisor, { ...aComplaint({ key: 'board-soon-001', place: 2, receivedAt: receivedSoThatDueWithin(now, { fromMs: 0, toMs: dueSoonMs - 3_600_000 }) }), ...lateEntry });
    // Overdue by at least a day but short of level 2 (3 WD after the due instant).
    const late = await api.postIntake(supervisor, { ...aComplaint({ key: 'board-late-001', place: 3, receivedAt: receivedSoThatDueWithin(now, { fromMs: -2 * dayMs, toMs: -dayMs }) }), ...lateEntry });
    const tongan = await api.postIntake(await stack.login('officer.tongan'), aComplaint({ key: 'board-tongan-1', place: 4, regionCode: '350212101' }));
    for (const response of [fresh, soon, late, tongan]) expect(response.status).toBe(201);

    // The overdue level fires on the workflow's timer, just after registration.
    const body = await eventually('the late case to show as overdue on the board', async () => {
      const response = await board(supervisor);
      expect(response.status).toBe(200);
      return response.body.rows.some((row: BoardRow) => row.overdue > 0) ? response.body : undefined;
    });
    expect(body.rows).toEqual([{ regionCode: '350602', overdue: 1, dueSoon: 1, open: 3 }]);
    expect(body.overdueCases.map((item: { caseId: string }) => item.caseId)).toEqual([late.body.caseId]);
    expect(body.overdueTotal).toBe(1);

    // The timeline is its own projection, written after the case row the board reads.
    await eventually('the late case\'s timeline to record the overdue level', async () => {
      const { timeline } = await api.getCase(supervisor, late.body.caseId);
      return timeline.some((entry) => entry.type === 'overdue') ? true : undefined;
    });

    // The province sees both counties; an officer may not open the board at all.
    const province = await board(await stack.login('admin'));
    expect(province.body.rows).toEqual(
      expect.arrayContaining([
        { regionCode: '350602', overdue: 1, dueSoon: 1, open: 3 },
        { regionCode: '350212', overdue: 0, dueSoon: 0, open: 1 },
      ]),
    );
    expect((await board(officer)).status).toBe(403);
  });

  test('when the supervisor escalates a case by hand, then a 督办 task appears in the supervisor\'s list and the timeline names who escalated', async () => {
    const intake = await api.postIntake(officer, aComplaint({ key: 'escalate-0001', place: 5 }));
    const caseId: string = intake.body.caseId;
    expect(await api.tasksOn(supervisor, caseId, 'supervise_overdue')).toHaveLength(0);

    const refused = await api.act(officer, caseId, { action: 'escalate', reason: '群众反映强烈' });
    expect(refused.status).toBe(403);

    const escalated = await api.act(supervisor, caseId, { action: 'escalate', reason: '群众反映强烈，县级督办' });
    expect(escalated.status).toBe(200);
    expect(escalated.body.escalationLevel).toBe(2);
    expect(escalated.body.status).toBe('received');

    expect(await api.tasksOn(supervisor, caseId, 'supervise_overdue')).toEqual([
      expect.objectContaining({ role: 'supervisor', regionCode: '350602', escalationLevel: 2 }),
    ]);
    expect(await api.tasksOn(officer, caseId, 'supervise_overdue')).toHaveLength(0);

    const { timeline } = await api.getCase(supervisor, caseId);
    expect(timeline).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'escalated', actor: expect.objectContaining({ userId: 'supervisor' }) })]));
  });
});
