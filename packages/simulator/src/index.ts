/**
 * `@kakunin/simulator`: a byte-faithful virtual My Number card (JPKI AP, 券面事項入力補助AP,
 * 券面事項確認AP, 共通AP), its profiles and synthetic persons, and an in-process transport. Test
 * tooling sits at subpaths: `/pki` (the deterministic test PKI), `/faults` (fault injection),
 * `/transcripts` (APDU recording and replay), `/vpcd` (the card behind real pcscd).
 *
 * @example
 * ```ts
 * import { createVirtualCard, SimulatorProvider } from '@kakunin/simulator';
 * const provider = new SimulatorProvider({ card: createVirtualCard('plastic') });
 * await using transport = await provider.connect(provider.readerId);
 * ```
 */

// The card and its file layout.
export { CERTIFICATE_ABSENT, CERTIFICATE_PRESENT } from './applets/jpki-applet.js';
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
  type PinStatus,
  type VirtualCardOptions,
  VirtualMyNumberCard,
} from './card/virtual-my-number-card.js';
export type { VirtualCardEndpoint } from './card-endpoint.js';
export { isRemovalSource, type RemovalReason, type RemovalSource } from './card-removal.js';
// Persons (synthetic only).
export { birthDateKey, verificationNumberA, verificationNumberB } from './person/card-credentials.js';
export {
  createSyntheticPerson,
  DEFAULT_ISSUED_ON,
  type Municipality,
  type Sex,
  type SyntheticPerson,
  type SyntheticPersonOptions,
} from './person/synthetic-person.js';
// Profiles: profile → key store → virtual card.
export {
  defaultKeyCacheDirectory,
  type KeyStoreStatistics,
  TestKeyStore,
  type TestKeyStoreOptions,
} from './pki/test-key-store.js';
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
} from './profiles/card-profile.js';
export { type CreateVirtualCardOptions, createVirtualCard } from './profiles/create-virtual-card.js';
// In-process presence.
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
// The base of FaultyTransport (/faults) and RecordingTransport (/transcripts).
export { WrappedTransport } from './transport/wrapped-transport.js';
