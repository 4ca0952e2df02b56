/**
 * Builds the JPKI AP (jpki-card.md §3): certificates, token info, certificate availability, the
 * two RSA-2048 keys and their PINs, with the access rules of §3.1 (sign certificate only after
 * the sign password; on the Android token the auth certificate only after the auth PIN, §14).
 *
 * @example
 * ```ts
 * const jpki = buildJpkiApplet({ tokenLabel: 'JPKIAPICCTOKEN2', … });
 * ```
 */
import type { KeyObject } from 'node:crypto';
import { afterAnyOf, FREE, NEVER } from '../card/access-rule.js';
import type { ApplicationSpec, CardFileSpec } from '../card/card-file.js';
import { AID, JPKI_EF } from '../card/card-identifiers.js';
import { PIN_FORMAT } from '../card/pin-format.js';
import { encodeTokenInfo } from './token-info.js';

/**
 * EF 0008 byte meaning "certificate present" (jpki-card.md §3.1: `8F 8F 00` with both).
 *
 * @example
 * ```ts
 * availability[0] === CERTIFICATE_PRESENT; // sign certificate present
 * ```
 */
export const CERTIFICATE_PRESENT = 0x8f;
/**
 * EF 0008 byte for a missing certificate (first byte ≠ 8F, e.g. children; the value is our choice).
 *
 * @example
 * ```ts
 * availability[0] === CERTIFICATE_ABSENT; // child card: no sign certificate
 * ```
 */
export const CERTIFICATE_ABSENT = 0x00;
/** Retry limits (jpki-card.md §8). */
export const AUTH_PIN_TRIES = 3;
export const SIGN_PASSWORD_TRIES = 5;

export interface JpkiAppletContent {
  /** Token label (jpki-card.md §3.2). */
  readonly tokenLabel: string;
  readonly tokenSerial: string;
  readonly authCertificate: Uint8Array;
  readonly authCaCertificate: Uint8Array;
  /** `null` on a card without a sign certificate (children). */
  readonly signCertificate: Uint8Array | null;
  readonly signCaCertificate: Uint8Array;
  readonly authKey: KeyObject;
  readonly signKey: KeyObject | null;
  /** `null`: the card was issued without an auth PIN (顔認証マイナンバーカード). */
  readonly authPin: string | null;
  readonly signPassword: string | null;
  readonly authPinTriesLeft?: number;
  readonly signPasswordTriesLeft?: number;
  /** Android スマホ用電子証明書: EF 000A needs the auth PIN (jpki-card.md §14). */
  readonly authCertificateRequiresPin?: boolean;
}

/** The JPKI application. */
export function buildJpkiApplet(content: JpkiAppletContent): ApplicationSpec {
  const hasSign =
    content.signCertificate !== null && content.signKey !== null && content.signPassword !== null;
  const files: CardFileSpec[] = [
    { kind: 'binary', fid: JPKI_EF.SIGN_CA_CERTIFICATE, content: content.signCaCertificate, access: FREE },
    {
      kind: 'binary',
      fid: JPKI_EF.TOKEN_INFO,
      content: encodeTokenInfo({ label: content.tokenLabel, serialNumber: content.tokenSerial }),
      access: FREE,
    },
    {
      kind: 'binary',
      fid: JPKI_EF.CERTIFICATE_AVAILABILITY,
      content: Uint8Array.of(hasSign ? CERTIFICATE_PRESENT : CERTIFICATE_ABSENT, CERTIFICATE_PRESENT, 0x00),
      access: FREE,
    },
    { kind: 'binary', fid: JPKI_EF.UNKNOWN_PROTECTED, content: new Uint8Array(16).fill(0xff), access: NEVER },
    {
      kind: 'binary',
      fid: JPKI_EF.AUTH_CERTIFICATE,
      content: content.authCertificate,
      access: content.authCertificateRequiresPin === true ? afterAnyOf(JPKI_EF.AUTH_PIN) : FREE,
    },
    { kind: 'binary', fid: JPKI_EF.AUTH_CA_CERTIFICATE, content: content.authCaCertificate, access: FREE },
    { kind: 'key', fid: JPKI_EF.AUTH_KEY, privateKey: content.authKey, unlockedBy: JPKI_EF.AUTH_PIN },
    {
      kind: 'pin',
      fid: JPKI_EF.AUTH_PIN,
      format: PIN_FORMAT.FOUR_DIGITS,
      value: content.authPin,
      maxTries: AUTH_PIN_TRIES,
      triesLeft: content.authPinTriesLeft ?? AUTH_PIN_TRIES,
      ...(content.authPin === null ? { notSet: true } : {}),
    },
  ];
  if (hasSign) {
    files.push(
      {
        kind: 'binary',
        fid: JPKI_EF.SIGN_CERTIFICATE,
        content: content.signCertificate!,
        access: afterAnyOf(JPKI_EF.SIGN_PIN),
      },
      { kind: 'key', fid: JPKI_EF.SIGN_KEY, privateKey: content.signKey!, unlockedBy: JPKI_EF.SIGN_PIN },
      {
        kind: 'pin',
        fid: JPKI_EF.SIGN_PIN,
        format: PIN_FORMAT.SIGN_PASSWORD,
        value: content.signPassword,
        maxTries: SIGN_PASSWORD_TRIES,
        triesLeft: content.signPasswordTriesLeft ?? SIGN_PASSWORD_TRIES,
      },
    );
  }
  files.sort((a, b) => a.fid - b.fid);
  return { kind: 'jpki', aid: AID.JPKI, files };
}
