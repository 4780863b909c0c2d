import { regions } from '../domain/regions';
import { changedCounties, countCounty, storeCountyFigures } from '../read-model/board.repository';

export interface BoardRefreshRequest {
  /** Recount every county, not only those whose cases changed: due-soon counts age with the clock. */
  all: boolean;
  dueSoonDays: number;
}

export interface BoardActivities {
  refreshBoardCounts(request: BoardRefreshRequest): Promise<{ counted: number }>;
}

const counties = regions.filter((region) => region.level === 'county');

export function createBoardActivities(): BoardActivities {
  return {
    /** Counts the marked counties (or all) one after the other and stores their figures. */
    async refreshBoardCounts({ all, dueSoonDays }) {
      const marks = new Map((await changedCounties()).map((mark) => [mark.countyCode, mark.at]));
      const targets = counties.filter((county) => all || marks.has(county.code));
      for (const county of targets) {
        const now = new Date();
        await storeCountyFigures(await countCounty(county, now, dueSoonDays), now, dueSoonDays, marks.get(county.code));
      }
      return { counted: targets.length };
    },
  };
}
