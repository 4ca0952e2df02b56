/**
 * Inner messages: the plaintext of the handshake payloads and of every TRANSPORT frame
 * (docs/protocol.md §6). Byte 0 is the type; APDU-carrying messages are binary (so a PIN never
 * becomes an immutable string), control messages are UTF-8 JSON capped at 4096 bytes.
 *
 * @example
 * ```ts
 * const bytes = encodeMessage({ type: 'apdu', requestId: 1, timeoutMs: 5000, command });
 * const message = decodeMessage(bytes); // { type: 'apdu', requestId: 1, ... }
 * ```
 */
import {
  assertBytes,
  bytesToHex,
  CardError,
  hexToBytes,
  type RemedyKey,
  TransportErrorCode,
} from '@kakunin/core/transport';
import {
  cleanText,
  isPhoneRemedy,
  PHONE_SITUATIONS,
  type PhoneCapabilities,
  type PhoneErrorReport,
  type PhoneHello,
  type PhoneSituation,
} from './phone-report.js';
import { MAX_CONTROL_BODY_LENGTH } from './protocol-constants.js';

/** Message type bytes (docs/protocol.md §6).
 *
 * @example
 * ```ts
 * MessageType.APDU; // 0x10
 * ```
 */
export const MessageType = {
  HELLO: 0x01,
  WELCOME: 0x02,
  APDU: 0x10,
  APDU_RESPONSE: 0x11,
  ERROR: 0x12,
  CARD_INSERT: 0x20,
  CARD_REMOVE: 0x21,
  PHONE_STATUS: 0x22,
  RESET: 0x30,
  RESET_RESULT: 0x31,
  RELEASE: 0x32,
  PING: 0x40,
  PONG: 0x41,
  CLOSE: 0x50,
} as const;

/** RESET kind byte (docs/protocol.md §6.4). */
const RESET_COLD = 0x01;
const RESET_WARM = 0x02;
/** Request id and timeout fields are unsigned 32-bit big-endian. */
const U32_LENGTH = 4;
/** Largest ATR (ISO 7816-3 §8.2.1: TS + 32 bytes). */
const MAX_ATR_LENGTH = 33;
/** Bounds of a capability number: nothing below an APDU header, nothing above extended APDUs. */
const MIN_TRANSCEIVE = 4;
const MAX_TRANSCEIVE = 65_544;
const MAX_RESPONSE = 65_538;
const MAX_TIMEOUT_MS = 600_000;
/** AIDs are 5..16 bytes (ISO 7816-4 §8.2.1.2). */
const AID_HEX_PATTERN = /^(?:[0-9A-F]{2}){5,16}$/;
/** Longest AID list and label strings accepted. */
const MAX_AIDS = 32;
const MAX_LABEL_LENGTH = 64;

/** The PC's answer inside handshake message 2. */
export interface SessionWelcome {
  /** Reader id this phone has on the PC. */
  readonly readerId: string;
  /** Session end, ms since the epoch; pair again after it. */
  readonly sessionExpiresAt: number;
  readonly idleTimeoutMs: number;
  readonly heartbeatIntervalMs: number;
  readonly maxFrameLength: number;
}

/** Tag details the phone reports when a card arrives. */
export interface CardInsertInfo {
  /** ATR (PC/SC part 3 style, built from historical bytes / ATQB — transports.md §6.1). */
  readonly atr: Uint8Array;
  /** ISO 14443-4 Type A historical bytes (`IsoDep.getHistoricalBytes()`). */
  readonly historicalBytes?: Uint8Array;
  /** Type B higher-layer response (`IsoDep.getHiLayerResponse()`). */
  readonly hiLayerResponse?: Uint8Array;
  readonly technology?: 'A' | 'B';
  /** Per-tag overrides of the capability report. */
  readonly maxTransceiveLength?: number;
  readonly extendedLength?: boolean;
}

/** Phone-level state: NFC on/off, permissions. */
export interface PhoneStatus {
  readonly ready: boolean;
  readonly situation?: PhoneSituation;
  readonly remedy?: RemedyKey;
  readonly message?: string;
}

