/**
 * The virtual My Number card: a byte-faithful model of the card's APDU behaviour
 * (../shared/spec/jpki-card.md) over a {@link CardImage}. It implements
 * {@link VirtualCardEndpoint}, so every presence layer (in-process transport, vpcd connector,
 * fault injection, transcripts) can carry it.
 *
 * Command checks run in a fixed order: decode (`67 00` when malformed), CLA (`6E 00` invalid,
 * `68 81` logical channel ≠ 0, `68 82` / `69 FC` secure messaging, `68 84` chaining), extended
 * length when the card has it switched off (`67 00`), then the instruction (`6D 00` unknown).
 * `process()` never throws: an unexpected fault answers `6F 00`.
 *
 * @example
 * ```ts
 * const card = new VirtualMyNumberCard(createCardProfile('plastic', { keyStore }).image);
 * card.powerOn();
 * const response = await card.process(hexToBytes('00A4040C0AD392F000260100000001')); // 90 00
 * ```
 */
import { randomBytes } from 'node:crypto';
import { type DecodedCommandApdu, decodeCommand, INS, SW } from '@kakunin/core/iso7816';
import type { VirtualCardEndpoint } from '../card-endpoint.js';
import { reply, SW_CHAINING_NOT_SUPPORTED, SW_SECURE_MESSAGING_REFUSED } from './apdu-reply.js';
import type { CardImage } from './card-file.js';
import { type CardState, createCardState } from './card-state.js';
import { handleChangeReferenceData } from './commands/change-reference-data-command.js';
import { handleComputeSignature } from './commands/compute-signature-command.js';
import { handleGetChallenge } from './commands/get-challenge-command.js';
import { handleGetData } from './commands/get-data-command.js';
import { handleReadBinary } from './commands/read-binary-command.js';
import { handleReadRecord } from './commands/read-record-command.js';
import { handleSelect } from './commands/select-command.js';
import { handleVerify } from './commands/verify-command.js';

/** 61 xx: xx more bytes available through GET RESPONSE (ISO 7816-4 §5.1.3; 00 = 256 or more). */
const SW_BYTES_AVAILABLE = 0x6100;
/** Largest piece one `61 xx` announces. */
const MAX_PIECE = 256;
/** CLA FF is invalid (ISO 7816-3 §9: reserved for PPS). */
const CLA_INVALID = 0xff;
/** CLA bit 8: proprietary class (the card's 80 class, jpki-card.md §9). */
const CLA_PROPRIETARY = 0x80;
/** First interindustry class: bits 1–2 logical channel (ISO 7816-4 §5.4.1 table 2). */
const CLA_CHANNEL_MASK = 0x03;
/** Bits 3–4: secure-messaging indication. */
const CLA_SECURE_MESSAGING_MASK = 0x0c;
/** Bit 5: command chaining. */
const CLA_CHAINING = 0x10;
/** Bits 6–7 set → further interindustry class (logical channels 4–19) or an unknown class. */
const CLA_FURTHER_INTERINDUSTRY = 0x60;
/** 80 FC 00 00: iPhone "last-command indicator"; plastic cards answer 67 00 (jpki-card.md §9). */
const INS_LAST_COMMAND_INDICATOR = 0xfc;
/** Proprietary 80 A2 (terminal CV certificate) and 80 AE (session key): not modelled → 67 00. */
const INS_VERIFY_CERTIFICATE = 0xa2;
const INS_SET_SESSION_KEY = 0xae;

/**
 * Options for {@link VirtualMyNumberCard}.
 *
 * @example
 * ```ts
 * new VirtualMyNumberCard(image, { random: (length) => new SeededRandom('t').bytes(length) });
 * ```
 */
export interface VirtualCardOptions {
  /** Random source for GET CHALLENGE, PSS salts and garbling (default: node:crypto randomBytes). */
  readonly random?: (length: number) => Uint8Array;
}

/**
 * Live view of one key's counter (for tests and the CLI; the card itself never reveals it).
 *
 * @example
 * ```ts
 * card.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.triesLeft; // 3
 * ```
 */
