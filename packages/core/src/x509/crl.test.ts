import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { derInteger, derNull, derSequence } from '../der/der-writer.js';
import { CardError } from '../transport/card-error.js';
import { parseCrl, parseCrlStream } from './crl.js';
import { jpkiRootName } from './jpki-profile.js';
import { OID } from './oids.js';
import {
  buildCrl,
  buildExtension,
  rsaTestKey,
  syntheticCrlEntries,
  syntheticSerial,
} from './testing/x509-test-builders.js';

const key = rsaTestKey('crl-issuer');
const issuer = jpkiRootName('sign');
const thisUpdate = new Date('2026-05-31T15:00:00Z');
const nextUpdate = new Date('2026-06-01T15:00:00Z');
const revocationDate = new Date('2026-05-01T00:00:00Z');

function small() {
  return buildCrl({
    issuer,
    issuerKey: key,
    thisUpdate,
    nextUpdate,
    entries: [
      { serial: 1n, revocationDate, reason: 1 },
      { serial: 0x80n, revocationDate, reason: 4 },
      { serial: 0x0a1b2c3dn, revocationDate },
    ],
  });
}

/** INTEGER content octets of a bigint. */
const serialOf = (value: bigint) => derInteger(value).subarray(2);

describe('parseCrl', () => {
  it('parses the header and looks entries up by serial', () => {
    const crl = parseCrl(small());
    expect(crl.version).toBe(2);
    expect(crl.issuer.toString()).toMatch(/OU=JPKI for digital signature/);
    expect(crl.thisUpdate.toISOString()).toBe(thisUpdate.toISOString());
    expect(crl.nextUpdate?.toISOString()).toBe(nextUpdate.toISOString());
    expect(crl.entryCount).toBe(3);
    expect(crl.lookup(serialOf(1n))).toMatchObject({ reason: 'keyCompromise', revocationDate });
    expect(crl.lookup(serialOf(0x80n))?.reason).toBe('superseded');
    expect(crl.lookup(serialOf(0x0a1b2c3dn))?.reason).toBeUndefined();
    expect(crl.has(serialOf(2n))).toBe(false);
    expect(crl.has(serialOf(0x8000n))).toBe(false);
    expect(crl.crlNumber).toEqual(Uint8Array.of(1));
    expect([...crl.entries()].map((entry) => entry.reason)).toEqual([
      'keyCompromise',
      'superseded',
      undefined,
    ]);
    expect(parseCrl(crl.toPem()).entryCount).toBe(3);
  });

  it('indexes a 20,000-entry synthetic CRL without losing or inventing serials', () => {
    const count = 20_000;
    const crl = parseCrl(
      buildCrl({
        issuer,
        issuerKey: key,
        thisUpdate,
        nextUpdate,
        encodedEntries: syntheticCrlEntries(count),
      }),
    );
    expect(crl.entryCount).toBe(count);
    for (let index = 0; index < count; index += 97)
      expect(crl.has(syntheticSerial(index)), String(index)).toBe(true);
    expect(crl.has(syntheticSerial(count))).toBe(false);
    expect(crl.has(syntheticSerial(count + 1000))).toBe(false);
    expect(crl.lookup(syntheticSerial(7))?.reason).toBe('keyCompromise'); // reason = index % 6
    // Index: 4 bytes of offset + ≤ 16 bytes of table per entry.
    expect(crl.indexByteLength).toBeLessThanOrEqual(count * 20);
  });

  it('accepts CRLs without entries, without nextUpdate and v1 CRLs', () => {
    expect(parseCrl(buildCrl({ issuer, issuerKey: key, thisUpdate })).entryCount).toBe(0);
    expect(parseCrl(buildCrl({ issuer, issuerKey: key, thisUpdate })).nextUpdate).toBeUndefined();
    expect(parseCrl(buildCrl({ issuer, issuerKey: key, thisUpdate, extensions: [] })).has(serialOf(1n))).toBe(
      false,
    );
  });

  it('flags unsupported critical entry extensions and unknown critical CRL extensions', () => {
    const entry = derSequence(
      derInteger(5),
      Uint8Array.of(0x17, 0x0d, ...new TextEncoder().encode('260501000000Z')),
      derSequence(buildExtension('1.2.3.4', derNull(), true)),
    );
    const crl = parseCrl(buildCrl({ issuer, issuerKey: key, thisUpdate, nextUpdate, encodedEntries: entry }));
    expect(crl.hasUnsupportedCriticalEntryExtension).toBe(true);
    const withUnknown = parseCrl(
      buildCrl({
        issuer,
        issuerKey: key,
        thisUpdate,
        extensions: [
          buildExtension(OID.crlNumber, derInteger(1)),
          buildExtension('1.2.3.5', derNull(), true),
        ],
      }),
    );
    expect(withUnknown.unknownCriticalExtensions).toEqual(['1.2.3.5']);
  });

  it.each([
    [
      'non-minimal serial',
      derSequence(
        Uint8Array.of(0x02, 0x02, 0x00, 0x01),
        Uint8Array.of(0x17, 0x0d, ...new TextEncoder().encode('260501000000Z')),
      ),
      'DER_MALFORMED',
    ],
    [
      'bad time',
      derSequence(derInteger(1), Uint8Array.of(0x17, 0x0d, ...new TextEncoder().encode('261301000000Z'))),
      'DER_MALFORMED',
    ],
    [
      'reason 7',
      derSequence(
        derInteger(1),
        Uint8Array.of(0x17, 0x0d, ...new TextEncoder().encode('260501000000Z')),
        derSequence(buildExtension(OID.reasonCode, Uint8Array.of(0x0a, 0x01, 0x07))),
      ),
      'X509_MALFORMED',
    ],
    ['entry without time', derSequence(derInteger(1)), 'DER_MALFORMED'],
  ])('rejects an entry with %s', (_name, entry, code) => {
    expect(() => parseCrl(buildCrl({ issuer, issuerKey: key, thisUpdate, encodedEntries: entry }))).toThrow(
      expect.objectContaining({ code }),
    );
  });

  it('enforces the size and entry caps', () => {
    const bytes = buildCrl({ issuer, issuerKey: key, thisUpdate, encodedEntries: syntheticCrlEntries(100) });
    expect(() => parseCrl(bytes, { maxEntries: 99 })).toThrow(/more than 99 entries/);
    expect(() => parseCrl(bytes, { maxSize: 1000 })).toThrow(
      expect.objectContaining({ code: 'X509_MALFORMED' }),
    );
    expect(() => parseCrl(bytes, { maxSize: -1 })).toThrow(RangeError);
    expect(() => parseCrl(5 as unknown as Uint8Array)).toThrow(TypeError);
  });

  it('property: mutated and truncated CRLs raise only typed errors', () => {
    const base = small();
    fc.assert(
      fc.property(
        fc.nat({ max: base.length - 1 }),
        fc.nat({ max: 255 }),
        fc.nat({ max: base.length }),
        (position, value, cut) => {
          const mutated = base.slice();
          mutated[position] = value;
          for (const input of [mutated, base.subarray(0, cut)]) {
            try {
              const crl = parseCrl(input);
              crl.decodeAll();
              for (const entry of crl.entries()) crl.lookup(entry.serialNumber);
            } catch (error) {
              expect(CardError.isInstance(error), String(error)).toBe(true);
              expect(['DER_TRUNCATED', 'DER_MALFORMED', 'X509_MALFORMED']).toContain(
                (error as CardError).code,
              );
            }
          }
        },
      ),
      { numRuns: 1500 },
    );
  });
});

