import { loadConfig } from '../../../config';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017', SESSION_SECRET: 'a-session-secret-of-length' };

describe('configuration of the audit anchors', () => {
  test('when nothing is set, then the head is read every 15 minutes and nothing is signed', () => {
    const config = loadConfig(base);
    expect(config.AUDIT_ANCHOR_INTERVAL_SECONDS).toBe(900);
    expect(config.AUDIT_ANCHOR_KEY).toBeUndefined();
  });

  test('when the key is empty (compose passes an unset variable so), then it counts as unset', () => {
    expect(loadConfig({ ...base, AUDIT_ANCHOR_KEY: '' }).AUDIT_ANCHOR_KEY).toBeUndefined();
  });

  test('when the key is too short to be a secret, then start-up stops naming it', () => {
    expect(() => loadConfig({ ...base, AUDIT_ANCHOR_KEY: 'short' })).toThrow(/AUDIT_ANCHOR_KEY/);
    expect(loadConfig({ ...base, AUDIT_ANCHOR_KEY: 'k'.repeat(64), AUDIT_ANCHOR_INTERVAL_SECONDS: '5' })).toMatchObject({ AUDIT_ANCHOR_KEY: 'k'.repeat(64), AUDIT_ANCHOR_INTERVAL_SECONDS: 5 });
  });
});
