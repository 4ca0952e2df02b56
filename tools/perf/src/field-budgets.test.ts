/**
 * APDU budgets (PIN-mode check, APDUs counted at the card, first contact) on cards that behave
 * like the field: a 224-byte response cap answered `6C E0`, T=0-style `61 xx` on every answer with
 * data, GET RESPONSE refused in a proprietary class. Counts are exact: each budget is the fixed
 * part of the flow plus the chunks the certificate needs at the card's cap, plus one `6C xx` to
 * learn the cap, plus (61xx cards) the GET RESPONSEs the card forces — nothing more.
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { defaultKeyCacheDirectory, SimulatorProvider, TestKeyStore } from '@kakunin/simulator';
import { describe, expect, it } from 'vitest';
import { describeLog } from './apdu-tally.js';
import { linkMode } from './link-modes.js';
import { countCheck, createCountedCard, runSimulatedCheck } from './simulated-check.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
/** INS GET RESPONSE (ISO 7816-4 §11.5.3). */
const INS_GET_RESPONSE = 0xc0;
/** INS READ BINARY. */
const INS_READ_BINARY = 0xb0;
/** The 224-byte cap of the independent emulator seen behind a relay. */
const CAP = 224;

/** Fixed APDUs of the PIN-mode check by SFI: SELECT AP, counter query, VERIFY, sign. */
const FIXED_SFI = 4;
/**
 * Without SFI: SELECT AP, refused SFI counter probe, SELECT PIN EF, counter query, VERIFY,
 * SELECT key EF, sign, SELECT certificate EF.
 */
const FIXED_NO_SFI = 8;

function reads(log: ReturnType<typeof runSimulatedCheck> extends Promise<infer R> ? R : never) {
  return log.counter.log.filter((entry) => entry.ins === INS_READ_BINARY);
}

