/**
 * The PIN-mode check through the real NFC bridge on loopback (WebSocket + Noise + reference relay
 * + simulator card) takes exactly the APDUs it takes in process: the relay adds none. Counts only.
 */
import { defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { describe, expect, it } from 'vitest';
import { linkMode, TARGET_EXTENDED_APDUS } from './link-modes.js';
import { measureRelayLoopback } from './relay-loopback.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });

describe('PIN-mode check through the phone relay (loopback)', () => {
  it('extended-capable phone: the same 5 APDUs as in process', async () => {
    const figures = await measureRelayLoopback(linkMode('extended'), { keyStore, runs: 2 });
    expect(figures.apdus).toBe(TARGET_EXTENDED_APDUS);
    expect(figures.bridgeCheckMs.runs).toBe(2);
  });

  it('Android default (261-byte transceive): short APDUs, 4 + certificate chunks', async () => {
    const figures = await measureRelayLoopback(linkMode('short-link'), { keyStore, runs: 2 });
    expect(figures.apdus).toBe(10);
  });
});
