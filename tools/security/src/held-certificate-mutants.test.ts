/**
 * Held attacks, replayed (bounded): certificate and CRL mutants. Every mutant of a real JPKI-profile
 * auth certificate (from the simulator's test PKI) either parses or is refused with a typed error,
 * and the reception app's validator never calls a mutant valid; CRL mutants likewise. Mutations:
 * bit flips, byte overwrites with boundary values, truncation, length-byte edits, splices.
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { CardError } from '@kakunin/core/transport';
import { parseCertificate, parseCrl } from '@kakunin/core/x509';
import { createDeskCertificateValidator, createSimulatorDesk } from '@kakunin/reception';
import {
  createVirtualCard,
  defaultKeyCacheDirectory,
  SimulatorProvider,
  TestKeyStore,
} from '@kakunin/simulator';
import { buildCrl, TestPki } from '@kakunin/simulator/pki';
import { describe, expect, it } from 'vitest';

const CERTIFICATE_MUTANTS = 1_000;
const CRL_MUTANTS = 300;

/** Deterministic xorshift32, so a failure replays. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

function mutate(bytes: Uint8Array, next: () => number): Uint8Array {
  const copy = bytes.slice();
  const at = Math.floor(next() * copy.length);
  switch (Math.floor(next() * 5)) {
    case 0:
      copy[at] = copy[at]! ^ (1 << Math.floor(next() * 8));
      return copy;
    case 1:
      copy[at] = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xff][Math.floor(next() * 7)]!;
      return copy;
    case 2:
      return copy.slice(0, at);
    case 3: {
      // a length byte of a TLV near the start grows or shrinks
      const index = 1 + Math.floor(next() * Math.min(64, copy.length - 1));
      copy[index] = (copy[index]! + (next() < 0.5 ? 1 : -1)) & 0xff;
      return copy;
    }
    default: {
      const from = Math.floor(next() * copy.length);
      const length = Math.floor(next() * 64);
      const spliced = new Uint8Array(copy.length + length);
      spliced.set(copy.subarray(0, at));
      spliced.set(copy.subarray(from, from + length), at);
      spliced.set(copy.subarray(at), at + length);
      return spliced;
    }
  }
}

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });

describe('held: certificate and CRL mutants', () => {
  it(`${CERTIFICATE_MUTANTS} certificate mutants: typed errors only, never valid`, async () => {
    const provider = new SimulatorProvider({ card: createVirtualCard('plastic', { keyStore }) });
    const card = MyNumberCard.open(await provider.connect(provider.readerId));
    const certificate = await card.readCertificate('auth');
    await card.close();
    await provider.close();
    const desk = createSimulatorDesk();
    const validator = createDeskCertificateValidator(desk);
    const next = random(15);
    const outcomes = { parsed: 0, refused: 0, valid: 0 };
    try {
      for (let index = 0; index < CERTIFICATE_MUTANTS; index++) {
        const mutant = mutate(certificate, next);
        if (mutant.length === certificate.length && mutant.every((byte, i) => byte === certificate[i]))
          continue;
        try {
          parseCertificate(mutant);
          outcomes.parsed++;
        } catch (error) {
          expect(CardError.isInstance(error), String(error)).toBe(true);
          outcomes.refused++;
        }
        if (index % 10 === 0) {
          const report = await validator.validate(mutant, { at: new Date(), purpose: 'auth' });
          if (report.valid) outcomes.valid++;
        }
      }
    } finally {
      await desk.close();
    }
    expect(outcomes.valid).toBe(0);
    expect(outcomes.refused).toBeGreaterThan(CERTIFICATE_MUTANTS / 2);
  });

  it(`${CRL_MUTANTS} CRL mutants: typed errors only`, () => {
    const pki = new TestPki({ seed: 'kakunin', keyStore });
    const now = new Date();
    const crl = buildCrl({
      issuer: pki.authCa,
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + 86_400_000),
      entries: [],
      crlNumber: 7,
    });
    expect(() => parseCrl(crl)).not.toThrow();
    const next = random(1015);
    let refused = 0;
    for (let index = 0; index < CRL_MUTANTS; index++) {
      try {
        parseCrl(mutate(crl, next));
      } catch (error) {
        expect(CardError.isInstance(error), String(error)).toBe(true);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(CRL_MUTANTS / 3);
  });
});
