/**
 * APDU-count assertions for the PIN-mode check against the real simulator card, in process
 * (counts, never timings). Each count is taken twice, independently: at the card
 * (CountingCardEndpoint) and by the SDK (`result.apduCount`).
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { bytesToHex } from '@kakunin/core/transport';
import { defaultKeyCacheDirectory, SimulatorProvider, TestKeyStore } from '@kakunin/simulator';
import { describe, expect, it } from 'vitest';
import { describeLog } from './apdu-tally.js';
import { FAST_PATH_REFUSALS, usesShortFileIdentifier } from './fast-path-refusals.js';
import {
  LINK_MODES,
  linkMode,
  TARGET_EXTENDED_APDUS,
  TARGET_SHORT_APDUS,
  TARGET_WASTED_PROBES,
} from './link-modes.js';
import { countCheck, createCountedCard, runSimulatedCheck } from './simulated-check.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });

/** A DER certificate's length from its header (30 82 hi lo). */
function derLength(certificate: Uint8Array): number {
  expect(certificate[0]).toBe(0x30);
  expect(certificate[1]).toBe(0x82);
  return 4 + ((certificate[2]! << 8) | certificate[3]!);
}

describe('PIN-mode check against the simulator card (in process)', () => {
  it(`extended-capable link: exactly ${TARGET_EXTENDED_APDUS} APDUs, one extended READ BINARY, no probe wasted`, async () => {
    const { result, tally, counter } = await runSimulatedCheck(linkMode('extended'), { keyStore });
    const log = describeLog(counter.log).join('\n');
    expect(tally.apdus, log).toBe(TARGET_EXTENDED_APDUS);
    expect(result.apduCount).toBe(tally.apdus);
    expect(tally.wastedProbes, log).toBe(0);
    expect(tally.extendedApdus, log).toBe(1);
    // The certificate came whole, in one response, and matches its own DER header.
    expect(result.certificate.length).toBe(derLength(result.certificate));
    expect(result.signature.length).toBe(256);
    // Bytes on the wire: the certificate and the signature dominate; the rest is headers.
    expect(tally.responseBytes).toBeGreaterThanOrEqual(result.certificate.length + 256);
    expect(tally.responseBytes).toBeLessThanOrEqual(result.certificate.length + 256 + 5 * 2);
  });

  it(`short-only link: at most ${TARGET_SHORT_APDUS} APDUs, exact-length chunks, no extended APDU, no probe wasted`, async () => {
    const { result, tally, counter } = await runSimulatedCheck(linkMode('short-link'), { keyStore });
    const log = describeLog(counter.log).join('\n');
    const chunks = Math.ceil(result.certificate.length / 256);
    expect(tally.apdus, log).toBe(4 + chunks);
    expect(tally.apdus, log).toBeLessThanOrEqual(TARGET_SHORT_APDUS);
    expect(result.apduCount).toBe(tally.apdus);
    expect(tally.extendedApdus).toBe(0);
    expect(tally.wastedProbes, log).toBe(0);
    // Exact-length last chunk: not one byte read past the certificate.
    const reads = counter.log.filter((entry) => entry.ins === 0xb0);
    const received = reads.reduce((sum, entry) => sum + entry.responseLength - 2, 0);
    expect(received).toBe(result.certificate.length);
  });

  it('card without extended length on an extended-capable link: one wasted probe, then short chunks', async () => {
    const { result, tally, counter } = await runSimulatedCheck(linkMode('short-card'), { keyStore });
    const log = describeLog(counter.log).join('\n');
    expect(tally.wastedProbes, log).toBe(1);
    expect(tally.apdus, log).toBe(5 + Math.ceil(result.certificate.length / 256));
    expect(tally.apdus).toBeLessThanOrEqual(TARGET_SHORT_APDUS + 1);
    expect(result.apduCount).toBe(tally.apdus);
  });

  it(`card refusing every fast path (6A86 to SFI, 6700 to extended Le): at most ${TARGET_WASTED_PROBES} wasted probes`, async () => {
    const mode = linkMode('refuses-fast-paths');
    const counter = createCountedCard(mode, { keyStore });
    const provider = new SimulatorProvider({ card: counter, extendedLength: true });
    const card = MyNumberCard.open(await provider.connect(provider.readerId));
    try {
      const first = await countCheck(card, counter);
      const log = describeLog(counter.log).join('\n');
      expect(first.tally.wastedProbes, log).toBeLessThanOrEqual(TARGET_WASTED_PROBES);
      expect(first.tally.wastedProbes, log).toBe(2); // one SFI probe, one extended probe
      expect(first.result.apduCount).toBe(first.tally.apdus);
      // The refusals really happened: the SFI and extended forms were each tried once.
      const refusedForms = counter.log.filter((entry) => entry.sw === 0x6a86 || entry.sw === 0x6700);
      expect(refusedForms).toHaveLength(2);
      expect(card.linkFacts).toEqual({ sfi: false, extendedRead: false });
      // Slow path, but complete: SELECT EF + offset reads in exact chunks.
      expect(first.tally.apdus, log).toBe(9 + Math.ceil(first.result.certificate.length / 256));

      // The card's answers are remembered: the next check on this card probes nothing.
      const second = await countCheck(card, counter);
      expect(second.tally.wastedProbes, describeLog(counter.log).join('\n')).toBe(0);
      expect(second.tally.apdus).toBeLessThan(first.tally.apdus);
      expect(bytesToHex(second.result.certificate)).toBe(bytesToHex(first.result.certificate));
    } finally {
      await card.close();
      await provider.close();
    }
  });

  it('the fault plan refuses exactly the SFI and extended forms', () => {
    expect(FAST_PATH_REFUSALS).toHaveLength(2);
    expect(usesShortFileIdentifier(Uint8Array.of(0x00, 0xb0, 0x8a, 0x00, 0x00))).toBe(true);
    expect(usesShortFileIdentifier(Uint8Array.of(0x00, 0xb0, 0x01, 0x00, 0x00))).toBe(false);
    expect(usesShortFileIdentifier(Uint8Array.of(0x80, 0x2a, 0x00, 0x97))).toBe(true);
    expect(usesShortFileIdentifier(Uint8Array.of(0x80, 0x2a, 0x00, 0x80))).toBe(false);
    expect(usesShortFileIdentifier(Uint8Array.of(0x00, 0x20, 0x00, 0x98))).toBe(true);
    expect(usesShortFileIdentifier(Uint8Array.of(0x00, 0x20, 0x00, 0x80))).toBe(false);
    expect(usesShortFileIdentifier(Uint8Array.of(0x00, 0xa4, 0x02, 0x0c))).toBe(false);
  });

  it('every mode meets its target, and the same certificate and a verifiable-length signature come back', async () => {
    const certificates = new Set<string>();
    for (const mode of LINK_MODES) {
      const { result, tally, counter } = await runSimulatedCheck(mode, { keyStore });
      const log = `${mode.name}\n${describeLog(counter.log).join('\n')}`;
      if (mode.maxApdus !== undefined) expect(tally.apdus, log).toBeLessThanOrEqual(mode.maxApdus);
      expect(tally.wastedProbes, log).toBeLessThanOrEqual(mode.maxWastedProbes);
      certificates.add(bytesToHex(result.certificate));
    }
    expect(certificates.size).toBe(1);
  });

  it('visual mode (certificate only): 2 APDUs extended, 1 + chunks short', async () => {
    for (const name of ['extended', 'short-link'] as const) {
      const mode = linkMode(name);
      const counter = createCountedCard(mode, { keyStore });
      const provider = new SimulatorProvider({ card: counter, extendedLength: mode.linkExtended });
      const card = MyNumberCard.open(await provider.connect(provider.readerId));
      try {
        const { certificate, apduCount } = await card.visualCheck();
        const tally = counter.tally();
        expect(apduCount).toBe(tally.apdus);
        expect(tally.apdus, describeLog(counter.log).join('\n')).toBe(
          name === 'extended' ? 2 : 1 + Math.ceil(certificate.length / 256),
        );
        expect(tally.wastedProbes).toBe(0);
      } finally {
        await card.close();
        await provider.close();
      }
    }
  });
});
