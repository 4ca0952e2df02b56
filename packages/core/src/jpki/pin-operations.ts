/**
 * PIN logic of the card, in one place (jpki-card.md §8; DEVELOPERS.md rule 4): the retry-counter
 * query (never spends a try), the guard before a try (blocked, not set, last try), VERIFY sent
 * exactly once, CHANGE REFERENCE DATA, and the one-at-a-time rule (a racing second PIN operation is
 * BUSY before any APDU). Addressing (SFI or SELECT) is asked of {@link CardAccess}; the `63 Cx`
 * counter is decoded only by `retryCounter` (iso7816/status-words).
 *
 * @example
 * ```ts
 * const pins = new PinOperations(access, (key, options) => selectPinApplication(key, options));
 * const status = await pins.status('auth');
 * ```
 */
import type { TransmitOptions } from '../iso7816/card-session.js';
import { CLA, INS } from '../iso7816/instructions.js';
import { retryCounter, StatusWordError, SW } from '../iso7816/status-words.js';
import { CardError } from '../transport/card-error.js';
import type { CardAccess } from './card-access.js';
import { CHANGE_P1_NEW_ONLY, P2_CURRENT_OR_SFI } from './constants.js';
import { encodePin, PIN_SPECS, type PinKey } from './pin.js';

export interface PinStatus {
  /** Tries left, or null when the card answered 90 00 (does not report a counter). */
  readonly triesLeft: number | null;
  readonly blocked: boolean;
  readonly maxTries: number | undefined;
  /**
   * Present when the card was issued without this PIN (the 顔認証マイナンバーカード answers the
   * counter query with 69 84): confirm identity by face or visually. The SDK never sends VERIFY
   * for such a key (PIN_NOT_SET).
   */
  readonly pinNotSet?: true;
}

export interface VerifyOptions extends TransmitOptions {
  /** Spend the last remaining try. Without it, a counter of 1 refuses with LAST_TRY_REFUSED. */
  readonly allowLastTry?: boolean;
}

/** Selects the application that holds `key` (the JPKI AP with its NOT_A_MYNUMBER_CARD mapping). */
export type SelectPinApplication = (key: PinKey, options: TransmitOptions) => Promise<void>;

export class PinOperations {
  readonly #access: CardAccess;
  readonly #selectApplication: SelectPinApplication;
  /** One PIN operation (counter → VERIFY) at a time: a racing second call is BUSY, never a 2nd try. */
  #busy = false;

  constructor(access: CardAccess, selectApplication: SelectPinApplication) {
    this.#access = access;
    this.#selectApplication = selectApplication;
  }

  /**
   * Runs one PIN operation; a second one while it is in flight is refused with `BUSY` before any
   * APDU (two racing calls would both read the same counter and spend two tries).
   */
  async exclusive<T>(body: () => Promise<T>): Promise<T> {
    if (this.#busy) {
      throw new CardError('BUSY', 'a PIN operation is already in progress on this card', {
        details: { operation: 'pin' },
      });
    }
    this.#busy = true;
    try {
      return await body();
    } finally {
      this.#busy = false;
    }
  }

