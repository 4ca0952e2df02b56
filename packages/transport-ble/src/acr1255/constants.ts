/**
 * Named bytes of the ACS ACR1255U-J1 Bluetooth protocol. Every value cites
 * ../shared/spec/transports.md §4 (which cites the ACR1255U-J1 Reference Manual V1.01 §5.2–5.7,
 * BryanJacobs/FIDOk ACR1255U.kt and obniz/obniz parts/Ble/acr1255).
 *
 * @example
 * ```ts
 * import { ACR1255_MESSAGE } from '@kakunin/transport-ble';
 * ACR1255_MESSAGE.APDU; // 0x6f
 * ```
 */

/** Outer frame start byte (transports.md §4.3, manual §5.4). */
export const FRAME_START = 0x05;
/** Outer frame stop byte (transports.md §4.3, manual §5.4). */
export const FRAME_STOP = 0x0a;
/** Start byte + 2 length bytes (transports.md §4.3). */
export const FRAME_HEADER_LENGTH = 3;
/** Checksum byte + stop byte (transports.md §4.3). */
export const FRAME_TRAILER_LENGTH = 2;
/** The length field is 16-bit big-endian (transports.md §4.3 "Maximum size"). */
export const FRAME_MAX_DATA_LENGTH = 0xffff;

/** Inner CCID-like header: type, length (2), slot, sequence, parameter, checksum (transports.md §4.3). */
export const MESSAGE_HEADER_LENGTH = 7;
/** Offset of the inner checksum byte (transports.md §4.3 table, offset 6). */
export const MESSAGE_CHECKSUM_OFFSET = 6;
/** The reader has one slot, `00` (transports.md §4.3). */
export const MESSAGE_SLOT = 0x00;

/**
 * Inner message types (transports.md §4.3, manual §5.6 Tables 6–7).
 *
 * @example
 * ```ts
 * if (message.type === ACR1255_MESSAGE.NOTIFY_CARD_STATUS) onCardStatus(message.parameter);
 * ```
 */
export const ACR1255_MESSAGE = {
  /** host → reader: PICC power on (answer: data block with the ATR). */
  POWER_ON: 0x62,
  /** host → reader: PICC power off (answer: slot status). */
  POWER_OFF: 0x63,
  /** host → reader: get card status (answer: slot status). */
  GET_CARD_STATUS: 0x65,
  /** host → reader: escape command (answer: escape response). */
  ESCAPE: 0x6b,
  /** host → reader: exchange APDU (answer: data block). */
  APDU: 0x6f,
  /** reader → host: data block (ATR or response APDU). */
  DATA_BLOCK: 0x80,
  /** reader → host: slot status; parameter = card state. */
  SLOT_STATUS: 0x81,
  /** reader → host: escape response. */
  ESCAPE_RESPONSE: 0x83,
  /** reader → host, unsolicited: card status changed; parameter = present/absent. */
  NOTIFY_CARD_STATUS: 0x50,
  /** reader → host: hardware error; parameter = error code. */
  HARDWARE_ERROR: 0x51,
} as const;

/** Slot status parameter of `81h` (transports.md §4.3, manual §5.6.3). */
export const SLOT_STATUS = {
  PRESENT_ACTIVE: 0x00,
  PRESENT_INACTIVE: 0x01,
  ABSENT: 0x02,
} as const;

/** Parameter of the unsolicited `50h` notification (transports.md §4.3). */
export const NOTIFY_CARD = {
  PRESENT: 0x02,
  ABSENT: 0x03,
} as const;

/** Parameter of `51h` hardware errors (transports.md §4.3, manual §5.6.6, §5.7.6; FIDOk adds 07). */
export const HARDWARE_ERROR = {
  CHECKSUM: 0x01,
  TIMEOUT: 0x02,
  COMMAND: 0x03,
  UNAUTHORIZED: 0x04,
  UNDEFINED: 0x05,
  RECEIVE_DATA: 0x06,
  AUTHENTICATION_RETRIES_EXCEEDED: 0x07,
} as const;

/**
 * APDU parameter bits when a command is cut into ≤ 256-byte `6Fh` chunks: FIDOk's implementation,
 * not in the cited manual sections (transports.md §4.3 "Maximum size", unconfirmed).
 */
export const APDU_PARAMETER = {
  MORE_FOLLOWS: 0x01,
  CONTINUATION: 0x02,
} as const;
/** Largest command chunk per `6Fh` message (FIDOk; transports.md §4.3, unconfirmed). */
export const APDU_CHUNK_LENGTH = 256;

