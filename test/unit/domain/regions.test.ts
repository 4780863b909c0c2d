import {
  childRegions,
  findRegion,
  isWithinRegion,
  issuingAgencyCode,
  regionPath,
  regions,
  responsibleCounty,
  subtreeCodes,
} from '../../../domain/regions';

describe('region table', () => {
  it('when loaded, then codes are unique and every parent exists', () => {
    const codes = regions.map((entry) => entry.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const entry of regions) {
      if (entry.parentCode !== null) expect(findRegion(entry.parentCode)).toBeDefined();
    }
  });

  it('when loaded, then codes have the length of their level and extend their parent code', () => {
    const lengths = { province: 6, city: 6, county: 6, township: 9 } as const;
    for (const entry of regions) {
      expect(entry.code).toHaveLength(lengths[entry.level]);
      if (entry.level === 'township') expect(entry.code.startsWith(entry.parentCode ?? '')).toBe(true);
    }
  });

  it('when the Jiulong River cities are looked up, then they hang under Fujian', () => {
    expect(childRegions('350000').map((entry) => entry.name)).toEqual(['厦门市', '漳州市', '龙岩市']);
  });
});

describe('findRegion and regionPath', () => {
  it('when a township is looked up, then its path runs province → city → county → township', () => {
    expect(regionPath('350602001')?.map((entry) => entry.name)).toEqual(['福建省', '漳州市', '芗城区', '东铺头街道']);
  });

  it.each(['350699', '999999', '', '35060200'])('when the code %p is unknown, then both return undefined', (code) => {
    expect(findRegion(code)).toBeUndefined();
    expect(regionPath(code)).toBeUndefined();
  });
});

describe('isWithinRegion', () => {
  it.each<[string, string, boolean, string]>([
    ['350627', '350600', true, 'a county inside its city'],
    ['350602001', '350000', true, 'a township inside the province'],
    ['350602001', '350602', true, 'a township inside its county'],
    ['350600', '350600', true, 'a region inside itself'],
    ['350600', '350627', false, 'a city inside one of its counties'],
    ['350627', '350200', false, 'a Zhangzhou county inside Xiamen'],
    ['350699', '350600', false, 'an unknown code sharing the city prefix'],
    ['350627', '350699', false, 'a known code inside an unknown ancestor'],
  ])('when %s is checked against %s, then the answer is %s (%s)', (code, ancestor, expected) => {
    expect(isWithinRegion(code, ancestor)).toBe(expected);
  });
});

describe('responsibleCounty and issuingAgencyCode', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['350212101', '350212', '厦环同'],
    ['350627', '350627', '漳环靖'],
    ['350600', undefined, '漳环'],
    ['350000', undefined, '闽环'],
    ['350699', undefined, undefined],
  ])('when the region is %s, then the county is %s and the document prefix %s', (code, county, prefix) => {
    expect(responsibleCounty(code)?.code).toBe(county);
    expect(issuingAgencyCode(code)).toBe(prefix);
  });
});

describe('subtreeCodes', () => {
  it('when a county has townships, then its subtree lists them with itself', () => {
    expect(subtreeCodes('350602')).toEqual(['350602', '350602001', '350602002']);
  });

  it('when the code is unknown, then the subtree is empty', () => {
    expect(subtreeCodes('350699')).toEqual([]);
  });
});
