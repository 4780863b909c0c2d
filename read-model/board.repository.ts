import { addDays } from '../domain/calendar';
import { overdueListLimit, type CountyFigures } from '../domain/board';
import { caseListKey, type RegionArea } from '../domain/list-keys';
import { shanghaiDate } from '../domain/periods';
import { BoardCountsModel, BoardDirtyModel } from '../models/board.model';
import { CaseModel } from '../models/case.model';
import { caseListColumns, caseListOrder, toSummary, type CaseSummary } from './case-summaries';
import { countMatching, findPage } from './list-page';

export type CountyBoardFigures = CountyFigures<CaseSummary>;

/** Marks a county's board figures stale; the projection calls it after each case row write. */
export async function markCountyChanged(countyCode: string, at = new Date()): Promise<void> {
  await BoardDirtyModel.updateOne({ _id: countyCode }, { $set: { at } }, { upsert: true });
}

/** Every county marked changed, with the mark the refresher must find unchanged to clear it. */
export async function changedCounties(): Promise<{ countyCode: string; at: Date }[]> {
  const marks = await BoardDirtyModel.find({}).lean();
  return marks.map((mark) => ({ countyCode: mark._id, at: mark.at }));
}

/**
 * The board figures of `counties`: stored ones where the county is unchanged since its count,
 * a live count where it changed or was never counted. The marks are read before the stored
 * figures, and the refresher stores figures before it clears a mark, so a county read as
 * unchanged has figures that include every change before the read.
 */
export async function boardFigures(counties: readonly RegionArea[], now: Date, dueSoonDays: number): Promise<CountyBoardFigures[]> {
  const changed = new Set((await changedCounties()).map((mark) => mark.countyCode));
  const codes = counties.map((county) => county.code);
  const stored = new Map(
    (await BoardCountsModel.find(codes.length === 1 ? { _id: codes[0] } : {}).lean())
      .filter((row) => row.dueSoonDays === dueSoonDays && !changed.has(row._id))
      .map((row) => [row._id, row]),
  );
  return Promise.all(
    counties.map(async (county) => {
      const row = stored.get(county.code);
      if (!row) return countCounty(county, now, dueSoonDays);
      return { countyCode: county.code, open: row.open, overdue: row.overdue, dueSoon: row.dueSoon, overdueFirst: row.overdueFirst as CaseSummary[] };
    }),
  );
}

/** One county's figures, counted now from the case rows' list keys. */
export async function countCounty(county: RegionArea, now: Date, dueSoonDays: number): Promise<CountyBoardFigures> {
  const until = new Date(now.getTime() + dueSoonDays * 86_400_000);
  const overdueKey = { listKeys: caseListKey(county, { kind: 'overdue' }) };
  const [open, overdue, dueSoon] = await Promise.all([
    countMatching(CaseModel, { listKeys: caseListKey(county, { kind: 'open' }) }),
    findPage(CaseModel, overdueKey, caseListOrder, { page: 1, pageSize: overdueListLimit }, caseListColumns),
    countDueBy(county, now, until),
  ]);
  // Stored for every county and merged for a province: the description shortened to what a board row shows.
  const overdueFirst = overdue.rows.map(toSummary).map((summary) => ({ ...summary, description: summary.description.slice(0, 80) }));
  return { countyCode: county.code, open, overdue: overdue.total, dueSoon, overdueFirst };
}

/** Stores a county's figures, then clears its mark if no change came in since `markSeen`. */
export async function storeCountyFigures(figures: CountyBoardFigures, countedAt: Date, dueSoonDays: number, markSeen?: Date): Promise<void> {
  const { countyCode, ...counts } = figures;
  await BoardCountsModel.updateOne({ _id: countyCode }, { $set: { ...counts, dueSoonDays, countedAt } }, { upsert: true });
  if (markSeen) await BoardDirtyModel.deleteOne({ _id: countyCode, at: markSeen });
}

/**
 * Open cases of `area` not yet overdue whose next deadline falls by `until`: the rows keyed by
 * the days from today to `until`'s. A clock past due is marked overdue by its workflow's timer
 * within moments, so earlier days are not read.
 */
async function countDueBy(area: RegionArea, now: Date, until: Date): Promise<number> {
  const days = await Promise.all(
    daysFromTo(now, until).map((date) => CaseModel.find({ listKeys: caseListKey(area, { kind: 'dueOn', date }) }).select({ sortDue: 1 }).lean<{ sortDue: Date }[]>()),
  );
  return days.flat().filter((row) => row.sortDue.getTime() <= until.getTime()).length;
}

/**
 * Open cases in `area`, not yet overdue, whose next deadline falls by `until`, least time left
 * first (at most `limit`): the day keys from today to `until`'s day, a page of each.
 */
export async function casesDueBy(area: RegionArea, now: Date, until: Date, limit: number): Promise<CaseSummary[]> {
  const due: CaseSummary[] = [];
  for (const date of daysFromTo(now, until)) {
    if (due.length >= limit) break;
    const { rows } = await findPage(CaseModel, { listKeys: caseListKey(area, { kind: 'dueOn', date }) }, caseListOrder, { page: 1, pageSize: limit - due.length }, caseListColumns, { count: false });
    due.push(...rows.filter((row) => (row.sortDue as Date).getTime() <= until.getTime()).map(toSummary));
  }
  return due;
}

/** The Asia/Shanghai calendar days from `from`'s to `to`'s, both included. */
function daysFromTo(from: Date, to: Date): string[] {
  const days: string[] = [];
  for (let date = shanghaiDate(from.toISOString()); date <= shanghaiDate(to.toISOString()); date = addDays(date, 1)) days.push(date);
  return days;
}