/** Escape command prefix host → reader and response prefix reader → host (transports.md §4.3). */
export const ESCAPE_COMMAND_PREFIX = 0xe0;
export const ESCAPE_RESPONSE_PREFIX = 0xe1;

/**
 * Escape command codes (4th byte of `E0 00 00 xx …`; transports.md §4.3 escape table, §4.4).
 *
 * @example
 * ```ts
 * const firmware = Uint8Array.of(0xe0, 0x00, 0x00, ACR1255_ESCAPE.FIRMWARE_VERSION, 0x00);
 * ```
 */
export const ACR1255_ESCAPE = {
  /** `E0 00 00 18 00`: firmware version (FIDOk). */
  FIRMWARE_VERSION: 0x18,
  /** `E0 00 00 21 xx`: LED/buzzer behaviour (manual §6.6.6; FIDOk). */
  LED_BUZZER: 0x21,
  /** `E0 00 00 40 0x`: open/close automatic polling (manual §5.6.7.2; obniz README). */
  AUTOMATIC_POLLING: 0x40,
  /** `E0 00 00 45 00`: SPH_to_RDR_ReqAuth, authentication phase 1 (manual §5.7; transports.md §4.4). */
  AUTHENTICATE_PHASE_1: 0x45,
  /** `E0 00 00 46 00 ‖ 32 bytes`: authentication phase 2 (transports.md §4.4). */
  AUTHENTICATE_PHASE_2: 0x46,
  /** `E0 00 00 48 nn`: sleep timer (skjolber/external-nfc-api; transports.md §4.3). */
  SLEEP_MODE: 0x48,
} as const;

/** `E0 00 00 48 nn` parameter → seconds before the reader sleeps (`04` = never). */
export const SLEEP_MODE_SECONDS: Readonly<Record<number, number>> = {
  0: 60,
  1: 90,
  2: 120,
  3: 180,
  4: Number.POSITIVE_INFINITY,
};

/** AES-128 key and block length (transports.md §4.4). */
export const AES_BLOCK_LENGTH = 16;
/** Random numbers RND_A and RND_B are 16 bytes (transports.md §4.4). */
export const RANDOM_LENGTH = 16;
/** Encrypted data blocks are padded with `FF` to a multiple of 16 (FIDOk wrapFrame; obniz write). */
export const PADDING_BYTE = 0xff;

/**
 * Default Customer Master Key: the ASCII bytes of "ACR1255U-J1 Auth" (transports.md §4.4, FIDOk
 * `ACR_DEFAULT_CMK`, obniz `masterKey`). It is public: with it the BLE link has no real secrecy.
 *
 * @example
 * ```ts
 * new TextDecoder().decode(ACR1255_DEFAULT_MASTER_KEY); // 'ACR1255U-J1 Auth'
 * ```
 */
export const ACR1255_DEFAULT_MASTER_KEY: Uint8Array = Uint8Array.of(
  0x41,
  0x43,
  0x52,
  0x31,
  0x32,
  0x35,
  0x35,
  0x55,
  0x2d,
  0x4a,
  0x31,
  0x20,
  0x41,
  0x75,
  0x74,
  0x68,
);

/** Advertised local names start with this (obniz `isDevice`; transports.md §4.1). */
export const ACR1255_NAME_PREFIX = 'ACR1255U-J1-';

/**
 * GATT layout of both firmware generations (transports.md §4.2), as noble spells UUIDs
 * (lower case, no dashes).
 *
 * @example
 * ```ts
 * ACR1255_GATT.legacy.service; // 'fff0'
 * ```
 */
export const ACR1255_GATT = {
  /** Legacy firmware: 16-bit `FFF0` / `FFF1` command / `FFF2` response + card notification (manual V1.01 Table 4). */
  legacy: { generation: 'legacy', service: 'fff0', write: 'fff1', notify: 'fff2' },
  /** "V2" / SmartCardIO firmware: `3C4AFFF0-4783-3DE5-A983-D348718EF133` (FIDOk; obniz). */
  v2: {
    generation: 'v2',
    service: '3c4afff047833de5a983d348718ef133',
    write: '3c4afff147833de5a983d348718ef133',
    notify: '3c4afff247833de5a983d348718ef133',
  },
} as const;

/** The reader cuts frames into 20-byte notifications and expects 20-byte writes (manual §5.5). */
export const ACR1255_FRAGMENT_LENGTH = 20;
