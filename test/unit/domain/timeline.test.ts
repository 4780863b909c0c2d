import { chineseDateTime, readableSummary, recordEvent, regionDisplayName } from '../../../domain/timeline';
import { policeUnitName } from '../../../domain/police-units';

describe('timeline text for people', () => {
  it.each([
    ['a due instant at the end of a Beijing day', '2026-12-20T15:59:59.999Z', '2026年12月20日'],
    ['an instant within the day', '2026-12-20T06:30:00.000Z', '2026年12月20日 14:30'],
    ['a date', '2026-12-20', '2026年12月20日'],
  ])('when the text holds %s, then it reads as a Chinese date', (_what, iso, expected) => {
    expect(chineseDateTime(iso)).toBe(expected);
  });

  it('when a clock is resumed, then its new due date is a Chinese date, not an ISO instant', () => {
    expect(readableSummary('整改期限恢复计时，期限顺延至 2026-12-20T15:59:59.999Z')).toBe('整改期限恢复计时，期限顺延至 2026年12月20日');
  });

  it('when a case is transferred to a township, then the unit is named, not coded', () => {
    expect(readableSummary('交办属地立行立改（350602001）')).toBe('交办属地立行立改（芗城区东铺头街道）');
    expect(readableSummary('交办县区执法队(350602)')).toBe('交办县区执法队（漳州市芗城区）');
  });

  it('when a referral reaches the police, then the police unit is named', () => {
    expect(readableSummary('移送书 漳环移〔2026〕3号 送达公安机关（psb-350602），抄送检察院')).toBe('移送书 漳环移〔2026〕3号 送达公安机关（漳州市公安局芗城分局），抄送检察院');
    expect(policeUnitName('psb-999999')).toBe('未登记的公安机关');
  });

  it('when a code is no region, then it is left as written', () => {
    expect(readableSummary('文号（123456）')).toBe('文号（123456）');
    expect(regionDisplayName('350602')).toBe('漳州市芗城区');
  });

  it('when an event is recorded, then its summary is stored readable', () => {
    const timeline = { eventSeq: 0, unprojectedEvents: [] };
    const event = recordEvent(timeline, '2026-12-01T00:00:00.000Z', 'reminder', '受理告知将于 2026-12-15T15:59:59.999Z 到期');
    expect(event.summary).toBe('受理告知将于 2026年12月15日 到期');
  });
});
