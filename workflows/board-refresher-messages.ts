export interface BoardRefresherInput {
  /** Time between two passes over the counties whose cases changed. */
  intervalMs: number;
  /** Every this many passes, all counties are recounted (due-soon figures age with the clock). */
  fullRecountEvery: number;
  dueSoonDays: number;
  /** Passes before the run continues as new (keeps the history short). */
  ticksPerRun?: number;
}

/** One instance per deployment, named after the task queue whose worker holds the database. */
export function boardRefresherWorkflowId(taskQueue: string): string {
  return `board-refresher/${taskQueue}`;
}

export const defaultBoardTicksPerRun = 240;
