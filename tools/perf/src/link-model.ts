/**
 * Modelled time of an APDU flow on slow links, from the APDUs a card actually saw (sizes from the
 * {@link ApduLogEntry} log), so kakunin's and OpenSC's flows are priced by the same rule:
 * time = Σ over APDUs (round trip + bytes / throughput). Card processing time (the RSA signature
 * above all) is the same for every client and is left out.
 *
 * - BLE (ACS ACR1255U-J1): transport-ble's latency model — each APDU is one AES-framed message
 *   each way (`05 ‖ len ‖ AES(7-byte header ‖ APDU) ‖ checksum ‖ 0A`, transports.md §4.3–4.4) cut
 *   into 20-byte GATT pieces (manual §5.5); every host write waits one connection interval for its
 *   Write Response, the answer arrives `notificationsPerEvent` pieces per connection event.
 *   Connection intervals and their sources: `LINK_PROFILES` of ble-latency-model.ts. BLE mode
 *   carries short APDUs only (transports.md §4.3: extended unconfirmed; the transport reports
 *   `extendedLength: false`).
 * - Phone relay (NFC bridge): per APDU one LAN round trip PC ⇄ phone plus the bytes over ISO/IEC
 *   14443 at 106 kbit/s (fc/128, the bit rate every Type B card supports). Android IsoDep defaults
 *   to 261-byte transceives, i.e. short APDUs (transports.md §6.1); iOS accepts Le up to 65 536
 *   (transports.md §6.2). The LAN round trip is an assumption, not a sourced figure: measure it on
 *   site with `kakunin bridge`.
 *
 * @example
 * ```ts
 * const model = LINK_MODELS.find((link) => link.name.startsWith('BLE iPhone'))!;
 * modelFlowMs(model, counter.log); // e.g. 600
 * ```
 */
import { LINK_PROFILES, type LinkProfile } from './ble-latency-model.js';

/** The sizes of one APDU exchange. */
export interface ApduSize {
  readonly commandLength: number;
  readonly responseLength: number;
}

export interface LinkModel {
  readonly name: string;
  /** Whether the link carries extended APDUs (selects which measured flow applies). */
  readonly extendedLength: boolean;
  /** Fixed cost per APDU exchange, ms. */
  readonly roundTripMs: number;
  /** Where the figures come from. */
  readonly source: string;
  /** Time of one exchange on this link, ms. */
  apduMs(size: ApduSize): number;
}

/** Outer frame: start 05 + 2 length bytes + checksum + stop 0A (transports.md §4.3). */
const BLE_FRAME_OVERHEAD = 5;
/** Inner CCID-like message header (transports.md §4.3). */
const BLE_MESSAGE_HEADER = 7;
/** AES-128-CBC block; data blocks are FF-padded to it (transports.md §4.4). */
const AES_BLOCK = 16;
/** GATT write / notification piece (ACR1255U-J1 manual §5.5, transports.md §4.3). */
const GATT_PIECE = 20;

function bleFrameLength(payload: number): number {
  return BLE_FRAME_OVERHEAD + Math.ceil((BLE_MESSAGE_HEADER + payload) / AES_BLOCK) * AES_BLOCK;
}

/**
 * BLE connection events for one APDU (transport-ble latency model, same arithmetic).
 *
 * @example
 * ```ts
 * bleConnectionEvents({ commandLength: 15, responseLength: 2 }, 1); // 4
 * ```
 */
export function bleConnectionEvents(size: ApduSize, notificationsPerEvent: number): number {
  const writes = Math.ceil(bleFrameLength(size.commandLength) / GATT_PIECE);
  const notifications = Math.ceil(bleFrameLength(size.responseLength) / GATT_PIECE);
  return writes + Math.ceil(notifications / notificationsPerEvent);
}

/**
 * A BLE link model from one of transport-ble's link profiles.
 *
 * @example
 * ```ts
 * bleLinkModel(LINK_PROFILES[2]!).apduMs({ commandLength: 15, responseLength: 2 }); // 120
 * ```
 */
