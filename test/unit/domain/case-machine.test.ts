import type { IntakeInput } from '../../../domain/case';
import type { CaseCommand } from '../../../domain/case-commands';
import { defaultCasePolicy, nextClockEventAt, type CaseContext } from '../../../domain/case-clocks';
import {
  assertCanPerform,
  fireDueClocks,
  mergeRepeatComplaint,
  perform,
  registerCase,
} from '../../../domain/case-machine';
import type { CaseState } from '../../../domain/case-state';
import { chinaCalendarData } from '../../../domain/calendar';
import { DomainError, type DomainErrorCode } from '../../../domain/errors';
import { addPeriod, extendDue } from '../../../domain/periods';
import type { Actor } from '../../../domain/roles';

// Instants are written in UTC 'Z' form, as the workflow writes them (new Date().toISOString()).
const context: CaseContext = { calendar: chinaCalendarData, policy: defaultCasePolicy };
const t0 = '2026-09-28T01:00:00.000Z'; // Monday 09:00 Shanghai
const hourMs = 3_600_000;
const at = (hours: number): string => new Date(Date.parse(t0) + hours * hourMs).toISOString();

const officer: Actor = { userId: 'u-officer', name: '王执法', role: 'officer', regionCode: '350602' };
const otherCountyOfficer: Actor = { userId: 'u-officer-2', name: '林执法', role: 'officer', regionCode: '350603' };
const supervisor: Actor = { userId: 'u-super', name: '陈科长', role: 'supervisor', regionCode: '350602' };
const citySupervisor: Actor = { userId: 'u-city', name: '黄处长', role: 'supervisor', regionCode: '350600' };
const otherCitySupervisor: Actor = { userId: 'u-xm', name: '郑科长', role: 'supervisor', regionCode: '350205' };
const localityHandler: Actor = { userId: 'u-local', name: '李经办', role: 'locality_handler', regionCode: '350602001' };
const gridMember: Actor = { userId: 'u-grid', name: '张网格', role: 'grid_member', regionCode: '350602001' };

function intake(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    channel: 'complaint',
    category: 'water',
    description: '工业园区排污口夜间排放黄色污水',
    location: { address: '芗城区东铺头街道九龙江边', regionCode: '350602001' },
    subject: { name: '漳州某化工有限公司', creditCode: '91350100M000100Y43' },
    reporter: { anonymous: false, name: '李先生' },
    attachments: [],
    idempotencyKey: `key-${Math.random()}`,
    receivedAt: t0,
    ...overrides,
  };
}

function aCase(overrides: Partial<IntakeInput> = {}): CaseState {
  return registerCase(
    { caseId: 'c1', caseNo: '350602-2026-00001', intake: intake(overrides), countyCode: '350602', cityCode: '350600', agencyCode: '漳环芗', agencyName: '漳州市芗城生态环境局' },
    t0,
    context,
  );
}

function run(state: CaseState, steps: [Actor, CaseCommand][], startHour = 1): CaseState {
  steps.forEach(([actor, command], index) => perform(state, command, actor, at(startHour + index), context));
  return state;
}

const accept: CaseCommand = { action: 'triage', decision: 'accept' };
const acknowledge: CaseCommand = { action: 'acknowledge' };
const violation: CaseCommand = {
  action: 'recordInvestigation',
  outcome: 'violation',
  findings: '排污口超标排放',
  requirement: '停止排放并整改排污口',
  rectificationDueDate: '2026-10-30',
};
const report: CaseCommand = { action: 'reportRectification', report: '已封堵排污口' };
const fail = (newDueDate: string): CaseCommand => ({ action: 'verify', passed: false, findings: '仍有渗漏', newDueDate });

/** A complaint case in `rectifying` under an order to correct due 2026-10-30. */
function aRectifyingComplaint(): CaseState {
  return run(aCase(), [
    [officer, accept],
    [officer, acknowledge],
    [officer, violation],
  ]);
}

