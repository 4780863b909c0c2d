import { isDomainError } from '../../../domain/errors';
import { findPoliceUnit, policeUnitName, policeUnits, policeUnitsFor, resolveReferralPoliceUnit } from '../../../domain/police-units';
import { findRegion, isWithinRegion, regions } from '../../../domain/regions';
import { demoUsers } from '../../../scripts/demo-data';

describe('police unit registry', () => {
  it('has one unit per province, city and county of the demo basin, with distinct ids and names', () => {
    expect(policeUnits).toHaveLength(regions.filter((region) => region.level !== 'township').length);
    expect(new Set(policeUnits.map((unit) => unit.id)).size).toBe(policeUnits.length);
    expect(new Set(policeUnits.map((unit) => unit.name)).size).toBe(policeUnits.length);
  });

  it.each([
    ['psb-350602', '漳州市公安局芗城分局'],
    ['psb-350212', '厦门市公安局同安分局'],
    ['psb-350600', '漳州市公安局'],
    ['psb-350200', '厦门市公安局'],
    ['psb-350000', '福建省公安厅'],
    ['psb-350623', '漳浦县公安局'],
  ])('names %s %s', (id, name) => {
    expect(policeUnitName(id)).toBe(name);
  });

  it('never shows a code for an unknown unit', () => {
    expect(policeUnitName('psb-does-not-exist')).toBe('未登记的公安机关');
    expect(policeUnitName(undefined)).not.toContain('psb');
  });

  it('offers a case the county’s unit first, then the city’s and the province’s', () => {
    expect(policeUnitsFor('350602').map((unit) => unit.id)).toEqual(['psb-350602', 'psb-350600', 'psb-350000']);
  });

  it('when no unit is named, then a referral goes to the same-level unit', () => {
    expect(resolveReferralPoliceUnit(undefined, '350602').id).toBe('psb-350602');
  });

  it('accepts a unit whose jurisdiction covers the case', () => {
    expect(resolveReferralPoliceUnit('psb-350600', '350602').name).toBe('漳州市公安局');
  });

  it.each([
    ['psb-350212', '厦门市公安局同安分局对芗城区的案件没有管辖权'],
    ['psb-350200', '厦门市公安局对芗城区的案件没有管辖权'],
    ['psb-does-not-exist', '公安机关不存在：psb-does-not-exist'],
  ])('when a 芗城 case is addressed to %s, then it is refused in Chinese', (id, message) => {
    let caught: unknown;
    try {
      resolveReferralPoliceUnit(id, '350602');
    } catch (error) {
      caught = error;
    }
    expect(isDomainError(caught, 'InvalidInput')).toBe(true);
    expect((caught as Error).message).toContain(message);
  });

  it('every demo police liaison belongs to a registered unit of their own region', () => {
    const liaisons = demoUsers.filter((user) => user.role === 'police_liaison');
    expect(liaisons.length).toBeGreaterThan(0);
    for (const user of liaisons) {
      const unit = findPoliceUnit(user.unitId);
      expect(unit).toBeDefined();
      expect(unit!.regionCode).toBe(user.regionCode);
      expect(isWithinRegion(user.regionCode, unit!.regionCode)).toBe(true);
      expect(findRegion(user.regionCode)).toBeDefined();
    }
    for (const user of demoUsers.filter((candidate) => candidate.role !== 'police_liaison')) expect(user.unitId).toBeUndefined();
  });
});
