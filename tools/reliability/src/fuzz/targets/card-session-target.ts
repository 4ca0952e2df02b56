/**
 * Fuzz target: the whole card stack above the transport — `MyNumberCard` over a `CardSession`
 * (61xx / 6Cxx handling, chaining, READ BINARY sizing from BER headers, certificate, text-AP and
 * card-face parsing) — fed with mutated *recorded responses*. The input is a flow number and the
 * card's answers, one after the other; the fake card answers each command with the next one and
 * is "removed" when they run out.
 *
 * Input layout: byte 0 = flow (low 3 bits, see {@link FLOW_NAMES}) and link (bit 7: extended),
 * then responses as `length (2 bytes, big-endian) ‖ bytes`.
 *
 * PIN-safety oracles (architecture.md §4 rule 6), whatever the card answers:
 * - at most one VERIFY with a PIN per flow (never retried);
 * - a VERIFY with a PIN only after a counter query whose final answer allowed it (63 Cx with
 *   x ≥ 2, 63 00 or 90 00: the last try is never spent without `allowLastTry`);
 * - every command buffer that carried a PIN is zero once the flow ends.
 *
 * @example
 * ```ts
 * await cardSessionTarget.execute(encodeFlowInput('check', true, recordedResponses));
 * ```
 */
import { retryCounter } from '@kakunin/core/iso7816';
import { MyNumberCard } from '@kakunin/core/jpki';
import {
  CardError,
  type CloseInfo,
  type Transport,
  type TransportCapabilities,
} from '@kakunin/core/transport';
import { bucket, type FuzzTarget, oracle } from '../fuzz-target.js';
import { FLOW_NAMES, type FlowName, recordedFlows, runFlow } from '../seeds/recorded-flows.js';

/** ISO 7816-4 INS bytes the oracles look at. */
const INS_VERIFY = 0x20;
const INS_GET_RESPONSE = 0xc0;
/** Credentials of the simulator's default person (packages/simulator README). */
const CREDENTIALS = {
  authPin: '1234',
  signPassword: 'KAKUNIN1',
  cardInfoPin: '1234',
  verificationNumberA: '299202780399',
};
/** A contact ATR (jpki-card.md §12.1). */
const ATR = Uint8Array.of(0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14);
const EXTENDED: TransportCapabilities = {
  extendedLength: true,
  maxCommandLength: 65_544,
  maxResponseLength: 65_538,
  interface: 'contact',
};
const SHORT: TransportCapabilities = {
  extendedLength: false,
  maxCommandLength: 261,
  maxResponseLength: 258,
  interface: 'contactless',
};
/** A flow that sends more commands than this is looping. */
const MAX_COMMANDS = 600;

/** Encodes a flow and its card answers as a fuzz input. */
export function encodeFlowInput(
  flow: FlowName,
  extended: boolean,
  responses: readonly Uint8Array[],
): Uint8Array {
  const length = 1 + responses.reduce((sum, response) => sum + 2 + response.length, 0);
  const out = new Uint8Array(length);
  out[0] = FLOW_NAMES.indexOf(flow) | (extended ? 0x80 : 0);
  let offset = 1;
  for (const response of responses) {
    out[offset++] = response.length >>> 8;
    out[offset++] = response.length & 0xff;
    out.set(response, offset);
    offset += response.length;
  }
  return out;
}

function decodeResponses(input: Uint8Array): Uint8Array[] {
  const responses: Uint8Array[] = [];
  let offset = 1;
  while (offset + 2 <= input.length) {
    const length = (input[offset]! << 8) | input[offset + 1]!;
    offset += 2;
    responses.push(input.subarray(offset, Math.min(input.length, offset + length)));
    offset += length;
  }
  return responses;
}

/** The fake card: scripted answers, PIN-safety bookkeeping. */
class ScriptedCardTransport implements Transport {
  readonly kind = 'fuzz';
  readonly atr = ATR;
  readonly capabilities: TransportCapabilities;
  readonly closed: Promise<CloseInfo>;
  readonly pinCommands: Uint8Array[] = [];
  commands = 0;
  #resolveClosed!: (info: CloseInfo) => void;
  #next = 0;
  #lastCounterSw = -1;
  #inCounterChain = false;
  readonly #responses: readonly Uint8Array[];

  constructor(responses: readonly Uint8Array[], extended: boolean) {
    this.#responses = responses;
    this.capabilities = extended ? EXTENDED : SHORT;
    this.closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
  }

