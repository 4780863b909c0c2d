import { defaultCasePolicy } from '../../domain/case-clocks';
import { chinaCalendarData, isWorkingDay, addDays } from '../../domain/calendar';
import { addPeriod, shanghaiDate } from '../../domain/periods';
import { actors, startCaseWorkflowEnv, type CaseWorkflowEnv } from './support/case-workflow-env';

let t: CaseWorkflowEnv;
beforeAll(async () => {
  t = await startCaseWorkflowEnv();
});
afterAll(() => t?.stop());

describe('due dates are fixed from the calendar the workflow was given', () => {
  test('when 15 WD start on Monday 2026-09-28, then they end at the end of Friday 2026-10-23 Shanghai (National Day off, make-up Saturday 10-10 counted)', () => {
    // The domain rule the workflow calls; the server clock cannot go back to September, so the
    // next test proves the workflow fixes its due dates with this same function and calendar.
    expect(addPeriod({ start: '2026-09-28', amount: 15, unit: 'WD', calendar: chinaCalendarData })).toBe('2026-10-23T15:59:59.999Z');
    expect(addPeriod({ start: '2026-09-28T09:30:00+08:00', amount: 15, unit: 'WD', calendar: chinaCalendarData })).toBe('2026-10-23T15:59:59.999Z');
  });

  test('when a patrol item gets a 15 WD fix period, then the workflow fixes its due instant with addPeriod from the triage instant, and a calendar with extra holidays moves it', async () => {
    const policy = { ...defaultCasePolicy, ruleOverrides: { patrol_rectify: { amount: 15 } } };
    const patrol = { channel: 'patrol' as const, category: 'rubbish_burning_dumping' as const, reporter: undefined };

    const shipped = await t.startCase({ intake: patrol, policy });
    await t.waitFor(shipped, (view) => view.status === 'received');
    const triaged = await t.act(shipped, actors.officer, { action: 'triage', decision: 'accept' });
    const clock = triaged.clocks.patrol_fix!;
    expect(clock.dueAt).toBe(addPeriod({ start: clock.startedAt, amount: 15, unit: 'WD', calendar: chinaCalendarData }));
    expect(clock.dueAt).toMatch(/T15:59:59\.999Z$/); // end of day in Shanghai

    // The same case with a calendar that declares the next three working days holidays: the
    // workflow counts with the calendar in its input, so the due date moves three working days.
    const start = shanghaiDate(await t.nowIso());
    const extraHolidays: string[] = [];
    for (let day = addDays(start, 1); extraHolidays.length < 3; day = addDays(day, 1)) {
      if (isWorkingDay(day, chinaCalendarData)) extraHolidays.push(day);
    }
    const calendar = { ...chinaCalendarData, version: 'test-extra-holidays', holidays: [...chinaCalendarData.holidays, ...extraHolidays] };
    const custom = await t.startCase({ intake: patrol, policy, calendar });
    await t.waitFor(custom, (view) => view.status === 'received');
    const customClock = (await t.act(custom, actors.officer, { action: 'triage', decision: 'accept' })).clocks.patrol_fix!;
    expect(customClock.dueAt).toBe(addPeriod({ start: customClock.startedAt, amount: 15, unit: 'WD', calendar }));
    expect(shanghaiDate(customClock.dueAt)).toBe(
      shanghaiDate(addPeriod({ start: clock.dueAt, amount: 3, unit: 'WD', calendar: chinaCalendarData })),
    );
  });
});

