import { CardError, hexToBytes, type ReaderEvent } from '@kakunin/core/transport';
import { describe, expect, it } from 'vitest';
import type { NfcBridgeProvider } from './pc/bridge-provider.js';
import { BridgeRelay } from './relay/bridge-relay.js';
import { SELECT_JPKI, useBridgeFixture } from './test-support/bridge-fixture.js';
import { pinCard, TEST_ATR, TestCardProvider } from './test-support/test-card-provider.js';

const bridge = useBridgeFixture();

async function setup(options: Parameters<typeof NfcBridgeProvider.listen>[0] = {}) {
  return { ...(await bridge.listen(options)), local: new TestCardProvider(pinCard('1234')) };
}

const relay = (url: string, local: TestCardProvider, extra: Parameters<typeof bridge.relay>[2] = {}) =>
  bridge.relay(url, local, { device: 'Reference phone', ...extra });

async function collect(iterable: AsyncIterable<ReaderEvent>, count: number): Promise<ReaderEvent[]> {
  const out: ReaderEvent[] = [];
  for await (const event of iterable) {
    out.push(event);
    if (out.length === count) break;
  }
  return out;
}

describe('NFC bridge end to end (real WebSockets on loopback)', () => {
  it('pairs by URL, shows the phone as a reader and relays APDUs', async () => {
    const { provider, local, events } = await setup();
    const offer = provider.createPairing();
    expect(offer.url).toMatch(new RegExp(`^kakunin-bridge://127\\.0\\.0\\.1:${provider.port}/v1#`));
    local.insert();
    const phone = await relay(offer.url, local);
    const reader = await offer.paired;
    expect(reader).toMatchObject({ id: 'phone-1', label: 'Reference phone (NFC bridge)' });
    expect(phone.readerId).toBe('phone-1');
    const paired = events.find((event) => event.type === 'paired');
    expect(paired).toMatchObject({ type: 'paired', sas: phone.sas });
    expect(phone.sas).toMatch(/^\d{6}$/);

    await using transport = await provider.connect('phone-1', { waitForCard: true, timeoutMs: 5000 });
    expect(transport.atr).toEqual(TEST_ATR);
    expect(transport.capabilities).toMatchObject({
      extendedLength: false,
      maxCommandLength: 261,
      maxResponseLength: 258,
      interface: 'contactless',
    });
    expect(transport.capabilities.linkSecurity).toMatch(/Noise/);
    expect(await transport.transmit(SELECT_JPKI)).toEqual(Uint8Array.of(0x90, 0x00));
    const read = await transport.transmit(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00));
    expect(read.length).toBe(258);
    expect(local.received.at(-1)).toEqual(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00));
    const listed = await provider.listReaders();
    expect(listed).toEqual([expect.objectContaining({ id: 'phone-1', cardPresent: true, atr: TEST_ATR })]);
  });

  it('reports reader and card events from the phone, current state first', async () => {
    const { provider, local } = await setup();
    const offer = provider.createPairing();
    const phone = await relay(offer.url, local);
    await offer.paired;
    const controller = new AbortController();
    const events = collect(provider.watch({ signal: controller.signal }), 4);
    await new Promise((resolve) => setTimeout(resolve, 20));
    local.insert();
    await new Promise((resolve) => setTimeout(resolve, 50));
    local.remove();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await phone.close();
    expect((await events).map((event) => event.type)).toEqual([
      'reader-add',
      'card-insert',
      'card-remove',
      'reader-remove',
    ]);
    controller.abort();
  });

  it('connect: CARD_ABSENT with the card-position remedy, or waits for the card', async () => {
    const { provider, local } = await setup();
    const offer = provider.createPairing();
    await relay(offer.url, local);
    await offer.paired;
    await expect(provider.connect('phone-1')).rejects.toMatchObject({
      code: 'CARD_ABSENT',
      remedy: 'nfc.card-position',
    });
    await expect(provider.connect('phone-9')).rejects.toMatchObject({ code: 'READER_NOT_FOUND' });
    await expect(provider.connect('phone-1', { waitForCard: true, timeoutMs: 50 })).rejects.toMatchObject({
      code: 'TIMEOUT',
    });
    const pending = provider.connect('phone-1', { waitForCard: true, timeoutMs: 5000 });
    setTimeout(() => local.insert(), 30);
    const transport = await pending;
    await expect(provider.connect('phone-1')).rejects.toMatchObject({ code: 'SHARING_VIOLATION' });
    await transport.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(local.resets).toBe(1); // RELEASE with unpower reached the card
  });

  it('surfaces card removal on the pending transmit and on closed (nfc.moved)', async () => {
    const { provider, local } = await setup();
    const offer = provider.createPairing();
    local.insert();
    await relay(offer.url, local);
    await offer.paired;
    const transport = await provider.connect('phone-1', { waitForCard: true, timeoutMs: 5000 });
    local.stallNext();
    const pending = transport.transmit(SELECT_JPKI);
    await new Promise((resolve) => setTimeout(resolve, 30));
    local.remove();
    await expect(pending).rejects.toMatchObject({ code: 'CARD_REMOVED', remedy: 'nfc.moved' });
    expect(await transport.closed).toMatchObject({ reason: 'card-removed' });
  });

  it('refuses early a SELECT of an AID the iOS app did not declare', async () => {
    const { provider, local } = await setup();
    const offer = provider.createPairing();
    local.insert();
    await relay(offer.url, local, {
      platform: 'ios',
      capabilities: {
        aidAllowList: ['D392F000260100000001', 'D3921000310001010408'],
        readerSessionLimitMs: 60_000,
      },
    });
    await offer.paired;
    await using transport = await provider.connect('phone-1', { waitForCard: true, timeoutMs: 5000 });
    expect(await transport.transmit(SELECT_JPKI)).toEqual(Uint8Array.of(0x90, 0x00));
    const faceAp = hexToBytes('00A4040C0AD3921000310001010402');
    const before = local.received.length;
    await expect(transport.transmit(faceAp)).rejects.toMatchObject({
      code: 'NOT_SUPPORTED',
      remedy: 'nfc.unsupported-device',
    });
    expect(local.received.length).toBe(before); // never sent
  });

  it('maps phone status reports (NFC off, location off) to remedies', async () => {
    const { provider } = await setup();
    const offer = provider.createPairing();
    const phone = await bridge.rawPhone(offer.url);
    await offer.paired;
    const controller = new AbortController();
    const iterator = provider.watch({ signal: controller.signal })[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ type: 'reader-add' });
    phone.send({ type: 'phone-status', status: { ready: false, situation: 'nfc-off', remedy: 'nfc.off' } });
    const event = (await iterator.next()).value as ReaderEvent;
    expect(event.type === 'error' && event.error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      remedy: 'nfc.off',
    });
    await expect(provider.connect('phone-1', { waitForCard: true })).rejects.toMatchObject({
      remedy: 'nfc.off',
    });
    phone.send({ type: 'phone-status', status: { ready: false, situation: 'location-off' } });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await expect(provider.connect('phone-1')).rejects.toMatchObject({ remedy: 'nfc.location-off' });
    controller.abort();
  });

  it('passes phone-side transceive errors through as typed CardErrors', async () => {
    const { provider } = await setup();
    const offer = provider.createPairing();
    const phone = await bridge.rawPhone(offer.url);
    await offer.paired;
    phone.send({ type: 'card-insert', card: { atr: TEST_ATR, technology: 'B' } });
    const transport = await provider.connect('phone-1', { waitForCard: true, timeoutMs: 5000 });
    const pending = transport.transmit(SELECT_JPKI);
    const request = await phone.next('apdu');
    expect(request.timeoutMs).toBe(5000); // the 5 s JPKI signing limit (jpki-card.md §13)
    phone.send({
      type: 'error',
      requestId: request.requestId,
      report: { code: 'CARD_UNRESPONSIVE', remedy: 'nfc.phone-case', situation: 'weak-field' },
    });
    const error = await pending.catch((caught: unknown) => caught);
    expect(CardError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'CARD_UNRESPONSIVE', remedy: 'nfc.phone-case' });
  });

  it('allows a second phone only when maxPhones says so', async () => {
    const { provider, local } = await setup({ maxPhones: 2 });
    const first = provider.createPairing();
    await relay(first.url, local);
    const second = provider.createPairing();
    const other = new TestCardProvider(pinCard('0000'));
    const phone2 = await relay(second.url, other, { device: 'Second phone' });
    expect(phone2.readerId).toBe('phone-2');
    expect((await provider.listReaders()).map((reader) => reader.id)).toEqual(['phone-1', 'phone-2']);
    expect(() => provider.createPairing()).toThrowError(expect.objectContaining({ code: 'BUSY' }));
  });

  it('expires the session after its lifetime and the phone learns why', async () => {
    const { provider, local } = await setup({ sessionLifetimeMs: 200 });
    const offer = provider.createPairing();
    const phone = await relay(offer.url, local);
    const closed = await phone.closed;
    expect(closed.error).toMatchObject({ code: 'LINK_LOST', remedy: 'bridge.pairing' });
    expect(await provider.listReaders()).toEqual([]);
  });

  it('a pairing offer times out', async () => {
    const { provider, local } = await setup();
    const offer = provider.createPairing({ timeoutMs: 50 });
    await expect(offer.paired).rejects.toMatchObject({ code: 'TIMEOUT', remedy: 'bridge.pairing' });
    await expect(BridgeRelay.connect(offer.url, { provider: local })).rejects.toMatchObject({
      code: 'PEER_REJECTED',
      remedy: 'bridge.pairing',
    });
  });

  it('closing the provider ends the phone session and pending work', async () => {
    const { provider, local } = await setup();
    const offer = provider.createPairing();
    const phone = await relay(offer.url, local);
    await offer.paired;
    await provider.close();
    expect((await phone.closed).error).toBeDefined();
    await expect(provider.listReaders()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
