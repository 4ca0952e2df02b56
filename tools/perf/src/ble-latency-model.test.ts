import { describe, expect, it } from 'vitest';
import { apduCost, estimatePinCheckLatency, LINK_PROFILES, pinCheckApdus } from './ble-latency-model.js';

const iphone = LINK_PROFILES.find((profile) => profile.connectionIntervalMs === 30)!;

describe('latency model', () => {
  it('every profile names its source', () => {
    for (const profile of LINK_PROFILES) expect(profile.source.length).toBeGreaterThan(20);
  });

  it('a SELECT costs 2 writes + 2 notifications: 37-byte and 21-byte encrypted frames', () => {
    const cost = apduCost({ name: 'SELECT', commandLength: 15, responseLength: 2 }, iphone);
    expect(cost).toMatchObject({ writes: 2, notifications: 2, connectionEvents: 4, linkMs: 120 });
  });

  it('a 256-byte signature comes back in 14 notifications', () => {
    const cost = apduCost({ name: 'SIGN', commandLength: 57, responseLength: 258 }, iphone);
    expect(cost.notifications).toBe(14);
    expect(cost.writes).toBe(4);
  });

  it('the PIN-mode check: 13 APDUs conventionally, 10 with short-EF shortcuts; each SELECT saved is visible', () => {
    expect(pinCheckApdus({ certificateLength: 1300 })).toHaveLength(13);
    const conventional = estimatePinCheckLatency(iphone, { certificateLength: 1300 });
    const shortcuts = estimatePinCheckLatency(iphone, { certificateLength: 1300, shortcuts: true });
    expect(shortcuts.apdus).toHaveLength(10);
    expect(conventional.totalMs - shortcuts.totalMs).toBe(3 * conventional.perExtraApduMs);
  });

  it('adds card time per APDU kind and scales with the connection interval', () => {
    const fast = estimatePinCheckLatency(LINK_PROFILES[0]!);
    const slow = estimatePinCheckLatency(LINK_PROFILES[4]!, { cardTimeMs: { sign: 500 } });
    expect(slow.totalMs - slow.linkMs).toBe(500);
    expect(slow.linkMs).toBeGreaterThan(fast.linkMs);
    expect(() => estimatePinCheckLatency({ ...iphone, connectionIntervalMs: 0 })).toThrow(RangeError);
  });
});