export function bleLinkModel(profile: LinkProfile): LinkModel {
  const minimumEvents = bleConnectionEvents(
    { commandLength: 4, responseLength: 2 },
    profile.notificationsPerEvent,
  );
  return {
    name: profile.name.startsWith('BLE') ? profile.name : `BLE ${profile.name}`,
    extendedLength: false,
    roundTripMs: minimumEvents * profile.connectionIntervalMs,
    source: `${profile.source}; framing transports.md §4.3–4.4 (transport-ble latency model)`,
    apduMs: (size) => bleConnectionEvents(size, profile.notificationsPerEvent) * profile.connectionIntervalMs,
  };
}

/** ISO/IEC 14443-2 bit rate fc/128 = 13.56 MHz / 128 ≈ 105.9 kbit/s, in bytes per ms. */
export const NFC_106_BYTES_PER_MS = 13_560_000 / 128 / 8 / 1000;
/** Assumed PC ⇄ phone round trip on a clinic LAN (not sourced; replace with a site measurement). */
export const ASSUMED_LAN_ROUND_TRIP_MS = 10;

/**
 * A phone-relay link model.
 *
 * @example
 * ```ts
 * relayLinkModel({ name: 'Android', extendedLength: false, roundTripMs: 10, source: '…' });
 * ```
 */
export function relayLinkModel(options: {
  readonly name: string;
  readonly extendedLength: boolean;
  readonly roundTripMs: number;
  readonly source: string;
}): LinkModel {
  return {
    ...options,
    apduMs: (size) => options.roundTripMs + (size.commandLength + size.responseLength) / NFC_106_BYTES_PER_MS,
  };
}

const RELAY_SOURCE =
  `LAN round trip ${ASSUMED_LAN_ROUND_TRIP_MS} ms assumed (not sourced; measure on site); ` +
  'NFC ISO/IEC 14443 106 kbit/s (fc/128)';

export interface LinkModelOptions {
  /**
   * The relay software's own cost per APDU, measured on loopback (relay-loopback.ts), added to
   * the assumed LAN round trip. Default 0.
   */
  readonly relaySoftwareMsPerApdu?: { readonly short?: number; readonly extended?: number };
}

/**
 * The links in the results table: BLE at every connection interval of transport-ble's profiles,
 * and the phone relay with short (Android default) and extended (iOS) APDUs.
 *
 * @example
 * ```ts
 * linkModels({ relaySoftwareMsPerApdu: { short: 0.4, extended: 0.5 } }).map((link) => link.name);
 * ```
 */
export function linkModels(options: LinkModelOptions = {}): LinkModel[] {
  const software = (value: number | undefined): { ms: number; note: string } =>
    value === undefined || value <= 0
      ? { ms: 0, note: '' }
      : { ms: value, note: ` + relay software ${value.toFixed(2)} ms/APDU measured on loopback` };
  const short = software(options.relaySoftwareMsPerApdu?.short);
  const extended = software(options.relaySoftwareMsPerApdu?.extended);
  return [
    ...LINK_PROFILES.map(bleLinkModel),
    relayLinkModel({
      name: 'phone relay, Android (IsoDep 261 B: short APDUs)',
      extendedLength: false,
      roundTripMs: ASSUMED_LAN_ROUND_TRIP_MS + short.ms,
      source: `${RELAY_SOURCE}${short.note}; Android IsoDep default 261-byte transceive (transports.md §6.1)`,
    }),
    relayLinkModel({
      name: 'phone relay, iPhone (Le up to 65 536: extended)',
      extendedLength: true,
      roundTripMs: ASSUMED_LAN_ROUND_TRIP_MS + extended.ms,
      source: `${RELAY_SOURCE}${extended.note}; Core NFC expectedResponseLength ≤ 65 536 (transports.md §6.2)`,
    }),
  ];
}

/**
 * The link models without measured relay software cost.
 *
 * @example
 * ```ts
 * LINK_MODELS.map((link) => link.name);
 * ```
 */
export const LINK_MODELS: readonly LinkModel[] = linkModels();

/**
 * Modelled time of a flow on a link, ms.
 *
 * @example
 * ```ts
 * modelFlowMs(LINK_MODELS[0]!, counter.log);
 * ```
 */
export function modelFlowMs(link: LinkModel, flow: readonly ApduSize[]): number {
  let total = 0;
  for (const size of flow) total += link.apduMs(size);
  return total;
}
