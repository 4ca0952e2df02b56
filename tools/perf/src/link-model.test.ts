import { describe, expect, it } from 'vitest';
import { estimatePinCheckLatency, LINK_PROFILES } from './ble-latency-model.js';
import {
  ASSUMED_LAN_ROUND_TRIP_MS,
  bleConnectionEvents,
  bleLinkModel,
  LINK_MODELS,
  linkModels,
  modelFlowMs,
  NFC_106_BYTES_PER_MS,
  relayLinkModel,
} from './link-model.js';

describe('link model', () => {
  it('prices BLE flows exactly like transport-ble’s latency model', () => {
    for (const profile of LINK_PROFILES) {
      for (const shortcuts of [false, true]) {
        const estimate = estimatePinCheckLatency(profile, { shortcuts });
        expect(modelFlowMs(bleLinkModel(profile), estimate.apdus)).toBeCloseTo(estimate.linkMs, 9);
      }
    }
  });

  it('counts BLE connection events from 20-byte pieces of the AES-framed message', () => {
    // 4-byte query: frame 5 + 16 = 21 bytes → 2 writes; SW answer 21 bytes → 2 notifications.
    expect(bleConnectionEvents({ commandLength: 4, responseLength: 2 }, 1)).toBe(4);
    expect(bleConnectionEvents({ commandLength: 4, responseLength: 2 }, 4)).toBe(3);
    // 258-byte answer: 5 + ceil(265 / 16) × 16 = 277 bytes → 14 notifications.
    expect(bleConnectionEvents({ commandLength: 5, responseLength: 258 }, 1)).toBe(2 + 14);
  });

  it('prices a relay APDU as one round trip plus the bytes at 106 kbit/s', () => {
    const link = relayLinkModel({ name: 'x', extendedLength: false, roundTripMs: 10, source: 's' });
    expect(NFC_106_BYTES_PER_MS).toBeCloseTo(13.242, 3);
    expect(link.apduMs({ commandLength: 0, responseLength: 0 })).toBe(10);
    expect(link.apduMs({ commandLength: 5, responseLength: 1319 })).toBeCloseTo(10 + 1324 / 13.242, 2);
  });

  it('every link states its source and whether it carries extended APDUs', () => {
    for (const link of LINK_MODELS) {
      expect(link.source.length).toBeGreaterThan(20);
      expect(link.roundTripMs).toBeGreaterThan(0);
    }
    expect(
      LINK_MODELS.filter((link) => link.name.startsWith('BLE')).every((link) => !link.extendedLength),
    ).toBe(true);
    expect(
      LINK_MODELS.some((link) => link.extendedLength && link.roundTripMs === ASSUMED_LAN_ROUND_TRIP_MS),
    ).toBe(true);
  });

  it('adds the measured relay software cost to the relay round trip only', () => {
    const measured = linkModels({ relaySoftwareMsPerApdu: { short: 0.5, extended: 0.25 } });
    const relays = measured.filter((link) => link.name.startsWith('phone relay'));
    expect(relays.map((link) => link.roundTripMs)).toEqual([
      ASSUMED_LAN_ROUND_TRIP_MS + 0.5,
      ASSUMED_LAN_ROUND_TRIP_MS + 0.25,
    ]);
    expect(relays.every((link) => link.source.includes('measured on loopback'))).toBe(true);
    const ble = measured.filter((link) => link.name.startsWith('BLE'));
    expect(ble.map((link) => link.roundTripMs)).toEqual(
      LINK_MODELS.filter((link) => link.name.startsWith('BLE')).map((link) => link.roundTripMs),
    );
  });

  it('fewer APDUs cost less on every link', () => {
    const five = [
      { commandLength: 15, responseLength: 2 },
      { commandLength: 4, responseLength: 2 },
      { commandLength: 9, responseLength: 2 },
      { commandLength: 57, responseLength: 258 },
      { commandLength: 7, responseLength: 1393 },
    ];
    const eleven = [
      ...five.slice(0, 4),
      ...Array.from({ length: 6 }, () => ({ commandLength: 5, responseLength: 258 })),
      { commandLength: 4, responseLength: 2 },
    ];
    for (const link of LINK_MODELS) expect(modelFlowMs(link, five)).toBeLessThan(modelFlowMs(link, eleven));
  });
});
