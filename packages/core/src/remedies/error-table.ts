/**
 * The one table from error code to meaning and remedy. Every code of the closed union
 * {@link ErrorCode} has a row (the compiler checks it): either the remedy key staff should follow —
 * one key, or one per reader setup — or `null` with `programmingError: true` when the code reports a
 * bug in the caller or in kakunin rather than a situation at the counter. docs/errors.md is generated
 * from this table (by its test, error-table.test.ts).
 *
 * @example
 * ```ts
 * import { remedyFor } from '@kakunin/core/remedies';
 * remedyFor(error, 'smartphone'); // 'nfc.moved' for CARD_REMOVED
 * ```
 */
import type { CardError } from '../transport/card-error.js';
import type { ErrorCode } from '../transport/error-codes.js';
import type { RemedyKey } from '../transport/remedy-keys.js';
import type { ReaderSetup } from './remedy-catalog.js';

/** A remedy for every setup, or one per setup (the FAQ's three reader setups). */
export type SetupRemedy = RemedyKey | Readonly<Record<ReaderSetup, RemedyKey>>;

export type ErrorTableRow =
  | { readonly meaning: string; readonly remedy: SetupRemedy; readonly programmingError?: never }
  | { readonly meaning: string; readonly remedy: null; readonly programmingError: true };

const bySetup = (wired: RemedyKey, ble: RemedyKey, phone: RemedyKey): SetupRemedy => ({
  'wired-reader': wired,
  'ble-reader': ble,
  smartphone: phone,
});

const bug = (meaning: string): ErrorTableRow => ({ meaning, remedy: null, programmingError: true });
const row = (meaning: string, remedy: SetupRemedy): ErrorTableRow => ({ meaning, remedy });