function chunked(bytes: Uint8Array, sizes: readonly number[]): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let at = 0;
  for (let index = 0; at < bytes.length; index++) {
    const size = Math.max(1, sizes[index % sizes.length]!);
    chunks.push(bytes.slice(at, at + size));
    at += size;
  }
  return chunks;
}

async function* slowly(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) {
    await Promise.resolve();
    yield chunk;
  }
}

describe('parseCrlStream', () => {
  const big = buildCrl({
    issuer,
    issuerKey: key,
    thisUpdate,
    nextUpdate,
    encodedEntries: syntheticCrlEntries(5_000),
  });

  it('property: any chunking gives the same index as parseCrl', async () => {
    const whole = parseCrl(big);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 9_000 }), { minLength: 1, maxLength: 20 }),
        async (sizes) => {
          const streamed = await parseCrlStream(slowly(chunked(big, sizes)));
          expect(streamed.entryCount).toBe(whole.entryCount);
          for (const index of [0, 1, 2_499, 4_999]) expect(streamed.has(syntheticSerial(index))).toBe(true);
          expect(streamed.has(syntheticSerial(5_001))).toBe(false);
          expect(streamed.lookup(syntheticSerial(13))?.reason).toBe(
            whole.lookup(syntheticSerial(13))?.reason,
          );
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reads WHATWG ReadableStreams and small CRLs', async () => {
    const bytes = small();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const chunk of chunked(bytes, [1, 2, 3, 50])) controller.enqueue(chunk);
        controller.close();
      },
    });
    const crl = await parseCrlStream(stream);
    expect(crl.entryCount).toBe(3);
    expect(crl.lookup(serialOf(1n))?.reason).toBe('keyCompromise');
    expect((await parseCrlStream([buildCrl({ issuer, issuerKey: key, thisUpdate })])).entryCount).toBe(0);
  });

  it('checks the announced size before allocating, and rejects truncation and trailing data', async () => {
    await expect(parseCrlStream([big.subarray(0, 6)], { maxSize: 1000 })).rejects.toMatchObject({
      code: 'X509_MALFORMED',
    });
    await expect(parseCrlStream(chunked(big.subarray(0, big.length - 10), [4096]))).rejects.toMatchObject({
      code: 'DER_TRUNCATED',
    });
    await expect(parseCrlStream([big.subarray(0, 1)])).rejects.toMatchObject({ code: 'DER_TRUNCATED' });
    await expect(parseCrlStream([])).rejects.toMatchObject({ code: 'DER_TRUNCATED' });
    await expect(parseCrlStream([big, Uint8Array.of(0)])).rejects.toMatchObject({ code: 'DER_MALFORMED' });
    await expect(parseCrlStream([Uint8Array.of(0x31, 0x03, 0, 0, 0)])).rejects.toMatchObject({
      code: 'DER_MALFORMED',
    });
    const corrupted = big.slice();
    corrupted[big.length - 600] = 0xff; // inside an entry, seen while streaming
    await expect(parseCrlStream(chunked(corrupted, [1000]))).rejects.toSatisfy((error: unknown) =>
      CardError.isInstance(error),
    );
  });

  it('scans entries while the stream is still arriving', async () => {
    const corrupted = big.slice();
    const serial = syntheticSerial(100);
    let position = -1;
    for (let index = 0; index < corrupted.length && position < 0; index++)
      if (serial.every((byte, offset) => corrupted[index + offset] === byte)) position = index;
    corrupted[position - 4] = 0x31; // entry 100 becomes a SET
    async function* prefixThenFail() {
      yield corrupted.subarray(0, Math.floor(corrupted.length / 2));
      throw new Error('the rest of the stream was requested');
    }
    await expect(parseCrlStream(prefixThenFail())).rejects.toMatchObject({
      code: 'X509_MALFORMED',
      message: /revoked entry must be a SEQUENCE/,
    });
  });

  it('honours abort and asserts its arguments', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(parseCrlStream([big], { signal: controller.signal })).rejects.toThrow('stop');
    await expect(parseCrlStream(null as unknown as [])).rejects.toThrow(TypeError);
    await expect(parseCrlStream(['x' as unknown as Uint8Array])).rejects.toThrow(TypeError);
    await expect(parseCrlStream([big], { maxEntries: -1 })).rejects.toThrow(RangeError);
    await expect(parseCrlStream(chunked(big, [700]), { maxEntries: 10 })).rejects.toThrow(
      /more than 10 entries/,
    );
  });
});