export type BridgeMessage =
  | { readonly type: 'hello'; readonly hello: PhoneHello }
  | { readonly type: 'welcome'; readonly welcome: SessionWelcome }
  | {
      readonly type: 'apdu';
      readonly requestId: number;
      readonly timeoutMs: number;
      readonly command: Uint8Array;
    }
  | { readonly type: 'apdu-response'; readonly requestId: number; readonly response: Uint8Array }
  | { readonly type: 'error'; readonly requestId: number; readonly report: PhoneErrorReport }
  | { readonly type: 'card-insert'; readonly card: CardInsertInfo }
  | { readonly type: 'card-remove'; readonly remedy?: RemedyKey }
  | { readonly type: 'phone-status'; readonly status: PhoneStatus }
  | { readonly type: 'reset'; readonly requestId: number; readonly kind: 'cold' | 'warm' }
  | { readonly type: 'reset-result'; readonly requestId: number; readonly atr: Uint8Array }
  | { readonly type: 'release'; readonly unpower: boolean }
  | { readonly type: 'ping'; readonly counter: number }
  | { readonly type: 'pong'; readonly counter: number }
  | { readonly type: 'close'; readonly reason: string; readonly remedy?: RemedyKey };

function malformed(message: string): CardError {
  return new CardError(TransportErrorCode.PROTOCOL, `bridge message: ${message}`, {
    remedy: 'bridge.network',
    details: { reason: 'malformed' },
  });
}

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

function withHeader(
  type: number,
  requestId: number | undefined,
  body: Uint8Array,
  extra?: number,
): Uint8Array {
  const fixed = 1 + (requestId === undefined ? 0 : U32_LENGTH) + (extra === undefined ? 0 : U32_LENGTH);
  const out = new Uint8Array(fixed + body.length);
  const view = new DataView(out.buffer);
  out[0] = type;
  let offset = 1;
  if (requestId !== undefined) {
    assertU32('requestId', requestId);
    view.setUint32(offset, requestId);
    offset += U32_LENGTH;
  }
  if (extra !== undefined) {
    assertU32('timeoutMs', extra);
    view.setUint32(offset, extra);
    offset += U32_LENGTH;
  }
  out.set(body, offset);
  return out;
}

function assertU32(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff_ffff)
    throw new RangeError(`${name} must be a u32`);
}

function json(type: number, value: unknown): Uint8Array {
  const body = encoder.encode(JSON.stringify(value));
  if (body.length > MAX_CONTROL_BODY_LENGTH) throw new RangeError('control message too large');
  return withHeader(type, undefined, body);
}

function hex(bytes: Uint8Array): string {
  return bytesToHex(bytes).toUpperCase();
}

/**
 * Encodes a message. For `apdu` the result holds the command (possibly a PIN): wipe it with
 * `fill(0)` once sealed.
 *
 * @example
 * ```ts
 * const plaintext = encodeMessage({ type: 'ping', counter: 1 });
 * ```
 */