describe('APDU budgets on field-like cards (in process)', () => {
  it('extended-capable, SFI: 5 APDUs', async () => {
    const run = await runSimulatedCheck(linkMode('extended'), { keyStore });
    expect(run.tally.apdus, describeLog(run.counter.log).join('\n')).toBe(5);
  });

  it('short-only, SFI, 256-byte buffer: ≤ 10 APDUs (4 + ⌈certificate / 256⌉)', async () => {
    const run = await runSimulatedCheck(linkMode('short-link'), { keyStore });
    const chunks = Math.ceil(run.result.certificate.length / 256);
    expect(run.tally.apdus, describeLog(run.counter.log).join('\n')).toBe(FIXED_SFI + chunks);
    expect(run.tally.apdus).toBeLessThanOrEqual(10);
  });

  it('short-only, SFI, 224-byte cap: one 6C E0 teaches the cap, every later chunk asks 224', async () => {
    const run = await runSimulatedCheck(linkMode('short-link'), { keyStore, quirks: { responseCap: CAP } });
    const log = describeLog(run.counter.log).join('\n');
    const chunks = Math.ceil(run.result.certificate.length / CAP);
    expect(run.tally.apdus, log).toBe(FIXED_SFI + 1 + chunks);
    const wrongLe = run.counter.log.filter((entry) => entry.sw === 0x6ce0);
    expect(wrongLe, log).toHaveLength(1);
    // Every READ BINARY after the first asks at most the cap.
    for (const entry of reads(run).slice(1)) expect(entry.responseLength - 2).toBeLessThanOrEqual(CAP);
    expect(run.result.apduCount).toBe(run.tally.apdus);
  });

  it('short-only, no SFI, 224-byte cap: the fixed part + one 6C E0 + ⌈certificate / 224⌉', async () => {
    const mode = { ...linkMode('refuses-fast-paths'), linkExtended: false };
    const run = await runSimulatedCheck(mode, { keyStore, quirks: { responseCap: CAP } });
    const log = describeLog(run.counter.log).join('\n');
    const chunks = Math.ceil(run.result.certificate.length / CAP);
    expect(run.tally.apdus, log).toBe(FIXED_NO_SFI + 1 + chunks);
    expect(
      run.counter.log.filter((entry) => entry.sw === 0x6ce0),
      log,
    ).toHaveLength(1);
  });

  // The 224-cap budgets (≤ 10 with SFI, ≤ 13 without) assume a certificate of at most five
  // 224-byte chunks; the default simulated one is 1,391 bytes (7 chunks). Real sizes: simulator
  // README "Certificate sizes". The formula holds exactly at every size.
  for (const length of [1120, 1391, 1500]) {
    it(`224-byte cap, auth certificate of ${length} bytes: fixed steps + 1 + ⌈${length} / 224⌉, SFI and not`, async () => {
      const chunks = Math.ceil(length / CAP);
      const sfi = await runSimulatedCheck(linkMode('short-link'), {
        keyStore,
        quirks: { responseCap: CAP },
        authCertificateLength: length,
      });
      expect(sfi.result.certificate).toHaveLength(length);
      expect(sfi.tally.apdus, describeLog(sfi.counter.log).join('\n')).toBe(FIXED_SFI + 1 + chunks);
      const noSfi = await runSimulatedCheck(
        { ...linkMode('refuses-fast-paths'), linkExtended: false },
        { keyStore, quirks: { responseCap: CAP }, authCertificateLength: length },
      );
      expect(noSfi.tally.apdus, describeLog(noSfi.counter.log).join('\n')).toBe(FIXED_NO_SFI + 1 + chunks);
      if (length <= 5 * CAP) expect(sfi.tally.apdus).toBeLessThanOrEqual(10);
    });
  }

  it('no SFI, 224-byte cap, 1,120-byte certificate: 14 on first contact (one SFI probe), 11 once the card is known', async () => {
    // The "≤ 13" counts 7 fixed steps; first contact spends one refused SFI probe (6A 86) to
    // learn the card (issue 10 allows ≤ 2), and the 6C E0 that teaches the cap. Both are learned for
    // the life of the connection, and the AP stays selected: the next check costs 6 + ⌈1120 / 224⌉.
    const counter = createCountedCard(
      { ...linkMode('refuses-fast-paths'), linkExtended: false },
      { keyStore, quirks: { responseCap: CAP }, authCertificateLength: 1120 },
    );
    await using provider = new SimulatorProvider({ card: counter, extendedLength: false });
    const card = MyNumberCard.open(await provider.connect(provider.readerId));
    try {
      const first = await countCheck(card, counter);
      expect(first.tally.apdus, describeLog(counter.log).join('\n')).toBe(FIXED_NO_SFI + 1 + 5);
      expect(first.tally.wastedProbes).toBe(2);
      const second = await countCheck(card, counter);
      expect(second.tally.apdus, describeLog(counter.log).join('\n')).toBe(FIXED_NO_SFI - 2 + 5);
      expect(second.tally.wastedProbes).toBe(0);
      expect(second.tally.apdus).toBeLessThanOrEqual(13);
    } finally {
      await card.close();
    }
  });

  for (const piece of [256, 100]) {
    it(`61xx in pieces of ${piece}: the same flows + exactly the GET RESPONSEs the card forces`, async () => {
      for (const name of ['extended', 'short-link'] as const) {
        const plain = await runSimulatedCheck(linkMode(name), { keyStore });
        const run = await runSimulatedCheck(linkMode(name), {
          keyStore,
          quirks: { getResponse: { piece } },
        });
        const log = describeLog(run.counter.log).join('\n');
        const forced = run.counter.log.filter((entry) => entry.ins === INS_GET_RESPONSE);
        // Each answer with data of n bytes costs ⌈n / piece⌉ GET RESPONSEs.
        const expected = plain.counter.log.reduce(
          (sum, entry) => sum + Math.ceil((entry.responseLength - 2) / piece),
          0,
        );
        expect(forced.length, log).toBe(expected);
        expect(run.tally.apdus, log).toBe(plain.tally.apdus + expected);
        // GET RESPONSE always in the interindustry class, even after the CLA 80 signature.
        for (const entry of forced) expect(entry.cla).toBe(0x00);
        expect(run.result.signature.length).toBe(256);
        expect(run.result.certificate).toEqual(plain.result.certificate);
      }
    });
  }

  it('61xx card that refuses GET RESPONSE in a proprietary class (6E 00): the signature still comes', async () => {
    const run = await runSimulatedCheck(linkMode('short-link'), {
      keyStore,
      quirks: { getResponse: { proprietaryClassSw: 0x6e00 } },
    });
    expect(run.result.signature.length).toBe(256);
    expect(run.counter.log.some((entry) => entry.sw === 0x6e00 || entry.sw === 0x6d00)).toBe(false);
  });
});
