/**
 * A latency model for APDUs over an ACR1255U-J1 Bluetooth link: APDU count × link round trip,
 * so that the cost of each extra APDU in a PIN-mode check is visible before anyone measures a
 * real reader. Pure arithmetic over stated assumptions:
 *
 * - every APDU is one encrypted frame each way: `05 ‖ len ‖ AES(7-byte header ‖ APDU, FF-padded
 *   to 16) ‖ checksum ‖ 0A` (transports.md §4.3–4.4);
 * - the frame travels in 20-byte pieces (manual §5.5); each host write is an ATT Write Request
 *   whose Write Response comes one connection interval later (write with response = flow control);
 * - the reader's answer starts in the next connection event and fits `notificationsPerEvent`
 *   20-byte notifications per event;
 * - card processing time is added per APDU kind from `cardTimeMs` (0 unless given).
 *
 * Connection intervals and their sources are in {@link LINK_PROFILES}.
 *
 * @example
 * ```ts
 * const estimate = estimatePinCheckLatency(LINK_PROFILES[2]!);
 * console.log(estimate.apdus.length, estimate.totalMs, estimate.perExtraApduMs);
 * ```
 */

/** One link setting with where its number comes from. */
export interface LinkProfile {
  readonly name: string;
  /** BLE connection interval in ms. */
  readonly connectionIntervalMs: number;
  /** 20-byte notifications the stack fits into one connection event. */
  readonly notificationsPerEvent: number;
  readonly source: string;
}

/**
 * Connection intervals seen on the platforms clinics use. `notificationsPerEvent` is 1 (worst
 * case) except where marked: several packets per event are possible (Nordic DevZone 106337,
 * "you can send multiple packets per connection event").
 *
 * @example
 * ```ts
 * LINK_PROFILES.map((profile) => profile.connectionIntervalMs); // [7.5, 15, 30, 50, 50]
 * ```
 */
export const LINK_PROFILES: readonly LinkProfile[] = [
  {
    name: 'BLE core minimum (7.5 ms)',
    connectionIntervalMs: 7.5,
    notificationsPerEvent: 4,
    source:
      'Bluetooth Core Specification minimum connection interval 7.5 ms (Silicon Labs, "Selecting Suitable Connection Parameters for Apple Devices")',
  },
  {
    name: 'Android CONNECTION_PRIORITY_HIGH (15 ms)',
    connectionIntervalMs: 15,
    notificationsPerEvent: 1,
    source:
      'Android BluetoothGatt.CONNECTION_PRIORITY_HIGH: 11.25–15 ms on Android 6+ (Nordic Kotlin-BLE-Library BleGattConnectionPriority.HIGH)',
  },
  {
    name: 'iPhone/iPad (30 ms)',
    connectionIntervalMs: 30,
    notificationsPerEvent: 1,
    source:
      'Apple Accessory Design Guidelines "Connection Parameters": Interval Min ≥ 15 ms, a 15 ms request may be scaled to 30 ms',
  },
  {
    name: 'Android balanced, default (50 ms)',
    connectionIntervalMs: 50,
    notificationsPerEvent: 1,
    source:
      'Android CONNECTION_PRIORITY_BALANCED: roughly 30–50 ms (flutter_splendid_ble BleConnectionPriority docs)',
  },
  {
    name: 'Linux BlueZ default (50 ms)',
    connectionIntervalMs: 50,
    notificationsPerEvent: 1,
    source:
      'Linux net/bluetooth/hci_core.c hci_alloc_dev(): le_conn_min_interval 0x0018 (30 ms), le_conn_max_interval 0x0028 (50 ms)',
  },
];

/** One APDU of a flow: its name and command/response sizes in bytes (response includes SW). */
export interface ApduShape {
  readonly name: string;
  readonly commandLength: number;
  readonly responseLength: number;
  /** Card processing kind, keyed into `cardTimeMs`. */
  readonly kind?: 'select' | 'verify' | 'sign' | 'read' | 'query';
}

export interface ApduCost extends ApduShape {
  readonly writes: number;
  readonly notifications: number;
  readonly connectionEvents: number;
  readonly linkMs: number;
  readonly cardMs: number;
}

export interface LatencyEstimate {
  readonly profile: LinkProfile;
  readonly apdus: readonly ApduCost[];
  readonly totalMs: number;
  readonly linkMs: number;
  /** Cost of one more small APDU (a SELECT or a retry query) on this link. */
  readonly perExtraApduMs: number;
}

/** Outer frame overhead: start + 2 length + checksum + stop (transports.md §4.3). */
const FRAME_OVERHEAD = 5;
/** Inner CCID-like header (transports.md §4.3). */
const MESSAGE_HEADER = 7;
/** AES block (transports.md §4.4). */
const AES_BLOCK = 16;
/** GATT piece size (manual §5.5). */
const PIECE = 20;

function encryptedFrameLength(payload: number): number {
  return FRAME_OVERHEAD + Math.ceil((MESSAGE_HEADER + payload) / AES_BLOCK) * AES_BLOCK;
}

/**
 * Cost of one APDU on a link.
 *
 * @example
 * ```ts
 * apduCost({ name: 'SELECT', commandLength: 15, responseLength: 2 }, LINK_PROFILES[2]!).linkMs; // 120
 * ```
 */