/** Code → meaning and default remedy. */
export const ERROR_TABLE: { readonly [C in ErrorCode]: ErrorTableRow } = {
  // transport
  SERVICE_UNAVAILABLE: row(
    'No PC/SC service, Bluetooth stack or bridge listener is reachable.',
    bySetup('pcsc.service', 'ble.bluetooth-off', 'bridge.network'),
  ),
  NO_READERS: row(
    'The service runs but no reader is attached.',
    bySetup('reader.usb-cable', 'ble.reader-not-found', 'bridge.pairing'),
  ),
  READER_NOT_FOUND: row(
    'The named reader does not exist (any more).',
    bySetup('reader.usb-cable', 'ble.reader-not-found', 'bridge.pairing'),
  ),
  READER_UNAVAILABLE: row(
    'The reader exists but cannot be used right now (unplugged during use, driver problem).',
    bySetup('reader.usb-cable', 'ble.link-lost', 'bridge.network'),
  ),
  SHARING_VIOLATION: row('Another program holds the card exclusively.', 'reader.in-use'),
  CARD_ABSENT: row('No card in the reader.', bySetup('card.absent', 'card.absent', 'nfc.card-position')),
  CARD_REMOVED: row(
    'The card left the reader while connected or mid-command.',
    bySetup('card.moved', 'card.moved', 'nfc.moved'),
  ),
  CARD_UNPOWERED: row(
    'The card is present but not powered (reset or powered down by someone else).',
    bySetup('card.moved', 'card.moved', 'nfc.moved'),
  ),
  CARD_UNRESPONSIVE: row(
    'The card does not answer (wrong way round, damaged chip, poor contact).',
    bySetup('card.orientation', 'card.orientation', 'nfc.card-position'),
  ),
  BUSY: bug('A second command while one is in flight on the same transport.'),
  TIMEOUT: row(
    'The operation did not finish within its time limit.',
    bySetup('card.absent', 'card.absent', 'nfc.card-position'),
  ),
  ABORTED: row('The caller aborted the operation (AbortSignal).', 'app.restart'),
  IO: row(
    'Any other I/O failure of the link to the reader.',
    bySetup('reader.usb-cable', 'ble.link-lost', 'nfc.moved'),
  ),
  CLOSED: bug('The transport or provider was used after close().'),
  LINK_LOST: row(
    'A wireless link (BLE, bridge) was lost mid-operation.',
    bySetup('reader.usb-cable', 'ble.link-lost', 'bridge.network'),
  ),
  PROTOCOL: row(
    'The reader or phone broke the framing protocol (bad checksum, length or MAC).',
    'reader.unsupported',
  ),
  NOT_SUPPORTED: row('The operation is not supported by this transport or reader.', 'reader.unsupported'),
  COMMAND_TOO_LONG: row('A command longer than the transport can carry.', 'reader.unsupported'),
  BLUETOOTH_OFF: row('Bluetooth is switched off.', 'ble.bluetooth-off'),
  BLUETOOTH_UNAUTHORIZED: row('The OS denied Bluetooth or location permission.', 'ble.permission'),
  READER_AUTH_FAILED: row(
    'The BLE reader rejected the mutual authentication (wrong key).',
    'reader.auth-key',
  ),
  READER_ASLEEP: row('The BLE reader is asleep or in USB mode.', 'reader.asleep'),
  PEER_REJECTED: row(
    'The phone failed pairing authentication, replayed or altered a frame.',
    'bridge.pairing',
  ),
  // status words (ISO 7816-4 §5.1.3)
  END_OF_FILE: bug('62 82: end of file reached before Le bytes.'),
  VERIFICATION_FAILED: row('63 00 / 63 Cx: verification failed.', 'pin.incorrect'),
  EXECUTION_ERROR: row('64 00: execution error, card memory unchanged.', 'card.damaged'),
  MEMORY_FAILURE: row('65 81: memory failure.', 'card.damaged'),
  WRONG_LENGTH: bug('67 00: wrong length.'),
  LOGICAL_CHANNEL_NOT_SUPPORTED: bug('68 81: logical channel not supported.'),
  SECURE_MESSAGING_NOT_SUPPORTED: bug('68 82: secure messaging not supported.'),
  COMMAND_INCOMPATIBLE: bug('69 81: command incompatible with the file structure.'),
  SECURITY_STATUS_NOT_SATISFIED: row('69 82: the card wants a PIN before this command.', 'app.restart'),
  AUTH_METHOD_BLOCKED: row('69 83: authentication method blocked.', 'pin.blocked'),
  REFERENCE_DATA_NOT_USABLE: row('69 84: reference data (key, PIN) not usable.', 'pin.blocked'),
  CONDITIONS_NOT_SATISFIED: bug('69 85: conditions of use not satisfied.'),
  COMMAND_NOT_ALLOWED: bug('69 86: command not allowed (no current file).'),
  SM_DATA_MISSING: bug('69 87: secure-messaging data objects missing.'),
  SM_DATA_INCORRECT: bug('69 88: incorrect secure-messaging data objects.'),
  INCORRECT_DATA: bug('6A 80: incorrect parameters in the data field.'),
  FUNCTION_NOT_SUPPORTED: row('6A 81: function not supported by this card.', 'card.not-mynumber'),
  FILE_NOT_FOUND: row('6A 82: file or application not found.', 'card.not-mynumber'),
  RECORD_NOT_FOUND: bug('6A 83: record not found.'),
  NOT_ENOUGH_MEMORY: bug('6A 84: not enough memory space in the file.'),
  INCORRECT_P1_P2: bug('6A 86: incorrect parameters P1-P2.'),
  REFERENCED_DATA_NOT_FOUND: row('6A 88: referenced data (key, PIN) not found.', 'card.not-mynumber'),
  WRONG_P1_P2: bug('6B 00: wrong parameters P1-P2 (offset beyond the end of the file).'),
  WRONG_LE: bug('6C xx: wrong Le; the card told the exact length.'),
  INS_NOT_SUPPORTED: row('6D 00: instruction not supported by this card.', 'card.not-mynumber'),
  CLA_NOT_SUPPORTED: row('6E 00: class not supported by this card.', 'card.not-mynumber'),
  NO_PRECISE_DIAGNOSIS: row('6F 00: no precise diagnosis.', 'card.damaged'),
  APDU_STATUS: row('A status word kakunin does not expect from a My Number Card.', 'card.damaged'),
  // ISO 7816 engine
  APDU_MALFORMED: bug('A command APDU that cannot be encoded or decoded.'),
  RESPONSE_MALFORMED: row(
    'A response shorter than its status word, or not shaped as the command requires.',
    bySetup('card.moved', 'card.moved', 'nfc.moved'),
  ),
  RESPONSE_TOO_LARGE: row('A response longer than the session allows.', 'card.damaged'),
  TLV_TRUNCATED: row('BER-TLV data from the card ends inside an object.', 'card.damaged'),
  TLV_MALFORMED: row('BER-TLV data from the card is not well formed.', 'card.damaged'),
  // JPKI and card-info applets
  NOT_A_MYNUMBER_CARD: row('The card has no JPKI applet: not a My Number Card.', 'card.not-mynumber'),
  FILE_ABSENT: row('A file the applet should hold is not on this card.', 'card.not-mynumber'),
  FILE_MALFORMED: row('A file on the card does not have the expected structure.', 'card.damaged'),
  FILE_TRUNCATED: row(
    'The card returned fewer bytes than the file announced.',
    bySetup('card.moved', 'card.moved', 'nfc.moved'),
  ),
  CERT_ABSENT: row('The card holds no signing certificate (e.g. issued to a child).', 'cert.sign-absent'),
  CERT_MALFORMED: row('The certificate read from the card is not usable.', 'cert.invalid'),
  PIN_ABSENT: row('The PIN or its key is not on this card.', 'card.not-mynumber'),
  PIN_FORMAT: row('The PIN has the wrong length or characters; nothing was sent to the card.', 'pin.format'),
  PIN_INCORRECT: row('The card rejected the PIN; details.triesLeft tries are left.', 'pin.incorrect'),
  PIN_BLOCKED: row('The PIN is blocked; it must be reset at the municipal office.', 'pin.blocked'),
  LAST_TRY_REFUSED: row('One try is left and the caller did not allow spending it.', 'pin.last-try'),
  PIN_NOT_SET: row(
    'The card was issued without this PIN (顔認証マイナンバーカード): confirm identity by face or visually; no VERIFY was sent.',
    'pin.not-set',
  ),
  SIGNATURE_INVALID: row('The card signature does not verify under its own certificate.', 'card.damaged'),
  // DER
  DER_TRUNCATED: row('DER input ends inside an element (truncation or a length that lies).', 'cert.invalid'),
  DER_MALFORMED: row('DER input is not strict DER.', 'cert.invalid'),
  // X.509
  X509_MALFORMED: row('Well-formed DER that is not a valid X.509 certificate or CRL.', 'cert.invalid'),
  CERT_EXPIRED: row('The certificate is past its notAfter date.', 'cert.expired'),
  CERT_NOT_YET_VALID: row('The certificate is before its notBefore date.', 'cert.invalid'),
  CHAIN_UNTRUSTED: row('No trust anchor verifies the chain.', 'cert.untrusted'),
  TRUST_ANCHOR_MISSING: row(
    'Issued by a J-LIS root generation that is not installed (e.g. 2019): install it with kakunin trust add.',
    'cert.trust-anchor-missing',
  ),
  PATH_BUILDING_LIMIT: row(
    'Path building ran out of its candidate or signature-check budget.',
    'cert.untrusted',
  ),
  REVOKED: row('The certificate has been revoked.', 'cert.revoked'),
  REVOCATION_UNKNOWN: row('Revocation status could not be established.', 'cert.revocation-unknown'),
  PROFILE_VIOLATION: row('The certificate is not acceptable for the purpose or profile.', 'cert.invalid'),
  UNSUPPORTED_ALGORITHM: row(
    'Algorithm or key outside the accepted set (SHA-1, RSA-1024, …).',
    'cert.invalid',
  ),
  INPUT_REJECTED: row(
    'A certificate, CRL or root file was not a regular file or exceeded its size cap.',
    'cert.invalid',
  ),
  VALIDATION_FAILED: row('Summary of a failed certificate validation (see details.code).', 'cert.invalid'),
  // transcripts (test tooling)
  TRANSCRIPT_MALFORMED: bug('A recorded APDU transcript does not parse.'),
  TRANSCRIPT_MISMATCH: bug('A replay received a command the transcript does not have next.'),
  TRANSCRIPT_EXHAUSTED: bug('A replay received more commands than the transcript holds.'),
  TRANSCRIPT_INCOMPLETE: bug('A replay closed before every recorded command was sent.'),
  TRANSCRIPT_REDACTED: bug('A replay reached an exchange whose bytes were redacted.'),
};

/**
 * The remedy key for an error (or a code) in a reader setup: the error's own key when the thrower
 * set one, else the table's default; `undefined` for programming errors.
 *
 * @example
 * ```ts
 * remedyFor('CARD_REMOVED', 'smartphone'); // 'nfc.moved'
 * ```
 */
export function remedyFor(
  error: ErrorCode | Pick<CardError, 'code' | 'remedy'>,
  setup: ReaderSetup = 'wired-reader',
): RemedyKey | undefined {
  const code = typeof error === 'string' ? error : error.code;
  if (typeof error !== 'string' && error.remedy !== undefined) return error.remedy;
  const remedy = ERROR_TABLE[code]?.remedy;
  if (remedy === null || remedy === undefined) return undefined;
  return typeof remedy === 'string' ? remedy : remedy[setup];
}
