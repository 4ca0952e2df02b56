/**
 * Card connections through the real pcscd + vpcd + the simulator's plastic card: a full JPKI
 * read (raw APDUs and through core's MyNumberCard), short and extended length, protocols, resets
 * and what they do to a verified PIN, close dispositions, connect failures, and a card pulled
 * mid-command by the simulator's fault injection.
 */
import { encodeCommand } from '@kakunin/core/iso7816';
import { MyNumberCard } from '@kakunin/core/jpki';
import { bytesToHex, CardError } from '@kakunin/core/transport';
import { ATR_CONTACT } from '@kakunin/simulator';
import { SELECT_JPKI_AP } from '@kakunin/tools-conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { usePcscd } from '../../../tools/pcscd/src/index.js';
import { createPcscProvider, type PcscProvider, type PcscTransport } from './index.js';
import { cardProfile, type VirtualReader, virtualReader } from './test-support/virtual-reader.js';

usePcscd();

/** EF IDs of the JPKI AP (jpki-card.md §3.1). */
const EF_AUTH_CERTIFICATE = 0x000a;
const EF_SIGN_CERTIFICATE = 0x0001;
const EF_SIGN_PASSWORD = 0x001b;

const apdu = (cla: number, ins: number, p1: number, p2: number, data?: Uint8Array, le?: number) =>
  encodeCommand(
    { cla, ins, p1, p2, ...(data === undefined ? {} : { data }), ...(le === undefined ? {} : { le }) },
    { extended: 'auto' },
  );
const selectEf = (fid: number) => apdu(0x00, 0xa4, 0x02, 0x0c, Uint8Array.of(fid >> 8, fid & 0xff));
const readBinary = (offset: number, le: number) =>
  apdu(0x00, 0xb0, (offset >> 8) & 0x7f, offset & 0xff, undefined, le);
const verify = (secret: string) => apdu(0x00, 0x20, 0x00, 0x80, new TextEncoder().encode(secret));
const sw = (response: Uint8Array) => (response[response.length - 2]! << 8) | response[response.length - 1]!;

/** Reads a transparent EF with short READ BINARY in 256-byte chunks (jpki-card.md §11). */
async function readFile(transport: PcscTransport, fid: number): Promise<{ bytes: Uint8Array; sw: number }> {
  const selected = await transport.transmit(selectEf(fid));
  if (sw(selected) !== 0x9000) return { bytes: new Uint8Array(0), sw: sw(selected) };
  const parts: number[] = [];
  for (let offset = 0; ; offset += 256) {
    const response = await transport.transmit(readBinary(offset, 256));
    const status = sw(response);
    if (status === 0x6b00) break;
    if (status !== 0x9000 && status !== 0x6282) return { bytes: Uint8Array.from(parts), sw: status };
    parts.push(...response.subarray(0, -2));
    if (status === 0x6282 || response.length - 2 < 256) break;
  }
  return { bytes: Uint8Array.from(parts), sw: 0x9000 };
}

/** A DER object's total length from its header (30 82 LL LL). */
const derLength = (bytes: Uint8Array) => 4 + ((bytes[2]! << 8) | bytes[3]!);

let reader: VirtualReader;
let provider: PcscProvider;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  reader = await virtualReader();
  await reader.insert();
  provider = createPcscProvider();
});

afterEach(async () => {
  for (const item of open.splice(0)) await item.close();
  if (!(await reader.stats()).inserted) await reader.insert();
});

afterAll(async () => {
  await provider?.close();
  await reader?.close();
});