export interface PinStatus {
  readonly triesLeft: number;
  readonly maxTries: number;
  readonly verified: boolean;
  readonly blocked: boolean;
}

/**
 * The virtual My Number card (see the file comment for the command checks).
 *
 * @example
 * ```ts
 * const card = new VirtualMyNumberCard(createCardProfile('plastic', { keyStore }).image);
 * ```
 */
export class VirtualMyNumberCard implements VirtualCardEndpoint {
  readonly atr: Uint8Array;
  readonly image: CardImage;
  readonly #state: CardState;
  #powered = false;
  #commandsSincePowerOn = 0;
  #commandsTotal = 0;
  #firstAfterCold = false;
  /** T=0-style answer waiting for GET RESPONSE: the bytes left and the final status word. */
  #pending: { data: Uint8Array; sw: number } | null = null;
  readonly #stalled = new Set<() => void>();

  /**
   * @example
   * ```ts
   * const card = new VirtualMyNumberCard(profile.image);
   * ```
   */
  constructor(image: CardImage, options: VirtualCardOptions = {}) {
    if (typeof image !== 'object' || image === null) throw new TypeError('image must be a CardImage');
    this.image = image;
    this.atr = image.atr;
    const random = options.random ?? ((length: number) => new Uint8Array(randomBytes(length)));
    this.#state = createCardState(image, random);
  }

  /** True between powerOn() and powerOff(). */
  get powered(): boolean {
    return this.#powered;
  }

  /** Commands processed since this object was created (fault plans and tests count with it). */
  get commandCount(): number {
    return this.#commandsTotal;
  }

  powerOn(): Uint8Array {
    this.#releaseStalled();
    this.#powered = true;
    this.#state.application = null;
    this.#state.file = null;
    this.#state.verified.clear();
    this.#state.challenge = null;
    this.#commandsSincePowerOn = 0;
    this.#pending = null;
    this.#firstAfterCold = this.image.firstCommandAfterColdReset6F00 === true;
    return this.atr.slice();
  }

  powerOff(): void {
    this.#releaseStalled();
    this.#powered = false;
    this.#pending = null;
    this.#state.application = null;
    this.#state.file = null;
    this.#state.verified.clear();
    this.#state.challenge = null;
  }

