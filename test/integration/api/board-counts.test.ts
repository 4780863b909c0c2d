import request from 'supertest';
import { createBoardActivities } from '../../../activities/board.activities';
import { BoardCountsModel } from '../../../models/board.model';
import { changedCounties } from '../../../read-model/board.repository';
import { ensureBoardRefresher } from '../../../worker/board-refresher';
import { boardRefresherWorkflowId } from '../../../workflows/board-refresher-messages';
import { startTestStack, type TestStack } from '../../support/stack';
import { aComplaint, caseApi, eventually } from './case-api';

interface BoardBody {
  rows: { regionCode: string; open: number; overdue: number; dueSoon: number }[];
  overdueTotal: number;
}

describe('the board reads stored county figures and counts a changed county live', () => {
  let stack: TestStack;
  let officer: string;
  let supervisor: string;
  const refresh = createBoardActivities().refreshBoardCounts;
  const openIn = async (county: string) => {
    const response = await request(stack.app).get('/api/board').set('Authorization', supervisor);
    expect(response.status).toBe(200);
    return (response.body as BoardBody).rows.find((row) => row.regionCode === county)?.open;
  };
  const marked = async (county: string) => (await changedCounties()).some((mark) => mark.countyCode === county);

  beforeAll(async () => {
    stack = await startTestStack({ name: 'board-counts' });
    [officer, supervisor] = await Promise.all([stack.login('officer'), stack.login('supervisor')]);
  });
  afterAll(async () => {
    await stack.client.workflow.getHandle(boardRefresherWorkflowId(stack.taskQueue)).terminate('test over').catch(() => undefined);
    await stack.stop();
  });

  test('when cases arrive, then the board counts them at once, the refresher stores the figures, and a stored figure stands until the county changes again', async () => {
    const api = caseApi(stack);
    for (const key of ['board-count-01', 'board-count-02']) expect((await api.postIntake(officer, aComplaint({ key, place: key.endsWith('1') ? 11 : 12 }))).status).toBe(201);
    // Marked by the projection, so counted live before any refresh.
    expect(await marked('350602')).toBe(true);
    expect(await openIn('350602')).toBe(2);

    // The workflows may still project (a mark set during a count survives it): refresh until clear.
    await eventually('the refresher to clear the county\'s mark', async () => {
      expect((await refresh({ all: false, dueSoonDays: 3 })).counted).toBeGreaterThanOrEqual(0);
      return (await marked('350602')) ? undefined : true;
    });
    expect(await BoardCountsModel.findById('350602').lean()).toMatchObject({ open: 2, overdue: 0, dueSoonDays: 3 });

    // An unmarked county is read from its stored figures, not recounted.
    await BoardCountsModel.updateOne({ _id: '350602' }, { $set: { open: 99 } });
    expect(await openIn('350602')).toBe(99);

    // A new case marks the county again: the board counts it live, whatever was stored.
    expect((await api.postIntake(officer, aComplaint({ key: 'board-count-03', place: 13 }))).status).toBe(201);
    expect(await openIn('350602')).toBe(3);
  });

  test('when the refresher workflow runs, then it stores the figures of the changed county and clears its mark', async () => {
    expect(await ensureBoardRefresher(stack.client, { taskQueue: stack.taskQueue, intervalMs: 500, fullRecountEvery: 20, dueSoonDays: 3 })).toBe('started');
    expect(await ensureBoardRefresher(stack.client, { taskQueue: stack.taskQueue, intervalMs: 500, fullRecountEvery: 20, dueSoonDays: 3 })).toBe('running');
    await eventually('the refresher workflow to store the county\'s figures', async () => {
      const stored = await BoardCountsModel.findById('350602').lean();
      return stored?.open === 3 && !(await marked('350602')) ? stored : undefined;
    });
    expect(await openIn('350602')).toBe(3);
  });
});
