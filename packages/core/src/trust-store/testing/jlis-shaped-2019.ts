/**
 * Test support (not exported): stand-ins for J-LIS's 2019-generation roots — right name, serial
 * and validity (J-LIS: auth 0133C349, sign 0132C4AB, 2019-09-14 to 2029-09-14), our own key, so
 * the fingerprint is ours. Used to exercise adding a root without the real 2019 files.
 *
 * @example
 * ```ts
 * const root = jLisShaped2019Root('sign');
 * ```
 */
import type { JpkiPurpose } from '../../x509/index.js';
import { jpkiRootCertificate } from '../../x509/testing/jpki-fixtures.js';
import { rsaTestKey } from '../../x509/testing/x509-test-builders.js';

/** 2019-generation serials (J-LIS). */
const SERIAL_2019: Readonly<Record<JpkiPurpose, bigint>> = { auth: 0x0133c349n, sign: 0x0132c4abn };

/** A self-signed root shaped like J-LIS's 2019 root of `purpose`. */
export function jLisShaped2019Root(purpose: JpkiPurpose): Uint8Array {
  return jpkiRootCertificate(purpose, rsaTestKey(`jlis-2019-${purpose}`), {
    serial: SERIAL_2019[purpose],
    notBefore: new Date('2019-09-14T02:00:00Z'),
    notAfter: new Date('2029-09-14T14:59:59Z'),
  });
}
