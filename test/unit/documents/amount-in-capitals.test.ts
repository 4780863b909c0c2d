import { amountInCapitals, amountInFigures, chineseOrdinal } from '../../../domain/documents';

describe('amountInCapitals (人民币大写)', () => {
  it.each<[number | string, string]>([
    [12300, '壹万贰仟叁佰元整'],
    [0, '零元整'],
    [1, '壹元整'],
    [10, '壹拾元整'],
    [15, '壹拾伍元整'],
    [100, '壹佰元整'],
    [105, '壹佰零伍元整'],
    [1010, '壹仟零壹拾元整'],
    [10005, '壹万零伍元整'],
    [100000, '壹拾万元整'],
    [107000.53, '壹拾万柒仟元伍角叁分'],
    [1680.32, '壹仟陆佰捌拾元叁角贰分'],
    [1409.5, '壹仟肆佰零玖元伍角整'],
    [6007.14, '陆仟零柒元壹角肆分'],
    [325.04, '叁佰贰拾伍元零肆分'],
    [0.5, '伍角整'],
    [0.05, '伍分'],
    [100010000, '壹亿零壹万元整'],
    [100000005, '壹亿零伍元整'],
    [1234567.8, '壹佰贰拾叁万肆仟伍佰陆拾柒元捌角整'],
    ['12,300.00', '壹万贰仟叁佰元整'],
    ['0.1', '壹角整'],
    [0.1 + 0.2, '叁角整'],
  ])('%s → %s', (amount, expected) => {
    expect(amountInCapitals(amount)).toBe(expected);
  });

  it.each<[number | string]>([[-1], [1.234], ['abc'], [Number.NaN], [Number.POSITIVE_INFINITY], ['1.234']])(
    'rejects %s',
    (amount) => {
      expect(() => amountInCapitals(amount)).toThrow(RangeError);
    },
  );

  it('prints figures with separators and two decimals', () => {
    expect(amountInFigures(1234567.8)).toBe('¥1,234,567.80');
    expect(amountInFigures(0)).toBe('¥0.00');
  });

  it('numbers headings 一、二、…', () => {
    expect([1, 2, 10, 11, 20, 23].map(chineseOrdinal)).toEqual(['一', '二', '十', '十一', '二十', '二十三']);
  });
});
