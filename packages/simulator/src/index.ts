/**
 * `@kakunin/simulator`: a byte-faithful virtual My Number card (JPKI AP, 券面事項入力補助AP,
 * 券面事項確認AP, 共通AP), card profiles, a deterministic test PKI, an in-process transport,
 * fault injection and APDU transcripts.
 *
 * @example
 * ```ts
 * import { createVirtualCard, SimulatorProvider } from '@kakunin/simulator';
 * const provider = new SimulatorProvider({ card: createVirtualCard('plastic') });
 * await using transport = await provider.connect(provider.readerId);
 * ```
 */

// Applets (card file layouts).
export { encodeCardRecord } from './applets/common-applet.js';
export { FACE_TAG, multiDigestInfo, PHOTO_HEIGHT, PHOTO_WIDTH } from './applets/face-applet.js';
export { CERTIFICATE_ABSENT, CERTIFICATE_PRESENT } from './applets/jpki-applet.js';
export { rsaPublicKeyTlvs, rsaPublicNumbers } from './applets/rsa-public-key-tlv.js';
export { encodeMyNumberFile, TEXT_TAG } from './applets/text-applet.js';
export { encodeTokenInfo, TOKEN_INFO_LENGTH, type TokenInfoFields } from './applets/token-info.js';
// The card.
export { type AccessRule, afterAnyOf, FREE, NEVER } from './card/access-rule.js';
export type {
  ApplicationKind,
  ApplicationSpec,
  BinaryFileSpec,
  CardDamage,
  CardFileSpec,
  CardImage,
  CardQuirks,
  DamageMode,
  KeyFileSpec,
  PinFileSpec,
  RecordFileSpec,
} from './card/card-file.js';
export { AID, COMMON_EF, FACE_EF, JPKI_EF, TEXT_EF } from './card/card-identifiers.js';
export { parseCardQuirks } from './card/card-quirks.js';
export { PIN_FORMAT, type PinFormat } from './card/pin-format.js';
export {
  SHA256_DIGEST_INFO_PREFIX,
  sha256,
  sha256DigestInfo,
} from './card/rsa-signature.js';
export {
  type PinStatus,
  type VirtualCardOptions,
  VirtualMyNumberCard,
} from './card/virtual-my-number-card.js';
export type { VirtualCardEndpoint } from './card-endpoint.js';
// Presence: in-process provider and transport.
export { isRemovalSource, type RemovalReason, type RemovalSource } from './card-removal.js';
// Fault injection.
export { FaultInjector, type FaultInjectorOptions } from './faults/fault-injector.js';
export {
  type CommandMatcher,
  type CorruptRule,
  type DelayRule,
  type DropRule,
  type FaultEvent,
  type FaultRule,
  matchesCommand,
  type RemoveRule,
  type StatusRule,
} from './faults/fault-rule.js';
export { FaultyCardEndpoint, injectCardFaults } from './faults/faulty-card-endpoint.js';
export {
  FaultyTransport,
  type FaultyTransportOptions,
  injectTransportFaults,
} from './faults/faulty-transport.js';
// Images.
export { encodeGreyJp2 } from './images/jp2-encoder.js';
export { encodePng, type GreyscaleImage, PNG_SIGNATURE } from './images/png-encoder.js';
export { renderText } from './images/text-bitmap.js';
// Persons.
export { birthDateKey, verificationNumberA, verificationNumberB } from './person/card-credentials.js';
export { certificateBirthDate, type EraDate, eraYymmdd, toEra } from './person/japanese-era.js';
export { JisX0208 } from './person/jis-x0208.js';
export { isValidMyNumber, myNumberCheckDigit } from './person/my-number.js';
export {
  certificateSexCode,
  createSyntheticPerson,
  DEFAULT_ISSUED_ON,
  type Municipality,
  nthBirthdayAfter,
  type Sex,
  type SyntheticPerson,
  type SyntheticPersonOptions,
  textApSexCode,
} from './person/synthetic-person.js';
// Test PKI.
export { buildCertificate, type CertificateInput, keyIdentifier } from './pki/certificate-builder.js';
export { buildCrl, CRL_REASON, type CrlEntry, type CrlInput, type CrlReason } from './pki/crl-builder.js';
export { createCvCertificate, keyId, verifyPkcs1Sha256 } from './pki/cv-certificate.js';
export { encodeName, formatName, type NameParts } from './pki/distinguished-name.js';
export { JPKI_OID, X509_OID } from './pki/jpki-oids.js';
export { type LargeCrl, type LargeCrlOptions, largeCrl } from './pki/large-crl.js';
export { generateRsaKey, type RsaKeyPair } from './pki/rsa-key-generation.js';
export { SeededRandom } from './pki/seeded-random.js';
export {
  defaultKeyCacheDirectory,
  type KeyStoreStatistics,
  TestKeyStore,
  type TestKeyStoreOptions,
} from './pki/test-key-store.js';
export {
  type CardIssuer,
  type CertificateAuthority,
  type CertificatePurpose,
  type EndEntityCertificate,
  type IssueOptions,
  TEST_CPS_URI,
  TEST_ORGANIZATION,
  TestPki,
  type TestPkiOptions,
} from './pki/test-pki.js';
// Profiles.
export {
  ATR_CONTACT,
  ATR_CONTACTLESS,
  type CardCredentials,
  type CardProfile,
  type CardProfileOptions,
  createCardProfile,
  DEFAULT_ISSUED_AT,
  EXPIRED_ISSUED_AT,
  FIELD_ATRS,
  PROFILE_NAMES,
  type ProfileName,
  TOKEN_LABEL,
} from './profiles/card-profile.js';
export { type CreateVirtualCardOptions, createVirtualCard } from './profiles/create-virtual-card.js';
// Transcripts.
export { RecordingTransport, type RecordingTransportOptions } from './transcripts/recording-transport.js';
export { ReplayTransport, type ReplayTransportOptions } from './transcripts/replay-transport.js';
export {
  commandMatches,
  type ErrorEntry,
  type ExchangeEntry,
  parseTranscript,
  type RedactedCommand,
  type ResetEntry,
  redactCommand,
  serializeTranscript,
  TRANSCRIPT_FORMAT,
  TRANSCRIPT_VERSION,
  type Transcript,
  type TranscriptEntry,
} from './transcripts/transcript.js';
export { loadTranscript, saveTranscript } from './transcripts/transcript-files.js';
export {
  type ReaderQuirks,
  SIMULATOR_READER_PREFIX,
  SimulatorProvider,
  type SimulatorProviderOptions,
} from './transport/simulator-provider.js';
export {
  type CloseDisposition,
  EXTENDED_MAX_COMMAND,
  EXTENDED_MAX_RESPONSE,
  isExtendedCommand,
  SHORT_MAX_COMMAND,
  SHORT_MAX_RESPONSE,
  SimulatorTransport,
} from './transport/simulator-transport.js';
// vpcd presence (real pcscd through vsmartcard's vpcd driver).
export * from './vpcd/index.js';
