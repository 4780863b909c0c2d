import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';
import type { BoardActivities } from '../activities/board.activities';
import { defaultBoardTicksPerRun, type BoardRefresherInput } from './board-refresher-messages';

const { refreshBoardCounts } = proxyActivities<BoardActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Keeps the supervisor board's per-county figures fresh: every `intervalMs` it recounts the
 * counties whose cases changed, and every `fullRecountEvery` passes all of them. Runs forever,
 * continuing as new every `ticksPerRun` passes.
 */
export async function boardRefresherWorkflow(input: BoardRefresherInput): Promise<void> {
  const ticksPerRun = input.ticksPerRun ?? defaultBoardTicksPerRun;
  for (let tick = 0; tick < ticksPerRun; tick += 1) {
    await refreshBoardCounts({ all: tick % input.fullRecountEvery === 0, dueSoonDays: input.dueSoonDays });
    if (workflowInfo().continueAsNewSuggested) break;
    await sleep(input.intervalMs);
  }
  await continueAsNew<typeof boardRefresherWorkflow>(input);
}
