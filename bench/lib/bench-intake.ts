import type { IntakeInput } from '../../domain/case';

/** A distinct spot for every intake, about 550 m apart on a grid, so none is merged as a repeat. */
export function intakeAt(spot: number, key: string, receivedAt: string): IntakeInput {
  return {
    channel: 'hotline',
    category: 'water',
    description: `基准测试：排污口排放污水（第${spot}处）`,
    location: {
      address: `漳州市芗城区东铺头街道基准测试点${spot}号`,
      regionCode: '350602001',
      coordinates: { lng: 117.3 + (spot % 100) * 0.0055, lat: 24.2 + Math.floor(spot / 100) * 0.005 },
    },
    reporter: { anonymous: true },
    attachments: [],
    idempotencyKey: key,
    receivedAt,
  };
}
