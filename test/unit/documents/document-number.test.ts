import {
  documentKindList,
  documentKinds,
  formatDocumentNumber,
  kindCodeOf,
  normalizeDocumentNumber,
  parseDocumentNumber,
} from '../../../domain/documents';

describe('document numbers (文号)', () => {
  it('formats with six-corner brackets, a four-digit year and no padding', () => {
    const docNo = formatDocumentNumber({ agencyCode: '漳环', kindCode: '责改', year: 2026, serial: 17 });
    expect(docNo).toBe('漳环责改〔2026〕17号');
    expect(docNo).toContain('\u3014');
    expect(docNo).toContain('\u3015');
    expect(formatDocumentNumber({ agencyCode: '闽环', kindCode: '罚', year: 2026, serial: 1 })).toBe('闽环罚〔2026〕1号');
  });

  it.each([
    [{ year: 26, serial: 1 }],
    [{ year: 2026, serial: 0 }],
    [{ year: 2026, serial: 1.5 }],
  ])('refuses %j', (parts) => {
    expect(() => formatDocumentNumber({ agencyCode: '漳环', kindCode: '交', ...parts })).toThrow(RangeError);
  });

  it.each([
    ['漳环责改〔2026〕17号', '漳环责改〔2026〕17号'],
    ['漳环责改[2026]17号', '漳环责改〔2026〕17号'],
    ['漳环责改(2026)17号', '漳环责改〔2026〕17号'],
    ['漳环责改（2026）17号', '漳环责改〔2026〕17号'],
    ['漳环责改【2026】17号', '漳环责改〔2026〕17号'],
    ['漳环责改［２０２６］０１７号', '漳环责改〔2026〕17号'],
    ['漳环责改〔2026〕第017号', '漳环责改〔2026〕17号'],
    [' 漳环责改 [2026] 17 号 ', '漳环责改〔2026〕17号'],
    // The agency code's own brackets stay; only the year's pair is normalised.
    ['惠市环(龙门)罚[2021]5号', '惠市环(龙门)罚〔2021〕5号'],
    ['盘环移送〔2020〕15号', '盘环移送〔2020〕15号'],
  ])('normalises %s to %s', (input, expected) => {
    expect(normalizeDocumentNumber(input)).toBe(expected);
  });

  it.each(['', '漳环责改2026年17号', '漳环责改〔26〕17号', '〔2026〕17号', '漳环责改〔2026〕0号'])(
    'does not read %j as a number',
    (input) => {
      expect(parseDocumentNumber(input)).toBeUndefined();
    },
  );

  it('splits agency code and kind code, preferring the longest kind code', () => {
    expect(parseDocumentNumber('漳环责改〔2026〕17号')).toMatchObject({
      agencyCode: '漳环',
      kindCode: '责改',
      kind: 'correction_order',
      year: 2026,
      serial: 17,
    });
    // 不受 ends in 受: the rejection notice must not be read as an acceptance notice.
    expect(parseDocumentNumber('漳环不受〔2026〕4号')).toMatchObject({ agencyCode: '漳环', kind: 'rejection_notice' });
    expect(parseDocumentNumber('漳环受〔2026〕4号')).toMatchObject({ agencyCode: '漳环', kind: 'acceptance_notice' });
    expect(parseDocumentNumber('漳环拘移〔2026〕2号')).toMatchObject({ agencyCode: '漳环', kind: 'detention_transfer' });
  });

  it('round-trips every kind', () => {
    for (const kind of documentKindList) {
      const docNo = formatDocumentNumber({ agencyCode: '厦环', kindCode: kindCodeOf(kind), year: 2027, serial: 305 });
      expect(parseDocumentNumber(docNo)).toMatchObject({ kind, agencyCode: '厦环', year: 2027, serial: 305, canonical: docNo });
    }
  });

  it('gives every kind its own code, so sequences never print the same number', () => {
    const codes = Object.values(documentKinds).map((definition) => definition.kindCode);
    expect(new Set(codes).size).toBe(codes.length);
  });
});
