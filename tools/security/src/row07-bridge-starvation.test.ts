/**
 * Row 7: unauthenticated sockets starving the bridge's PC side. Before: 4 sockets held open → 3 of
 * 3 pairings failed ("cannot reach the PC"). Must be: per-source limits, a short handshake
 * deadline, the phone always wins a slot. Real TCP / WebSocket peers, a real BridgeRelay phone.
 */

import { NfcBridgeProvider } from '@kakunin/transport-nfc-bridge';
import { BridgeRelay } from '@kakunin/transport-nfc-bridge/relay';
import { describe, expect, it } from 'vitest';
import { type HeldSockets, holdOpen } from './support/bridge.js';
import { plasticCardProvider, useCleanups } from './support/sdk.js';

const defer = useCleanups();

async function bridge(): Promise<{ provider: NfcBridgeProvider; rejected: string[] }> {
  const rejected: string[] = [];
  const provider = await NfcBridgeProvider.listen({
    host: '127.0.0.1',
    onEvent: (event) => {
      if (event.type === 'rejected') rejected.push(event.reason);
    },
  });
  defer(() => provider.close());
  return { provider, rejected };
}

/** Pairs a phone `rounds` times (one at a time); returns how many succeeded. */
async function pairings(provider: NfcBridgeProvider, rounds: number): Promise<number> {
  const card = plasticCardProvider();
  defer(() => card.close());
  let succeeded = 0;
  for (let round = 0; round < rounds; round++) {
    const offer = provider.createPairing({ timeoutMs: 10_000 });
    try {
      const relay = await BridgeRelay.connect(offer.url, { provider: card, connectTimeoutMs: 4_000 });
      const reader = await offer.paired;
      expect(reader.id).toMatch(/^phone-/);
      succeeded += 1;
      await relay.close();
      // wait for the PC to drop the session (one phone at a time)
      for (let wait = 0; wait < 100 && (await provider.listReaders()).length > 0; wait++)
        await new Promise((resolve) => setTimeout(resolve, 10));
    } catch {
      offer.cancel();
    }
  }
  return succeeded;
}

const held: HeldSockets[] = [];
const flood = (options: Parameters<typeof holdOpen>[0]): HeldSockets => {
  const sockets = holdOpen(options);
  held.push(sockets);
  defer(() => sockets.stop());
  return sockets;
};
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('row 7: unauthenticated sockets cannot starve pairing', () => {
  it('4 silent TCP sockets held open (re-opened when dropped): 3 of 3 pairings succeed', async () => {
    const { provider } = await bridge();
    const attack = flood({ port: provider.port, sources: ['127.0.0.2'], perSource: 4, kind: 'tcp' });
    await settle(100);
    expect(attack.open()).toBe(4);
    expect(await pairings(provider, 3)).toBe(3);
  });

  it('4 sockets from the phone’s own address: the newest (the phone) wins, 3 of 3', async () => {
    const { provider, rejected } = await bridge();
    flood({ port: provider.port, sources: ['127.0.0.1'], perSource: 4, kind: 'websocket', reopen: false });
    await settle(150);
    expect(await pairings(provider, 3)).toBe(3);
    expect(rejected).toContain('too-many-pending');
  });

  it('500 sockets from 50 sources (TCP + silent WebSocket upgrades, re-opened): 3 of 3 pairings', async () => {
    const { provider, rejected } = await bridge();
    const sources = Array.from({ length: 50 }, (_, index) => `127.0.1.${index + 1}`);
    const tcp = flood({ port: provider.port, sources: sources.slice(0, 25), perSource: 10, kind: 'tcp' });
    const ws = flood({ port: provider.port, sources: sources.slice(25), perSource: 10, kind: 'websocket' });
    await settle(500);
    expect(await pairings(provider, 3)).toBe(3);
    expect(tcp.opened() + ws.opened()).toBeGreaterThanOrEqual(500);
    expect(rejected.filter((reason) => reason === 'too-many-pending').length).toBeGreaterThan(0);
  });

  it('a silent socket is dropped within the handshake deadline (3 s default)', async () => {
    const { provider, rejected } = await bridge();
    const started = Date.now();
    const attack = flood({
      port: provider.port,
      sources: ['127.0.0.3'],
      perSource: 1,
      kind: 'tcp',
      reopen: false,
    });
    await settle(50);
    expect(attack.open()).toBe(1);
    while (attack.open() > 0 && Date.now() - started < 5_000) await settle(50);
    expect(attack.open()).toBe(0);
    expect(Date.now() - started).toBeLessThan(3_600);
    expect(rejected).toContain('handshake-timeout');
  });
});