function rejection(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('refused actions', () => {
  const cases: [string, () => CaseState, Actor, CaseCommand, DomainErrorCode][] = [
    ['a grid member triages', aCase, gridMember, accept, 'NotPermitted'],
    ['a supervisor triages', aCase, supervisor, accept, 'NotPermitted'],
    ['a locality handler approves closure', aCase, localityHandler, { action: 'decideClosure', approve: true, answer: '已办结' }, 'NotPermitted'],
    ['an officer escalates', aCase, officer, { action: 'escalate', reason: '久拖不办' }, 'NotPermitted'],
    ['an officer of another county triages', aCase, otherCountyOfficer, accept, 'NotPermitted'],
    ['a supervisor of another city suspends a clock', aCase, otherCitySupervisor, { action: 'suspendClock', clockId: 'acceptance_notice', reason: '等待监测' }, 'NotPermitted'],
    ['a received case is verified', aCase, officer, { action: 'verify', passed: true, findings: '已整改' }, 'InvalidTransition'],
    ['a received case is reopened', aCase, officer, { action: 'reopen', reason: '复查申请' }, 'InvalidTransition'],
    ['an assigned case is triaged again', () => run(aCase(), [[officer, accept]]), officer, accept, 'InvalidTransition'],
    ['a rectifying case is closed', aRectifyingComplaint, supervisor, { action: 'decideClosure', approve: true, answer: '已办结' }, 'InvalidTransition'],
    ['a township item is acknowledged by the county officer', () => run(aCase({ channel: 'patrol', category: 'rubbish_burning_dumping', reporter: undefined }), [[officer, accept]]), officer, acknowledge, 'NotPermitted'],
    ['a rejection without a reason', aCase, officer, { action: 'triage', decision: 'reject', reason: ' ' }, 'InvalidInput'],
    ['a grid member verifies an order to correct (the officer\'s check)', () => run(aRectifyingComplaint(), [[localityHandler, report]], 10), gridMember, { action: 'verify', passed: true, findings: '已整改' }, 'NotPermitted'],
    ['a failed verification without a new due date', () => run(aRectifyingComplaint(), [[localityHandler, report]], 10), officer, { action: 'verify', passed: false, findings: '仍有渗漏' }, 'InvalidInput'],
  ];

  test.each(cases)('when %s, then a DomainError with the right code is thrown and the case is unchanged', (_name, build, actor, command, code) => {
    const state = build();
    const before = structuredClone(state);
    expect(rejection(() => assertCanPerform(state, command, actor)).code).toBe(code);
    expect(rejection(() => perform(state, command, actor, at(50), context)).code).toBe(code);
    expect(state).toEqual(before);
  });
});

describe('routing on triage', () => {
  test('when a patrol rubbish item is accepted, then the township locality handler gets the acknowledge task and a 3 WD fix clock opens', () => {
    const state = run(aCase({ channel: 'patrol', category: 'rubbish_burning_dumping', reporter: undefined }), [[officer, accept]]);
    expect(state.status).toBe('assigned');
    expect(state.assignedUnit).toEqual({ kind: 'township', regionCode: '350602001' });
    expect(state.tasks.filter((task) => task.status === 'open')).toEqual([
      expect.objectContaining({ kind: 'acknowledge', role: 'locality_handler', regionCode: '350602001', clockId: 'unit_acknowledge' }),
    ]);
    expect(state.clocks.patrol_fix?.dueAt).toBe(addPeriod({ start: at(1), amount: 3, unit: 'WD', calendar: chinaCalendarData }));
    expect(state.clocks.acceptance_notice).toBeUndefined();
    expect(state.clocks.complaint_answer).toBeUndefined();
  });

  test('when a complaint is accepted, then the county officer gets the acknowledge task and the 60 ND answer clock opens', () => {
    const state = aCase();
    const effects = perform(state, accept, officer, at(1), context);
    expect(state.assignedUnit).toEqual({ kind: 'county_team', regionCode: '350602' });
    expect(state.tasks.filter((task) => task.status === 'open')).toEqual([
      expect.objectContaining({ kind: 'acknowledge', role: 'officer', regionCode: '350602' }),
    ]);
    expect(state.clocks.acceptance_notice?.status).toBe('met');
    expect(state.clocks.complaint_answer?.status).toBe('running');
    expect(effects.map((effect) => effect.type === 'issueDocument' && effect.kind)).toEqual(['transfer_to_locality', 'acceptance_notice']);
  });

  test('when the township acknowledges a patrol item, then it moves to rectifying with a locality rectify task', () => {
    const state = run(aCase({ channel: 'patrol', category: 'rubbish_burning_dumping', reporter: undefined }), [
      [officer, accept],
      [localityHandler, acknowledge],
    ]);
    expect(state.status).toBe('rectifying');
    expect(state.tasks.find((task) => task.status === 'open')).toEqual(expect.objectContaining({ kind: 'rectify', role: 'locality_handler', regionCode: '350602001' }));
  });
});

describe('verification', () => {
  test('when verification fails once, then the round is counted and a new rectify task opens without escalation; a second failure escalates to a county 督办', () => {
    const state = run(aRectifyingComplaint(), [[localityHandler, report]], 10);
    perform(state, fail('2026-11-06'), officer, at(20), context);
    expect(state.status).toBe('rectifying');
    expect(state.rectification).toEqual(expect.objectContaining({ round: 2, failures: 1, dueAt: '2026-11-06T15:59:59.999Z' }));
    expect(state.clocks.rectification?.dueAt).toBe('2026-11-06T15:59:59.999Z');
    expect(state.escalationLevel).toBe(0);

    perform(state, report, localityHandler, at(21), context);
    const effects = perform(state, fail('2026-11-13'), officer, at(22), context);
    expect(state.rectification).toEqual(expect.objectContaining({ round: 3, failures: 2 }));
    expect(state.escalationLevel).toBe(2);
    expect(state.tasks).toContainEqual(expect.objectContaining({ kind: 'supervise_overdue', role: 'supervisor', regionCode: '350602', escalationLevel: 2, status: 'open' }));
    expect(effects).toContainEqual(expect.objectContaining({ type: 'issueDocument', kind: 'supervision_notice', occasion: 'level-2' }));
    expect(state.unprojectedEvents.map((event) => event.type)).toEqual(expect.arrayContaining(['verification_failed', 'escalated']));
  });
});

describe('extension', () => {
  test('when the supervisor approves an extension, then the due date moves, the old one stays in the history and the task follows', () => {
    const state = aRectifyingComplaint();
    const oldDue = state.clocks.rectification!.dueAt;
    perform(state, { action: 'requestExtension', clockId: 'rectification', amount: 5, unit: 'WD', reason: '设备到货延迟' }, localityHandler, at(10), context);
    expect(state.tasks).toContainEqual(expect.objectContaining({ kind: 'approve_extension', role: 'supervisor', status: 'open' }));
    perform(state, { action: 'decideExtension', clockId: 'rectification', approve: true }, supervisor, at(11), context);

    const clock = state.clocks.rectification!;
    const newDue = extendDue(oldDue, 5, 'WD', chinaCalendarData);
    expect(newDue).toBe('2026-11-06T15:59:59.999Z');
    expect(clock.dueAt).toBe(newDue);
    expect(clock.extensions).toBe(1);
    expect(clock.history).toEqual([expect.objectContaining({ from: oldDue, to: newDue, by: supervisor.userId, at: at(11) })]);
    expect(clock.ladder[0]).toBe(newDue);
    expect(state.rectification?.dueAt).toBe(newDue);
    expect(state.tasks.find((task) => task.status === 'open' && task.clockId === 'rectification')?.dueAt).toBe(newDue);
    expect(state.pendingExtensions).toEqual([]);
  });

  test('when a second extension is approved by the county supervisor, then it is refused; the city supervisor may approve it', () => {
    const state = aRectifyingComplaint();
    const request: CaseCommand = { action: 'requestExtension', clockId: 'rectification', amount: 5, unit: 'WD', reason: '设备到货延迟' };
    const approve: CaseCommand = { action: 'decideExtension', clockId: 'rectification', approve: true };
    run(state, [[localityHandler, request], [supervisor, approve], [localityHandler, request]], 10);
    expect(rejection(() => assertCanPerform(state, approve, supervisor)).code).toBe('NotPermitted');
    // A supervisor below the county (a township office) is not one level up either.
    const townshipSupervisor: Actor = { ...supervisor, userId: 'u-town', regionCode: '350602001' };
    expect(rejection(() => assertCanPerform(state, approve, townshipSupervisor)).code).toBe('NotPermitted');
    perform(state, approve, citySupervisor, at(20), context);
    expect(state.clocks.rectification?.history).toHaveLength(2);
  });
});

describe('suspension', () => {
  test('when a clock is suspended and resumed, then its due instant moves by exactly the stopped time and the change is kept', () => {
    const state = aRectifyingComplaint();
    const clock = state.clocks.rectification!;
    const oldDue = clock.dueAt;
    perform(state, { action: 'suspendClock', clockId: 'rectification', reason: '等待监测报告' }, supervisor, at(10), context);
    expect(clock.status).toBe('suspended');

    // While stopped, a time far past the due date fires nothing for this clock.
    const effects = fireDueClocks(state, '2026-12-31T00:00:00.000Z');
    expect(effects.filter((effect) => effect.type === 'notify' && effect.message.includes(clock.label))).toEqual([]);
    expect(clock.escalationLevel).toBe(0);

    const stoppedHours = 24 * 9 + 5;
    perform(state, { action: 'resumeClock', clockId: 'rectification' }, supervisor, at(10 + stoppedHours), context);
    expect(clock.status).toBe('running');
    expect(Date.parse(clock.dueAt) - Date.parse(oldDue)).toBe(stoppedHours * hourMs);
    expect(clock.history).toEqual([expect.objectContaining({ from: oldDue, to: clock.dueAt })]);
    expect(clock.suspendedAt).toBeUndefined();
  });
});

describe('clocks firing', () => {
  test('when the time passes the reminder, the due instant and each ladder step, then reminder, overdue and levels 2..4 fire once each in order', () => {
    // A complaint received Monday 2026-09-28 and not triaged: its only clock is the 15 ND
    // acceptance notice, due 10-13. The reminder is 2 WD before at 09:00: 10-12 Mon, then
    // Saturday 10-10 (a make-up working day). Ladder +3/+10/+20 WD: 10-16, 10-27, 11-10.
    const state = aCase();
    const clock = state.clocks.acceptance_notice!;
    expect(Object.keys(state.clocks)).toEqual(['acceptance_notice']);
    expect(clock.dueAt).toBe('2026-10-13T15:59:59.999Z');
    expect(clock.reminderAt).toBe('2026-10-10T01:00:00.000Z');
    expect(clock.ladder).toEqual(['2026-10-13T15:59:59.999Z', '2026-10-16T15:59:59.999Z', '2026-10-27T15:59:59.999Z', '2026-11-10T15:59:59.999Z']);

    expect(fireDueClocks(state, '2026-10-10T00:59:59.999Z')).toEqual([]);
    const reminder = fireDueClocks(state, clock.reminderAt!);
    expect(reminder).toEqual([expect.objectContaining({ type: 'notify', role: 'officer', regionCode: '350602' })]);
    expect(clock.reminded).toBe(true);
    expect(fireDueClocks(state, '2026-10-13T15:59:59.998Z')).toEqual([]);

    const fired = clock.ladder.map((instant) => {
      const effects = fireDueClocks(state, instant);
      const task = state.tasks.find((candidate) => candidate.kind === 'triage')!;
      return {
        clockLevel: clock.escalationLevel,
        caseLevel: state.escalationLevel,
        taskLevel: task.escalationLevel,
        documents: effects.flatMap((effect) => (effect.type === 'issueDocument' ? [effect.occasion] : [])),
      };
    });
    expect(fired).toEqual([
      { clockLevel: 1, caseLevel: 0, taskLevel: 1, documents: [] },
      { clockLevel: 2, caseLevel: 2, taskLevel: 2, documents: ['level-2'] },
      { clockLevel: 3, caseLevel: 3, taskLevel: 3, documents: ['level-3'] },
      { clockLevel: 4, caseLevel: 4, taskLevel: 4, documents: ['level-4'] },
    ]);
    const supervision = state.tasks.filter((task) => task.kind === 'supervise_overdue').map((task) => [task.escalationLevel, task.regionCode]);
    expect(supervision).toEqual([[2, '350602'], [3, '350600'], [4, '350000']]);
    expect(state.unprojectedEvents.filter((event) => event.type === 'overdue')).toHaveLength(1);
    expect(fireDueClocks(state, '2027-06-01T00:00:00.000Z')).toEqual([]);
  });

  test('when a late wake-up finds the whole ladder passed, then one level fires per wake-up and each next level waits its full notice period', () => {
    const state = aCase();
    const clock = state.clocks.acceptance_notice!;
    const gaps = clock.ladder.slice(1).map((instant, index) => Date.parse(instant) - Date.parse(clock.ladder[index]!));
    const late = '2026-12-01T00:00:00.000Z';
    const occasions = (effects: ReturnType<typeof fireDueClocks>) => effects.flatMap((effect) => (effect.type === 'issueDocument' ? [effect.occasion] : []));

    expect(occasions(fireDueClocks(state, late, context))).toEqual([]);
    expect(clock.escalationLevel).toBe(1);
    expect(state.escalationLevel).toBe(0);
    // Level 2 now lies its whole period after the late wake-up, not in the past.
    expect(nextClockEventAt(state)).toBe(new Date(Date.parse(late) + gaps[0]!).toISOString());
    expect(fireDueClocks(state, late, context)).toEqual([]);

    const levels = [2, 3, 4].map((level, index) => {
      const wake = nextClockEventAt(state)!;
      expect(fireDueClocks(state, new Date(Date.parse(wake) - 1).toISOString(), context)).toEqual([]);
      const fired = occasions(fireDueClocks(state, wake, context));
      const next = nextClockEventAt(state);
      return { level, fired, waited: index < 2 ? Date.parse(next!) - Date.parse(wake) : undefined };
    });
    expect(levels).toEqual([
      { level: 2, fired: ['level-2'], waited: gaps[1] },
      { level: 3, fired: ['level-3'], waited: gaps[2] },
      { level: 4, fired: ['level-4'], waited: undefined },
    ]);
    expect(state.escalationLevel).toBe(4);
  });

  test('when a history recorded before one-level-per-wake replays, then the passed ladder still climbs at once', () => {
    const state = aCase();
    const replaying: CaseContext = { ...context, isChangeInForce: (changeId) => changeId !== 'one-overdue-level-per-wake' };
    const effects = fireDueClocks(state, '2026-12-01T00:00:00.000Z', replaying);
    expect(effects.flatMap((effect) => (effect.type === 'issueDocument' ? [effect.occasion] : []))).toEqual(['level-2', 'level-3', 'level-4']);
  });
});

describe('due dates a decision sets (issue 9, item 7)', () => {
  const investigated = () => run(aCase(), [[officer, accept], [officer, acknowledge]]);
  // at(3) is 2026-09-28 12:00 Asia/Shanghai.
  test.each([
    ['yesterday', '2026-09-27', /整改期限（2026-09-27）不能早于今天（2026-09-28）/],
    ['more than a year ahead', '2027-09-30', /不能晚于一年后（2027-09-29）/],
    ['not a date', '2026-02-30', /日期格式/],
  ])('when an order to correct is due %s, then it is refused with a Chinese message and the case is unchanged', (_name, date, message) => {
    const state = investigated();
    const before = structuredClone(state);
    const command: CaseCommand = { ...violation, rectificationDueDate: date } as CaseCommand;
    const error = rejection(() => perform(state, command, officer, at(3), context));
    expect(error.code).toBe('InvalidInput');
    expect(error.message).toMatch(message);
    expect(rejection(() => assertCanPerform(state, command, officer, at(3), context)).message).toMatch(message);
    expect(state).toEqual(before);
  });

  test('when an order to correct is due today (Asia/Shanghai, though UTC is still yesterday), then it is accepted', () => {
    const state = investigated();
    perform(state, { ...violation, rectificationDueDate: '2026-09-29' } as CaseCommand, officer, '2026-09-28T16:30:00.000Z', context);
    expect(state.status).toBe('rectifying');
  });

  test('when a failed verification sets a new due date in the past, then it is refused and the case stays verifying', () => {
    const state = run(aRectifyingComplaint(), [[localityHandler, report]], 10);
    const error = rejection(() => perform(state, fail('2026-09-20'), officer, at(20), context));
    expect(error.message).toMatch(/重新整改期限（2026-09-20）不能早于今天/);
    expect(state.status).toBe('verifying');
  });
});

describe('terminal states end the case\'s work (issue 9, item 6)', () => {
  test('when a case is closed, then no clock counts, no task is open and no wake-up is pending', () => {
    const state = run(aRectifyingComplaint(), [
      [localityHandler, report],
      [officer, { action: 'verify', passed: true, findings: '已整改' }],
      [supervisor, { action: 'decideClosure', approve: true, answer: '经查属实，已责令整改完毕' }],
    ], 10);
    expect(state.status).toBe('closed');
    // The violation opened the 立案审查 clock and task; closure ends them too.
    expect(state.clocks.penalty_filing?.status).toBe('cancelled');
    expect(Object.values(state.clocks).filter((clock) => clock?.status === 'running' || clock?.status === 'suspended')).toEqual([]);
    expect(state.tasks.filter((task) => task.status === 'open')).toEqual([]);
    expect(nextClockEventAt(state)).toBeUndefined();
  });

  test('when a case is rejected after a 督办, then the 督办 task closes too', () => {
    const state = run(aCase(), [[supervisor, { action: 'escalate', reason: '久拖不办' }], [officer, { action: 'triage', decision: 'reject', reason: '不属于环境问题' }]]);
    expect(state.status).toBe('rejected');
    expect(state.tasks.filter((task) => task.status === 'open')).toEqual([]);
    expect(nextClockEventAt(state)).toBeUndefined();
  });

  test('when 涉嫌环境犯罪 then 存在违法行为 are recorded, then one 立案审查 task is listed and the filing period still runs from the first', () => {
    const state = run(aCase(), [[officer, accept], [officer, acknowledge], [officer, { action: 'recordInvestigation', outcome: 'suspected_crime', findings: '暗管排放含镍废水' }]]);
    const filingStarted = state.clocks.penalty_filing!.startedAt;
    perform(state, violation, officer, at(10), context);
    expect(state.tasks.filter((task) => task.kind === 'record_penalty' && task.status === 'open')).toHaveLength(1);
    expect(state.clocks.penalty_filing!.startedAt).toBe(filingStarted);
  });
});

describe('repeat complaints', () => {
  test('when a repeat complaint is merged twice, then it is related once with one event', () => {
    const state = aCase();
    const repeat = { caseId: 'c2', channel: 'hotline' as const, receivedAt: at(3), description: '又有人反映排污', hasReporter: true };
    mergeRepeatComplaint(state, repeat, at(3));
    mergeRepeatComplaint(state, repeat, at(4));
    expect(state.relatedComplaints).toEqual([repeat]);
    expect(state.unprojectedEvents.filter((event) => event.type === 'repeat_merged')).toHaveLength(1);
  });
});
