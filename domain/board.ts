// The supervisor board as arithmetic over per-county figures: which rows show, in which order,
// and which overdue cases head the list. Where the figures come from (stored counts or a live
// count of a county whose cases changed) is the read model's business.

/** One county's figures, as counted at `countedAt`. */
export interface CountyFigures<Case> {
  countyCode: string;
  open: number;
  overdue: number;
  dueSoon: number;
  /** The county's overdue cases with the least time left, first `overdueListLimit` of them. */
  overdueFirst: Case[];
}

export interface BoardRow {
  regionCode: string;
  overdue: number;
  dueSoon: number;
  open: number;
}

/** How many overdue cases the board lists (each county keeps this many for the merge). */
export const overdueListLimit = 20;

/** Counties with open cases, most overdue first; the overdue cases of all, least time left first. */
export function combineBoard<Case extends { nextDueAt?: string; caseId: string }>(
  counties: readonly CountyFigures<Case>[],
  limit = overdueListLimit,
): { rows: BoardRow[]; overdueFirst: Case[]; overdueTotal: number } {
  const rows = counties
    .filter((county) => county.open > 0)
    .map((county) => ({ regionCode: county.countyCode, overdue: county.overdue, dueSoon: county.dueSoon, open: county.open }))
    .sort((a, b) => b.overdue - a.overdue || a.regionCode.localeCompare(b.regionCode));
  const overdueFirst = counties
    .flatMap((county) => county.overdueFirst)
    .sort((a, b) => (a.nextDueAt ?? '').localeCompare(b.nextDueAt ?? '') || a.caseId.localeCompare(b.caseId))
    .slice(0, limit);
  return { rows, overdueFirst, overdueTotal: counties.reduce((sum, county) => sum + county.overdue, 0) };
}
