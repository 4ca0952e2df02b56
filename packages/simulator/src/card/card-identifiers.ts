/**
 * Application identifiers (DF names) and file identifiers of the My Number card
 * (../shared/spec/jpki-card.md §2–§6). Every constant cites the section it comes from.
 *
 * @example
 * ```ts
 * import { AID, JPKI_EF } from '@kakunin/simulator';
 * transmit([0x00, 0xa4, 0x04, 0x0c, AID.JPKI.length, ...AID.JPKI]);
 * ```
 */

/**
 * 10-byte DF names (jpki-card.md §2).
 *
 * @example
 * ```ts
 * transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, AID.JPKI.length, ...AID.JPKI));
 * ```
 */
export const AID = {
  /** 公的個人認証AP (JPKI AP). */
  JPKI: Uint8Array.of(0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01),
  /** 券面事項入力補助AP (text AP). */
  TEXT: Uint8Array.of(0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08),
  /** 券面事項確認AP (card-face AP). */
  FACE: Uint8Array.of(0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02),
  /** 共通カードAP (common card AP). */
  COMMON: Uint8Array.of(0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00),
  /** GlobalPlatform Issuer Security Domain: selecting it restores the MF-level state (jpki-card.md §2). */
  ISSUER_SECURITY_DOMAIN: Uint8Array.of(0xa0, 0x00, 0x00, 0x01, 0x51, 0x00, 0x00),
} as const;

/**
 * JPKI AP files and keys (jpki-card.md §3.1).
 *
 * @example
 * ```ts
 * transmit(selectEf(JPKI_EF.AUTH_CERTIFICATE));
 * ```
 */
export const JPKI_EF = {
  /** 署名用電子証明書, readable after VERIFY of 001B. */
  SIGN_CERTIFICATE: 0x0001,
  /** 署名用CA証明書. */
  SIGN_CA_CERTIFICATE: 0x0002,
  /** Token info: 160-byte CK_TOKEN_INFO. */
  TOKEN_INFO: 0x0006,
  /** Certificate availability: 3 bytes, `8F 8F 00` with both certificates. */
  CERTIFICATE_AVAILABILITY: 0x0008,
  /** Unknown, protected. */
  UNKNOWN_PROTECTED: 0x0009,
  /** 利用者証明用電子証明書. */
  AUTH_CERTIFICATE: 0x000a,
  /** 利用者証明用CA証明書. */
  AUTH_CA_CERTIFICATE: 0x000b,
  /** Auth private key (RSA-2048), unlocked by 0018. */
  AUTH_KEY: 0x0017,
  /** 利用者証明用暗証番号: 4 digits, 3 tries. */
  AUTH_PIN: 0x0018,
  /** Sign private key (RSA-2048), unlocked by 001B. */
  SIGN_KEY: 0x001a,
  /** 署名用パスワード: 6–16 A–Z0–9, 5 tries. */
  SIGN_PIN: 0x001b,
} as const;

/**
 * 券面事項入力補助AP files and keys (jpki-card.md §4).
 *
 * @example
 * ```ts
 * transmit(selectEf(TEXT_EF.BASIC_FOUR));
 * ```
 */
export const TEXT_EF = {
  /** 個人番号: `FF 10 0C` + 12 digits + `FF FF` (17 bytes). */
  MY_NUMBER: 0x0001,
  /** 基本4情報 `FF 20` with the DF21 offset table. */
  BASIC_FOUR: 0x0002,
  /** Integrity record `FF 30` (336 bytes). */
  INTEGRITY: 0x0003,
  /** Card-verifiable certificate `7F 21` (568 bytes). */
  CV_CERTIFICATE: 0x0004,
  /** AP basic info `FF 40` (DF41 byte 2 = extended-length support). */
  BASIC_INFO: 0x0005,
  /** Session-key encryption public key `A1`. */
  SESSION_KEY: 0x0006,
  /** Signed internal-authentication public key `FF 50`. */
  AUTH_PUBLIC_KEY: 0x0007,
  /** Unknown, 16 × FF. */
  UNKNOWN: 0x0008,
  /** 券面事項入力補助用暗証番号: 4 digits, 3 tries. */
  PIN: 0x0011,
  /** A key that is blocked on every card examined. */
  BLOCKED_KEY: 0x0012,
  /** The AP's own signing key (PIN-less internal authentication). */
  AUTH_KEY: 0x0013,
  /** 照合番号A = the 12-digit 個人番号. */
  VERIFICATION_A: 0x0014,
  /** 照合番号B: 14 digits. */
  VERIFICATION_B: 0x0015,
} as const;

/**
 * 券面事項確認AP files and keys (jpki-card.md §5.1).
 *
 * @example
 * ```ts
 * transmit(selectEf(FACE_EF.CARD_FACE));
 * ```
 */
export const FACE_EF = {
  /** Age record `FF 10` (birth date key). */
  AGE: 0x0001,
  /** Card face `FF 20` (照合番号A or B). */
  CARD_FACE: 0x0002,
  /** AP basic data `FF 30`. */
  BASIC_DATA: 0x0003,
  /** Card-verifiable certificate `7F 21`. */
  CV_CERTIFICATE: 0x0004,
  /** Rendered 個人番号 `FF 40` (照合番号A only). */
  MY_NUMBER_IMAGE: 0x0005,
  /** Unknown, 16 × FF. */
  UNKNOWN: 0x0006,
  /** Birth-date key: 6 digits, era YYMMDD. */
  BIRTH_DATE_KEY: 0x0011,
  /** 照合番号B (14 digits). */
  VERIFICATION_B: 0x0012,
  /** 照合番号A (12 digits). */
  VERIFICATION_A: 0x0013,
} as const;

/**
 * 共通カードAP files and keys (jpki-card.md §6).
 *
 * @example
 * ```ts
 * transmit(selectEf(COMMON_EF.CARD_RECORD));
 * ```
 */
export const COMMON_EF = {
  /** Record EF: record 1 = `01 1C` + 28 ASCII digits (serial + municipality + expiry). */
  CARD_RECORD: 0x0001,
  /** 住基 (個人番号カード用) PIN: 4 digits, 3 tries. */
  RESIDENT_PIN: 0x001c,
} as const;
