import { isValidUscc, usccCheckCharacter, validateUscc } from '../../../domain/uscc';

const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

// Independent re-statement of GB 32100-2015 so the test does not trust the code under test.
function withCheck(first17: string): string {
  const sum = [...first17].reduce((total, char, index) => total + alphabet.indexOf(char) * (weights[index] ?? 0), 0);
  const check = (31 - (sum % 31)) % 31;
  return first17 + alphabet.charAt(check);
}

describe('validateUscc', () => {
  it.each([
    // A well-known Fuzhou code; its check character 3 was verified by hand with the algorithm.
    ['91350100M000100Y43', '91350100M000100Y43'],
    [withCheck('91350600MA2Y00001'), withCheck('91350600MA2Y00001')],
    [withCheck('12350000488000012'), withCheck('12350000488000012')],
    ['  91350100m000100y43 ', '91350100M000100Y43'],
    ['９１３５０１００Ｍ０００１００Ｙ４３', '91350100M000100Y43'],
  ])('when the code is %s, then it is valid and normalised to %s', (code, normalised) => {
    expect(validateUscc(code)).toEqual({ ok: true, normalised });
  });

  it('when the weighted sum is a multiple of 31, then the check character is 0', () => {
    // Search the first serial whose check wraps from 31 to 0.
    const first17 = Array.from({ length: 200 }, (_, n) => `9135060000000${String(n).padStart(4, '0')}`).find(
      (candidate) => withCheck(candidate).endsWith('0'),
    );
    expect(first17).toBeDefined();
    expect(usccCheckCharacter(first17 ?? '')).toBe('0');
  });

  it.each([
    ['91350100M000100Y4', '18', '17'],
    ['91350100M000100Y433', '18', '19'],
    ['', '18', '0'],
  ])('when the code %s has the wrong length, then the reason says so', (code, expected, actual) => {
    const result = validateUscc(code);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(`统一社会信用代码应为${expected}位，实为${actual}位`);
  });

  it.each([
    ['91350100I000100Y43', 'I', 9],
    ['91350100M000100O43', 'O', 16],
    ['9135010-M000100Y43', '-', 8],
  ])('when the code %s holds a forbidden character, then the reason names it and its position', (code, char, position) => {
    const result = validateUscc(code);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toContain(`第${position}位字符“${char}”不合法`);
  });

  it('when the check character is wrong, then the reason gives the expected one', () => {
    const result = validateUscc('91350100M000100Y44');
    expect(result).toEqual({ ok: false, reason: '校验码错误：第18位应为“3”，实为“4”' });
    expect(isValidUscc('91350100M000100Y44')).toBe(false);
  });

  it('when two characters are swapped, then the check character catches it', () => {
    expect(isValidUscc('91351000M000100Y43')).toBe(false);
  });
});
