/**
 * The CRL distribution point of the simulator's test PKI, for the virtual card desk: the test
 * auth CA publishes one CRL per municipality partition per JST day (JPKI refreshes its CRL files
 * daily and partitions them by municipality, certificates.md §3–§4). Each CRL is a real, signed
 * X.509 v2 CRL from the simulator's `buildCrl`, with an issuingDistributionPoint equal to the
 * partition named in the certificates' cRLDistributionPoints, so `@kakunin/core/x509`'s
 * `createCrlRevocationSource` matches it by issuer AND distribution point and checks its
 * signature and freshness like any other CRL.
 *
 * The CRL "of the day" is built for the day of the query time (thisUpdate = 00:00 JST that day),
 * so the app keeps answering GOOD/REVOKED for days on end and tests that move the clock see the
 * CRL that was current then. A certificate revoked after that day's publication is not listed yet
 * (the usual CRL lag).
 *
 * @example
 * ```ts
 * const publisher = createTestCrlPublisher({ issuer: pki.authCa, partitions: () => [partition], revocations: () => [] });
 * const source = publisher.revocationSource({ verifier });
 * await source.check({ certificate, issuer, time: new Date() }); // { status: 'GOOD', source: 'crl', … }
 * ```
 */
import { bytesToHex } from '@kakunin/core/transport';
import { createCrlRevocationSource, type RevocationSource, type SignatureVerifier } from '@kakunin/core/x509';
import { buildCrl, type CertificateAuthority, type CrlReason } from '@kakunin/simulator/pki';

/** JST = UTC+9 (no daylight saving). */
const JST_OFFSET_MS = 9 * 3_600_000;
const MILLISECONDS_PER_DAY = 86_400_000;
/**
 * nextUpdate = thisUpdate + 2 days: the daily refresh may serve the previous day's CRL for a
 * while (certificates.md §4, PocketSign's note), so a CRL stays usable past the next publication.
 */
const CRL_LIFETIME_MS = 2 * MILLISECONDS_PER_DAY;
/** Built CRL sets kept in memory (one per day and partition set). */
const CACHE_LIMIT = 8;

/** One revoked certificate of the test hierarchy. */
export interface TestRevocation {
  readonly serialNumber: Uint8Array;
  readonly revokedAt: Date;
  readonly reason?: CrlReason;
  /** DER Name of the certificate's CRL distribution point (its municipality partition). */
  readonly partition: Uint8Array;
}

export interface TestCrlPublisherOptions {
  readonly issuer: CertificateAuthority;
  /** The partitions to publish (DER Names), read at every publication. */
  readonly partitions: () => readonly Uint8Array[];
  /** The revoked certificates, read at every publication. */
  readonly revocations: () => readonly TestRevocation[];
}

export interface TestCrlPublisher {
  /** The CRLs (DER) current at `time`: one per partition. */
  crlsAt(time: Date): readonly Uint8Array[];
  /** A revocation source over {@link crlsAt} for the query's time. */
  revocationSource(options: { readonly verifier: SignatureVerifier }): RevocationSource;
}

/**
 * Creates the publisher.
 *
 * @example
 * ```ts
 * const crls = createTestCrlPublisher({ issuer, partitions, revocations }).crlsAt(new Date());
 * ```
 */
export function createTestCrlPublisher(options: TestCrlPublisherOptions): TestCrlPublisher {
  if (options === null || typeof options !== 'object')
    throw new TypeError('createTestCrlPublisher: options must be an object');
  if (typeof options.partitions !== 'function' || typeof options.revocations !== 'function')
    throw new TypeError(
      'createTestCrlPublisher: options.partitions and options.revocations must be functions',
    );
  const cache = new Map<string, readonly Uint8Array[]>();
  const crlsAt = (time: Date): readonly Uint8Array[] => {
    if (!(time instanceof Date) || Number.isNaN(time.getTime()))
      throw new TypeError('crlsAt: time must be a valid Date');
    const day = Math.floor((time.getTime() + JST_OFFSET_MS) / MILLISECONDS_PER_DAY);
    const partitions = [...new Map(options.partitions().map((name) => [bytesToHex(name), name])).entries()];
    const revocations = options.revocations();
    const key = `${day}|${partitions.map(([hex]) => hex).join(',')}|${revocations.length}`;
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const thisUpdate = new Date(day * MILLISECONDS_PER_DAY - JST_OFFSET_MS);
    const nextUpdate = new Date(thisUpdate.getTime() + CRL_LIFETIME_MS);
    const crls = partitions.map(([hex, partition]) =>
      buildCrl({
        issuer: options.issuer,
        thisUpdate,
        nextUpdate,
        // cRLNumber increases with every daily publication (RFC 5280 §5.2.3).
        crlNumber: day,
        partition,
        entries: revocations
          .filter(
            (entry) =>
              bytesToHex(entry.partition) === hex && entry.revokedAt.getTime() <= thisUpdate.getTime(),
          )
          .map((entry) => ({
            serialNumber: entry.serialNumber,
            revokedAt: entry.revokedAt,
            ...(entry.reason === undefined ? {} : { reason: entry.reason }),
          })),
      }),
    );
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
    cache.set(key, crls);
    return crls;
  };
  return {
    crlsAt,
    revocationSource({ verifier }) {
      if (verifier === undefined || typeof verifier.verify !== 'function')
        throw new TypeError('revocationSource: options.verifier is required');
      const sources = new Map<readonly Uint8Array[], RevocationSource>();
      return {
        async check(query) {
          const crls = crlsAt(query.time);
          let source = sources.get(crls);
          if (source === undefined) {
            source = createCrlRevocationSource([...crls], { verifier });
            if (sources.size >= CACHE_LIMIT) sources.delete(sources.keys().next().value!);
            sources.set(crls, source);
          }
          return source.check(query);
        },
      };
    },
  };
}
