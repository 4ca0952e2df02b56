/**
 * Keys into the troubleshooting catalogue. Each names one situation from the user's FAQ
 * (../shared/seeds/000_…: Q1 A1-1…A1-3 card reading, Q2 A2-1/A2-2 reader connection, Q9 E-*-*-W-6401,
 * P17 forgotten PINs) or the ministry's flyer (../shared/seeds/004_…: fallbacks).
 *
 * @example
 * ```ts
 * const remedy: RemedyKey = 'reader.usb-cable';
 * ```
 */
export const REMEDY_KEYS = [
  'app.restart',
  'pcsc.service',
  'reader.usb-cable',
  'reader.not-recognized',
  'reader.not-selected',
  'reader.driver-missing',
  'reader.unsupported',
  'reader.in-use',
  'reader.mode-mismatch',
  'reader.asleep',
  'reader.auth-key',
  'card.absent',
  'card.orientation',
  'card.moved',
  'card.damaged',
  'card.not-mynumber',
  'card.busy-elsewhere',
  'ble.bluetooth-off',
  'ble.permission',
  'ble.airplane-mode',
  'ble.reader-not-found',
  'ble.link-lost',
  'nfc.off',
  'nfc.phone-case',
  'nfc.card-position',
  'nfc.moved',
  'nfc.airplane-mode',
  'nfc.location-off',
  'nfc.unsupported-device',
  'bridge.pairing',
  'bridge.network',
  'pin.incorrect',
  'pin.last-try',
  'pin.blocked',
  'pin.not-set',
  'pin.format',
  'sign-password.blocked',
  'cert.expired',
  'cert.expiring-soon',
  'cert.revoked',
  'cert.untrusted',
  'cert.trust-anchor-missing',
  'cert.revocation-unknown',
  'cert.invalid',
  'cert.sign-absent',
  'network.server-unreachable',
  'network.tls-root',
  'network.proxy-unsupported',
  'qualification.none',
  'qualification.multiple',
  'qualification.not-registered',
  'account.locked',
  'account.passcode-reset',
] as const;

export type RemedyKey = (typeof REMEDY_KEYS)[number];

/** Type guard for remedy keys that came from JSON or a bridge peer. */
export function isRemedyKey(value: unknown): value is RemedyKey {
  return typeof value === 'string' && (REMEDY_KEYS as readonly string[]).includes(value);
}
