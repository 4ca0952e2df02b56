/**
 * Security tests of the bridge against a hostile network and a hostile peer. Every
 * attack must end in a rejection or a typed CardError, promptly, and no PIN may reach the wire.
 */
import { connect as connectTcp } from 'node:net';
import { CardError } from '@kakunin/core/transport';
import { describe, expect, it } from 'vitest';
import type { NfcBridgeProvider } from './pc/bridge-provider.js';
import { parsePairingUrl } from './protocol/pairing-url.js';
import { MAX_FRAME_LENGTH } from './protocol/protocol-constants.js';
import { BridgeRelay } from './relay/bridge-relay.js';
import { SELECT_JPKI, useBridgeFixture, viaProxy } from './test-support/bridge-fixture.js';
import { RawPhone } from './test-support/raw-phone.js';
import { containsBytes } from './test-support/tcp-proxy.js';
import { pinCard, TEST_ATR, TestCardProvider } from './test-support/test-card-provider.js';

const PIN = '839201';
const PIN_BYTES = new TextEncoder().encode(PIN);
/** VERIFY the signing password (P2 = 0x1B, jpki-card.md §8) with the test PIN. */
const verify = (): Uint8Array => Uint8Array.of(0x00, 0x20, 0x00, 0x1b, PIN_BYTES.length, ...PIN_BYTES);

const bridge = useBridgeFixture();
const setup = bridge.listen;
const rawPhone = bridge.rawPhone;

/** A relay whose link to `provider` runs through a TCP proxy the test can cut or tamper with. */
async function relayThroughProxy(provider: NfcBridgeProvider, options: { insert?: boolean } = {}) {
  const proxy = await bridge.proxy(provider.port);
  const local = new TestCardProvider(pinCard(PIN));
  if (options.insert !== false) local.insert();
  const offer = provider.createPairing();
  const phone = await bridge.relay(viaProxy(offer.url, proxy.port), local);
  return { proxy, local, offer, phone };
}

/** Fails the test instead of hanging. */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`hung for ${ms} ms`)), ms)),
  ]);
}

