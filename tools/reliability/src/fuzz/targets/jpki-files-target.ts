/**
 * Fuzz target: the parsers of what the card-info and card-face applications return
 * (`parseMyNumber`, `parseBasicFour`, `parseCvCertificate`, `verifyIntegrity`, `parseCardFace`;
 * jpki-card.md §4–5). Input byte 0 picks the parser (modulo 6); mode 5 parses the input as the CV
 * certificate and verifies the real integrity record with its key (hostile keys: zero or huge
 * moduli and exponents). Oracles: returned fields are within their documented sets and formats
 * (sex is one of the four codes, dates are 8 digits, the number is 12 digits).
 *
 * @example
 * ```ts
 * jpkiFilesTarget.execute(Uint8Array.of(1, ...basicFourFile));
 * ```
 */
import {
  parseBasicFour,
  parseCardFace,
  parseCvCertificate,
  parseMyNumber,
  verifyIntegrity,
} from '@kakunin/core/jpki';
import { bucket, type FuzzTarget, oracle } from '../fuzz-target.js';
import { cardFiles } from '../seeds/card-files.js';

const SEXES: ReadonlySet<unknown> = new Set(['male', 'female', 'not-applicable', 'unknown']);

export const jpkiFilesTarget: FuzzTarget = {
  name: 'jpki-files',
  description:
    'parseMyNumber, parseBasicFour, parseCvCertificate, verifyIntegrity, parseCardFace (@kakunin/core/jpki)',
  prefixLength: 1,
  maxInputLength: 40_000,
  seeds: async () => {
    const files = await cardFiles();
    return [
      Uint8Array.of(0, ...files.myNumber),
      Uint8Array.of(1, ...files.basicFour),
      Uint8Array.of(2, ...files.cvCertificate),
      Uint8Array.of(3, ...files.cardFace),
      Uint8Array.of(4, ...files.integrity),
      Uint8Array.of(5, ...files.cvCertificate),
    ];
  },
  async execute(input) {
    if (input.length === 0) return 'empty';
    const file = input.subarray(1);
    const files = await cardFiles();
    switch (input[0]! % 6) {
      case 0: {
        const number = parseMyNumber(file);
        oracle(/^[0-9]{12}$/.test(number), 'my number is not 12 digits');
        return 'number';
      }
      case 1: {
        const basic = parseBasicFour(file);
        oracle(
          SEXES.has(basic.sex),
          `basic four sex is ${typeof basic.sex} ${String(basic.sex).slice(0, 40)}`,
        );
        oracle(/^[0-9]{8}$/.test(basic.birthDate), 'birth date is not 8 digits');
        oracle(
          typeof basic.name === 'string' && typeof basic.address === 'string',
          'name/address not strings',
        );
        return `basic:${basic.sex}:${bucket(basic.name.length)}`;
      }
      case 2: {
        const cv = parseCvCertificate(file);
        return `cv:${bucket(cv.publicKey.size)}:${bucket(cv.signature.length)}`;
      }
      case 3: {
        const face = parseCardFace(file);
        oracle(SEXES.has(face.sex), `card face sex is ${typeof face.sex} ${String(face.sex).slice(0, 40)}`);
        return `face:${face.sex}:${face.expiry === undefined}`;
      }
      case 4: {
        const result = verifyIntegrity(file, parseCvCertificate(files.cvCertificate), {
          myNumberFile: files.myNumber,
          basicFourFile: files.basicFour,
        });
        return `integrity:${result.valid}:${result.signatureValid}`;
      }
      default: {
        const result = verifyIntegrity(files.integrity, parseCvCertificate(file), {
          myNumberFile: files.myNumber,
          basicFourFile: files.basicFour,
        });
        return `key:${result.signatureValid}`;
      }
    }
  },
};
