/**
 * My Number Card identifiers: AIDs, EFs, SFIs, PIN references and token labels.
 * Source: ../shared/spec/jpki-card.md §2 (AIDs), §3 (JPKI AP), §4 (text AP), §5 (card-face AP), §8 (PINs).
 *
 * @example
 * ```ts
 * session.send({ cla: 0, ins: INS.SELECT, p1: 0x04, p2: 0x0c, data: AID.JPKI });
 * ```
 */
const bytes = (...values: number[]): Uint8Array => Uint8Array.from(values);

/** Application identifiers (jpki-card.md §2): always select with the full 10 bytes. */
export const AID = {
  /** 公的個人認証AP. */
  JPKI: bytes(0xd3, 0x92, 0xf0, 0x00, 0x26, 0x01, 0x00, 0x00, 0x00, 0x01),
  /** 券面事項入力補助AP (text AP). */
  TEXT: bytes(0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x08),
  /** 券面事項確認AP (card-face AP). */
  FACE: bytes(0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x02),
  /** 住基AP. */
  JUKI: bytes(0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x04, 0x01),
  /** 共通カードAP. */
  COMMON: bytes(0xd3, 0x92, 0x10, 0x00, 0x31, 0x00, 0x01, 0x01, 0x01, 0x00),
} as const;

/** An elementary file: its 2-byte FID and, where short-EF addressing applies, its SFI (= low byte). */
export interface ElementaryFile {
  readonly fid: number;
  readonly sfi: number;
  readonly label: string;
}

const ef = (fid: number, label: string): ElementaryFile => ({ fid, sfi: fid & 0x1f, label });

/** JPKI AP files (jpki-card.md §3.1). */
export const JPKI_EF = {
  SIGN_CERTIFICATE: ef(0x0001, 'sign certificate'),
  SIGN_CA_CERTIFICATE: ef(0x0002, 'sign CA certificate'),
  TOKEN_INFO: ef(0x0006, 'token info'),
  CERTIFICATE_AVAILABILITY: ef(0x0008, 'certificate availability'),
  AUTH_CERTIFICATE: ef(0x000a, 'auth certificate'),
  AUTH_CA_CERTIFICATE: ef(0x000b, 'auth CA certificate'),
  AUTH_KEY: ef(0x0017, 'auth private key'),
  AUTH_PIN: ef(0x0018, 'auth PIN'),
  SIGN_KEY: ef(0x001a, 'sign private key'),
  SIGN_PIN: ef(0x001b, 'sign password'),
} as const;

/** 券面事項入力補助AP files (jpki-card.md §4). */
export const TEXT_EF = {
  MY_NUMBER: ef(0x0001, 'my number'),
  BASIC_FOUR: ef(0x0002, 'basic four'),
  INTEGRITY: ef(0x0003, 'integrity record'),
  CV_CERTIFICATE: ef(0x0004, 'CV certificate'),
  BASIC_INFO: ef(0x0005, 'AP basic info'),
  PIN: ef(0x0011, 'card-info PIN'),
  PIN_A: ef(0x0014, '照合番号A'),
  PIN_B: ef(0x0015, '照合番号B'),
} as const;

/** 券面事項確認AP files (jpki-card.md §5.1). */
export const FACE_EF = {
  AGE: ef(0x0001, 'age record'),
  CARD_FACE: ef(0x0002, 'card face'),
  BASIC_DATA: ef(0x0003, 'AP basic data'),
  CV_CERTIFICATE: ef(0x0004, 'CV certificate'),
  MY_NUMBER_IMAGE: ef(0x0005, 'rendered my number'),
  BIRTH_KEY: ef(0x0011, 'birth-date key'),
  PIN_B: ef(0x0012, '照合番号B'),
  PIN_A: ef(0x0013, '照合番号A'),
} as const;

/** Token labels: first 32 bytes of JPKI EF 0006, space padded (jpki-card.md §3.2). */
export const TOKEN_LABEL = {
  CARD: 'JPKIAPICCTOKEN2',
  JUKI_CARD: 'JPKIAPICCTOKEN',
  ANDROID: 'JPKIAPGPSETOKEN',
  IPHONE: 'JPKIAPIOSTOKEN',
} as const;

/** Length of the token label field in EF 0006. */
export const TOKEN_LABEL_LENGTH = 32;

/** EF 0008 byte 0 when the sign certificate is present (jpki-card.md §3.1). */
export const CERTIFICATE_PRESENT = 0x8f;

/** SELECT P1/P2 (jpki-card.md §9): by DF name / EF under current DF, no FCI. */
export const SELECT_P1_BY_NAME = 0x04;
export const SELECT_P1_EF = 0x02;
export const SELECT_P2_NO_FCI = 0x0c;
/** P2 bit 8 set: "specific reference data" / key in current EF; low 5 bits may carry an SFI (jpki-card.md §9). */
export const P2_CURRENT_OR_SFI = 0x80;
/** READ BINARY P1 bit 8: P1 low 5 bits are an SFI, P2 the 8-bit offset (ISO 7816-4 §7.2.3). */
export const READ_BINARY_SFI = 0x80;
/** CHANGE REFERENCE DATA P1 = 01: only the new value is sent (jpki-card.md §9). */
export const CHANGE_P1_NEW_ONLY = 0x01;
/** COMPUTE DIGITAL SIGNATURE P1 = 00: caller supplies a DigestInfo, card pads PKCS#1 v1.5 (jpki-card.md §10). */
export const SIGN_P1_DIGEST_INFO = 0x00;
/** Largest READ BINARY offset expressible in P1‖P2 (15 bits). */
export const MAX_READ_OFFSET = 0x7fff;
