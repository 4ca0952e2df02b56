/**
 * The pairing URL shown as a QR code on the PC (docs/protocol.md §1):
 *
 *   kakunin-bridge://HOST:PORT/v1#id=PAIRING_ID&k=PC_STATIC_KEY&t=TOKEN&exp=UNIX_SECONDS
 *
 * HOST:PORT is where the PC's WebSocket listens (ws://HOST:PORT/v1). The secrets sit in the
 * fragment so that no HTTP request line or proxy log ever carries them. All binary fields are
 * unpadded base64url (RFC 4648 §5).
 *
 * @example
 * ```ts
 * const url = formatPairingUrl({ host: '192.168.1.20', port: 47321, pairingId, publicKey, token, expiresAt });
 * const offer = parsePairingUrl(url); // same fields back
 * ```
 */
import { assertBytes, CardError, TransportErrorCode } from '@kakunin/core/transport';
import { decodeBase64Url, encodeBase64Url } from './base64url.js';
import {
  PAIRING_ID_LENGTH,
  PAIRING_TOKEN_LENGTH,
  PAIRING_URL_SCHEME,
  WEBSOCKET_PATH,
  X25519_KEY_LENGTH,
} from './protocol-constants.js';

/** What the QR code carries. */
export interface PairingUrlFields {
  /** Host name or IP literal the phone connects to (IPv6 without brackets). */
  readonly host: string;
  readonly port: number;
  /** Public id of this offer (8 bytes). */
  readonly pairingId: Uint8Array;
  /** The PC's static X25519 public key (32 bytes). */
  readonly publicKey: Uint8Array;
  /** One-time secret (32 bytes), the Noise PSK. */
  readonly token: Uint8Array;
  /** Offer expiry, ms since the epoch (serialised in whole seconds, rounded up). */
  readonly expiresAt: number;
}

/** Longest pairing URL accepted (a QR code of version ≤ 10 at level M holds 213 bytes).
 *
 * @example
 * ```ts
 * if (text.length > MAX_PAIRING_URL_LENGTH) reject();
 * ```
 */
export const MAX_PAIRING_URL_LENGTH = 512;

function invalid(message: string): CardError {
  return new CardError(TransportErrorCode.PROTOCOL, `pairing URL: ${message}`, { remedy: 'bridge.pairing' });
}

/** Builds the pairing URL.
 *
 * @example
 * ```ts
 * const url = formatPairingUrl({ host, port, pairingId, publicKey, token, expiresAt });
 * ```
 */
export function formatPairingUrl(fields: PairingUrlFields): string {
  if (typeof fields.host !== 'string' || fields.host.length === 0)
    throw new TypeError('host must be a string');
  if (!Number.isInteger(fields.port) || fields.port < 1 || fields.port > 0xffff)
    throw new RangeError('port must be 1..65535');
  assertBytes(fields.pairingId, 'pairingId', PAIRING_ID_LENGTH);
  assertBytes(fields.publicKey, 'publicKey', X25519_KEY_LENGTH);
  assertBytes(fields.token, 'token', PAIRING_TOKEN_LENGTH);
  if (!Number.isSafeInteger(fields.expiresAt) || fields.expiresAt < 0)
    throw new RangeError('expiresAt must be a non-negative integer');
  const host = fields.host.includes(':') ? `[${fields.host}]` : fields.host;
  const fragment = [
    `id=${encodeBase64Url(fields.pairingId)}`,
    `k=${encodeBase64Url(fields.publicKey)}`,
    `t=${encodeBase64Url(fields.token)}`,
    `exp=${Math.ceil(fields.expiresAt / 1000)}`,
  ].join('&');
  return `${PAIRING_URL_SCHEME}//${host}:${fields.port}${WEBSOCKET_PATH}#${fragment}`;
}

/** Parses and validates a pairing URL; throws PROTOCOL (remedy `bridge.pairing`) when malformed.
 *
 * @example
 * ```ts
 * const { host, port, publicKey } = parsePairingUrl(scanned);
 * ```
 */
export function parsePairingUrl(text: string): PairingUrlFields {
  if (typeof text !== 'string') throw new TypeError('pairing URL must be a string');
  if (text.length > MAX_PAIRING_URL_LENGTH) throw invalid('too long');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalid('not a URL');
  }
  if (url.protocol !== PAIRING_URL_SCHEME) throw invalid(`scheme must be ${PAIRING_URL_SCHEME}`);
  if (url.pathname !== WEBSOCKET_PATH) throw invalid(`unsupported version path ${url.pathname}`);
  if (url.username !== '' || url.password !== '' || url.search !== '') throw invalid('unexpected parts');
  const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  if (host.length === 0) throw invalid('host missing');
  const port = Number(url.port);
  if (url.port === '' || !Number.isInteger(port) || port < 1 || port > 0xffff) throw invalid('port missing');
  const parameters = new URLSearchParams(url.hash.slice(1));
  const seen = new Set<string>();
  for (const key of parameters.keys()) {
    if (seen.has(key)) throw invalid(`duplicate ${key}`);
    seen.add(key);
  }
  const field = (key: string, length: number): Uint8Array => {
    const bytes = decodeBase64Url(parameters.get(key) ?? '');
    if (bytes === undefined || bytes.length !== length)
      throw invalid(`${key} must be ${length} bytes of base64url`);
    return bytes;
  };
  const expiry = parameters.get('exp') ?? '';
  if (!/^[0-9]{1,12}$/.test(expiry)) throw invalid('exp must be unix seconds');
  return {
    host,
    port,
    pairingId: field('id', PAIRING_ID_LENGTH),
    publicKey: field('k', X25519_KEY_LENGTH),
    token: field('t', PAIRING_TOKEN_LENGTH),
    expiresAt: Number(expiry) * 1000,
  };
}

/** The WebSocket URL a phone connects to for a parsed pairing URL.
 *
 * @example
 * ```ts
 * webSocketUrl({ host: '192.168.1.20', port: 47321 }); // 'ws://192.168.1.20:47321/v1'
 * ```
 */
export function webSocketUrl(fields: Pick<PairingUrlFields, 'host' | 'port'>): string {
  const host = fields.host.includes(':') ? `[${fields.host}]` : fields.host;
  return `ws://${host}:${fields.port}${WEBSOCKET_PATH}`;
}
