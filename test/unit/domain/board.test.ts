import { combineBoard, type CountyFigures } from '../../../domain/board';

type Item = { caseId: string; nextDueAt?: string };
const county = (countyCode: string, open: number, overdue: number, overdueFirst: Item[] = []): CountyFigures<Item> => ({ countyCode, open, overdue, dueSoon: 0, overdueFirst });

describe('combineBoard', () => {
  test('when counties have open cases, then they are rows, most overdue first, ties by code; counties with none are left out', () => {
    const { rows } = combineBoard([county('350212', 4, 1), county('350602', 9, 3), county('350603', 0, 0), county('350203', 2, 1)]);
    expect(rows.map((row) => row.regionCode)).toEqual(['350602', '350203', '350212']);
  });

  test('when several counties have overdue cases, then the list takes the least time left across them, up to the limit, and the total counts all', () => {
    const a = county('350602', 5, 3, [{ caseId: 'a1', nextDueAt: '2026-11-01T00:00:00.000Z' }, { caseId: 'a2', nextDueAt: '2026-11-20T00:00:00.000Z' }]);
    const b = county('350212', 5, 40, [{ caseId: 'b1', nextDueAt: '2026-11-10T00:00:00.000Z' }]);
    const board = combineBoard([a, b], 2);
    expect(board.overdueFirst.map((item) => item.caseId)).toEqual(['a1', 'b1']);
    expect(board.overdueTotal).toBe(43);
  });
});
