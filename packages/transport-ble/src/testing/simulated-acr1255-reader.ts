// Over 600 lines: one simulated reader — GATT, framing, mutual authentication and the card slot share the reader state a test drives.
/**
 * A simulated ACS ACR1255U-J1 that speaks the real protocol (transports.md §4.2–4.4): either GATT
 * generation, outer frames with XOR checksums cut into 20-byte notifications, CCID-like inner
 * messages, the AES mutual authentication under its master key, encrypted data blocks, power
 * on/off, APDU exchange with FIDOk-style 256-byte chunking, escape commands (firmware version,
 * polling, LED/buzzer, sleep timer), unsolicited card-status notifications, a sleep timer, the
 * USB/Off/Bluetooth mode switch and fault injection. It holds any card shaped like the simulator's
 * `VirtualCardEndpoint` (structural: this package does not import the simulator), or an async
 * endpoint such as {@link TransportCardEndpoint} fronting a card reached over another transport
 * (PC/SC): a card that fails to answer gets the reader's `51h` timeout, one that reports its
 * removal is taken off the reader (`50h` absent), as a real reader does.
 *
 * @example
 * ```ts
 * const reader = new SimulatedAcr1255Reader({ serial: '000001', card: virtualCard });
 * const adapter = new SimulatedBleAdapter({ peripherals: [reader] });
 * reader.removeCard(); // the host gets a 50h "absent" notification
 * ```
 */
import { type AesCbc, nodeAesCbc } from '../acr1255/aes-cbc.js';
import {
  ACR1255_DEFAULT_MASTER_KEY,
  ACR1255_ESCAPE,
  ACR1255_FRAGMENT_LENGTH,
  ACR1255_GATT,
  ACR1255_MESSAGE,
  ACR1255_NAME_PREFIX,
  APDU_PARAMETER,
  ESCAPE_COMMAND_PREFIX,
  ESCAPE_RESPONSE_PREFIX,
  HARDWARE_ERROR,
  NOTIFY_CARD,
  RANDOM_LENGTH,
  SLEEP_MODE_SECONDS,
  SLOT_STATUS,
} from '../acr1255/constants.js';
import { encodeFrame, FrameReassembler } from '../acr1255/frame.js';
import { type AcrMessage, decodeMessage, encodeMessage } from '../acr1255/message.js';
import { deriveSessionKey, readerChallenge, readerCheckAnswer } from '../acr1255/mutual-authentication.js';
import { looksEncrypted, openBlock, sealBlock } from '../acr1255/secure-channel.js';
import { fragment } from '../fragment.js';
import type { PeripheralPort, SimulatedGattService, SimulatedPeripheral } from './simulated-adapter.js';

/**
 * What the reader needs from a card: the shape of `@kakunin/simulator`'s `VirtualCardEndpoint`
 * (packages/simulator/src/card-endpoint.ts), repeated here so this package never imports it.
 * `powerOn`/`powerOff` may be async (a card behind another transport); `watchPresence`, when
 * present, tells the reader that the card left or came back (a card pulled from a PC/SC reader).
 */
export interface CardEndpointLike {
  readonly atr: Uint8Array;
  powerOn(): Uint8Array | Promise<Uint8Array>;
  powerOff(): void | Promise<void>;
  process(command: Uint8Array): Promise<Uint8Array>;
  /** Subscribes to the card's presence; returns the unsubscribe function. */
  watchPresence?(listener: (present: boolean) => void): () => void;
}

export type ReaderMode = 'bluetooth' | 'usb' | 'off';

export interface SimulatedAcr1255ReaderOptions {
  /** Serial in the advertised name `ACR1255U-J1-<serial>` (default '000001'). */
  readonly serial?: string;
  /** noble peripheral id (default derived from the serial). */
  readonly id?: string;
  /** Bluetooth address (default derived from the serial). */
  readonly address?: string;
  /** Firmware generation: GATT layout of transports.md §4.2 (default 'v2'). */
  readonly generation?: 'legacy' | 'v2';
  /** Customer Master Key (default: the public "ACR1255U-J1 Auth"). */
  readonly masterKey?: Uint8Array;
  /** The card on the reader (none by default). */
  readonly card?: CardEndpointLike;
  /** Position of the mode switch (default 'bluetooth'). */
  readonly mode?: ReaderMode;
  /** Idle time before the reader sleeps, ms (default: never). */
  readonly sleepAfterMs?: number;
  /** ATT MTU after connecting (default 23 → 20-byte payloads). */
  readonly mtu?: number;
  /** Delay between two notification pieces, ms (slow notifications). */
  readonly notificationDelayMs?: number;
  /** Time the reader + card take per command, ms. */
  readonly processingDelayMs?: number;
  readonly rssi?: number;
  readonly cipher?: AesCbc;
  readonly random?: (length: number) => Uint8Array;
}

