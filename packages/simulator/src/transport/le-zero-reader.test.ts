/**
 * ReaderQuirks.mishandlesShortLeZero (README "Field behaviours"): the reader hands back only the
 * status word to a short command with Le = 00. Raw behaviour first, then what the SDK makes of it:
 * detected without re-sending a PIN, never a silent wrong answer, ≤ 255-byte reads afterwards,
 * and a signature completed (extended Le, or Le FF + GET RESPONSE) or refused with a typed error.
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { CardError } from '@kakunin/core/transport';
import { describe, expect, it } from 'vitest';
import type { CardQuirks } from '../card/card-file.js';
import { AID } from '../card/card-identifiers.js';
import { VirtualMyNumberCard } from '../card/virtual-my-number-card.js';
import { profile, readBinary, selectAid } from '../test-support/fixtures.js';
import { SimulatorProvider } from './simulator-provider.js';
import { asksShortLeZero } from './simulator-transport.js';

const challenge = new Uint8Array(32).fill(9);

async function open(extendedLength: boolean, quirks?: CardQuirks) {
  const card = new VirtualMyNumberCard(profile('plastic', quirks === undefined ? {} : { quirks }).image);
  const provider = new SimulatorProvider({ card, extendedLength, reader: { mishandlesShortLeZero: true } });
  const myNumberCard = MyNumberCard.open(await provider.connect(provider.readerId));
  const instructions: string[] = [];
  const process = card.process.bind(card);
  card.process = async (command: Uint8Array) => {
    instructions.push(Buffer.from(command.subarray(0, 2)).toString('hex').toUpperCase());
    return process(command);
  };
  return { card, provider, myNumberCard, instructions };
}

describe('reader that mishandles Le = 00', () => {
  it('knows a short Le = 00 from its bytes (case 2 and case 4; not extended, not case 3)', () => {
    expect(asksShortLeZero(Uint8Array.of(0, 0xb0, 0x8a, 0, 0))).toBe(true);
    expect(asksShortLeZero(Uint8Array.of(0x80, 0x2a, 0, 0x97, 2, 0xaa, 0xbb, 0))).toBe(true);
    expect(asksShortLeZero(Uint8Array.of(0, 0xb0, 0x8a, 0, 0xff))).toBe(false);
    expect(asksShortLeZero(Uint8Array.of(0, 0xb0, 0x8a, 0, 0, 0, 0))).toBe(false);
    expect(asksShortLeZero(Uint8Array.of(0, 0xa4, 2, 0x0c, 2, 0, 0))).toBe(false);
  });

  it('raw: Le = 00 comes back as 90 00 alone; Le = FF and extended Le carry the data', async () => {
    const card = new VirtualMyNumberCard(profile().image);
    const provider = new SimulatorProvider({ card, reader: { mishandlesShortLeZero: true } });
    const transport = await provider.connect(provider.readerId);
    await transport.transmit(selectAid(AID.JPKI));
    const select = await transport.transmit(Uint8Array.of(0, 0xa4, 2, 0x0c, 2, 0, 0x0a));
    expect(Array.from(select)).toEqual([0x90, 0x00]);
    expect(Array.from(await transport.transmit(readBinary(0, 256)))).toEqual([0x90, 0x00]);
    expect((await transport.transmit(readBinary(0, 255))).length).toBe(257);
    expect((await transport.transmit(readBinary(0, 1000, true))).length).toBeGreaterThan(257);
    await provider.close();
  });

  it('extended link: the check completes in 6 APDUs (the signature asked again in extended form), one VERIFY', async () => {
    const { provider, myNumberCard, instructions } = await open(true);
    const result = await myNumberCard.check({ pin: profile().credentials.authPin, challenge });
    expect(result.signature.length).toBe(256);
    expect(result.apduCount).toBe(6);
    expect(instructions).toEqual(['00A4', '0020', '0020', '802A', '802A', '00B0']);
    expect(myNumberCard.linkFacts.leZeroMishandled).toBe(true);
    await myNumberCard.close();
    await provider.close();
  });

  it('short link, plastic card: certificates read in ≤ 255-byte chunks; signing is NOT_SUPPORTED, never short', async () => {
    const { provider, myNumberCard, instructions } = await open(false);
    const certificate = await myNumberCard.readCertificate('auth');
    expect(certificate.length).toBeGreaterThan(1000);
    expect(myNumberCard.linkFacts.leZeroMishandled).toBe(true);
    const error = await myNumberCard
      .check({ pin: profile().credentials.authPin, challenge })
      .catch((caught: unknown) => caught);
    expect(CardError.isInstance(error, 'NOT_SUPPORTED')).toBe(true);
    expect((error as CardError).remedy).toBe('reader.unsupported');
    // The reader's fault was known from the certificate read: the signature went out once, with
    // Le = FF, and the plastic card refused it (67 00); no VERIFY was repeated.
    expect(instructions.filter((ins) => ins === '0020')).toHaveLength(2);
    expect(instructions.filter((ins) => ins === '802A')).toHaveLength(1);
    await myNumberCard.close();
    await provider.close();
  });

  it('short link, T=0-style card: the signature completes through Le = FF and GET RESPONSE', async () => {
    const { provider, myNumberCard } = await open(false, { getResponse: {} });
    const result = await myNumberCard.check({ pin: profile().credentials.authPin, challenge });
    expect(result.signature.length).toBe(256);
    expect(myNumberCard.linkFacts.leZeroMishandled).toBe(true);
    await myNumberCard.close();
    await provider.close();
  });
});

describe('reader that mishandles Le = 00 and also refuses extended APDUs', () => {
  it('the signature falls back to short Le = FF; a plastic card refuses it: NOT_SUPPORTED, one VERIFY', async () => {
    const card = new VirtualMyNumberCard(profile().image);
    const provider = new SimulatorProvider({
      card,
      reader: { mishandlesShortLeZero: true, refusesExtended: true },
    });
    const myNumberCard = MyNumberCard.open(await provider.connect(provider.readerId));
    const error = await myNumberCard
      .check({ pin: profile().credentials.authPin, challenge })
      .catch((caught: unknown) => caught);
    expect(CardError.isInstance(error, 'NOT_SUPPORTED')).toBe(true);
    expect((error as CardError).details).toMatchObject({ reason: 'short-le-00', sw: '6700' });
    await myNumberCard.close();
    await provider.close();
  });
});
