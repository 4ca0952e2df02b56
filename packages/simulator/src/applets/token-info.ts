/**
 * JPKI EF 0006: a 160-byte serialized PKCS#11 `CK_TOKEN_INFO` (PKCS#11 v2.40 §3.2) with 32-bit
 * big-endian integers (jpki-card.md §3.1–§3.2; layout: label 0..32, manufacturerID 32..64,
 * model 64..80, serialNumber 80..96, flags 96, session counts 100–112, max/min PIN length
 * 116/120, memory 124–136, hardware/firmware version 140..144, utcTime 144..160).
 *
 * @example
 * ```ts
 * encodeTokenInfo({ label: 'JPKIAPICCTOKEN2', serialNumber: '400000012719843' }).length; // 160
 * ```
 */

/**
 * Total size of the serialized structure.
 *
 * @example
 * ```ts
 * tokenInfo.length === TOKEN_INFO_LENGTH; // 160
 * ```
 */
export const TOKEN_INFO_LENGTH = 160;
/** CKF_RNG | CKF_LOGIN_REQUIRED | CKF_USER_PIN_INITIALIZED | CKF_TOKEN_INITIALIZED (PKCS#11 §3.2 table 10). */
export const TOKEN_FLAGS_PHYSICAL_CARD = 0x0000040d;
/** Manufacturer and model seen on a physical card ([SOL] parser test, jpki-card.md §3.2). */
const MANUFACTURER_ID = '00000000000000000000000000000001';
const MODEL = 'E16R01NJ';

/**
 * Fields of the token info EF.
 *
 * @example
 * ```ts
 * const fields: TokenInfoFields = { label: 'JPKIAPGPSETOKEN', serialNumber: '1' };
 * ```
 */
export interface TokenInfoFields {
  /** `JPKIAPICCTOKEN2` (card), `JPKIAPGPSETOKEN` (Android), … (jpki-card.md §3.2). */
  readonly label: string;
  readonly serialNumber: string;
  readonly manufacturerId?: string;
  readonly model?: string;
  readonly flags?: number;
  /** Max / min PIN length (16 / 6 on a physical card). */
  readonly maxPinLength?: number;
  readonly minPinLength?: number;
}

function writeText(out: Uint8Array, offset: number, length: number, text: string): void {
  out.fill(0x20, offset, offset + length);
  const bytes = new TextEncoder().encode(text).subarray(0, length);
  out.set(bytes, offset);
}

/**
 * Serializes a CK_TOKEN_INFO the way the card stores it.
 *
 * @example
 * ```ts
 * encodeTokenInfo({ label: 'JPKIAPICCTOKEN2', serialNumber: '400000012719843' });
 * ```
 */
export function encodeTokenInfo(fields: TokenInfoFields): Uint8Array {
  const out = new Uint8Array(TOKEN_INFO_LENGTH);
  const view = new DataView(out.buffer);
  writeText(out, 0, 32, fields.label);
  writeText(out, 32, 32, fields.manufacturerId ?? MANUFACTURER_ID);
  writeText(out, 64, 16, fields.model ?? MODEL);
  writeText(out, 80, 16, fields.serialNumber);
  view.setUint32(96, fields.flags ?? TOKEN_FLAGS_PHYSICAL_CARD);
  view.setUint32(116, fields.maxPinLength ?? 16);
  view.setUint32(120, fields.minPinLength ?? 6);
  // Hardware / firmware version slots hold ASCII "03" / "01" on a physical card (jpki-card.md §3.2).
  writeText(out, 140, 2, '03');
  writeText(out, 142, 2, '01');
  writeText(out, 144, 16, '');
  return out;
}
