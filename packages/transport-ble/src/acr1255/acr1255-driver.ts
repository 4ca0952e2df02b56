/**
 * The ACS ACR1255U-J1 driver: recognises `ACR1255U-J1-…` advertisements, speaks both GATT
 * generations (legacy `FFF0`, V2 `3C4AFFF0-…`; transports.md §4.2) and opens an authenticated,
 * encrypted session (§4.3–4.4). With the public default master key the link has no real secrecy:
 * the driver says so in `linkSecurity` and through `onWarning`.
 *
 * @example
 * ```ts
 * const driver = acr1255Driver({ masterKey: customKey16 });
 * const provider = new BleTransportProvider({ drivers: [driver] });
 * ```
 */
import { assertBytes } from '@kakunin/core/transport';
import type {
  BleAdvertisement,
  BleReaderDriver,
  DriverOpenOptions,
  GattLink,
  ReaderSession,
} from '../driver.js';
import { Acr1255Session } from './acr1255-session.js';
import { type AesCbc, nodeAesCbc } from './aes-cbc.js';
import {
  ACR1255_DEFAULT_MASTER_KEY,
  ACR1255_GATT,
  ACR1255_NAME_PREFIX,
  AES_BLOCK_LENGTH,
} from './constants.js';

export interface Acr1255DriverOptions {
  /** Customer Master Key, 16 bytes (default: the public "ACR1255U-J1 Auth"). */
  readonly masterKey?: Uint8Array;
  /** AES-128-CBC implementation (default: node:crypto). */
  readonly cipher?: AesCbc;
  /** Random source for RND_B (default: crypto.getRandomValues). */
  readonly random?: (length: number) => Uint8Array;
  /** Hard limit for one reader answer, ms (default 15 000). */
  readonly responseTimeoutMs?: number;
  /** Hard limit per authentication step, ms (default 5000). */
  readonly authenticationTimeoutMs?: number;
}

/** What `linkSecurity` says with the public default key (transports.md §4.4 security consequence). */
export const DEFAULT_KEY_LINK_SECURITY =
  'BLE AES-128 with the PUBLIC default master key: no real secrecy; a nearby sniffer can decrypt PIN APDUs';
/** What `linkSecurity` says with a custom key. */
export const CUSTOM_KEY_LINK_SECURITY =
  'BLE AES-128-CBC (zero IV) under a session key from a custom master key: confidentiality, no MAC';

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

function defaultRandom(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/**
 * Creates the ACR1255U-J1 driver.
 *
 * @example
 * ```ts
 * acr1255Driver().matches({ localName: 'ACR1255U-J1-003152', serviceUuids: [], manufacturerData: undefined }); // true
 * ```
 */
export function acr1255Driver(options: Acr1255DriverOptions = {}): BleReaderDriver {
  const masterKey = options.masterKey ?? ACR1255_DEFAULT_MASTER_KEY;
  assertBytes(masterKey, 'acr1255Driver: masterKey');
  if (masterKey.length !== AES_BLOCK_LENGTH)
    throw new RangeError(`acr1255Driver: masterKey must be 16 bytes, got ${masterKey.length}`);
  const key = masterKey.slice();
  const isDefaultKey = sameBytes(key, ACR1255_DEFAULT_MASTER_KEY);
  const cipher = options.cipher ?? nodeAesCbc();
  const random = options.random ?? defaultRandom;
  return {
    family: 'ACS ACR1255U-J1',
    profiles: [ACR1255_GATT.v2, ACR1255_GATT.legacy],
    wiredNamePattern: /ACR1255U/i,
    matches(advertisement: BleAdvertisement): boolean {
      if (advertisement.localName?.startsWith(ACR1255_NAME_PREFIX) === true) return true;
      return advertisement.serviceUuids.some(
        (uuid) => uuid === ACR1255_GATT.v2.service || uuid === ACR1255_GATT.legacy.service,
      );
    },
    async open(link: GattLink, openOptions: DriverOpenOptions): Promise<ReaderSession> {
      if (isDefaultKey) {
        openOptions.onWarning?.({
          code: 'default-master-key',
          readerId: link.id,
          message:
            'ACR1255U-J1 uses the public default master key: the Bluetooth link gives no real secrecy for PIN APDUs; set a custom master key',
        });
      }
      return Acr1255Session.open(link, {
        masterKey: key,
        cipher,
        random,
        linkSecurity: isDefaultKey ? DEFAULT_KEY_LINK_SECURITY : CUSTOM_KEY_LINK_SECURITY,
        ...(options.responseTimeoutMs === undefined ? {} : { responseTimeoutMs: options.responseTimeoutMs }),
        ...(options.authenticationTimeoutMs === undefined
          ? {}
          : { authenticationTimeoutMs: options.authenticationTimeoutMs }),
        ...(openOptions.signal === undefined ? {} : { signal: openOptions.signal }),
      });
    },
  };
}