export function encodeMessage(message: BridgeMessage): Uint8Array {
  switch (message.type) {
    case 'hello':
      return json(MessageType.HELLO, validateHello(message.hello));
    case 'welcome':
      return json(MessageType.WELCOME, validateWelcome(message.welcome));
    case 'apdu':
      return withHeader(MessageType.APDU, message.requestId, message.command, message.timeoutMs);
    case 'apdu-response':
      return withHeader(MessageType.APDU_RESPONSE, message.requestId, message.response);
    case 'error': {
      const body = encoder.encode(JSON.stringify(validateReport(message.report)));
      if (body.length > MAX_CONTROL_BODY_LENGTH) throw new RangeError('error report too large');
      return withHeader(MessageType.ERROR, message.requestId, body);
    }
    case 'card-insert':
      return json(MessageType.CARD_INSERT, cardToJson(validateCard(cardToJson(message.card))));
    case 'card-remove':
      return json(MessageType.CARD_REMOVE, message.remedy === undefined ? {} : { remedy: message.remedy });
    case 'phone-status':
      return json(MessageType.PHONE_STATUS, validateStatus(message.status));
    case 'reset':
      return withHeader(
        MessageType.RESET,
        message.requestId,
        Uint8Array.of(message.kind === 'cold' ? RESET_COLD : RESET_WARM),
      );
    case 'reset-result':
      return withHeader(MessageType.RESET_RESULT, message.requestId, message.atr);
    case 'release':
      return json(MessageType.RELEASE, { unpower: message.unpower });
    case 'ping':
      return withHeader(MessageType.PING, message.counter, new Uint8Array(0));
    case 'pong':
      return withHeader(MessageType.PONG, message.counter, new Uint8Array(0));
    case 'close':
      return json(MessageType.CLOSE, {
        reason: cleanText(message.reason, MAX_LABEL_LENGTH),
        ...(message.remedy === undefined ? {} : { remedy: message.remedy }),
      });
    default:
      throw new TypeError(`unknown message type ${String((message as { type: unknown }).type)}`);
  }
}

/**
 * Decodes and validates a message. Byte fields (`command`, `response`, `atr`) are views into
 * `bytes`: wipe `bytes` when done with a command.
 *
 * @example
 * ```ts
 * const message = decodeMessage(channel.open(frame));
 * ```
 */
export function decodeMessage(bytes: Uint8Array): BridgeMessage {
  assertBytes(bytes, 'bytes');
  if (bytes.length < 1) throw malformed('empty');
  const type = bytes[0];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u32 = (offset: number): number => {
    if (bytes.length < offset + U32_LENGTH) throw malformed('truncated');
    return view.getUint32(offset);
  };
  const body = (offset: number): unknown => {
    const slice = bytes.subarray(offset);
    if (slice.length > MAX_CONTROL_BODY_LENGTH) throw malformed('control body too large');
    try {
      return JSON.parse(decoder.decode(slice));
    } catch {
      throw malformed('control body is not UTF-8 JSON');
    }
  };
  switch (type) {
    case MessageType.HELLO:
      return { type: 'hello', hello: validateHello(body(1)) };
    case MessageType.WELCOME:
      return { type: 'welcome', welcome: validateWelcome(body(1)) };
    case MessageType.APDU: {
      const requestId = u32(1);
      const timeoutMs = u32(5);
      const command = bytes.subarray(9);
      if (command.length < MIN_TRANSCEIVE) throw malformed('command shorter than an APDU header');
      return { type: 'apdu', requestId, timeoutMs, command };
    }
    case MessageType.APDU_RESPONSE: {
      const requestId = u32(1);
      const response = bytes.subarray(5);
      if (response.length < 2) throw malformed('response shorter than a status word');
      return { type: 'apdu-response', requestId, response };
    }
    case MessageType.ERROR:
      return { type: 'error', requestId: u32(1), report: validateReport(body(5)) };
    case MessageType.CARD_INSERT:
      return { type: 'card-insert', card: validateCard(body(1)) };
    case MessageType.CARD_REMOVE: {
      const value = object(body(1));
      const remedy = optionalRemedy(value.remedy);
      return remedy === undefined ? { type: 'card-remove' } : { type: 'card-remove', remedy };
    }
    case MessageType.PHONE_STATUS:
      return { type: 'phone-status', status: validateStatus(body(1)) };
    case MessageType.RESET: {
      const requestId = u32(1);
      if (bytes.length !== 6) throw malformed('reset length');
      const kind = bytes[5] === RESET_COLD ? 'cold' : bytes[5] === RESET_WARM ? 'warm' : undefined;
      if (kind === undefined) throw malformed('reset kind');
      return { type: 'reset', requestId, kind };
    }
    case MessageType.RESET_RESULT: {
      const requestId = u32(1);
      const atr = bytes.subarray(5);
      if (atr.length < 2 || atr.length > MAX_ATR_LENGTH) throw malformed('ATR length');
      return { type: 'reset-result', requestId, atr };
    }
    case MessageType.RELEASE: {
      const value = object(body(1));
      if (typeof value.unpower !== 'boolean') throw malformed('release.unpower');
      return { type: 'release', unpower: value.unpower };
    }
    case MessageType.PING:
    case MessageType.PONG: {
      if (bytes.length !== 5) throw malformed('ping length');
      return { type: type === MessageType.PING ? 'ping' : 'pong', counter: u32(1) };
    }
    case MessageType.CLOSE: {
      const value = object(body(1));
      const reason = typeof value.reason === 'string' ? cleanText(value.reason, MAX_LABEL_LENGTH) : 'closed';
      const remedy = optionalRemedy(value.remedy);
      return remedy === undefined ? { type: 'close', reason } : { type: 'close', reason, remedy };
    }
    default:
      throw malformed(`unknown type ${type}`);
  }
}