/** A fault to inject into the next answer. */
export type ReaderFault =
  | 'frame-checksum'
  | 'message-checksum'
  | 'disconnect-mid-response'
  | 'drop-response'
  | 'stall';

/** Firmware string the simulated reader reports to `E0 00 00 18 00`. */
const SIMULATED_FIRMWARE = 'ACR1255U-J1 SIM 1.0';
/** Battery Service / Battery Level (Bluetooth SIG assigned numbers; manual §5.2). */
const BATTERY_SERVICE = '180f';
const BATTERY_LEVEL = '2a19';

/**
 * The simulated reader.
 *
 * @example
 * ```ts
 * const reader = new SimulatedAcr1255Reader({ serial: '000002', generation: 'legacy', masterKey });
 * reader.injectFault('disconnect-mid-response');
 * ```
 */
export class SimulatedAcr1255Reader implements SimulatedPeripheral {
  readonly id: string;
  readonly address: string;
  readonly rssi: number;
  readonly mtu: number;
  readonly generation: 'legacy' | 'v2';
  readonly advertisement: { readonly localName: string; readonly serviceUuids: readonly string[] };
  readonly services: readonly SimulatedGattService[];
  /** Size of every write piece received, for fragmentation tests. */
  readonly writeSizes: number[] = [];
  /** Every inner message type received after decryption, in order (no payloads). */
  readonly messageTypes: number[] = [];
  /** Every APDU INS byte the card received, in order (no payloads: they may hold a PIN). */
  readonly apduInstructions: number[] = [];
  /** Authentication attempts that failed. */
  failedAuthentications = 0;
  notificationDelayMs: number;
  processingDelayMs: number;

  readonly #gatt: (typeof ACR1255_GATT)['v2'] | (typeof ACR1255_GATT)['legacy'];
  readonly #cipher: AesCbc;
  readonly #random: (length: number) => Uint8Array;
  #masterKey: Uint8Array;
  #card: CardEndpointLike | undefined;
  #mode: ReaderMode;
  #asleep = false;
  #sleepAfterMs: number;
  #sleepTimer: ReturnType<typeof setTimeout> | undefined;
  #port: PeripheralPort | undefined;
  #subscribed = false;
  #reassembler = new FrameReassembler();
  #rndA: Uint8Array | undefined;
  #sessionKey: Uint8Array | undefined;
  #powered = false;
  #apduChunks: Uint8Array[] = [];
  #queue: Promise<void> = Promise.resolve();
  #faults: ReaderFault[] = [];
  #stalled: (() => void) | undefined;
  #connectionGeneration = 0;
  #watched: CardEndpointLike | undefined;
  #unwatchPresence: (() => void) | undefined;