describe('bridge security', () => {
  it('rejects a wrong token (authentication) and the offer survives for the right phone', async () => {
    const { provider, events } = await setup();
    const offer = provider.createPairing();
    const wrong = new Uint8Array(32).fill(0x42);
    await expect(rawPhone(offer.url, { token: wrong })).rejects.toThrow('close 4001');
    const local = new TestCardProvider(pinCard(PIN));
    await expect(
      BridgeRelay.connect(offer.url.replace(/t=[^&]+/, `t=${'A'.repeat(43)}`), { provider: local }),
    ).rejects.toMatchObject({ code: 'PEER_REJECTED', remedy: 'bridge.pairing' });
    expect(
      events
        .filter((event) => event.type === 'rejected')
        .map((event) => event.type === 'rejected' && event.reason),
    ).toEqual(['authentication-failed', 'authentication-failed']);
    const phone = await bridge.relay(offer.url, local);
    expect(phone.readerId).toBe('phone-1');
  });

  it('rejects a reused token, even after the first phone left', async () => {
    const { provider } = await setup({ maxPhones: 2 });
    const offer = provider.createPairing();
    const first = await rawPhone(offer.url);
    await expect(rawPhone(offer.url)).rejects.toThrow('close 4002');
    first.socket.terminate();
    await first.closed;
    const local = new TestCardProvider(pinCard(PIN));
    await expect(BridgeRelay.connect(offer.url, { provider: local })).rejects.toMatchObject({
      code: 'PEER_REJECTED',
      message: expect.stringMatching(/already used or has expired/),
    });
  });

  it('keeps a second phone out while one is paired', async () => {
    const { provider } = await setup();
    const offerA = provider.createPairing();
    const offerB = provider.createPairing(); // created before A paired
    await rawPhone(offerA.url);
    expect(() => provider.createPairing()).toThrowError(expect.objectContaining({ code: 'BUSY' }));
    await expect(rawPhone(offerB.url)).rejects.toThrow('close 4003');
    const local = new TestCardProvider(pinCard(PIN));
    await expect(BridgeRelay.connect(offerA.url, { provider: local })).rejects.toMatchObject({
      code: 'PEER_REJECTED',
    });
    expect((await provider.listReaders()).length).toBe(1);
  });

  it('a replayed frame kills the session and the pending transmit fails typed', async () => {
    const { provider, events } = await setup();
    const offer = provider.createPairing();
    const phone = await rawPhone(offer.url);
    phone.send({ type: 'card-insert', card: { atr: TEST_ATR } });
    const transport = await provider.connect('phone-1', { waitForCard: true, timeoutMs: 5000 });
    const pending = transport.transmit(SELECT_JPKI);
    await phone.next('apdu');
    phone.sendRaw(phone.sentFrames[0]!); // the card-insert again
    const error = await within(
      pending.catch((caught: unknown) => caught),
      3000,
    );
    expect(CardError.isInstance(error, 'PEER_REJECTED')).toBe(true);
    expect(await within(phone.closed, 3000)).toBe(4007);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'session-closed', code: 'PEER_REJECTED', reason: 'replay' }),
    );
  });

  it('a tampered frame is rejected (authentication) and never answered', async () => {
    const { provider } = await setup();
    const offer = provider.createPairing();
    const phone = await rawPhone(offer.url);
    phone.send({ type: 'card-insert', card: { atr: TEST_ATR } });
    const transport = await provider.connect('phone-1', { waitForCard: true, timeoutMs: 5000 });
    const pending = transport.transmit(SELECT_JPKI);
    const request = await phone.next('apdu');
    const frame = phone.channel.seal(
      new Uint8Array([0x11, 0, 0, 0, request.requestId, 0x90, 0x00]), // a valid APDU_RESPONSE …
    );
    frame[frame.length - 20]! ^= 0x01; // … with one bit flipped in transit
    phone.sendRaw(frame);
    await expect(within(pending, 3000)).rejects.toMatchObject({
      code: 'PEER_REJECTED',
      details: { reason: 'authentication' },
    });
    expect(await within(phone.closed, 3000)).toBe(4001);
    expect(await transport.closed).toMatchObject({ reason: 'link-lost' });
  });

  it('a frame from an old session is refused on a new connection and inside a new session', async () => {
    const { provider } = await setup();
    const offer1 = provider.createPairing();
    const old = await rawPhone(offer1.url);
    const oldFrame = old.send({ type: 'pong', counter: 1 });
    old.socket.terminate();
    await old.closed;
    await new Promise((resolve) => setTimeout(resolve, 30));
    // As the first frame of a new connection: not a handshake.
    const socket = await RawPhone.open(offer1.url);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send(oldFrame);
    expect(await within(closed, 3000)).toBe(4000);
    // Inside a new session: wrong session id.
    const offer2 = provider.createPairing();
    const fresh = await rawPhone(offer2.url);
    fresh.sendRaw(oldFrame);
    expect(await within(fresh.closed, 3000)).toBe(4007);
  });

  it('an oversized frame is refused from its length header, before and after the handshake', async () => {
    const { provider, events } = await setup();
    const offer = provider.createPairing();
    const socket = await RawPhone.open(offer.url);
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    socket.send(new Uint8Array(MAX_FRAME_LENGTH + 1));
    expect(await within(closed, 3000)).toBe(1009); // RFC 6455 §7.4.1 "message too big"
    const phone = await rawPhone(offer.url); // the offer is still good
    phone.sendRaw(new Uint8Array(MAX_FRAME_LENGTH + 1));
    expect(await within(phone.closed, 3000)).toBe(1009);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(events).toContainEqual(expect.objectContaining({ type: 'session-closed', reason: 'too-large' }));
  });

  it('drops slowloris peers and caps unauthenticated connections, and still pairs afterwards', async () => {
    const { provider, events } = await setup({ handshakeTimeoutMs: 300, maxPendingConnections: 3 });
    const offer = provider.createPairing();
    const started = Date.now();
    const trickle = connectTcp(provider.port, '127.0.0.1');
    trickle.on('error', () => undefined);
    const trickled = new Promise<void>((resolve) => trickle.on('close', () => resolve()));
    const request = 'GET /v1 HTTP/1.1\r\nHost: x\r\n';
    let index = 0;
    const interval = setInterval(() => {
      if (index < request.length && !trickle.destroyed) trickle.write(request[index++]!);
    }, 40);
    const silent = await RawPhone.open(offer.url); // WebSocket open, never says hello
    const silentClosed = new Promise<void>((resolve) => silent.on('close', () => resolve()));
    const extra = [connectTcp(provider.port, '127.0.0.1'), connectTcp(provider.port, '127.0.0.1')];
    const extraClosed = extra.map((socket) => {
      socket.on('error', () => undefined);
      return new Promise<void>((resolve) => socket.on('close', () => resolve()));
    });
    await within(Promise.all([trickled, silentClosed, ...extraClosed]), 3000);
    clearInterval(interval);
    expect(Date.now() - started).toBeLessThan(2000);
    const reasons = events.flatMap((event) => (event.type === 'rejected' ? [event.reason] : []));
    expect(reasons).toContain('handshake-timeout');
    expect(reasons).toContain('too-many-pending');
    const phone = await rawPhone(offer.url);
    expect(phone.welcome.readerId).toBe('phone-1');
  });

  it('a silent paired phone is dropped after the idle timeout', async () => {
    const { provider } = await setup({ idleTimeoutMs: 200, heartbeatIntervalMs: 50 });
    const offer = provider.createPairing();
    const phone = await rawPhone(offer.url, { answerPings: false });
    expect(await within(phone.closed, 3000)).toBe(4005);
    expect(await provider.listReaders()).toEqual([]);
  });

  it('the link dropped mid-APDU surfaces as LINK_LOST at once, never a hang or a retry', async () => {
    const { provider } = await setup();
    const { proxy, local, phone } = await relayThroughProxy(provider);
    const transport = await provider.connect('phone-1', { waitForCard: true, timeoutMs: 5000 });
    local.stallNext();
    const pending = transport.transmit(verify());
    await new Promise((resolve) => setTimeout(resolve, 50));
    proxy.cut();
    const started = Date.now();
    await expect(within(pending, 3000)).rejects.toMatchObject({
      code: 'LINK_LOST',
      remedy: 'bridge.network',
    });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await transport.closed).toMatchObject({ reason: 'link-lost' });
    expect((await within(phone.closed, 3000)).error).toMatchObject({ code: 'LINK_LOST' });
    const verifies = local.received.filter((command) => command[1] === 0x20);
    expect(verifies.length).toBe(1); // nobody re-sent the VERIFY
    await expect(provider.connect('phone-1')).rejects.toMatchObject({ code: 'READER_NOT_FOUND' });
  });

  it('no PIN crosses the wire in clear, in events or in error messages', async () => {
    const { provider, events } = await setup();
    const { proxy, local, offer, phone } = await relayThroughProxy(provider);
    const transport = await provider.connect('phone-1', { waitForCard: true, timeoutMs: 5000 });
    expect(await transport.transmit(SELECT_JPKI)).toEqual(Uint8Array.of(0x90, 0x00));
    expect(await transport.transmit(verify())).toEqual(Uint8Array.of(0x90, 0x00));
    const wrong = Uint8Array.of(0x00, 0x20, 0x00, 0x1b, 6, ...new TextEncoder().encode('000000'));
    expect(await transport.transmit(wrong)).toEqual(Uint8Array.of(0x63, 0xc2));
    const sign = Uint8Array.of(0x80, 0x2a, 0x00, 0x80, 0x03, 1, 2, 3, 0x00);
    // The card saw the PIN (the relay is the phone: it must) …
    expect(local.received.some((command) => containsBytes(command, PIN_BYTES))).toBe(true);
    expect((await transport.transmit(sign)).length).toBe(258);
    await transport.close();
    await phone.close();
    const wire = proxy.bytes;
    expect(wire.length).toBeGreaterThan(500);
    // … but the network never did: not the digits, not the VERIFY header with them.
    expect(containsBytes(wire, PIN_BYTES)).toBe(false);
    expect(containsBytes(wire, verify().subarray(0, 6))).toBe(false);
    expect(containsBytes(wire, new TextEncoder().encode(Buffer.from(PIN_BYTES).toString('hex')))).toBe(false);
    // The pairing token is not on the wire either.
    expect(containsBytes(wire, parsePairingUrl(offer.url).token)).toBe(false);
    expect(JSON.stringify(events)).not.toContain(PIN);
  });

  it.each([
    ['tampered', 'tamperNextDownstream', 4001],
    ['replayed', 'replayNextDownstream', 4007],
  ] as const)('the phone rejects a %s frame from the PC direction', async (_name, fault, closeCode) => {
    const { provider } = await setup({ heartbeatIntervalMs: 50 });
    const { proxy, phone } = await relayThroughProxy(provider, { insert: false });
    proxy[fault](); // hits the next PING from the PC
    const closed = await within(phone.closed, 3000);
    expect(closed.code).toBe(closeCode);
    expect(closed.error).toMatchObject({ code: 'PEER_REJECTED' });
    await within(
      (async () => {
        while ((await provider.listReaders()).length > 0)
          await new Promise((resolve) => setTimeout(resolve, 10));
      })(),
      3000,
    );
  });
});
