import {
  anchorLimits,
  emptyAnchorState,
  formatSignedHeadLine,
  needsSignature,
  parseSignedHeadLine,
  recordReading,
  shanghaiDay,
  withSignedHead,
  type AuditAnchorState,
} from '../../../domain/audit-anchor';

const h = (n: number) => n.toString(16).padStart(64, '0');
const at = (minute: number) => new Date(Date.UTC(2026, 11, 1, 0, minute)).toISOString();

describe('audit anchors: what the anchor workflow records at each reading', () => {
  test('when the head moves on and the last anchor holds, then the new head is anchored and no conflict is kept', () => {
    let state = recordReading(emptyAnchorState(), { head: { serial: 3, hash: h(3) } }, at(0));
    state = recordReading(state, { head: { serial: 5, hash: h(5) }, previous: { holds: true, found: { serial: 3, hash: h(3) } } }, at(15));
    expect(state.anchors).toEqual([
      { serial: 3, hash: h(3), at: at(0) },
      { serial: 5, hash: h(5), at: at(15) },
    ]);
    expect(state).toMatchObject({ conflicts: [], conflictCount: 0, lastCheckedAt: at(15) });
  });

  test('when the head has not moved, then nothing new is anchored but the reading time is kept', () => {
    const once = recordReading(emptyAnchorState(), { head: { serial: 3, hash: h(3) } }, at(0));
    const twice = recordReading(once, { head: { serial: 3, hash: h(3) }, previous: { holds: true, found: { serial: 3, hash: h(3) } } }, at(15));
    expect(twice.anchors).toHaveLength(1);
    expect(twice.lastCheckedAt).toBe(at(15));
  });

  test('when the head lags behind the last anchor but the anchored entry holds, then it is no conflict and not anchored', () => {
    const state = recordReading(emptyAnchorState(), { head: { serial: 5, hash: h(5) } }, at(0));
    const lagging = recordReading(state, { head: { serial: 4, hash: h(4) }, previous: { holds: true, found: { serial: 5, hash: h(5) } } }, at(15));
    expect(lagging.anchors.map((anchor) => anchor.serial)).toEqual([5]);
    expect(lagging.conflictCount).toBe(0);
  });

  test('when the anchored entry is gone and the head moved back, then a conflict is kept and the new head anchored from there', () => {
    const state = recordReading(emptyAnchorState(), { head: { serial: 5, hash: h(5) } }, at(0));
    const tampered = recordReading(state, { head: { serial: 4, hash: h(4) }, previous: { holds: false, found: null } }, at(15));
    expect(tampered.conflicts).toEqual([{ at: at(15), anchored: { serial: 5, hash: h(5), at: at(0) }, found: null }]);
    expect(tampered.anchors.at(-1)).toEqual({ serial: 4, hash: h(4), at: at(15) });
    // The next reading checks from the new anchor: the conflict is recorded once, not at every tick.
    const next = recordReading(tampered, { head: { serial: 4, hash: h(4) }, previous: { holds: true, found: { serial: 4, hash: h(4) } } }, at(30));
    expect(next.conflictCount).toBe(1);
  });

  test('when the anchored entry was rewritten, then the conflict names what is stored there now', () => {
    const state = recordReading(emptyAnchorState(), { head: { serial: 5, hash: h(5) } }, at(0));
    const rewritten = recordReading(state, { head: { serial: 5, hash: h(55) }, previous: { holds: false, found: { serial: 5, hash: h(55) } } }, at(15));
    expect(rewritten.conflicts[0]?.found).toEqual({ serial: 5, hash: h(55) });
    expect(rewritten.anchors.at(-1)?.hash).toBe(h(55));
  });

  test('when conflicts and anchors pile up, then the earliest conflicts and the latest anchors are kept, and all conflicts counted', () => {
    let state: AuditAnchorState = emptyAnchorState();
    for (let serial = 1; serial <= anchorLimits.anchors + 30; serial += 1) {
      state = recordReading(state, { head: { serial, hash: h(serial) }, previous: { holds: serial % 2 === 0, found: null } }, at(serial));
    }
    expect(state.anchors).toHaveLength(anchorLimits.anchors);
    expect(state.anchors.at(-1)?.serial).toBe(anchorLimits.anchors + 30);
    expect(state.conflicts).toHaveLength(anchorLimits.conflicts);
    expect(state.conflicts[0]?.anchored.serial).toBe(2);
    // Odd serials do not hold; the first reading has no anchor to check.
    expect(state.conflictCount).toBe((anchorLimits.anchors + 30) / 2 - 1);
  });
});

describe('signed daily heads', () => {
  test('the day is the Asia/Shanghai calendar day: 16:00 UTC is already the next day', () => {
    expect(shanghaiDay(new Date('2026-12-01T15:59:59Z'))).toBe('2026-12-01');
    expect(shanghaiDay(new Date('2026-12-01T16:00:00Z'))).toBe('2026-12-02');
  });

  test('a head is signed once per day', () => {
    const signed = { day: '2026-12-01', serial: 3, hash: h(3), at: at(0), signature: h(9) };
    const state = withSignedHead(emptyAnchorState(), signed);
    expect(needsSignature(emptyAnchorState(), '2026-12-01')).toBe(true);
    expect(needsSignature(state, '2026-12-01')).toBe(false);
    expect(needsSignature(state, '2026-12-02')).toBe(true);
  });

  test('the printed line reads back as the same signed head, from inside a log line too', () => {
    const signed = { day: '2026-12-01', serial: 3, hash: h(3), at: '2026-12-01T00:00:00.000Z', signature: h(9) };
    const line = formatSignedHeadLine(signed);
    expect(parseSignedHeadLine(`{"level":30,"msg":"${line}"}`)).toEqual(signed);
    expect(parseSignedHeadLine('AUDIT-HEAD day=2026-12-01 serial=3 hash=zz')).toBeUndefined();
  });
});
