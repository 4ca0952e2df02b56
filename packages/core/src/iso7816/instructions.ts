/**
 * Instruction bytes (ISO 7816-4 §5.1.2 table 4; JPKI proprietary ones from jpki-card.md §9).
 *
 * @example
 * ```ts
 * encodeCommand({ cla: CLA.ISO, ins: INS.SELECT, p1: 0x04, p2: 0x0c, data: aid });
 * ```
 */
export const INS = {
  VERIFY: 0x20,
  CHANGE_REFERENCE_DATA: 0x24,
  /** JPKI COMPUTE DIGITAL SIGNATURE is sent as CLA 80 INS 2A (jpki-card.md §9). */
  PERFORM_SECURITY_OPERATION: 0x2a,
  RESET_RETRY_COUNTER: 0x2c,
  /** JICSAP CHANGE KEY (CLA 80), used by 住基/共通 APs (jpki-card.md §6). */
  JICSAP_CHANGE_KEY: 0x32,
  GET_CHALLENGE: 0x84,
  INTERNAL_AUTHENTICATE: 0x88,
  SELECT: 0xa4,
  READ_BINARY: 0xb0,
  READ_RECORD: 0xb2,
  GET_RESPONSE: 0xc0,
  GET_DATA: 0xca,
} as const;

export const CLA = {
  ISO: 0x00,
  PROPRIETARY: 0x80,
} as const;

/** Instructions whose data field is a secret and must never be traced or logged. */
export const SECRET_BEARING_INS: ReadonlySet<number> = new Set([
  INS.VERIFY,
  INS.CHANGE_REFERENCE_DATA,
  INS.RESET_RETRY_COUNTER,
  INS.JICSAP_CHANGE_KEY,
]);
