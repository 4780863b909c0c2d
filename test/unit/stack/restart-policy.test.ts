import { decideAfterCrash, type RestartPolicy } from '../../../scripts/stack/restart-policy';

const policy: RestartPolicy = { maxCrashes: 5, windowMs: 60_000, baseDelayMs: 1_000, maxDelayMs: 16_000 };

describe('restart policy of up’s children', () => {
  test('when a child crashes for the first time, then it is restarted after the base pause', () => {
    expect(decideAfterCrash([], 100_000, policy)).toEqual({ action: 'restart', delayMs: 1_000, recentCrashes: [100_000] });
  });

  test('when crashes follow each other, then the pause doubles up to the cap', () => {
    const delays: number[] = [];
    let crashes: number[] = [];
    for (const at of [0, 1_000, 3_000, 7_000]) {
      const decision = decideAfterCrash(crashes, at, { ...policy, maxDelayMs: 4_000 });
      if (decision.action !== 'restart') throw new Error('gave up too early');
      delays.push(decision.delayMs);
      crashes = decision.recentCrashes;
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 4_000]);
  });

  test('when the fifth crash comes within a minute, then up gives up', () => {
    expect(decideAfterCrash([0, 10_000, 20_000, 30_000], 40_000, policy).action).toBe('give-up');
  });

  test('when earlier crashes are older than the window, then they no longer count', () => {
    const decision = decideAfterCrash([0, 10_000, 20_000, 30_000], 85_000, policy);
    expect(decision).toEqual({ action: 'restart', delayMs: 2_000, recentCrashes: [30_000, 85_000] });
  });
});
