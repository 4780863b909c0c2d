// The police units a referral may be addressed to (两法衔接: "同级公安机关"), as data. A unit
// has a name, the region it answers for and a level; its liaison users are the users whose
// `unitId` is the unit's id (scripts/demo-data.ts). A referral names one unit by id, the unit
// must answer for the case's county (its region is the county or above it), and people only
// ever see the name: `policeUnitName` is the one resolver pages, documents and the timeline use.
//
// The demo basin's units are data here because regions are (domain/regions.ts); when admins
// come to edit them, this table becomes the seed of a model with the same shape.
//
// Ids keep the `psb-<region code>` form that referrals recorded before the registry existed,
// so every stored referral still resolves.
import { DomainError } from './errors';
import { findRegion, isWithinRegion, regionPath, regions, type RegionLevel } from './regions';

export interface PoliceUnit {
  readonly id: string;
  /** Official name, e.g. 漳州市公安局芗城分局. */
  readonly name: string;
  /** The region the unit answers for (GB/T 2260). */
  readonly regionCode: string;
  readonly level: Exclude<RegionLevel, 'township'>;
}

// Naming follows the usual pattern: a city district's police is a 分局 of the city bureau, a
// county or county-level city has its own 公安局, the province a 公安厅.
const countyUnitNames: Readonly<Record<string, string>> = {
  '350203': '厦门市公安局思明分局',
  '350205': '厦门市公安局海沧分局',
  '350206': '厦门市公安局湖里分局',
  '350211': '厦门市公安局集美分局',
  '350212': '厦门市公安局同安分局',
  '350213': '厦门市公安局翔安分局',
  '350602': '漳州市公安局芗城分局',
  '350603': '漳州市公安局龙文分局',
  '350604': '漳州市公安局龙海分局',
  '350605': '漳州市公安局长泰分局',
  '350623': '漳浦县公安局',
  '350627': '南靖县公安局',
  '350628': '平和县公安局',
  '350629': '华安县公安局',
  '350802': '龙岩市公安局新罗分局',
  '350803': '龙岩市公安局永定分局',
  '350881': '漳平市公安局',
};

function unitOf(regionCode: string): PoliceUnit {
  const region = findRegion(regionCode);
  if (!region || region.level === 'township') throw new Error(`no police unit level for region ${regionCode}`);
  const name =
    region.level === 'province'
      ? `${region.name}公安厅`
      : region.level === 'city'
        ? `${region.name}公安局`
        : countyUnitNames[regionCode];
  if (!name) throw new Error(`no police unit name for county ${regionCode}`);
  return Object.freeze({ id: `psb-${regionCode}`, name, regionCode, level: region.level });
}

/** Every unit of the demo basin: the province, each city and each county of domain/regions.ts. */
export const policeUnits: readonly PoliceUnit[] = Object.freeze(
  regions.filter((region) => region.level !== 'township').map((region) => unitOf(region.code)),
);

const byId: ReadonlyMap<string, PoliceUnit> = new Map(policeUnits.map((unit) => [unit.id, unit]));

export function findPoliceUnit(id: string | undefined): PoliceUnit | undefined {
  return id === undefined ? undefined : byId.get(id);
}

/**
 * The name to show for a unit id. An id the registry does not know (a record older than the
 * registry, or a typo that got through before it) reads 未登记的公安机关, never the raw code.
 */
export function policeUnitName(id: string | undefined): string {
  return findPoliceUnit(id)?.name ?? '未登记的公安机关';
}

/** Does the unit answer for cases of `countyCode` (its region is the county or an ancestor)? */
export function policeUnitCovers(unit: PoliceUnit, countyCode: string): boolean {
  return isWithinRegion(countyCode, unit.regionCode);
}

/** The units a case of `countyCode` may be referred to: the same-level unit first, then upwards. */
export function policeUnitsFor(countyCode: string): PoliceUnit[] {
  const path = regionPath(countyCode) ?? [];
  return path
    .slice()
    .reverse()
    .map((region) => byId.get(`psb-${region.code}`))
    .filter((unit): unit is PoliceUnit => unit !== undefined);
}

/** The same-level unit of a county bureau, the default addressee of its referrals. */
export function defaultPoliceUnitFor(countyCode: string): PoliceUnit | undefined {
  return policeUnitsFor(countyCode)[0];
}

/**
 * The unit a referral of a case in `countyCode` goes to: the one named, if it exists and
 * answers for the county, else a DomainError('InvalidInput') in Chinese; none named, the
 * same-level unit.
 */
export function resolveReferralPoliceUnit(requestedId: string | undefined, countyCode: string): PoliceUnit {
  const requested = requestedId?.trim();
  if (!requested) {
    const fallback = defaultPoliceUnitFor(countyCode);
    if (!fallback) throw new DomainError('InvalidInput', `案件所在地（${countyCode}）没有登记的公安机关，无法移送`);
    return fallback;
  }
  const unit = findPoliceUnit(requested);
  if (!unit) throw new DomainError('InvalidInput', `公安机关不存在：${requested}`);
  if (!policeUnitCovers(unit, countyCode)) {
    const county = findRegion(countyCode)?.name ?? countyCode;
    throw new DomainError('InvalidInput', `${unit.name}对${county}的案件没有管辖权，请选择${policeUnitsFor(countyCode).map((candidate) => candidate.name).join('、')}之一`);
  }
  return unit;
}
