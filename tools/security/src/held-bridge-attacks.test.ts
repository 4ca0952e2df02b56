/**
 * Held bridge attacks, replayed with real WebSocket peers: a wrong pairing token, the same QR used
 * by a second phone, a second phone while one is paired, and bit flips on the wire after pairing
 * (through a TCP proxy). Each ends in a typed refusal; the paired phone keeps working where it
 * should. (Many sockets: row07-bridge-starvation.test.ts.)
 */
import { connect as connectTcp, createServer, type Server, type Socket } from 'node:net';
import { encodeCommand } from '@kakunin/core/iso7816';
import { AID } from '@kakunin/core/jpki';
import { CardError } from '@kakunin/core/transport';
import type { SimulatorProvider } from '@kakunin/simulator';
import { NfcBridgeProvider } from '@kakunin/transport-nfc-bridge';
import { BridgeRelay } from '@kakunin/transport-nfc-bridge/relay';
import { describe, expect, it } from 'vitest';
import { plasticCardProvider, useCleanups } from './support/sdk.js';

const defer = useCleanups();
/** SELECT by DF name of the JPKI AP, no FCI (ISO 7816-4 §11.2.2: 00 A4 04 0C). */
const SELECT_JPKI = encodeCommand({ cla: 0x00, ins: 0xa4, p1: 0x04, p2: 0x0c, data: AID.JPKI });

async function setup() {
  const rejected: string[] = [];
  const provider = await NfcBridgeProvider.listen({
    host: '127.0.0.1',
    onEvent: (event) => (event.type === 'rejected' ? rejected.push(event.reason) : undefined),
  });
  defer(() => provider.close());
  const card = (): SimulatorProvider => {
    const local = plasticCardProvider();
    defer(() => local.close());
    return local;
  };
  const relay = async (url: string): Promise<BridgeRelay> => {
    const phone = await BridgeRelay.connect(url, { provider: card(), connectTimeoutMs: 4_000 });
    defer(() => phone.close());
    return phone;
  };
  return { provider, rejected, relay };
}

/** A TCP proxy that flips one bit of the phone → PC stream once `after` bytes have passed. */
async function bitFlipProxy(target: number, after: number): Promise<{ port: number; server: Server }> {
  const server = createServer((inbound: Socket) => {
    const outbound = connectTcp(target, '127.0.0.1');
    let seen = 0;
    inbound.on('data', (chunk: Buffer) => {
      const copy = Buffer.from(chunk);
      if (seen < after && seen + copy.length > after) copy[after - seen]! ^= 0x01;
      seen += copy.length;
      outbound.write(copy);
    });
    outbound.on('data', (chunk) => inbound.write(chunk));
    inbound.on('close', () => outbound.destroy());
    outbound.on('close', () => inbound.destroy());
    inbound.on('error', () => undefined);
    outbound.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  defer(() => new Promise((resolve) => server.close(resolve)));
  return { port: (server.address() as { port: number }).port, server };
}

describe('held: bridge attacks', () => {
  it('a wrong token is refused (PEER_REJECTED) and the offer survives for the right phone', async () => {
    const { provider, relay } = await setup();
    const offer = provider.createPairing();
    const forged = offer.url.replace(/t=[^&]+/, `t=${'A'.repeat(43)}`);
    await expect(relay(forged)).rejects.toMatchObject({ code: 'PEER_REJECTED' });
    await relay(offer.url);
    expect((await offer.paired).id).toBe('phone-1');
  });

  it('the same QR used by a second phone is refused (the token works once)', async () => {
    const { provider, relay } = await setup();
    const offer = provider.createPairing();
    await relay(offer.url);
    await offer.paired;
    await expect(relay(offer.url)).rejects.toSatisfy((error) => CardError.isInstance(error));
  });

  it('a second phone with its own QR while one is paired is refused (one phone at a time)', async () => {
    const { provider, relay } = await setup();
    const first = provider.createPairing();
    await relay(first.url);
    await first.paired;
    let refusal: unknown;
    try {
      await relay(provider.createPairing().url);
    } catch (error) {
      refusal = error;
    }
    expect(CardError.isInstance(refusal), String(refusal)).toBe(true);
    expect((await provider.listReaders()).map((reader) => reader.id)).toEqual(['phone-1']);
  });

  it('a bit flipped on the wire after pairing ends the session with a typed error, no wrong answer', async () => {
    const { provider, relay } = await setup();
    // Find how many bytes the phone sends up to the end of the pairing, then flip one after it.
    const offer = provider.createPairing();
    const proxy = await bitFlipProxy(provider.port, 2_000);
    await relay(offer.url.replace(`:${provider.port}/`, `:${proxy.port}/`));
    const reader = await offer.paired;
    const transport = await provider.connect(reader.id, { waitForCard: true, timeoutMs: 3_000 });
    let failure: unknown;
    try {
      for (let index = 0; index < 40; index++) {
        const response = await transport.transmit(SELECT_JPKI);
        expect(response.slice(-2)).toEqual(Uint8Array.of(0x90, 0x00));
      }
    } catch (error) {
      failure = error;
    }
    expect(CardError.isInstance(failure), String(failure)).toBe(true);
  });
});