  warmReset(): Uint8Array {
    this.#releaseStalled();
    if (!this.#powered) return this.powerOn();
    // Selection is lost; the security status survives (jpki-card.md §8, [SOL]).
    this.#pending = null;
    this.#state.application = null;
    this.#state.file = null;
    this.#state.challenge = null;
    return this.atr.slice();
  }

  /**
   * Retry counter and verified status of a key EF, for tests. `application` is the kind of the
   * application holding it.
   *
   * @example
   * ```ts
   * card.pinStatus('jpki', JPKI_EF.AUTH_PIN); // { triesLeft: 3, maxTries: 3, verified: false, blocked: false }
   * ```
   */
  pinStatus(application: 'jpki' | 'text' | 'face' | 'common', fid: number): PinStatus | undefined {
    const app = this.#state.applications.find((candidate) => candidate.spec.kind === application);
    const pin = app?.files.get(fid);
    if (pin === undefined || pin.kind !== 'pin') return undefined;
    return {
      triesLeft: pin.triesLeft,
      maxTries: pin.maxTries,
      verified: this.#state.verified.has(pin),
      blocked: pin.value === null || pin.triesLeft === 0,
    };
  }

  async process(command: Uint8Array): Promise<Uint8Array> {
    if (!(command instanceof Uint8Array)) return reply(SW.NO_PRECISE_DIAGNOSIS);
    this.#commandsTotal += 1;
    if (!this.#powered) return reply(SW.NO_PRECISE_DIAGNOSIS);
    this.#commandsSincePowerOn += 1;
    if (this.#firstAfterCold) {
      this.#firstAfterCold = false;
      return reply(SW.NO_PRECISE_DIAGNOSIS);
    }
    const damage = this.image.damage;
    if (damage !== undefined && this.#commandsSincePowerOn > (damage.healthyCommands ?? 0)) {
      switch (damage.mode) {
        case 'mute':
          return reply(SW.NO_PRECISE_DIAGNOSIS);
        case 'stall':
          return this.#stall(command, damage.stallMs);
        case 'garble':
          return this.#garble(this.#safeDispatch(command));
      }
    }
    return this.#safeDispatch(command);
  }

  #safeDispatch(command: Uint8Array): Uint8Array {
    try {
      const quirk = this.image.quirks?.getResponse;
      if (quirk === undefined) return this.#dispatch(command);
      return this.#t0(command, quirk.piece ?? MAX_PIECE, quirk.proprietaryClassSw ?? SW.INS_NOT_SUPPORTED);
    } catch {
      return reply(SW.NO_PRECISE_DIAGNOSIS);
    }
  }

  #dispatch(command: Uint8Array): Uint8Array {
    let apdu: DecodedCommandApdu;
    try {
      apdu = decodeCommand(command);
    } catch {
      return reply(SW.WRONG_LENGTH);
    }
    const classCheck = this.#checkClass(apdu);
    if (classCheck !== undefined) return reply(classCheck);
    if (apdu.extended && !this.image.extendedLength) return reply(SW.WRONG_LENGTH);
    const proprietary = (apdu.cla & CLA_PROPRIETARY) !== 0;
    const state = this.#state;
    if (proprietary) {
      switch (apdu.ins) {
        case INS.PERFORM_SECURITY_OPERATION:
          return handleComputeSignature(state, apdu);
        case INS_LAST_COMMAND_INDICATOR:
          return reply(this.image.acceptsLastCommandIndicator === true ? SW.SUCCESS : SW.WRONG_LENGTH);
        case INS_VERIFY_CERTIFICATE:
        case INS_SET_SESSION_KEY:
          return reply(SW.WRONG_LENGTH);
        default:
          return reply(SW.INS_NOT_SUPPORTED);
      }
    }
    switch (apdu.ins) {
      case INS.SELECT:
        return handleSelect(state, apdu);
      case INS.READ_BINARY:
        return handleReadBinary(state, apdu);
      case INS.READ_RECORD:
        return handleReadRecord(state, apdu);
      case INS.VERIFY:
        return handleVerify(state, apdu);
      case INS.CHANGE_REFERENCE_DATA:
        return handleChangeReferenceData(state, apdu);
      case INS.GET_CHALLENGE:
        return handleGetChallenge(state, apdu);
      case INS.GET_DATA:
        return handleGetData(state, apdu);
      case INS.INTERNAL_AUTHENTICATE:
        // Only 共通AP key 0019 answers on real cards (not modelled); other keys 69 82 (jpki-card.md §9).
        return reply(SW.SECURITY_STATUS_NOT_SATISFIED);
      case INS.PERFORM_SECURITY_OPERATION:
        return reply(SW.CLA_NOT_SUPPORTED);
      default:
        return reply(SW.INS_NOT_SUPPORTED);
    }
  }

