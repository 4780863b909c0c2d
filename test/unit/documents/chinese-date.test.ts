import { chineseDate, documentYear } from '../../../domain/documents';

describe('chineseDate', () => {
  it.each([
    ['2026-03-05', '2026年3月5日'],
    ['2026-12-31', '2026年12月31日'],
    ['2026-03-05T02:00:00.000Z', '2026年3月5日'],
    // 16:00 UTC is midnight in China: the next day.
    ['2026-03-04T16:00:00.000Z', '2026年3月5日'],
    ['2026-03-04T15:59:59.999Z', '2026年3月4日'],
    ['2026-03-05T00:30:00+08:00', '2026年3月5日'],
  ])('prints %s as %s', (iso, expected) => {
    expect(chineseDate(iso)).toBe(expected);
  });

  it.each(['2026-02-30', '05/03/2026', 'yesterday', ''])('rejects %j', (value) => {
    expect(() => chineseDate(value)).toThrow(RangeError);
  });

  it('takes the number year from the China date of issue', () => {
    expect(documentYear('2026-12-31T16:30:00.000Z')).toBe(2027);
    expect(documentYear('2026-12-31T15:30:00.000Z')).toBe(2026);
  });
});
