import { caseListKey, caseListKeys, taskListKey, taskListKeys } from '../../../domain/list-keys';

describe('list keys: one equality per list', () => {
  test('when a task is for the officers of a township, then it is on the officer list of the township, county, city and province, and nowhere else', () => {
    const keys = taskListKeys({ role: 'officer', regionCode: '350602001' });
    expect(keys).toEqual(['officer|province:350000', 'officer|city:350600', 'officer|county:350602', 'officer|township:350602001']);
    expect(keys).toContain(taskListKey({ view: 'region', role: 'officer', area: { level: 'county', code: '350602' } }));
    expect(keys).not.toContain(taskListKey({ view: 'region', role: 'supervisor', area: { level: 'county', code: '350602' } }));
    expect(keys).not.toContain(taskListKey({ view: 'region', role: 'officer', area: { level: 'county', code: '350603' } }));
  });

  test('when a task is addressed to a police unit and claimed, then the unit and the claimant find it by their own keys', () => {
    const keys = taskListKeys({ role: 'police_liaison', regionCode: '350602', unitId: 'psb-350602', assigneeId: 'police.xc' });
    expect(keys).toEqual(expect.arrayContaining([taskListKey({ view: 'unit', role: 'police_liaison', unitId: 'psb-350602' }), taskListKey({ view: 'mine', userId: 'police.xc' })]));
    expect(keys).not.toContain(taskListKey({ view: 'unit', role: 'police_liaison', unitId: 'psb-350603' }));
  });

  test('when a region code is unknown, then the task is on no regional list', () => {
    expect(taskListKeys({ role: 'officer', regionCode: '999999' })).toEqual([]);
  });

  test('when a case is open, then it is listed by region, by its status and as open at each level; once closed, no longer as open', () => {
    const county = { level: 'county' as const, code: '350602' };
    const open = caseListKeys({ regionCode: '350602001', status: 'rectifying', overdue: false });
    expect(open).toEqual(expect.arrayContaining([caseListKey(county, { kind: 'any' }), caseListKey(county, { kind: 'open' }), caseListKey(county, { kind: 'status', status: 'rectifying' })]));
    expect(open).toContain(caseListKey({ level: 'province', code: '350000' }, { kind: 'open' }));
    expect(open).not.toContain(caseListKey(county, { kind: 'status', status: 'closed' }));

    const closed = caseListKeys({ regionCode: '350602001', status: 'closed', overdue: true });
    expect(closed).not.toContain(caseListKey(county, { kind: 'open' }));
    expect(closed).toContain(caseListKey(county, { kind: 'status', status: 'closed' }));
    expect(closed).toContain(caseListKey(county, { kind: 'any' }));
    expect(closed).not.toContain(caseListKey(county, { kind: 'overdue' }));
  });

  test('when an open case has run out of time, then it is listed as overdue at each level until it is no longer', () => {
    const overdue = caseListKeys({ regionCode: '350602001', status: 'rectifying', overdue: true });
    expect(overdue).toContain(caseListKey({ level: 'county', code: '350602' }, { kind: 'overdue' }));
    expect(overdue).toContain(caseListKey({ level: 'city', code: '350600' }, { kind: 'overdue' }));
    expect(caseListKeys({ regionCode: '350602001', status: 'rectifying', overdue: false })).not.toContain(caseListKey({ level: 'county', code: '350602' }, { kind: 'overdue' }));
  });
});