function object(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw malformed('expected an object');
  return value as Record<string, unknown>;
}

function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
    throw malformed(`${name} must be an integer in ${min}..${max}`);
  return value;
}

function label(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw malformed(`${name} must be a string`);
  return cleanText(value, MAX_LABEL_LENGTH);
}

function optionalRemedy(value: unknown): RemedyKey | undefined {
  if (value === undefined) return undefined;
  if (!isPhoneRemedy(value)) throw malformed('unknown remedy key');
  return value;
}

function optionalSituation(value: unknown): PhoneSituation | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !Object.hasOwn(PHONE_SITUATIONS, value))
    throw malformed('unknown situation');
  return value as PhoneSituation;
}

function hexField(value: unknown, name: string, min: number, max: number): Uint8Array {
  if (typeof value !== 'string' || !/^(?:[0-9A-Fa-f]{2})*$/.test(value))
    throw malformed(`${name} must be hex`);
  const bytes = hexToBytes(value);
  if (bytes.length < min || bytes.length > max) throw malformed(`${name} length`);
  return bytes;
}

function validateCapabilities(value: unknown): PhoneCapabilities {
  const input = object(value);
  const aidList = input.aidAllowList;
  let aids: string[] | undefined;
  if (aidList !== undefined) {
    if (!Array.isArray(aidList) || aidList.length > MAX_AIDS) throw malformed('aidAllowList');
    aids = aidList.map((aid) => {
      if (typeof aid !== 'string' || !AID_HEX_PATTERN.test(aid.toUpperCase()))
        throw malformed('aidAllowList entry');
      return aid.toUpperCase();
    });
  }
  if (typeof input.extendedLength !== 'boolean') throw malformed('extendedLength must be boolean');
  const capabilities: PhoneCapabilities = {
    maxTransceiveLength: integer(
      input.maxTransceiveLength,
      'maxTransceiveLength',
      MIN_TRANSCEIVE,
      MAX_TRANSCEIVE,
    ),
    maxResponseLength: integer(input.maxResponseLength, 'maxResponseLength', 2, MAX_RESPONSE),
    extendedLength: input.extendedLength,
    transceiveTimeoutMs: integer(input.transceiveTimeoutMs, 'transceiveTimeoutMs', 1, MAX_TIMEOUT_MS),
    maxTransceiveTimeoutMs: integer(
      input.maxTransceiveTimeoutMs,
      'maxTransceiveTimeoutMs',
      1,
      MAX_TIMEOUT_MS,
    ),
    ...(input.readerSessionLimitMs === undefined
      ? {}
      : { readerSessionLimitMs: integer(input.readerSessionLimitMs, 'readerSessionLimitMs', 1, 86_400_000) }),
    ...(aids === undefined ? {} : { aidAllowList: aids }),
  };
  return capabilities;
}

/** Validates a HELLO body (also used by the relay before sending).
 *
 * @example
 * ```ts
 * const hello = validateHello(JSON.parse(text));
 * ```
 */