  transmit(command: Uint8Array): Promise<Uint8Array> {
    this.commands++;
    oracle(this.commands <= MAX_COMMANDS, `more than ${MAX_COMMANDS} commands in one flow`);
    const ins = command[1];
    const isVerify = ins === INS_VERIFY;
    const carriesPin = isVerify && command.length > 5;
    if (carriesPin) {
      oracle(this.pinCommands.length === 0, 'a second VERIFY with a PIN in one flow (automatic retry)');
      const sw = this.#lastCounterSw;
      const counter = retryCounter(sw);
      const allowed = sw === 0x9000 || sw === 0x6300 || (counter !== undefined && counter >= 2);
      oracle(allowed, `VERIFY with a PIN after the counter answered ${sw.toString(16)}`);
      this.pinCommands.push(command);
    }
    const response = this.#responses[this.#next++];
    if (response === undefined) {
      this.#resolveClosed({ reason: 'card-removed' });
      return Promise.reject(new CardError('CARD_REMOVED', 'fuzz: the script ran out (card removed)'));
    }
    const sw =
      response.length >= 2 ? (response[response.length - 2]! << 8) | response[response.length - 1]! : -1;
    if (isVerify && !carriesPin) {
      this.#inCounterChain = true;
      this.#lastCounterSw = sw;
    } else if (ins === INS_GET_RESPONSE && this.#inCounterChain) this.#lastCounterSw = sw;
    else this.#inCounterChain = false;
    return Promise.resolve(response);
  }

  reset(): Promise<Uint8Array> {
    return Promise.resolve(ATR);
  }

  close(): Promise<void> {
    this.#resolveClosed({ reason: 'closed' });
    return Promise.resolve();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** Status words worth substituting (ISO 7816-4 §5.6, jpki-card.md §8). */
const INTERESTING_SW = [
  0x9000, 0x6282, 0x6100, 0x6101, 0x6110, 0x61ff, 0x6c00, 0x6c01, 0x6c10, 0x6700, 0x6982, 0x6983, 0x6984,
  0x63c0, 0x63c1, 0x63c2, 0x63cf, 0x6300, 0x6a82, 0x6a86, 0x6a81, 0x6a88, 0x6b00, 0x6d00, 0x6e00, 0x6f00,
];

function withSw(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >>> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

export const cardSessionTarget: FuzzTarget = {
  name: 'card-session',
  description:
    'MyNumberCard flows over CardSession on mutated recorded responses (@kakunin/core/jpki, /iso7816) with PIN-safety oracles',
  prefixLength: 1,
  maxInputLength: 40_000,
  seeds: async () =>
    (await recordedFlows())
      .filter((flow) => flow.profile !== 'child' || flow.flow === 'detect')
      .map((flow) => encodeFlowInput(flow.flow, flow.extendedLength, flow.responses)),
  mutate(input, generic, random) {
    if (input.length === 0) return generic(input);
    const responses = decodeResponses(input);
    if (responses.length === 0) return generic(input);
    const index = random.below(responses.length);
    const response = responses[index]!;
    const sw =
      response.length >= 2 ? (response[response.length - 2]! << 8) | response[response.length - 1]! : 0x9000;
    const data = response.subarray(0, Math.max(0, response.length - 2));
    switch (random.below(5)) {
      case 0:
      case 1:
        responses[index] = withSw(generic(data), sw);
        break;
      case 2:
        responses[index] = withSw(data, random.pick(INTERESTING_SW));
        break;
      case 3:
        responses.splice(index, 1);
        break;
      default:
        responses.splice(
          index,
          0,
          random.chance(0.5) ? response : withSw(new Uint8Array(0), random.pick(INTERESTING_SW)),
        );
    }
    const flow = FLOW_NAMES[(input[0]! & 0x7f) % FLOW_NAMES.length]!;
    return encodeFlowInput(flow, (input[0]! & 0x80) !== 0, responses);
  },
  async execute(input) {
    if (input.length === 0) return 'empty';
    const flow = FLOW_NAMES[(input[0]! & 0x7f) % FLOW_NAMES.length]!;
    const transport = new ScriptedCardTransport(decodeResponses(input), (input[0]! & 0x80) !== 0);
    const card = MyNumberCard.open(transport, { timeoutMs: Number.POSITIVE_INFINITY });
    let outcome: string;
    try {
      await runFlow(card, flow, CREDENTIALS);
      outcome = 'ok';
    } catch (error) {
      if (!CardError.isInstance(error)) throw error;
      outcome = `${error.code}`;
    } finally {
      await card.close();
    }
    for (const command of transport.pinCommands)
      oracle(
        command.every((byte) => byte === 0),
        'a PIN-bearing command buffer was not wiped',
      );
    return `${flow}:${outcome}:${bucket(transport.commands)}`;
  },
};
