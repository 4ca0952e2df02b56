/**
 * Property-based tests (fast-check) for every parser the fuzzers drive: arbitrary bytes give a
 * typed CardError or an answer; generated valid structures survive encode → decode exactly.
 */

import {
  DerCursor,
  derInteger,
  derOctetString,
  derOid,
  derSequence,
  TAG_INTEGER,
  validateDer,
} from '@kakunin/core/der';
import {
  decodeCommand,
  encodeCommand,
  parseResponse,
  parseTlvHeader,
  TlvCursor,
} from '@kakunin/core/iso7816';
import { CardError } from '@kakunin/core/transport';
import { parseCertificate, parseCrl } from '@kakunin/core/x509';
import {
  decodeMessage as decodeBridgeMessage,
  decodeFrame,
  encodeMessage as encodeBridgeMessage,
} from '@kakunin/transport-nfc-bridge/protocol';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReassembler } from '../../../../packages/transport-ble/src/acr1255/frame.js';
import {
  decodeMessage as decodeAcrMessage,
  encodeMessage as encodeAcrMessage,
} from '../../../../packages/transport-ble/src/acr1255/message.js';
import { repositoryRoot } from '../support/repository.js';
import { pkiSeeds } from './seeds/pki-objects.js';

const RUNS = 300;

/** Runs `parse`; only a CardError may come out. */
function typedOnly(parse: () => unknown): void {
  try {
    parse();
  } catch (error) {
    if (!CardError.isInstance(error)) throw error;
  }
}

const bytes = (max = 600) => fc.uint8Array({ maxLength: max });