  constructor(options: SimulatedAcr1255ReaderOptions = {}) {
    const serial = options.serial ?? '000001';
    this.id = options.id ?? `acr1255${serial.toLowerCase().replace(/[^0-9a-z]/g, '')}`;
    const hex = serial
      .replace(/[^0-9a-f]/gi, '')
      .padStart(6, '0')
      .slice(-6)
      .toLowerCase();
    this.address = options.address ?? `c0:ff:ee:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}`;
    this.rssi = options.rssi ?? -55;
    this.mtu = options.mtu ?? 23;
    this.generation = options.generation ?? 'v2';
    this.#gatt = ACR1255_GATT[this.generation];
    this.advertisement = { localName: `${ACR1255_NAME_PREFIX}${serial}`, serviceUuids: [] };
    this.services = [
      {
        uuid: this.#gatt.service,
        characteristics: [
          { uuid: this.#gatt.write, properties: ['write', 'writeWithoutResponse'] },
          { uuid: this.#gatt.notify, properties: ['notify'] },
        ],
      },
      { uuid: BATTERY_SERVICE, characteristics: [{ uuid: BATTERY_LEVEL, properties: ['read', 'notify'] }] },
    ];
    this.#cipher = options.cipher ?? nodeAesCbc();
    this.#random = options.random ?? ((length) => globalThis.crypto.getRandomValues(new Uint8Array(length)));
    this.#masterKey = (options.masterKey ?? ACR1255_DEFAULT_MASTER_KEY).slice();
    this.#card = options.card;
    if (options.card !== undefined) this.#watchPresence(options.card);
    this.#mode = options.mode ?? 'bluetooth';
    this.#sleepAfterMs = options.sleepAfterMs ?? Number.POSITIVE_INFINITY;
    this.notificationDelayMs = options.notificationDelayMs ?? 0;
    this.processingDelayMs = options.processingDelayMs ?? 0;
    this.#armSleepTimer();
  }

  // ---- what a test does to the reader -------------------------------------------------------

  get advertising(): boolean {
    return this.#mode === 'bluetooth' && !this.#asleep;
  }

  get connected(): boolean {
    return this.#port !== undefined;
  }

  get authenticated(): boolean {
    return this.#sessionKey !== undefined;
  }

  get asleep(): boolean {
    return this.#asleep;
  }

  get cardPowered(): boolean {
    return this.#powered;
  }

  get card(): CardEndpointLike | undefined {
    return this.#card;
  }

  /** Puts a card on the reader; a connected host gets a `50h` present notification. */
  insertCard(card: CardEndpointLike): void {
    if (this.#watched !== card) this.#watchPresence(card);
    this.#card = card;
    this.#powered = false;
    this.#notifyCardStatus(true);
  }

  /** Takes the card away: a pending command gets no answer, the host gets `50h` absent. */
  removeCard(): void {
    if (this.#card !== undefined && this.#powered) unpower(this.#card);
    this.#card = undefined;
    this.#powered = false;
    this.#stalled?.();
    this.#notifyCardStatus(false);
  }

  /** Moves the mode switch (FAQ Q2 A2-1): USB or Off drops the Bluetooth link and advertising. */
  setMode(mode: ReaderMode): void {
    this.#mode = mode;
    if (mode !== 'bluetooth') this.#port?.disconnect();
  }

  /** Presses the button: a sleeping reader advertises again. */
  wake(): void {
    this.#asleep = false;
    this.#armSleepTimer();
  }

  /** Goes to sleep now (as if the idle timer fired). */
  sleep(): void {
    this.#asleep = true;
    this.#clearSleepTimer();
    this.#port?.disconnect();
  }

  /** Moves out of range / loses power: the link drops without warning. */
  dropLink(): void {
    this.#port?.disconnect();
  }

  /** Injects a fault into the next answer. */
  injectFault(fault: ReaderFault): void {
    this.#faults.push(fault);
  }

  /** Rewrites the master key (manual V1.07 §6.7.19 "Customer Master Key Rewrite"). */
  setMasterKey(key: Uint8Array): void {
    if (key.length !== 16) throw new RangeError('setMasterKey: key must be 16 bytes');
    this.#masterKey = key.slice();
  }

  /** Stops the sleep timer. Call when the test is done. */
  close(): void {
    this.#unwatchPresence?.();
    this.#unwatchPresence = undefined;
    this.#watched = undefined;
    this.#clearSleepTimer();
    this.#stalled?.();
  }

  // ---- SimulatedPeripheral ------------------------------------------------------------------

  onConnect(port: PeripheralPort): void {
    this.#port = port;
    this.#subscribed = false;
    this.#reassembler = new FrameReassembler();
    this.#sessionKey = undefined;
    this.#rndA = undefined;
    this.#connectionGeneration += 1;
    this.#armSleepTimer();
  }

  onDisconnect(): void {
    this.#port = undefined;
    this.#subscribed = false;
    this.#sessionKey?.fill(0);
    this.#sessionKey = undefined;
    this.#rndA = undefined;
    this.#apduChunks = [];
    this.#connectionGeneration += 1;
    this.#stalled?.();
    if (this.#card !== undefined && this.#powered) unpower(this.#card);
    this.#powered = false;
    this.#armSleepTimer();
  }

  onSubscribe(serviceUuid: string, characteristicUuid: string, enabled: boolean): void {
    if (serviceUuid === this.#gatt.service && characteristicUuid === this.#gatt.notify)
      this.#subscribed = enabled;
  }

  onRead(serviceUuid: string, characteristicUuid: string): Uint8Array {
    if (serviceUuid === BATTERY_SERVICE && characteristicUuid === BATTERY_LEVEL) return Uint8Array.of(100);
    return new Uint8Array(0);
  }

  onWrite(serviceUuid: string, characteristicUuid: string, data: Uint8Array): void {
    if (serviceUuid !== this.#gatt.service || characteristicUuid !== this.#gatt.write) return;
    this.writeSizes.push(data.length);
    this.#armSleepTimer();
    const generation = this.#connectionGeneration;
    for (const event of this.#reassembler.push(data)) {
      if (event.kind === 'error') {
        if (event.reason !== 'garbage')
          this.#enqueue(generation, () => this.#hardwareError(HARDWARE_ERROR.CHECKSUM));
        continue;
      }
      this.#enqueue(generation, () => this.#onBlock(event.dataBlock));
    }
  }

  // ---- protocol -----------------------------------------------------------------------------

  #enqueue(generation: number, work: () => Promise<void>): void {
    this.#queue = this.#queue
      .then(async () => {
        if (generation !== this.#connectionGeneration) return;
        await work();
      })
      .catch(() => undefined);
  }

  async #onBlock(block: Uint8Array): Promise<void> {
    let message: AcrMessage;
    try {
      const plain =
        this.#sessionKey !== undefined && looksEncrypted(block)
          ? openBlock(this.#cipher, this.#sessionKey, block)
          : block;
      message = decodeMessage(plain);
    } catch {
      await this.#hardwareError(HARDWARE_ERROR.CHECKSUM);
      return;
    }
    this.messageTypes.push(message.type);
    if (this.processingDelayMs > 0) await sleep(this.processingDelayMs);
    if (message.type === ACR1255_MESSAGE.ESCAPE && this.#isAuthentication(message.data)) {
      await this.#authenticate(message);
      return;
    }
    if (this.#sessionKey === undefined) {
      await this.#hardwareError(HARDWARE_ERROR.UNAUTHORIZED, message.sequence);
      return;
    }
    switch (message.type) {
      case ACR1255_MESSAGE.GET_CARD_STATUS:
        await this.#answer(ACR1255_MESSAGE.SLOT_STATUS, message.sequence, this.#slotStatus());
        return;
      case ACR1255_MESSAGE.POWER_ON:
        await this.#powerOn(message);
        return;
      case ACR1255_MESSAGE.POWER_OFF:
        if (this.#card !== undefined && this.#powered) await unpower(this.#card);
        this.#powered = false;
        await this.#answer(ACR1255_MESSAGE.SLOT_STATUS, message.sequence, this.#slotStatus());
        return;
      case ACR1255_MESSAGE.APDU:
        await this.#apdu(message);
        return;
      case ACR1255_MESSAGE.ESCAPE:
        await this.#escape(message);
        return;
      default:
        await this.#hardwareError(HARDWARE_ERROR.COMMAND, message.sequence);
    }
  }

  #isAuthentication(data: Uint8Array): boolean {
    return (
      data[0] === ESCAPE_COMMAND_PREFIX &&
      (data[3] === ACR1255_ESCAPE.AUTHENTICATE_PHASE_1 || data[3] === ACR1255_ESCAPE.AUTHENTICATE_PHASE_2)
    );
  }

  async #authenticate(message: AcrMessage): Promise<void> {
    // Authentication always runs in plain text and restarts any previous session.
    this.#sessionKey = undefined;
    if (message.data[3] === ACR1255_ESCAPE.AUTHENTICATE_PHASE_1) {
      this.#rndA = this.#random(RANDOM_LENGTH);
      await this.#answer(
        ACR1255_MESSAGE.ESCAPE_RESPONSE,
        message.sequence,
        0,
        readerChallenge(this.#cipher, this.#masterKey, this.#rndA),
      );
      return;
    }
    const outcome =
      this.#rndA === undefined
        ? undefined
        : readerCheckAnswer(this.#cipher, this.#masterKey, this.#rndA, message.data);
    if (outcome === undefined || this.#rndA === undefined) {
      this.failedAuthentications += 1;
      await this.#hardwareError(HARDWARE_ERROR.UNAUTHORIZED, message.sequence);
      return;
    }
    await this.#answer(ACR1255_MESSAGE.ESCAPE_RESPONSE, message.sequence, 0, outcome.confirmation);
    this.#sessionKey = deriveSessionKey(this.#rndA, outcome.rndB);
    this.#rndA.fill(0);
    this.#rndA = undefined;
  }

  async #powerOn(message: AcrMessage): Promise<void> {
    if (this.#card === undefined) {
      await this.#answer(ACR1255_MESSAGE.SLOT_STATUS, message.sequence, SLOT_STATUS.ABSENT);
      return;
    }
    const card = this.#card;
    let atr: Uint8Array;
    try {
      atr = await card.powerOn();
    } catch {
      // The card left while powering up, or gave no ATR: slot status without data, as a reader does.
      await this.#answer(ACR1255_MESSAGE.SLOT_STATUS, message.sequence, this.#slotStatus());
      return;
    }
    if (this.#card !== card) {
      await this.#answer(ACR1255_MESSAGE.SLOT_STATUS, message.sequence, SLOT_STATUS.ABSENT);
      return;
    }
    this.#powered = true;
    await this.#answer(ACR1255_MESSAGE.DATA_BLOCK, message.sequence, 0, atr);
  }

  async #apdu(message: AcrMessage): Promise<void> {
    this.#apduChunks.push(message.data.slice());
    if ((message.parameter & APDU_PARAMETER.MORE_FOLLOWS) !== 0) return;
    const command = concat(this.#apduChunks);
    this.#apduChunks = [];
    const card = this.#card;
    if (card === undefined) {
      await this.#answer(ACR1255_MESSAGE.SLOT_STATUS, message.sequence, SLOT_STATUS.ABSENT);
      return;
    }
    if (!this.#powered) {
      await this.#answer(ACR1255_MESSAGE.SLOT_STATUS, message.sequence, SLOT_STATUS.PRESENT_INACTIVE);
      return;
    }
    if (command.length >= 2) this.apduInstructions.push(command[1]!);
    if (this.#faults[0] === 'stall') {
      this.#faults.shift();
      // Hold the answer until the card is removed or the link drops; then answer nothing.
      await new Promise<void>((resolve) => {
        this.#stalled = resolve;
      });
      this.#stalled = undefined;
      return;
    }
    let response: Uint8Array;
    try {
      response = await card.process(command);
    } catch {
      // A card behind another link that did not answer (its removal arrives through
      // watchPresence): a real reader reports the card timeout (51h 02).
      if (this.#card === card) await this.#hardwareError(HARDWARE_ERROR.TIMEOUT, message.sequence);
      return;
    } finally {
      command.fill(0);
    }
    if (this.#card !== card) return; // removed while the card worked: no answer
    await this.#answer(ACR1255_MESSAGE.DATA_BLOCK, message.sequence, 0, response);
  }

  async #escape(message: AcrMessage): Promise<void> {
    const data = message.data;
    if (data[0] !== ESCAPE_COMMAND_PREFIX || data.length < 5) {
      await this.#hardwareError(HARDWARE_ERROR.COMMAND, message.sequence);
      return;
    }
    const code = data[3]!;
    const argument = data[4]!;
    let answer: Uint8Array;
    switch (code) {
      case ACR1255_ESCAPE.FIRMWARE_VERSION: {
        const text = new TextEncoder().encode(SIMULATED_FIRMWARE);
        answer = concat([Uint8Array.of(ESCAPE_RESPONSE_PREFIX, 0, 0, 0, text.length), text]);
        break;
      }
      case ACR1255_ESCAPE.SLEEP_MODE: {
        const seconds = SLEEP_MODE_SECONDS[argument];
        if (seconds === undefined) {
          await this.#hardwareError(HARDWARE_ERROR.COMMAND, message.sequence);
          return;
        }
        this.#sleepAfterMs = seconds * 1000;
        this.#armSleepTimer();
        answer = Uint8Array.of(ESCAPE_RESPONSE_PREFIX, 0, 0, code, argument);
        break;
      }
      case ACR1255_ESCAPE.AUTOMATIC_POLLING:
      case ACR1255_ESCAPE.LED_BUZZER:
        answer = Uint8Array.of(ESCAPE_RESPONSE_PREFIX, 0, 0, code, argument);
        break;
      default:
        await this.#hardwareError(HARDWARE_ERROR.COMMAND, message.sequence);
        return;
    }
    await this.#answer(ACR1255_MESSAGE.ESCAPE_RESPONSE, message.sequence, 0, answer);
  }

  #watchPresence(card: CardEndpointLike): void {
    this.#unwatchPresence?.();
    this.#watched = card;
    this.#unwatchPresence = card.watchPresence?.((present) => {
      if (present && this.#card === undefined) this.insertCard(card);
      else if (!present && this.#card === card) this.removeCard();
    });
  }

  #slotStatus(): number {
    if (this.#card === undefined) return SLOT_STATUS.ABSENT;
    return this.#powered ? SLOT_STATUS.PRESENT_ACTIVE : SLOT_STATUS.PRESENT_INACTIVE;
  }

  #notifyCardStatus(present: boolean): void {
    if (this.#port === undefined || !this.#subscribed) return;
    const generation = this.#connectionGeneration;
    const message = encodeMessage({
      type: ACR1255_MESSAGE.NOTIFY_CARD_STATUS,
      sequence: 0,
      parameter: present ? NOTIFY_CARD.PRESENT : NOTIFY_CARD.ABSENT,
      data: new Uint8Array(0),
    });
    // Out of band: the notification does not wait for a command being processed.
    void this.#send(generation, message, false);
  }

  async #hardwareError(code: number, sequence = 0): Promise<void> {
    await this.#answer(ACR1255_MESSAGE.HARDWARE_ERROR, sequence, code);
  }

  async #answer(
    type: number,
    sequence: number,
    parameter: number,
    data: Uint8Array = new Uint8Array(0),
  ): Promise<void> {
    const message = encodeMessage({ type, sequence, parameter, data });
    await this.#send(this.#connectionGeneration, message, true);
  }

  async #send(generation: number, message: Uint8Array, faultable: boolean): Promise<void> {
    const fault = faultable && this.#faults[0] !== 'stall' ? this.#faults.shift() : undefined;
    if (fault === 'drop-response') return;
    if (fault === 'message-checksum') message[message.length - 1]! ^= 0x01;
    const block =
      this.#sessionKey === undefined ? message : sealBlock(this.#cipher, this.#sessionKey, message);
    const frame = encodeFrame(block);
    if (fault === 'frame-checksum') frame[frame.length - 2]! ^= 0xff;
    const pieces = fragment(frame, Math.min(ACR1255_FRAGMENT_LENGTH, this.mtu - 3));
    for (const [index, piece] of pieces.entries()) {
      if (generation !== this.#connectionGeneration || this.#port === undefined) return;
      if (fault === 'disconnect-mid-response' && index === Math.max(1, Math.floor(pieces.length / 2))) {
        this.#port.disconnect();
        return;
      }
      if (this.notificationDelayMs > 0 && index > 0) await sleep(this.notificationDelayMs);
      this.#port?.notify(this.#gatt.service, this.#gatt.notify, piece.slice());
    }
    if (fault === 'disconnect-mid-response' && pieces.length === 1) this.#port?.disconnect();
  }

  #armSleepTimer(): void {
    this.#clearSleepTimer();
    if (!Number.isFinite(this.#sleepAfterMs) || this.#asleep) return;
    this.#sleepTimer = setTimeout(() => this.sleep(), this.#sleepAfterMs);
    this.#sleepTimer.unref?.();
  }

  #clearSleepTimer(): void {
    if (this.#sleepTimer !== undefined) clearTimeout(this.#sleepTimer);
    this.#sleepTimer = undefined;
  }
}

/** Powers a card down; an async endpoint's failure (it already left) is not the reader's concern. */
async function unpower(card: CardEndpointLike): Promise<void> {
  try {
    await card.powerOff();
  } catch {
    // Gone already.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}
