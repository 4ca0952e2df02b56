/**
 * Fuzz target: what a phone (or anyone on the network) can send the PC over the NFC bridge
 * (packages/transport-nfc-bridge/docs/protocol.md §3, §6) — the outer frame decoder (`decodeFrame`) and the inner message
 * decoder (`decodeMessage`: binary APDU messages, JSON control messages).
 *
 * Input byte 0 picks the decoder: even → `decodeFrame`, odd → `decodeMessage`. Oracles: frame
 * fields are views inside the input and a transport header re-encodes to itself; an accepted
 * inner message encodes (`encodeMessage`) and decodes back to the same message.
 *
 * @example
 * ```ts
 * bridgeFrameTarget.execute(Uint8Array.of(1, 0x40, 0, 0, 0, 7));
 * ```
 */
import {
  type BridgeMessage,
  decodeFrame,
  decodeMessage,
  encodeHandshakeInit,
  encodeHandshakeResponse,
  encodeMessage,
  encodeTransportHeader,
  FrameKind,
} from '@kakunin/transport-nfc-bridge/protocol';
import { bucket, type FuzzTarget, oracle, sameBytes } from '../fuzz-target.js';

function frame(input: Uint8Array): string {
  const decoded = decodeFrame(input);
  if (decoded.kind === FrameKind.TRANSPORT) {
    oracle(decoded.ciphertext.buffer === input.buffer, 'ciphertext is not a view');
    oracle(
      sameBytes(encodeTransportHeader(decoded.sessionId, decoded.sequence), decoded.header),
      'transport header re-encodes differently',
    );
    return `t:${bucket(decoded.ciphertext.length)}`;
  }
  return `${decoded.kind}:${bucket(decoded.noiseMessage.length)}`;
}

/** Canonical JSON of a message (Uint8Array fields as hex) for comparisons. */
function canonical(message: BridgeMessage): string {
  return JSON.stringify(message, (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value,
  );
}

function message(input: Uint8Array): string {
  const decoded = decodeMessage(input);
  const again = decodeMessage(encodeMessage(decoded));
  oracle(canonical(again) === canonical(decoded), `${decoded.type} does not survive encode → decode`);
  return decoded.type;
}

const CAPABILITIES = {
  maxTransceiveLength: 261,
  maxResponseLength: 258,
  extendedLength: false,
  transceiveTimeoutMs: 5000,
  maxTransceiveTimeoutMs: 20_000,
};

function seeds(): Uint8Array[] {
  const messages: BridgeMessage[] = [
    {
      type: 'hello',
      hello: { protocol: 1, platform: 'android', device: 'Pixel', capabilities: CAPABILITIES },
    },
    {
      type: 'welcome',
      welcome: {
        readerId: 'phone-1',
        sessionExpiresAt: 1_800_000_000_000,
        idleTimeoutMs: 60_000,
        heartbeatIntervalMs: 10_000,
        maxFrameLength: 70_000,
      },
    },
    {
      type: 'apdu',
      requestId: 1,
      timeoutMs: 5000,
      command: Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x02, 0xd3, 0x92),
    },
    { type: 'apdu-response', requestId: 1, response: Uint8Array.of(0x90, 0x00) },
    { type: 'error', requestId: 2, report: { code: 'CARD_REMOVED', message: 'tag lost' } },
    { type: 'card-insert', card: { atr: Uint8Array.of(0x3b, 0x88, 0x80, 0x01), technology: 'B' } },
    { type: 'card-remove' },
    { type: 'phone-status', status: { ready: false, situation: 'nfc-off' } },
    { type: 'reset', requestId: 3, kind: 'cold' },
    { type: 'reset-result', requestId: 3, atr: Uint8Array.of(0x3b, 0x80) },
    { type: 'release', unpower: true },
    { type: 'ping', counter: 9 },
    { type: 'pong', counter: 9 },
    { type: 'close', reason: 'bye' },
  ];
  const out = messages.map((each) => Uint8Array.of(1, ...encodeMessage(each)));
  const pairingId = new Uint8Array(8).fill(7);
  out.push(Uint8Array.of(0, ...encodeHandshakeInit(pairingId, new Uint8Array(48 + 16).fill(1))));
  out.push(Uint8Array.of(0, ...encodeHandshakeResponse(new Uint8Array(48 + 64).fill(2))));
  out.push(
    Uint8Array.of(0, ...encodeTransportHeader(new Uint8Array(8).fill(3), 5), ...new Uint8Array(40).fill(4)),
  );
  return out;
}

export const bridgeFrameTarget: FuzzTarget = {
  name: 'bridge-frame',
  description: 'decodeFrame (outer) and decodeMessage (inner) (@kakunin/transport-nfc-bridge)',
  prefixLength: 1,
  maxInputLength: 70_000,
  seeds: async () => seeds(),
  execute(input) {
    if (input.length === 0) return 'empty';
    return (input[0]! & 1) === 0 ? frame(input.subarray(1)) : message(input.subarray(1));
  },
};