describe('reminder, overdue and the escalation ladder on the durable timer', () => {
  test('when a complaint is left untriaged, then the reminder fires before the due date, overdue at it, and levels 2..4 at +3/+10/+20 WD with 督办 documents and tasks up the region tree', async () => {
    const handle = await t.startCase();
    const view = await t.waitFor(handle, (candidate) => candidate.status === 'received');
    const caseId = view.caseId;
    const clock = view.clocks.acceptance_notice!;
    const reminderAt = clock.reminderAt!;
    expect(Date.parse(reminderAt)).toBeLessThan(Date.parse(clock.dueAt));
    expect(clock.ladder[0]).toBe(clock.dueAt);
    expect(clock.ladder.slice(1)).toEqual(
      [3, 10, 20].map((days) => addPeriod({ start: clock.dueAt, amount: days, unit: 'WD', calendar: chinaCalendarData })),
    );
    const eventsOfType = (type: string) => t.events(caseId).filter((event) => event.type === type);

    // Just before the reminder: nothing yet.
    await t.sleepUntil(reminderAt, -60_000);
    expect(eventsOfType('reminder')).toEqual([]);

    await t.sleepUntil(reminderAt);
    const reminded = await t.waitFor(handle, (candidate) => candidate.clocks.acceptance_notice?.reminded === true, 'the reminder');
    expect(reminded.clocks.acceptance_notice?.escalationLevel).toBe(0);
    await waitUntil(() => eventsOfType('reminder').length === 1);
    const reminder = eventsOfType('reminder')[0]!;
    expect(reminder.at >= reminderAt).toBe(true);
    expect(reminder.at < clock.dueAt).toBe(true);
    const reminderNotice = t.recorded.notifications.find((note) => note.caseId === caseId && note.message.startsWith('提醒'));
    expect(reminderNotice).toEqual(expect.objectContaining({ role: 'officer', regionCode: '350602' }));
    expect(reminderNotice!.atMs).toBeLessThan(Date.parse(clock.dueAt));

    // One minute before the due instant: still not overdue.
    await t.sleepUntil(clock.dueAt, -60_000);
    expect((await t.waitFor(handle, () => true)).clocks.acceptance_notice?.escalationLevel).toBe(0);

    await t.sleepUntil(clock.dueAt);
    const overdue = await t.waitFor(handle, (candidate) => candidate.clocks.acceptance_notice?.escalationLevel === 1, 'overdue');
    expect(overdue.tasks.find((task) => task.kind === 'triage')?.escalationLevel).toBe(1);
    expect(overdue.escalationLevel).toBe(0);
    await waitUntil(() => eventsOfType('overdue').length === 1);
    expect(eventsOfType('overdue')[0]).toEqual(expect.objectContaining({ data: { clockId: 'acceptance_notice', level: 1 } }));
    expect(eventsOfType('overdue')[0]!.at >= clock.dueAt).toBe(true);
    const overdueNotices = t.recorded.notifications.filter((note) => note.caseId === caseId && note.message.endsWith('已超期'));
    expect(overdueNotices.map((note) => note.role).sort()).toEqual(['officer', 'supervisor']);

    const expected = [
      { level: 2, regionCode: '350602' },
      { level: 3, regionCode: '350600' },
      { level: 4, regionCode: '350000' },
    ];
    for (const { level, regionCode } of expected) {
      const instant = clock.ladder[level - 1]!;
      await t.sleepUntil(instant, -60_000);
      expect((await t.waitFor(handle, () => true)).escalationLevel).toBe(level - 1 === 1 ? 0 : level - 1);

      await t.sleepUntil(instant);
      const escalated = await t.waitFor(handle, (candidate) => candidate.escalationLevel === level && candidate.documents.some((doc) => doc.occasion === `level-${level}`), `level ${level}`);
      expect(escalated.clocks.acceptance_notice?.escalationLevel).toBe(level);
      expect(escalated.tasks.find((task) => task.kind === 'triage')?.escalationLevel).toBe(level);
      expect(escalated.tasks).toContainEqual(expect.objectContaining({ kind: 'supervise_overdue', role: 'supervisor', regionCode, escalationLevel: level, status: 'open' }));
      expect(escalated.documents).toContainEqual(expect.objectContaining({ kind: 'supervision_notice', occasion: `level-${level}` }));
      const issued = t.recorded.documents.find((doc) => doc.state.caseId === caseId && doc.occasion === `level-${level}`);
      expect(issued?.kind).toBe('supervision_notice');
      expect(issued!.atMs).toBeGreaterThanOrEqual(Date.parse(instant));
    }
    // The supervision tasks keep the level they were opened at.
    const final = await t.waitFor(handle, () => true);
    expect(final.tasks.filter((task) => task.kind === 'supervise_overdue').map((task) => [task.escalationLevel, task.regionCode])).toEqual(
      expected.map(({ level, regionCode }) => [level, regionCode]),
    );
    expect(t.recorded.documents.filter((doc) => doc.state.caseId === caseId).map((doc) => doc.occasion)).toEqual(['level-2', 'level-3', 'level-4']);
  });
});

async function waitUntil(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !check(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 50));
  expect(check()).toBe(true);
}