/** Waits until pcscd reports no card in `readerName` (it polls presence every 400 ms). */
async function cardGone(readerName: string): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const listed = await provider.listReaders();
    if (listed.find((info) => info.id === readerName)?.cardPresent === false) return;
    if (Date.now() > deadline) throw new Error(`pcscd still reports a card in ${readerName}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function connect(options: Parameters<PcscProvider['connect']>[1] = {}): Promise<PcscTransport> {
  const transport = await provider.connect(reader.readerName, {
    waitForCard: true,
    timeoutMs: 10_000,
    ...options,
  });
  open.push(transport);
  return transport;
}

describe('a full JPKI read', () => {
  it('reads the auth certificate with raw short APDUs, byte for byte', async () => {
    const transport = await connect();
    expect(transport.kind).toBe('pcsc');
    expect(transport.protocol).toBe('T1');
    expect(bytesToHex(transport.atr)).toBe(bytesToHex(ATR_CONTACT));
    expect(transport.capabilities).toMatchObject({
      extendedLength: false,
      maxCommandLength: 261,
      maxResponseLength: 258,
      interface: 'contact',
    });
    expect(transport.capabilities.linkSecurity).toContain('vpcd');
    expect(bytesToHex(await transport.transmit(SELECT_JPKI_AP))).toBe('9000');
    const { bytes, sw: status } = await readFile(transport, EF_AUTH_CERTIFICATE);
    expect(status).toBe(0x9000);
    const certificate = bytes.subarray(0, derLength(bytes));
    expect(bytesToHex(certificate)).toBe(bytesToHex(reader.profile.authCertificate.certificate));
  });

  it('reads the token and both public certificates through core MyNumberCard', async () => {
    const transport = await connect();
    const card = MyNumberCard.open(transport);
    const identity = await card.detect();
    expect(identity).toMatchObject({
      kind: 'mynumber-card',
      tokenLabel: 'JPKIAPICCTOKEN2',
      hasSignCertificate: true,
    });
    const auth = await card.readCertificate('auth');
    expect(bytesToHex(auth)).toBe(bytesToHex(reader.profile.authCertificate.certificate));
    const authCa = await card.readCertificate('authCA');
    expect(authCa[0]).toBe(0x30);
    await expect(card.readCertificate('sign')).rejects.toMatchObject({
      code: 'SECURITY_STATUS_NOT_SATISFIED',
    });
  });
});

describe('APDU lengths', () => {
  it('short by default: an extended command is COMMAND_TOO_LONG and never reaches the card', async () => {
    const transport = await connect();
    const before = (await reader.stats()).commands;
    const extendedRead = Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00, 0x08, 0x00, ...new Uint8Array(300));
    await expect(transport.transmit(extendedRead)).rejects.toMatchObject({ code: 'COMMAND_TOO_LONG' });
    expect((await reader.stats()).commands).toBe(before);
  });

  it("'detect' asks the reader: Debian's vpcd 3.3 does not report dwMaxAPDUDataSize, so it stays short", async () => {
    // (vpcd releases after 3.3 answer the PC/SC Part 10 property with 64 KiB; this machine's does not.)
    const transport = await connect({ extendedLength: 'detect' });
    expect(transport.capabilities).toMatchObject({
      extendedLength: false,
      maxCommandLength: 261,
      maxResponseLength: 258,
    });
  });

  it('extendedLength: true carries an extended READ BINARY (the whole certificate in one APDU)', async () => {
    const transport = await connect({ extendedLength: true });
    expect(transport.capabilities).toMatchObject({
      extendedLength: true,
      maxCommandLength: 4 + 3 + 65535 + 2,
      maxResponseLength: 65538,
    });
    expect(bytesToHex(await transport.transmit(SELECT_JPKI_AP))).toBe('9000');
    expect(bytesToHex(await transport.transmit(selectEf(EF_AUTH_CERTIFICATE)))).toBe('9000');
    // One READ BINARY with extended Le = 0000 (65 536): the whole file in one response.
    const response = await transport.transmit(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00));
    expect(response.length).toBeGreaterThan(258);
    // 62 82: end of file before Le bytes — the whole (shorter) file came back (jpki-card.md §9).
    expect([0x9000, 0x6282]).toContain(sw(response));
    const certificate = response.subarray(0, derLength(response));
    expect(bytesToHex(certificate)).toBe(bytesToHex(reader.profile.authCertificate.certificate));
  });

  it('explicit limits override what is reported', async () => {
    const transport = await connect({
      extendedLength: true,
      maxCommandLength: 1000,
      maxResponseLength: 4096,
    });
    expect(transport.capabilities).toMatchObject({
      extendedLength: true,
      maxCommandLength: 1000,
      maxResponseLength: 4096,
    });
    await expect(connect({ maxResponseLength: 3 })).rejects.toBeInstanceOf(RangeError);
  });
});

describe('protocols and sharing', () => {
  it('negotiates T=1 (vpcd offers nothing else) and refuses T=0 with a PROTOCOL error', async () => {
    const transport = await connect({ protocol: 'T1' });
    expect(transport.protocol).toBe('T1');
    await transport.close();
    const error = await connect({ protocol: 'T0' }).catch((caught: unknown) => caught);
    expect(CardError.isInstance(error)).toBe(true);
    expect((error as CardError).code).toBe('PROTOCOL');
    expect((error as CardError).details.scard).toBe('SCARD_E_PROTO_MISMATCH');
  });

  it('exclusive keeps a second connection out; shared connections coexist', async () => {
    const exclusive = await connect({ share: 'exclusive' });
    expect(exclusive.exclusive).toBe(true);
    await expect(connect({ share: 'shared' })).rejects.toMatchObject({
      code: 'SHARING_VIOLATION',
      remedy: 'card.busy-elsewhere',
    });
    await exclusive.close();
    const first = await connect({ share: 'shared' });
    const second = await connect({ share: 'shared' });
    expect(sw(await first.transmit(SELECT_JPKI_AP))).toBe(0x9000);
    expect(sw(await second.transmit(SELECT_JPKI_AP))).toBe(0x9000);
    await expect(connect({ share: 'exclusive' })).rejects.toMatchObject({ code: 'SHARING_VIOLATION' });
  });
});

describe('resets and dispositions (the verified PIN must not outlive the session)', () => {
  const password = () => cardProfile('plastic').credentials.signPassword!;

  async function verifySignPassword(transport: PcscTransport): Promise<void> {
    expect(sw(await transport.transmit(SELECT_JPKI_AP))).toBe(0x9000);
    expect(sw(await transport.transmit(selectEf(EF_SIGN_PASSWORD)))).toBe(0x9000);
    expect(sw(await transport.transmit(verify(password())))).toBe(0x9000);
  }

  async function signCertificateStatus(transport: PcscTransport): Promise<number> {
    expect(sw(await transport.transmit(SELECT_JPKI_AP))).toBe(0x9000);
    expect(sw(await transport.transmit(selectEf(EF_SIGN_CERTIFICATE)))).toBe(0x9000);
    return sw(await transport.transmit(readBinary(0, 4)));
  }

  it("reset('warm') keeps the security state; reset('cold') unpowers and clears it", async () => {
    const transport = await connect({ share: 'exclusive' });
    expect(await signCertificateStatus(transport)).toBe(0x6982);
    await verifySignPassword(transport);
    expect(await signCertificateStatus(transport)).toBe(0x9000);
    const warmAtr = await transport.reset('warm');
    expect(bytesToHex(warmAtr)).toBe(bytesToHex(ATR_CONTACT));
    expect(await signCertificateStatus(transport)).toBe(0x9000);
    const coldAtr = await transport.reset('cold');
    expect(bytesToHex(coldAtr)).toBe(bytesToHex(ATR_CONTACT));
    expect(bytesToHex(transport.atr)).toBe(bytesToHex(ATR_CONTACT));
    expect(await signCertificateStatus(transport)).toBe(0x6982);
    await expect(transport.reset('lukewarm' as 'cold')).rejects.toBeInstanceOf(TypeError);
  });

  it("close() unpowers by default; disposition 'leave' keeps the card powered", async () => {
    const leaving = await connect({ disposition: 'leave' });
    await verifySignPassword(leaving);
    await leaving.close();
    const next = await connect();
    expect(await signCertificateStatus(next)).toBe(0x9000);
    await next.close(); // default: unpower
    const last = await connect();
    expect(await signCertificateStatus(last)).toBe(0x6982);
  });
});

describe('connect failures', () => {
  it('CARD_ABSENT without a card (remedy card.absent), READER_NOT_FOUND for an unknown reader', async () => {
    await expect(provider.connect('Virtual PCD 00 01')).rejects.toMatchObject({
      code: 'CARD_ABSENT',
      remedy: 'card.absent',
    });
    const error = await provider.connect('No Such Reader 00 00').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'READER_NOT_FOUND', remedy: 'reader.not-selected' });
    expect(String((error as CardError).details.available)).toContain('Virtual PCD 00 00');
    await expect(provider.connect('')).rejects.toBeInstanceOf(RangeError);
    await expect(provider.connect(42 as unknown as string)).rejects.toBeInstanceOf(TypeError);
  });

  it('waitForCard waits for the insertion, gives up with CARD_ABSENT, or stops on abort', async () => {
    const second = await virtualReader({ slot: 1 });
    open.push(second);
    const waiting = provider.connect(second.readerName, { waitForCard: true, timeoutMs: 10_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await second.insert();
    const transport = await waiting;
    open.push(transport);
    expect(sw(await transport.transmit(SELECT_JPKI_AP))).toBe(0x9000);
    await transport.close();
    await second.remove();
    await cardGone(second.readerName);

    const started = Date.now();
    await expect(
      provider.connect(second.readerName, { waitForCard: true, timeoutMs: 400 }),
    ).rejects.toMatchObject({
      code: 'CARD_ABSENT',
    });
    expect(Date.now() - started).toBeLessThan(3000);
    const controller = new AbortController();
    const aborted = provider.connect(second.readerName, { waitForCard: true, signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('a card pulled mid-command (simulator fault injection)', () => {
  it('the pending READ BINARY rejects CARD_REMOVED, `closed` settles, nothing hangs', async () => {
    // A second card whose fault plan takes it out of the reader while a READ BINARY is in flight.
    const pulled = await virtualReader({ slot: 1, faults: [{ type: 'remove', match: { ins: 0xb0 } }] });
    open.push(pulled);
    await pulled.insert();
    const transport = await provider.connect(pulled.readerName, { waitForCard: true, timeoutMs: 10_000 });
    open.push(transport);
    expect(sw(await transport.transmit(SELECT_JPKI_AP))).toBe(0x9000);
    expect(sw(await transport.transmit(selectEf(EF_AUTH_CERTIFICATE)))).toBe(0x9000);
    const started = Date.now();
    const error = await transport.transmit(readBinary(0, 256)).catch((caught: unknown) => caught);
    expect(CardError.isInstance(error)).toBe(true);
    expect((error as CardError).code).toBe('CARD_REMOVED');
    expect((error as CardError).remedy).toBe('card.moved');
    const info = await transport.closed;
    expect(info.reason).toBe('card-removed');
    expect(info.error?.code).toBe('CARD_REMOVED');
    expect(Date.now() - started).toBeLessThan(5000);
    expect((await pulled.stats()).faultEvents.map((event) => event.type)).toEqual(['remove']);
    await expect(transport.transmit(SELECT_JPKI_AP)).rejects.toMatchObject({ code: 'CARD_REMOVED' });
    // Put back, it works again.
    await pulled.host.restoreFaults();
    await pulled.insert();
    const again = await provider.connect(pulled.readerName, { waitForCard: true, timeoutMs: 10_000 });
    open.push(again);
    expect(sw(await again.transmit(SELECT_JPKI_AP))).toBe(0x9000);
  });

  it('a stalled card times out with TIMEOUT (remedy card.moved) instead of hanging', async () => {
    const transport = await connect({ transmitTimeoutMs: 500 });
    await reader.stallNext();
    const started = Date.now();
    await expect(transport.transmit(SELECT_JPKI_AP)).rejects.toMatchObject({
      code: 'TIMEOUT',
      remedy: 'card.moved',
    });
    expect(Date.now() - started).toBeLessThan(2000);
    // The command is still in the card: a new one is BUSY, not queued behind it.
    await expect(transport.transmit(SELECT_JPKI_AP)).rejects.toMatchObject({ code: 'BUSY' });
    await reader.remove();
    const info = await transport.closed;
    expect(info.reason).toBe('card-removed');
  });
});