export function validateHello(value: unknown): PhoneHello {
  const input = object(value);
  if (input.protocol !== 1) throw malformed('hello.protocol must be 1');
  const platform = input.platform;
  if (platform !== 'android' && platform !== 'ios' && platform !== 'reference')
    throw malformed('hello.platform');
  const device = label(input.device, 'device');
  const app = label(input.app, 'app');
  return {
    protocol: 1,
    platform,
    ...(device === undefined ? {} : { device }),
    ...(app === undefined ? {} : { app }),
    capabilities: validateCapabilities(input.capabilities),
  };
}

function validateWelcome(value: unknown): SessionWelcome {
  const input = object(value);
  const readerId = label(input.readerId, 'readerId');
  if (readerId === undefined || readerId.length === 0) throw malformed('welcome.readerId');
  return {
    readerId,
    sessionExpiresAt: integer(input.sessionExpiresAt, 'sessionExpiresAt', 0, Number.MAX_SAFE_INTEGER),
    idleTimeoutMs: integer(input.idleTimeoutMs, 'idleTimeoutMs', 1, 86_400_000),
    heartbeatIntervalMs: integer(input.heartbeatIntervalMs, 'heartbeatIntervalMs', 1, 86_400_000),
    maxFrameLength: integer(input.maxFrameLength, 'maxFrameLength', 64, 1 << 24),
  };
}

function validateReport(value: unknown): PhoneErrorReport {
  const input = object(value);
  if (typeof input.code !== 'string' || !/^[A-Z_]{1,40}$/.test(input.code)) throw malformed('error.code');
  const remedy = optionalRemedy(input.remedy);
  const situation = optionalSituation(input.situation);
  const message = label(input.message, 'message');
  return {
    code: input.code,
    ...(remedy === undefined ? {} : { remedy }),
    ...(situation === undefined ? {} : { situation }),
    ...(message === undefined ? {} : { message }),
  };
}

function validateStatus(value: unknown): PhoneStatus {
  const input = object(value);
  if (typeof input.ready !== 'boolean') throw malformed('status.ready');
  const remedy = optionalRemedy(input.remedy);
  const situation = optionalSituation(input.situation);
  const message = label(input.message, 'message');
  return {
    ready: input.ready,
    ...(situation === undefined ? {} : { situation }),
    ...(remedy === undefined ? {} : { remedy }),
    ...(message === undefined ? {} : { message }),
  };
}

function cardToJson(card: CardInsertInfo): Record<string, unknown> {
  return {
    atr: hex(card.atr),
    ...(card.historicalBytes === undefined ? {} : { historicalBytes: hex(card.historicalBytes) }),
    ...(card.hiLayerResponse === undefined ? {} : { hiLayerResponse: hex(card.hiLayerResponse) }),
    ...(card.technology === undefined ? {} : { technology: card.technology }),
    ...(card.maxTransceiveLength === undefined ? {} : { maxTransceiveLength: card.maxTransceiveLength }),
    ...(card.extendedLength === undefined ? {} : { extendedLength: card.extendedLength }),
  };
}

function validateCard(value: unknown): CardInsertInfo {
  const input = object(value);
  const technology = input.technology;
  if (technology !== undefined && technology !== 'A' && technology !== 'B') throw malformed('technology');
  if (input.extendedLength !== undefined && typeof input.extendedLength !== 'boolean')
    throw malformed('extendedLength');
  return {
    atr: hexField(input.atr, 'atr', 2, MAX_ATR_LENGTH),
    ...(input.historicalBytes === undefined
      ? {}
      : { historicalBytes: hexField(input.historicalBytes, 'historicalBytes', 0, 15) }),
    ...(input.hiLayerResponse === undefined
      ? {}
      : { hiLayerResponse: hexField(input.hiLayerResponse, 'hiLayerResponse', 0, 64) }),
    ...(technology === undefined ? {} : { technology }),
    ...(input.maxTransceiveLength === undefined
      ? {}
      : {
          maxTransceiveLength: integer(
            input.maxTransceiveLength,
            'maxTransceiveLength',
            MIN_TRANSCEIVE,
            MAX_TRANSCEIVE,
          ),
        }),
    ...(input.extendedLength === undefined ? {} : { extendedLength: input.extendedLength as boolean }),
  };
}