export function apduCost(
  shape: ApduShape,
  profile: LinkProfile,
  cardTimeMs: Readonly<Partial<Record<NonNullable<ApduShape['kind']>, number>>> = {},
): ApduCost {
  const writes = Math.ceil(encryptedFrameLength(shape.commandLength) / PIECE);
  const notifications = Math.ceil(encryptedFrameLength(shape.responseLength) / PIECE);
  const connectionEvents = writes + Math.ceil(notifications / profile.notificationsPerEvent);
  const linkMs = connectionEvents * profile.connectionIntervalMs;
  const cardMs = shape.kind === undefined ? 0 : (cardTimeMs[shape.kind] ?? 0);
  return { ...shape, writes, notifications, connectionEvents, linkMs, cardMs };
}

/** SELECT by AID / by FID, retry query, VERIFY, SIGN, READ BINARY (jpki-card.md §8–§11). */
const SELECT_JPKI_AP = 4 + 1 + 10;
const SELECT_EF = 4 + 1 + 2;
const RETRY_QUERY = 4;
const VERIFY_AUTH_PIN = 4 + 1 + 4;
const SIGN_SHA256_DIGEST_INFO = 4 + 1 + 51 + 1;
const READ_BINARY = 4 + 1;
const SW = 2;
const RSA_2048_SIGNATURE = 256;
const SHORT_READ_CHUNK = 256;

/**
 * The APDUs of a PIN-mode qualification check with the 利用者証明用 key (jpki-card.md §8–§11):
 * SELECT JPKI AP, SELECT PIN EF, retry-counter query, VERIFY, SELECT key EF, SIGN, SELECT cert EF,
 * READ BINARY in 256-byte chunks. `shortcuts` uses the short-EF forms (`P2 = 80|SFI`) that save
 * the SELECTs (jpki-card.md §8, §10).
 *
 * @example
 * ```ts
 * pinCheckApdus({ certificateLength: 1300 }).length; // 13
 * ```
 */
export function pinCheckApdus(
  options: { readonly certificateLength?: number; readonly shortcuts?: boolean } = {},
): ApduShape[] {
  const certificateLength = options.certificateLength ?? 1300;
  const shortcuts = options.shortcuts ?? false;
  const apdus: ApduShape[] = [
    { name: 'SELECT JPKI AP', commandLength: SELECT_JPKI_AP, responseLength: SW, kind: 'select' },
  ];
  if (!shortcuts)
    apdus.push({
      name: 'SELECT EF 0018 (auth PIN)',
      commandLength: SELECT_EF,
      responseLength: SW,
      kind: 'select',
    });
  apdus.push(
    { name: 'retry-counter query', commandLength: RETRY_QUERY, responseLength: SW, kind: 'query' },
    { name: 'VERIFY auth PIN', commandLength: VERIFY_AUTH_PIN, responseLength: SW, kind: 'verify' },
  );
  if (!shortcuts)
    apdus.push({
      name: 'SELECT EF 0017 (auth key)',
      commandLength: SELECT_EF,
      responseLength: SW,
      kind: 'select',
    });
  apdus.push({
    name: 'COMPUTE DIGITAL SIGNATURE',
    commandLength: SIGN_SHA256_DIGEST_INFO,
    responseLength: RSA_2048_SIGNATURE + SW,
    kind: 'sign',
  });
  if (!shortcuts)
    apdus.push({
      name: 'SELECT EF 000A (auth cert)',
      commandLength: SELECT_EF,
      responseLength: SW,
      kind: 'select',
    });
  for (let offset = 0; offset < certificateLength; offset += SHORT_READ_CHUNK) {
    const chunk = Math.min(SHORT_READ_CHUNK, certificateLength - offset);
    apdus.push({
      name: `READ BINARY @${offset}`,
      commandLength: READ_BINARY,
      responseLength: chunk + SW,
      kind: 'read',
    });
  }
  return apdus;
}

/**
 * Estimates a PIN-mode check on one link profile.
 *
 * @example
 * ```ts
 * const { totalMs, perExtraApduMs } = estimatePinCheckLatency(LINK_PROFILES[3]!);
 * ```
 */
export function estimatePinCheckLatency(
  profile: LinkProfile,
  options: {
    readonly certificateLength?: number;
    readonly shortcuts?: boolean;
    readonly cardTimeMs?: Readonly<Partial<Record<NonNullable<ApduShape['kind']>, number>>>;
  } = {},
): LatencyEstimate {
  if (!(profile.connectionIntervalMs > 0) || !(profile.notificationsPerEvent >= 1))
    throw new RangeError(
      'estimatePinCheckLatency: profile needs a positive interval and ≥ 1 notification per event',
    );
  const apdus = pinCheckApdus(options).map((shape) => apduCost(shape, profile, options.cardTimeMs));
  const linkMs = apdus.reduce((sum, apdu) => sum + apdu.linkMs, 0);
  const totalMs = linkMs + apdus.reduce((sum, apdu) => sum + apdu.cardMs, 0);
  const perExtraApduMs = apduCost(
    { name: 'SELECT EF', commandLength: SELECT_EF, responseLength: SW },
    profile,
  ).linkMs;
  return { profile, apdus, totalMs, linkMs, perExtraApduMs };
}