describe('APDU codec', () => {
  it('decodeCommand(any bytes) → typed error or a command that re-encodes exactly', () => {
    fc.assert(
      fc.property(bytes(), (input) => {
        let decoded: ReturnType<typeof decodeCommand>;
        try {
          decoded = decodeCommand(input);
        } catch (error) {
          expect(CardError.isInstance(error, 'APDU_MALFORMED')).toBe(true);
          return;
        }
        const again = encodeCommand(
          {
            cla: decoded.cla,
            ins: decoded.ins,
            p1: decoded.p1,
            p2: decoded.p2,
            ...(decoded.data.length > 0 ? { data: decoded.data } : {}),
            ...(decoded.le === undefined ? {} : { le: decoded.le }),
          },
          { extended: decoded.extended },
        );
        expect([...again]).toEqual([...input]);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it('encodeCommand → decodeCommand gives the command back (all seven cases, both forms)', () => {
    const byte = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(
        byte,
        byte,
        byte,
        byte,
        fc.uint8Array({ maxLength: 300 }),
        fc.option(fc.integer({ min: 1, max: 65_536 }), { nil: undefined }),
        fc.boolean(),
        (cla, ins, p1, p2, data, le, preferExtended) => {
          const needsExtended = data.length > 255 || (le !== undefined && le > 256);
          const extended = preferExtended || needsExtended;
          const command = encodeCommand(
            { cla, ins, p1, p2, ...(data.length > 0 ? { data } : {}), ...(le === undefined ? {} : { le }) },
            { extended },
          );
          const decoded = decodeCommand(command);
          expect([decoded.cla, decoded.ins, decoded.p1, decoded.p2]).toEqual([cla, ins, p1, p2]);
          expect([...decoded.data]).toEqual([...data]);
          expect(decoded.le).toBe(le);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('parseResponse splits any ≥ 2 bytes into data ‖ SW and rejects shorter ones with a typed error', () => {
    fc.assert(
      fc.property(bytes(300), (input) => {
        if (input.length < 2) {
          expect(() => parseResponse(input)).toThrow(expect.objectContaining({ code: 'RESPONSE_MALFORMED' }));
          return;
        }
        const response = parseResponse(input);
        expect(response.data.length + 2).toBe(input.length);
        expect(response.sw).toBe((input[input.length - 2]! << 8) | input[input.length - 1]!);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('BER-TLV', () => {
  it('TlvCursor and parseTlvHeader on any bytes: typed errors only, objects inside their parent', () => {
    fc.assert(
      fc.property(bytes(), fc.boolean(), (input, filler) => {
        typedOnly(() => {
          const cursor = new TlvCursor(input, 0, input.length, { filler });
          let last = -1;
          while (cursor.next()) {
            expect(cursor.tagOffset).toBeGreaterThan(last);
            expect(cursor.valueEnd).toBeLessThanOrEqual(input.length);
            last = cursor.tagOffset;
          }
        });
        typedOnly(() => parseTlvHeader(input));
      }),
      { numRuns: RUNS },
    );
  });

  it('a generated tag ‖ length ‖ value parses back to the same tag and value', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(0x5f, 0x7f, 0xdf, 0xff),
        fc.integer({ min: 0x01, max: 0x7f }),
        fc.uint8Array({ maxLength: 70_000 }),
        (first, second, value) => {
          const length = value.length;
          const lengthBytes =
            length < 0x80
              ? [length]
              : length < 0x100
                ? [0x81, length]
                : length < 0x10000
                  ? [0x82, length >> 8, length & 0xff]
                  : [0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
          const encoded = Uint8Array.from([first, second, ...lengthBytes, ...value]);
          const cursor = new TlvCursor(encoded);
          expect(cursor.next()).toBe(true);
          expect(cursor.tag).toBe(first * 256 + second);
          expect(cursor.length).toBe(length);
          expect(parseTlvHeader(encoded).totalLength).toBe(encoded.length);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('DER', () => {
  it('validateDer and DerCursor on any bytes: typed errors only', () => {
    fc.assert(
      fc.property(bytes(), (input) => {
        typedOnly(() => validateDer(input));
        typedOnly(() => {
          const cursor = new DerCursor(input);
          while (cursor.next()) if (cursor.tag === TAG_INTEGER) cursor.integer();
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('INTEGER and OID written by the DER writer read back identically', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(1n << 600n), max: 1n << 600n }),
        fc.array(fc.bigInt({ min: 0n, max: 1n << 70n }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 39 }),
        (integer, arcs, first, second) => {
          const oid = [first, second, ...arcs].join('.');
          const der = derSequence(derInteger(integer), derOid(oid), derOctetString(new Uint8Array(3)));
          expect(validateDer(der)).toBe(4);
          const cursor = new DerCursor(der);
          cursor.read(0x30).enter();
          expect(cursor.read(TAG_INTEGER).integer()).toBe(integer);
          expect(cursor.read(0x06).oid()).toBe(oid);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('certificates and CRLs', async () => {
  const { certificates, crls } = await pkiSeeds(repositoryRoot());
  const mutated = (list: readonly Uint8Array[]) =>
    fc
      .tuple(
        fc.constantFrom(...list),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
      )
      .map(([seed, edits, cut]) => {
        const out = seed.slice(0, seed.length - (cut % 8));
        for (const [at, value] of edits) if (out.length > 0) out[at % out.length] = value;
        return out;
      });

  it('parseCertificate(mutated real certificates) → typed errors only', () => {
    fc.assert(
      fc.property(mutated(certificates), (input) => typedOnly(() => parseCertificate(input).decodeAll())),
      { numRuns: RUNS },
    );
  });

  it('parseCrl(mutated CRLs) → typed errors only, and every entry is found by the index', () => {
    fc.assert(
      fc.property(mutated(crls), (input) =>
        typedOnly(() => {
          const crl = parseCrl(input);
          for (const entry of crl.entries()) expect(crl.has(entry.serialNumber)).toBe(true);
        }),
      ),
      { numRuns: RUNS },
    );
  });
});

describe('BLE reader frames (ACR1255U-J1)', () => {
  it('a framed data block survives any cutting into notification pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 64 }), (dataBlock, piece) => {
        const frame = encodeFrame(dataBlock);
        const reassembler = new FrameReassembler();
        const events = [];
        for (let offset = 0; offset < frame.length; offset += piece)
          events.push(...reassembler.push(frame.subarray(offset, offset + piece)));
        expect(events).toHaveLength(1);
        expect(events[0]!.kind).toBe('frame');
        expect([...(events[0] as { dataBlock: Uint8Array }).dataBlock]).toEqual([...dataBlock]);
        expect(reassembler.pending).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('any notification bytes: reassembler events only, inner decoder typed errors only', () => {
    fc.assert(
      fc.property(bytes(1000), (stream) => {
        const reassembler = new FrameReassembler();
        for (const event of reassembler.push(stream))
          if (event.kind === 'frame') typedOnly(() => decodeAcrMessage(event.dataBlock));
        typedOnly(() => decodeAcrMessage(stream));
      }),
      { numRuns: RUNS },
    );
  });

  it('inner messages round-trip', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.integer({ min: 0, max: 255 }),
        fc.uint8Array({ maxLength: 600 }),
        (type, sequence, parameter, data) => {
          const decoded = decodeAcrMessage(encodeAcrMessage({ type, sequence, parameter, data }));
          expect([decoded.type, decoded.sequence, decoded.parameter]).toEqual([type, sequence, parameter]);
          expect([...decoded.data]).toEqual([...data]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('NFC bridge frames', () => {
  it('decodeFrame and decodeMessage on any bytes: typed errors only', () => {
    fc.assert(
      fc.property(bytes(), (input) => {
        typedOnly(() => decodeFrame(input));
        typedOnly(() => decodeBridgeMessage(input));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('APDU messages round-trip', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat({ max: 600_000 }),
        fc.uint8Array({ minLength: 4, maxLength: 300 }),
        (requestId, timeoutMs, command) => {
          const decoded = decodeBridgeMessage(
            encodeBridgeMessage({ type: 'apdu', requestId, timeoutMs, command }),
          );
          expect(decoded).toMatchObject({ type: 'apdu', requestId, timeoutMs });
          expect([...(decoded as { command: Uint8Array }).command]).toEqual([...command]);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
