// The demo jurisdiction tree: the Jiulong River basin (九龙江流域) across Longyan, Zhangzhou
// and Xiamen, with GB/T 2260 codes (six digits; townships nine, as in the statistical
// division codes). Jurisdiction checks walk the parent chain of this table, so a region is
// inside another only if the table says so: string prefixes alone would let an unknown code
// such as 350699 pass as part of Zhangzhou.
//
// Codes follow the 2021 changes: 龙海市 became 龙海区 (350681 → 350604) and 长泰县 became
// 长泰区 (350625 → 350605). Township codes are those of the statistical division list.
// agencyCode is the document-number prefix of the bureau (机关代字); the county prefixes are
// demo values in the common "city + county" pattern, not confirmed numbering of the real
// bureaus. Townships have no environment bureau, so they carry none (see issuingAgencyCode).

export type RegionLevel = 'province' | 'city' | 'county' | 'township';

export interface Region {
  readonly code: string;
  readonly name: string;
  readonly parentCode: string | null;
  readonly level: RegionLevel;
  /** The issuing bureau's document prefix, e.g. 漳环; absent where no bureau sits. */
  readonly agencyCode?: string;
}

function region(code: string, name: string, parentCode: string | null, level: RegionLevel, agencyCode?: string): Region {
  return Object.freeze(agencyCode === undefined ? { code, name, parentCode, level } : { code, name, parentCode, level, agencyCode });
}

export const regions: readonly Region[] = Object.freeze([
  region('350000', '福建省', null, 'province', '闽环'),

  region('350200', '厦门市', '350000', 'city', '厦环'),
  region('350203', '思明区', '350200', 'county', '厦环思'),
  region('350205', '海沧区', '350200', 'county', '厦环海'),
  region('350206', '湖里区', '350200', 'county', '厦环湖'),
  region('350211', '集美区', '350200', 'county', '厦环集'),
  region('350212', '同安区', '350200', 'county', '厦环同'),
  region('350213', '翔安区', '350200', 'county', '厦环翔'),
  region('350212101', '莲花镇', '350212', 'township'),
  region('350212102', '新民镇', '350212', 'township'),

  region('350600', '漳州市', '350000', 'city', '漳环'),
  region('350602', '芗城区', '350600', 'county', '漳环芗'),
  region('350603', '龙文区', '350600', 'county', '漳环文'),
  region('350604', '龙海区', '350600', 'county', '漳环海'),
  region('350605', '长泰区', '350600', 'county', '漳环泰'),
  region('350623', '漳浦县', '350600', 'county', '漳环浦'),
  region('350627', '南靖县', '350600', 'county', '漳环靖'),
  region('350628', '平和县', '350600', 'county', '漳环平'),
  region('350629', '华安县', '350600', 'county', '漳环华'),
  region('350602001', '东铺头街道', '350602', 'township'),
  region('350602002', '西桥街道', '350602', 'township'),

  region('350800', '龙岩市', '350000', 'city', '龙环'),
  region('350802', '新罗区', '350800', 'county', '龙环新'),
  region('350803', '永定区', '350800', 'county', '龙环永'),
  region('350881', '漳平市', '350800', 'county', '龙环漳'),
]);

const byCode: ReadonlyMap<string, Region> = new Map(regions.map((entry) => [entry.code, entry]));

export function findRegion(code: string): Region | undefined {
  return byCode.get(code);
}

/** The chain from the province down to `code`, or undefined for an unknown code. */
export function regionPath(code: string): readonly Region[] | undefined {
  const path: Region[] = [];
  let current = byCode.get(code);
  while (current) {
    path.unshift(current);
    current = current.parentCode === null ? undefined : byCode.get(current.parentCode);
  }
  return path.length === 0 ? undefined : path;
}

/** True when `code` is `ancestorCode` or lies below it; false when either is unknown. */
export function isWithinRegion(code: string, ancestorCode: string): boolean {
  if (!byCode.has(ancestorCode)) return false;
  return regionPath(code)?.some((entry) => entry.code === ancestorCode) ?? false;
}

/** The county-level region (县、区、县级市) responsible for `code`; undefined above county level. */
export function responsibleCounty(code: string): Region | undefined {
  return regionPath(code)?.find((entry) => entry.level === 'county');
}

/** The nearest bureau's document prefix for documents about `code` (a township's is its county's). */
export function issuingAgencyCode(code: string): string | undefined {
  return regionPath(code)
    ?.slice()
    .reverse()
    .find((entry) => entry.agencyCode !== undefined)?.agencyCode;
}

export function childRegions(code: string): readonly Region[] {
  return regions.filter((entry) => entry.parentCode === code);
}

/** `code` and every region below it: the set a jurisdiction-scoped list query filters on. */
export function subtreeCodes(code: string): readonly string[] {
  if (!byCode.has(code)) return [];
  return regions.filter((entry) => isWithinRegion(entry.code, code)).map((entry) => entry.code);
}

/** The counties a board at `code` shows a row for: those below it, or the one it lies in. */
export function countiesWithin(code: string): readonly Region[] {
  const own = responsibleCounty(code);
  if (own) return [own];
  return regions.filter((entry) => entry.level === 'county' && isWithinRegion(entry.code, code));
}
