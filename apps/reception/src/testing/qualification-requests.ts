/**
 * Test helper: card queries to a QualificationService (either adapter) as the check flow sends
 * them, and a real PIN-mode proof from the virtual card over a fresh challenge.
 *
 * @example
 * ```ts
 * const { challenge, proof } = await pinProof(desk, factory, service);
 * await service.confirm(pinRequest(challenge.id, proof));
 * ```
 */
import type { CardReaderFactory } from '../ports/card-reader.js';
import type { ConfirmRequest, QualificationService } from '../ports/qualification-service.js';
import type { DeskCard, SimulatorDesk } from '../simulator/simulator-desk.js';

/** The medical institution code the tests query as. */
export const TEST_INSTITUTION = '1399999999';

/** 目視: the card's certificate, attested by staff `staffId`. */
export function visualRequest(certificate: Uint8Array, staffId = 'staff01'): ConfirmRequest {
  return { mode: 'visual', medicalInstitutionCode: TEST_INSTITUTION, certificate, visualStaffId: staffId };
}

/** PIN mode: the certificate and the card's signature over challenge `challengeId`. */
export function pinRequest(
  challengeId: string,
  proof: { readonly certificate: Uint8Array; readonly signature: Uint8Array },
): ConfirmRequest {
  return {
    mode: 'pin',
    medicalInstitutionCode: TEST_INSTITUTION,
    challengeId,
    certificate: proof.certificate,
    signature: proof.signature,
  };
}

/** Puts a fresh `card` in the desk's reader and has it sign a challenge `service` issued (PIN 1234). */
export async function pinProof(
  desk: SimulatorDesk,
  factory: CardReaderFactory,
  service: QualificationService,
  card: DeskCard = 'plastic',
) {
  desk.reset(card);
  desk.insert(card);
  const challenge = await service.issueChallenge();
  const reader = await factory.open(desk.readerId, {});
  try {
    await reader.waitForCard({ timeoutMs: 5000 });
    const proof = await reader.checkWithPin({
      pin: new TextEncoder().encode('1234'),
      challenge: challenge.nonce,
      allowLastTry: false,
    });
    return { challenge, proof };
  } finally {
    await reader.close();
  }
}
