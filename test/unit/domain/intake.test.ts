import { chinaCalendarData } from '../../../domain/calendar';
import type { IntakeInput } from '../../../domain/case';
import { defaultCasePolicy } from '../../../domain/case-clocks';
import { canBeRepeated } from '../../../domain/dedupe';
import { isDomainError } from '../../../domain/errors';
import { assertIntakeRegistrable, assertReceiptTimeAllowed, intakeContent, keyReusedMessage } from '../../../domain/intake';

const now = '2026-12-01T02:00:00.000Z';
const dayMs = 86_400_000;

function anIntake(overrides: Partial<IntakeInput> = {}): IntakeInput {
  return {
    channel: 'hotline',
    category: 'water',
    description: '排污口夜间排放黄色污水',
    location: { address: '芗城区东铺头街道九龙江边1号', regionCode: '350602001', coordinates: { lng: 117.61, lat: 24.51 } },
    attachments: [],
    idempotencyKey: 'unit-intake-0001',
    receivedAt: now,
    ...overrides,
  };
}

function refusal(run: () => void): { code?: string; message?: string } {
  try {
    run();
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  return {};
}

describe('receipt time of an intake', () => {
  const at = (offsetMs: number) => new Date(Date.parse(now) + offsetMs).toISOString();

  it.each([
    ['a minute ahead (clock skew)', at(60_000), 'officer'],
    ['now', now, 'officer'],
    ['six days back', at(-6 * dayMs), 'officer'],
  ] as const)('when the receipt is %s, then an officer may enter it', (_what, receivedAt, role) => {
    expect(refusal(() => assertReceiptTimeAllowed({ receivedAt, role, now }))).toEqual({});
  });

  it.each([
    ['2028-01-10T09:00:00+08:00'],
    ['2099-01-01T00:00:00Z'],
    [at(10 * 60_000)],
  ])('when the receipt %s lies in the future beyond the skew, then it is refused as invalid input', (receivedAt) => {
    expect(refusal(() => assertReceiptTimeAllowed({ receivedAt, role: 'supervisor', lateEntryReason: '补录', now }))).toEqual({
      code: 'InvalidInput',
      message: expect.stringContaining('受理时间不能晚于当前时间'),
    });
  });

  it('when an officer enters a receipt 40 days back, then it is refused: a late entry is a supervisor’s', () => {
    expect(refusal(() => assertReceiptTimeAllowed({ receivedAt: at(-40 * dayMs), role: 'officer', lateEntryReason: '补录', now }))).toEqual({
      code: 'NotPermitted',
      message: expect.stringContaining('须由负责人登记'),
    });
  });

  it('when a supervisor enters a late receipt without a reason, then it is refused; with one, it is allowed', () => {
    expect(refusal(() => assertReceiptTimeAllowed({ receivedAt: at(-40 * dayMs), role: 'supervisor', now })).code).toBe('InvalidInput');
    expect(refusal(() => assertReceiptTimeAllowed({ receivedAt: at(-40 * dayMs), role: 'supervisor', lateEntryReason: '热线平台故障期间的工单', now }))).toEqual({});
  });

  it('when the window is configured to 3 days, then 4 days back is already a late entry', () => {
    const rule = { futureSkewMinutes: 5, lateEntryDays: 3, lateEntryRoles: ['supervisor'] as const };
    expect(refusal(() => assertReceiptTimeAllowed({ receivedAt: at(-4 * dayMs), role: 'officer', now }, rule)).code).toBe('NotPermitted');
  });
});

describe('an intake the calendar cannot count from', () => {
  const context = { calendar: chinaCalendarData, policy: defaultCasePolicy };

  it.each([['2028-01-10T01:00:00.000Z'], ['2099-06-01T01:00:00.000Z'], ['1970-01-02T01:00:00.000Z']])(
    'when a complaint is received at %s, then registering it is refused with CalendarOutOfRange before any number is taken',
    (receivedAt) => {
      expect(refusal(() => assertIntakeRegistrable(anIntake({ receivedAt }), now, context)).code).toBe('CalendarOutOfRange');
    },
  );

  it('when a complaint is received today, then it can be registered', () => {
    expect(refusal(() => assertIntakeRegistrable(anIntake(), now, context))).toEqual({});
  });
});

describe('the content behind an idempotency key', () => {
  it('when only the key differs, then the content is the same', () => {
    expect(intakeContent(anIntake({ idempotencyKey: 'other-key-0001' }))).toBe(intakeContent(anIntake()));
  });

  it('when the description is edited, then the content differs', () => {
    expect(intakeContent(anIntake({ description: '另一个问题：工地夜间施工' }))).not.toBe(intakeContent(anIntake()));
  });

  it('when the same photo was stored twice under different ids, then the content is the same', () => {
    const photo = { name: 'a.jpg', contentType: 'image/jpeg', sha256: 'a'.repeat(64) };
    expect(intakeContent(anIntake({ attachments: [{ ...photo, fileId: 'f1' }] }))).toBe(intakeContent(anIntake({ attachments: [{ ...photo, fileId: 'f2' }] })));
  });

  it('when keys come in another order, then the content is the same', () => {
    const intake = anIntake();
    const { channel, ...rest } = intake;
    const reordered = { ...rest, channel, location: { coordinates: intake.location.coordinates, regionCode: '350602001', address: intake.location.address } };
    expect(intakeContent(reordered)).toBe(intakeContent(intake));
  });

  it('the refusal of a reused key names the case it made', () => {
    expect(keyReusedMessage('k-0001', '350602-2026-00007')).toContain('案件 350602-2026-00007');
  });
});

describe('which intakes others can repeat', () => {
  it('only those with a place or a credit code', () => {
    expect(canBeRepeated(anIntake())).toBe(true);
    expect(canBeRepeated(anIntake({ location: { address: '某处', regionCode: '350602001' } }))).toBe(false);
    expect(canBeRepeated(anIntake({ location: { address: '某处', regionCode: '350602001' }, subject: { name: '某公司', creditCode: '91350100M000100Y43' } }))).toBe(true);
  });
});
