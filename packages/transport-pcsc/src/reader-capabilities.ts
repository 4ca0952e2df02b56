/**
 * Transport capabilities of a PC/SC connection: short APDUs unless extended length is enabled or
 * the reader says it carries them (PC/SC Part 10 TLV property dwMaxAPDUDataSize, which CCID
 * readers and vpcd report; transports.md §2.5, §3.3).
 *
 * @example
 * ```ts
 * const size = await readMaxApduDataSize(card, binding); // 65536 for vpcd, undefined if unknown
 * const capabilities = pcscCapabilities(atr, { extendedLength: true, maxApduDataSize: size });
 * ```
 */
import type { TransportCapabilities } from '@kakunin/core/transport';
import type { NativeBinding, NativeCard } from './binding/native-binding.js';
import { cardInterfaceFromAtr } from './card-interface.js';

/** CM_IOCTL_GET_FEATURE_REQUEST = SCARD_CTL_CODE(3400) (PC/SC Part 10 v2.02 §2.2). */
const IOCTL_GET_FEATURE_REQUEST = 3400;
/** FEATURE_GET_TLV_PROPERTIES tag (PC/SC Part 10 v2.02 §2.3, table "feature tags"). */
const FEATURE_GET_TLV_PROPERTIES = 0x12;
/** dwMaxAPDUDataSize property tag (PC/SC Part 10 v2.02 §2.6.14): largest APDU data field. */
const PROPERTY_MAX_APDU_DATA_SIZE = 0x0a;
/** Feature entries carry a 4-byte big-endian control code (PC/SC Part 10 §2.2). */
const FEATURE_VALUE_LENGTH = 4;

/** Short case 4: CLA INS P1 P2 Lc(1) data(≤255) Le(1) (ISO/IEC 7816-4 §5.1). */
export const SHORT_MAX_COMMAND = 4 + 1 + 255 + 1;
/** Short response: ≤ 256 data bytes + SW1 SW2 (ISO/IEC 7816-4 §5.1). */
export const SHORT_MAX_RESPONSE = 256 + 2;
/** Extended data field limits: Nc ≤ 65535, Ne ≤ 65536 (ISO/IEC 7816-4 §5.1). */
const EXTENDED_MAX_NC = 65535;
const EXTENDED_MAX_NE = 65536;
/** Extended case 4 header overhead: CLA INS P1 P2, Lc (3 bytes), Le (2 bytes). */
const EXTENDED_OVERHEAD = 4 + 3 + 2;

export interface CapabilityOptions {
  /** Use extended APDUs (default false). */
  readonly extendedLength: boolean;
  /** The reader's dwMaxAPDUDataSize, when known. */
  readonly maxApduDataSize?: number | undefined;
  readonly maxCommandLength?: number | undefined;
  readonly maxResponseLength?: number | undefined;
  readonly linkSecurity: string;
}

export function pcscCapabilities(atr: Uint8Array, options: CapabilityOptions): TransportCapabilities {
  let maxCommandLength = SHORT_MAX_COMMAND;
  let maxResponseLength = SHORT_MAX_RESPONSE;
  if (options.extendedLength) {
    const dataSize = options.maxApduDataSize ?? EXTENDED_MAX_NE;
    maxCommandLength = EXTENDED_OVERHEAD + Math.min(dataSize, EXTENDED_MAX_NC);
    maxResponseLength = Math.min(dataSize, EXTENDED_MAX_NE) + 2;
  }
  return {
    extendedLength: options.extendedLength,
    maxCommandLength: options.maxCommandLength ?? maxCommandLength,
    maxResponseLength: options.maxResponseLength ?? maxResponseLength,
    interface: cardInterfaceFromAtr(atr),
    linkSecurity: options.linkSecurity,
  };
}

/** Parses tag(1) length(1) value TLVs (PC/SC Part 10 feature and property lists). */
function* tlvs(bytes: Uint8Array): Generator<{ tag: number; value: Uint8Array }> {
  let offset = 0;
  while (offset + 2 <= bytes.length) {
    const tag = bytes[offset]!;
    const length = bytes[offset + 1]!;
    const end = offset + 2 + length;
    if (end > bytes.length) return;
    yield { tag, value: bytes.subarray(offset + 2, end) };
    offset = end;
  }
}

/**
 * Asks the reader for dwMaxAPDUDataSize through SCardControl. Undefined when the reader does not
 * answer (many do not implement PC/SC Part 10 properties).
 */
export async function readMaxApduDataSize(
  card: NativeCard,
  binding: NativeBinding,
): Promise<number | undefined> {
  let features: Uint8Array;
  try {
    features = await card.control(binding.controlCode(IOCTL_GET_FEATURE_REQUEST), new Uint8Array(0));
  } catch {
    return undefined;
  }
  let propertiesCode: number | undefined;
  for (const { tag, value } of tlvs(features)) {
    if (tag === FEATURE_GET_TLV_PROPERTIES && value.length === FEATURE_VALUE_LENGTH) {
      propertiesCode = ((value[0]! << 24) | (value[1]! << 16) | (value[2]! << 8) | value[3]!) >>> 0;
    }
  }
  if (propertiesCode === undefined) return undefined;
  let properties: Uint8Array;
  try {
    properties = await card.control(propertiesCode, new Uint8Array(0));
  } catch {
    return undefined;
  }
  for (const { tag, value } of tlvs(properties)) {
    if (tag !== PROPERTY_MAX_APDU_DATA_SIZE || value.length === 0 || value.length > 4) continue;
    // Property values are little-endian (PC/SC Part 10 §2.6.14).
    let size = 0;
    for (let index = value.length - 1; index >= 0; index -= 1) size = size * 256 + value[index]!;
    return size;
  }
  return undefined;
}
