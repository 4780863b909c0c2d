// 统一社会信用代码 (unified social credit code), GB 32100-2015: 18 characters from a 31-symbol
// alphabet (digits and capitals without I, O, Z, S, V); the last is a mod-31 check character
// over the first 17.

const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28] as const;

export type UsccValidation = { ok: true; normalised: string } | { ok: false; reason: string };

// Full-width letters and digits (Ａ, １) are common in Chinese input methods; folding them
// keeps a correct code from being rejected over its typing.
function normalise(code: string): string {
  return code
    .replace(/[\uFF01-\uFF5E]/g, (char) => String.fromCharCode(char.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]+/g, '')
    .toUpperCase();
}

/** The check character for the first 17 characters, which must already be in the alphabet. */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let index = 0; index < 17; index += 1) {
    const value = alphabet.indexOf(first17.charAt(index));
    if (value < 0) throw new RangeError(`character ${first17.charAt(index)} is not in the USCC alphabet`);
    sum += value * (weights[index] ?? 0);
  }
  const check = 31 - (sum % 31);
  return alphabet.charAt(check === 31 ? 0 : check);
}

export function validateUscc(code: string): UsccValidation {
  const normalised = normalise(code);
  const length = [...normalised].length;
  if (length !== 18) {
    return { ok: false, reason: `统一社会信用代码应为18位，实为${length}位` };
  }
  for (let index = 0; index < 18; index += 1) {
    const char = normalised.charAt(index);
    if (!alphabet.includes(char)) {
      const position = index + 1;
      return {
        ok: false,
        reason: `第${position}位字符“${char}”不合法（只允许数字和除 I、O、S、V、Z 以外的大写字母）`,
      };
    }
  }
  const expected = usccCheckCharacter(normalised.slice(0, 17));
  const actual = normalised.charAt(17);
  if (actual !== expected) {
    return {
      ok: false,
      reason: `校验码错误：第18位应为“${expected}”，实为“${actual}”`,
    };
  }
  return { ok: true, normalised };
}

export function isValidUscc(code: string): boolean {
  return validateUscc(code).ok;
}