  /**
   * T=0-style answering (CardQuirks.getResponse): data goes out through GET RESPONSE in pieces of
   * at most `piece` bytes, each announced by `61 xx`; any other command drops what was pending.
   */
  #t0(command: Uint8Array, piece: number, proprietaryClassSw: number): Uint8Array {
    const ins = command[1];
    if (ins === INS.GET_RESPONSE && command.length >= 4) {
      const cla = command[0]!;
      const pending = this.#pending;
      if ((cla & CLA_PROPRIETARY) !== 0) {
        this.#pending = null;
        return reply(proprietaryClassSw);
      }
      if (cla !== 0 || command[2] !== 0 || command[3] !== 0) return this.#dispatchAndHold(command, piece);
      if (pending === null) return reply(SW.CONDITIONS_NOT_SATISFIED);
      const le = command.length === 5 ? command[4] || 256 : command.length === 4 ? 256 : -1;
      if (le < 0) {
        this.#pending = null;
        return reply(SW.WRONG_LENGTH);
      }
      const take = Math.min(le, pending.data.length);
      const out = pending.data.subarray(0, take);
      const rest = pending.data.subarray(take);
      if (rest.length === 0) {
        this.#pending = null;
        return reply(pending.sw, out);
      }
      this.#pending = { data: rest, sw: pending.sw };
      return reply(SW_BYTES_AVAILABLE | (Math.min(rest.length, piece) & 0xff), out);
    }
    return this.#dispatchAndHold(command, piece);
  }

  #dispatchAndHold(command: Uint8Array, piece: number): Uint8Array {
    this.#pending = null;
    const response = this.#dispatch(withoutCase4Le(command));
    if (response.length <= 2) return response;
    const sw = (response[response.length - 2]! << 8) | response[response.length - 1]!;
    this.#pending = { data: response.slice(0, response.length - 2), sw };
    return reply(SW_BYTES_AVAILABLE | (Math.min(response.length - 2, piece) & 0xff));
  }

  #checkClass(apdu: DecodedCommandApdu): number | undefined {
    const cla = apdu.cla;
    if (cla === CLA_INVALID) return SW.CLA_NOT_SUPPORTED;
    if ((cla & CLA_FURTHER_INTERINDUSTRY) !== 0) {
      return (cla & CLA_PROPRIETARY) === 0 ? SW.LOGICAL_CHANNEL_NOT_SUPPORTED : SW.CLA_NOT_SUPPORTED;
    }
    if ((cla & CLA_CHANNEL_MASK) !== 0) return SW.LOGICAL_CHANNEL_NOT_SUPPORTED;
    if ((cla & CLA_SECURE_MESSAGING_MASK) !== 0) {
      // jpki-card.md §9: 68 82 on SELECT (and anything else), 69 FC on READ BINARY and VERIFY.
      return apdu.ins === INS.READ_BINARY || apdu.ins === INS.VERIFY
        ? SW_SECURE_MESSAGING_REFUSED
        : SW.SECURE_MESSAGING_NOT_SUPPORTED;
    }
    if ((cla & CLA_CHAINING) !== 0) return SW_CHAINING_NOT_SUPPORTED;
    return undefined;
  }

  #stall(command: Uint8Array, stallMs: number | undefined): Promise<Uint8Array> {
    return new Promise<Uint8Array>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const release = (): void => {
        if (timer !== undefined) clearTimeout(timer);
        this.#stalled.delete(release);
        resolve(reply(SW.NO_PRECISE_DIAGNOSIS));
      };
      this.#stalled.add(release);
      if (stallMs !== undefined && Number.isFinite(stallMs)) {
        timer = setTimeout(() => {
          this.#stalled.delete(release);
          resolve(this.#safeDispatch(command));
        }, stallMs);
      }
    });
  }

  #releaseStalled(): void {
    for (const release of [...this.#stalled]) release();
  }

  #garble(response: Uint8Array): Uint8Array {
    const noise = this.#state.random(response.length + 1);
    const out = response.slice(0, Math.max(2, response.length - (noise[response.length]! % 4)));
    let changed = false;
    for (let index = 0; index < out.length; index++) {
      if ((noise[index]! & 0x03) === 0) {
        out[index]! ^= noise[index]! | 0x01;
        changed = true;
      }
    }
    if (!changed) out[out.length - 1]! ^= 0x5a;
    return out;
  }
}

/**
 * Under T=0 a case 4 command reaches the card without its Le (ISO 7816-3 §12.2, case 4 over T=0: the TPDU carries
 * CLA INS P1 P2 Lc data; the answer comes back through 61 xx + GET RESPONSE, whose P3 is the Le):
 * the T=0-style card answers as if the whole response had been asked for (short Le `00`).
 */
function withoutCase4Le(command: Uint8Array): Uint8Array {
  const lc = command[4] ?? 0;
  if (command.length < 6 || lc === 0 || command.length !== 5 + lc + 1) return command;
  const copy = command.slice();
  copy[copy.length - 1] = 0x00;
  return copy;
}