  /** Reads a PIN's retry counter without spending a try (`00 20 00 (80|SFI)` without data). */
  async status(key: PinKey, options: TransmitOptions = {}): Promise<PinStatus> {
    const spec = PIN_SPECS[key];
    if (spec === undefined) throw new RangeError(`unknown PIN key ${String(key)}`);
    await this.#selectApplication(key, options);
    let sw: number;
    try {
      sw = (
        await this.#access.probeReference(
          spec.ef,
          (p2) => ({ cla: CLA.ISO, ins: INS.VERIFY, p1: 0, p2 }),
          options,
        )
      ).sw;
    } catch (error) {
      if (error instanceof StatusWordError && error.sw === SW.FILE_NOT_FOUND) throw absent(key, error.sw);
      throw error;
    }
    // 6A88 / 6A82: the card understood the reference but has no such key (a child's card has no
    // signing password): an answer, not a refusal of SFI addressing.
    if (sw === SW.REFERENCED_DATA_NOT_FOUND || sw === SW.FILE_NOT_FOUND) throw absent(key, sw);
    return statusFromSw(key, sw);
  }

  /**
   * Counter first, then the guard, then VERIFY exactly once with the already-encoded PIN (the
   * caller zeroes it). Returns the status read before the try.
   */
  async present(key: PinKey, encoded: Uint8Array, options: VerifyOptions): Promise<PinStatus> {
    const status = await this.status(key, options);
    guardTry(key, status, options.allowLastTry === true);
    await this.#verify(key, encoded, options);
    return status;
  }

  /** Verifies a PIN once under every rule (counter, guard, BUSY, zeroed buffer). */
  async verify(key: PinKey, pin: string | Uint8Array, options: VerifyOptions = {}): Promise<void> {
    await this.exclusive(() => this.#encodedThen(key, pin, (encoded) => this.present(key, encoded, options)));
  }

  /** VERIFY the old value (with all the guards), then CHANGE REFERENCE DATA with the new one. */
  async change(
    key: 'auth' | 'sign' | 'text',
    oldPin: string | Uint8Array,
    newPin: string | Uint8Array,
    options: VerifyOptions = {},
  ): Promise<void> {
    return this.exclusive(() =>
      this.#encodedThen(key, newPin, async (encodedNew) => {
        await this.#encodedThen(key, oldPin, (encoded) => this.present(key, encoded, options));
        await this.#access.selectFile(PIN_SPECS[key].ef, options);
        const response = await this.#access.transmit(
          {
            cla: CLA.ISO,
            ins: INS.CHANGE_REFERENCE_DATA,
            p1: CHANGE_P1_NEW_ONLY,
            p2: P2_CURRENT_OR_SFI,
            data: encodedNew,
          },
          options,
        );
        if (response.sw !== SW.SUCCESS) throw new StatusWordError(response.sw, INS.CHANGE_REFERENCE_DATA);
      }),
    );
  }

  /** Encodes `pin` into a private buffer, runs `body`, and zeroes the buffer whatever happens. */
  async #encodedThen<T>(
    key: PinKey,
    pin: string | Uint8Array,
    body: (encoded: Uint8Array) => Promise<T>,
  ): Promise<T> {
    const encoded = encodePin(key, pin);
    try {
      return await body(encoded);
    } finally {
      encoded.fill(0);
    }
  }

  async #verify(key: PinKey, encoded: Uint8Array, options: TransmitOptions): Promise<void> {
    const spec = PIN_SPECS[key];
    const p2 = await this.#access.reference(spec.ef, options);
    const response = await this.#access.transmit(
      { cla: CLA.ISO, ins: INS.VERIFY, p1: 0, p2, data: encoded },
      options,
    );
    if (response.sw === SW.SUCCESS) return;
    const triesLeft = retryCounter(response.sw);
    if (triesLeft !== undefined) {
      if (triesLeft === 0) throw blocked(key);
      throw new CardError('PIN_INCORRECT', `${spec.description}: wrong value, ${triesLeft} tries left`, {
        remedy: 'pin.incorrect',
        details: { key, triesLeft },
      });
    }
    if (response.sw === SW.REFERENCE_DATA_NOT_USABLE || response.sw === SW.AUTHENTICATION_METHOD_BLOCKED)
      throw blocked(key);
    throw new StatusWordError(response.sw, INS.VERIFY);
  }
}

function statusFromSw(key: PinKey, sw: number): PinStatus {
  const maxTries = PIN_SPECS[key].maxTries;
  const triesLeft = retryCounter(sw);
  if (triesLeft !== undefined) return { triesLeft, blocked: triesLeft === 0, maxTries };
  if (sw === SW.SUCCESS || sw === SW.VERIFICATION_FAILED_NO_COUNTER)
    return { triesLeft: null, blocked: false, maxTries };
  // 69 84 to the counter query (no data): the key holds no usable reference data — on the
  // 顔認証マイナンバーカード no PIN was ever set. A blocked key answers the query 63 C0
  // (jpki-card.md §8); either way no VERIFY may be sent.
  if (sw === SW.REFERENCE_DATA_NOT_USABLE)
    return { triesLeft: null, blocked: false, maxTries, pinNotSet: true };
  if (sw === SW.AUTHENTICATION_METHOD_BLOCKED) return { triesLeft: 0, blocked: true, maxTries };
  throw new StatusWordError(sw, INS.VERIFY);
}

function guardTry(key: PinKey, status: PinStatus, allowLastTry: boolean): void {
  if (status.pinNotSet === true) {
    throw new CardError(
      'PIN_NOT_SET',
      `${PIN_SPECS[key].description}: not set on this card (顔認証マイナンバーカード); confirm identity by face or visually`,
      { remedy: 'pin.not-set', details: { key } },
    );
  }
  if (status.blocked) throw blocked(key);
  if (status.triesLeft === 1 && !allowLastTry) {
    throw new CardError(
      'LAST_TRY_REFUSED',
      `${PIN_SPECS[key].description}: one try left; not spent without explicit confirmation`,
      { remedy: 'pin.last-try', details: { key, triesLeft: 1 } },
    );
  }
}

function blocked(key: PinKey): CardError {
  return new CardError('PIN_BLOCKED', `${PIN_SPECS[key].description} is blocked`, {
    remedy: key === 'sign' ? 'sign-password.blocked' : 'pin.blocked',
    details: { key, triesLeft: 0 },
  });
}

function absent(key: PinKey, sw: number): CardError {
  if (key === 'sign') {
    return new CardError(
      'CERT_ABSENT',
      'this card has no signing certificate or signing password (e.g. a child’s card)',
      { remedy: 'cert.sign-absent', cause: new StatusWordError(sw, INS.VERIFY), details: { key } },
    );
  }
  return new CardError('PIN_ABSENT', `${PIN_SPECS[key].description}: not on this card`, {
    cause: new StatusWordError(sw, INS.VERIFY),
    details: { key },
  });
}
