/**
 * The certificate validator of the virtual card desk: `@kakunin/core/x509` JPKI validation with
 * the desk's test root opted in as a *test* anchor (next to any production J-LIS roots) and the
 * desk's CRL distribution point as revocation source. Use it only together with the desk; a
 * deployment on real readers uses {@link createJpkiCertificateValidator} without test anchors.
 *
 * @example
 * ```ts
 * const desk = createSimulatorDesk();
 * const validator = createDeskCertificateValidator(desk, { trustAnchors: jLisRoots });
 * ```
 */
import * as nodeCrypto from 'node:crypto';
import { createNodeCryptoVerifier, type SignatureVerifier } from '@kakunin/core/x509';
import { createJpkiCertificateValidator } from '../certificates/jpki-certificate-validator.js';
import type { CertificateValidator } from '../ports/certificate-validator.js';
import type { SimulatorDesk } from './simulator-desk.js';

export interface DeskCertificateValidatorOptions {
  /** Production J-LIS roots (DER or PEM), if available. */
  readonly trustAnchors?: readonly (Uint8Array | string)[];
  /** Signature verifier (default: node:crypto). */
  readonly verifier?: SignatureVerifier;
}

/**
 * Creates the desk's validator.
 *
 * @example
 * ```ts
 * const report = await createDeskCertificateValidator(desk).validate(desk.authCertificate('plastic'), { at: new Date(), purpose: 'auth' });
 * report.status; // 'valid'
 * ```
 */
export function createDeskCertificateValidator(
  desk: SimulatorDesk,
  options: DeskCertificateValidatorOptions = {},
): CertificateValidator {
  if (desk === null || typeof desk !== 'object' || typeof desk.revocationSource !== 'function')
    throw new TypeError('createDeskCertificateValidator: desk must be a SimulatorDesk');
  const verifier = options.verifier ?? createNodeCryptoVerifier(nodeCrypto);
  return createJpkiCertificateValidator({
    trustAnchors: options.trustAnchors ?? [],
    testAnchors: desk.testAnchors,
    revocation: desk.revocationSource({ verifier }),
    verifier,
  });
}
