/**
 * `@kakunin/core/jpki`: the My Number Card applets (JPKI AP, 券面事項入力補助AP, 券面事項確認AP).
 *
 * @example
 * ```ts
 * import { MyNumberCard } from '@kakunin/core/jpki';
 * await using card = MyNumberCard.open(transport);
 * const certificate = await card.readCertificate('auth');
 * ```
 */

export type { LinkFacts } from './card-access.js';
export { AID, type ElementaryFile, FACE_EF, JPKI_EF, TEXT_EF, TOKEN_LABEL } from './constants.js';
export { buildDigestInfo, type HashAlgorithm, hash } from './digest-info.js';
export { type CardFace, FACE_TAG, parseCardFace } from './face-ap.js';
export {
  type CardIdentity,
  type CardKind,
  type CertificateKind,
  type CheckOptions,
  type CheckResult,
  MyNumberCard,
  type OpenOptions,
  type SigningKey,
  type SignOptions,
} from './mynumber-card.js';
export { encodePin, PIN_SPECS, type PinKey, type PinSpec } from './pin.js';
export type { PinStatus, VerifyOptions } from './pin-operations.js';
export {
  type RsaPublicKey,
  rsaPublicKeyFromCertificate,
  rsaVerifyDigestInfo,
} from './rsa.js';
export {
  type BasicFour,
  basicFourDigestInput,
  type CvCertificate,
  type IntegrityResult,
  parseBasicFour,
  parseCvCertificate,
  parseMyNumber,
  type Sex,
  TEXT_TAG,
  verifyIntegrity,
} from './text-ap.js';
