/**
 * Fuzz target: X.509 certificates as they arrive from a card, a file or a server — the strict
 * parser (`parseCertificate` + `decodeAll`, every lazily decoded field and extension, the JPKI
 * subjectAltName, the profile checks) and the card path's own TLV-based key extraction
 * (`rsaPublicKeyFromCertificate`). Oracles: PEM export parses back to the same DER; the key the
 * card path extracts equals the strict parser's modulus.
 *
 * @example
 * ```ts
 * certificateTarget.execute(certificateDer);
 * ```
 */
import { rsaPublicKeyFromCertificate } from '@kakunin/core/jpki';
import { certificateProfileProblems, decodeJpkiSubjectAltName, parseCertificate } from '@kakunin/core/x509';
import { bucket, type FuzzTarget, guard, oracle, sameBytes } from '../fuzz-target.js';
import { pkiSeeds } from '../seeds/pki-objects.js';

/** The JPKI SAN gender values (certificates.md §3, jpki-subject-alt-name.ts). */
const JPKI_SEXES: ReadonlySet<unknown> = new Set(['male', 'female', 'unknown']);

function magnitude(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

export const certificateTarget: FuzzTarget = {
  name: 'certificate',
  description:
    'parseCertificate + decodeAll + every field, JPKI SAN, profile checks; rsaPublicKeyFromCertificate (@kakunin/core/x509, /jpki)',
  maxInputLength: 16_384,
  seeds: async (context) => (await pkiSeeds(context.repositoryRoot)).certificates,
  execute(input) {
    let cardKey: bigint | undefined;
    const cardPath = guard(() => {
      const key = rsaPublicKeyFromCertificate(input);
      cardKey = key.modulus;
      return bucket(key.size);
    });
    const certificate = parseCertificate(input).decodeAll();
    const fields = [
      certificate.subject.toString(),
      certificate.issuer.toString(),
      certificate.serialNumberHex,
      certificate.notBefore.getTime(),
      certificate.notAfter.getTime(),
      certificate.isSelfIssued,
      certificate.basicConstraints?.ca,
      certificate.keyUsage?.names.join(','),
      certificate.extendedKeyUsage?.length,
      certificate.subjectKeyIdentifier?.length,
      certificate.authorityKeyIdentifier?.keyIdentifier?.length,
      certificate.certificatePolicies?.length,
      certificate.subjectAltName?.length,
      certificate.issuerAltName?.length,
      certificate.crlDistributionPoints?.length,
      certificate.authorityInfoAccess?.length,
      certificate.nameConstraints === undefined,
      certificate.policyConstraints === undefined,
    ];
    const key = certificate.publicKeyInfo;
    const san = guard(() => {
      const holder = decodeJpkiSubjectAltName(certificate);
      if (holder === undefined) return 'none';
      oracle(
        JPKI_SEXES.has(holder.sex),
        `JPKI SAN sex is ${typeof holder.sex} ${String(holder.sex).slice(0, 40)}`,
      );
      oracle(typeof holder.name === 'string' && typeof holder.address === 'string', 'JPKI SAN name/address');
      return `jpki:${holder.sex}`;
    });
    const problems = certificateProfileProblems(certificate, 'leaf').length;
    const again = parseCertificate(certificate.toPem());
    oracle(sameBytes(again.der, certificate.der), 'PEM round trip changed the DER');
    if (cardKey !== undefined && key.rsa !== undefined)
      oracle(magnitude(key.rsa.modulus) === cardKey, 'card-path modulus differs from the parsed certificate');
    return `v${certificate.version}:${key.type}:e${certificate.extensions.length}:${fields.length}:${san}:p${bucket(problems)}:${cardPath}`;
  },
};
