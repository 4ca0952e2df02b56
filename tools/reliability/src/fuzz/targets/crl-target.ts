/**
 * Fuzz target: certificate revocation lists and their serial index (`parseCrl`, `lookup`, `has`,
 * `entries`, `decodeAll`; RFC 5280 §5). Oracles: every entry the iterator yields is found by
 * `has()` and `lookup()` with the same serial, and the entry count matches the iterator — an
 * index that silently misses a revoked serial would report a revoked card as good.
 *
 * @example
 * ```ts
 * crlTarget.execute(crlDer);
 * ```
 */
import { parseCrl } from '@kakunin/core/x509';
import { bucket, type FuzzTarget, guard, oracle, sameBytes } from '../fuzz-target.js';
import { pkiSeeds } from '../seeds/pki-objects.js';

/** Serials that should not be found in seeds (lookups of absent serials must terminate). */
const ABSENT = [Uint8Array.of(0x7f, 0x7e, 0x7d), new Uint8Array(0), new Uint8Array(130).fill(0x11)];

export const crlTarget: FuzzTarget = {
  name: 'crl',
  description: 'parseCrl + serial index (lookup/has/entries) + decodeAll (@kakunin/core/x509)',
  maxInputLength: 65_536,
  seeds: async (context) => (await pkiSeeds(context.repositoryRoot)).crls,
  execute(input) {
    const crl = parseCrl(input);
    let count = 0;
    for (const entry of crl.entries()) {
      count++;
      oracle(crl.has(entry.serialNumber), `entry ${count} serial not found by has()`);
      const found = crl.lookup(entry.serialNumber);
      oracle(
        found !== undefined && sameBytes(found.serialNumber, entry.serialNumber),
        `entry ${count} lookup mismatch`,
      );
    }
    oracle(count === crl.entryCount, `iterator gave ${count} entries, entryCount ${crl.entryCount}`);
    for (const serial of ABSENT) crl.has(serial);
    const extensions = guard(() => {
      crl.decodeAll();
      return `${crl.extensions.length}:${crl.isDelta}:${crl.unknownCriticalExtensions.length}:${crl.crlNumber?.length ?? -1}`;
    });
    return `v${crl.version}:n${bucket(crl.entryCount)}:${crl.hasUnsupportedCriticalEntryExtension}:${extensions}:${crl.nextUpdateTime === undefined}`;
  },
};
