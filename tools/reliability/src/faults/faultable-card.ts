/**
 * The virtual My Number card as every fault test sees it: a {@link VirtualCardEndpoint} that
 * forwards to a real `VirtualMyNumberCard` (swapped for a fresh one before each run, so PIN
 * counters start full), counts what actually reaches the card — above all every VERIFY that
 * carries a PIN — and can be armed per run with
 * - a card-level fault plan (the simulator's `FaultInjector`: the card leaves the field at a given
 *   command; it is a `RemovalSource`, so the presence layer — in-process slot, vpcd connector,
 *   the bridge relay's provider — takes it out of the reader), and
 * - a hook called with each command's index before the card answers (transport-native faults:
 *   BLE reader faults, bridge link cuts).
 *
 * @example
 * ```ts
 * const card = new FaultableCard(profile.image);
 * card.arm({ rules: [{ type: 'remove', match: { index: 3 } }] });
 * provider.insert(card);
 * ```
 */
import {
  type CardImage,
  type RemovalReason,
  type RemovalSource,
  type VirtualCardEndpoint,
  VirtualMyNumberCard,
} from '@kakunin/simulator';
import { FaultInjector, type FaultRule } from '@kakunin/simulator/faults';

/** ISO 7816-4 VERIFY (§7.5.6); with data it presents a PIN and may spend a try. */
const INS_VERIFY = 0x20;
/** A VERIFY longer than header + Lc carries reference data (a PIN). */
const VERIFY_WITH_DATA_MIN_LENGTH = 6;
/** JPKI auth PIN key EF (jpki-card.md §3.1). */
const AUTH_PIN_EF = 0x0018;

export interface ArmOptions {
  readonly rules?: readonly FaultRule[];
  /**
   * Called before the card answers command `index` (0-based, commands that reach the card).
   * Returns true when it injected something (counted in {@link FaultableCard.fired}).
   */
  readonly onCommand?: (index: number, command: Uint8Array) => boolean | Promise<boolean>;
  /** The fault was already injected when arming (it hits the first command before the card sees it). */
  readonly injectedOnArm?: boolean;
  /** Holds command `at` until `run` (e.g. stopping pcscd) has finished; counts as fired. */
  readonly hold?: { readonly at: number; readonly run: (index: number) => Promise<void> };
}

/** What a fault run needs from the card, wherever it lives (this thread or a worker). */
export interface CardControl {
  renew(): Promise<void>;
  arm(options: ArmOptions): Promise<void>;
  stats(): Promise<CardStatistics>;
}

export interface CardStatistics {
  /** Commands that reached the card since arming. */
  readonly commands: number;
  /** VERIFYs with a PIN that reached the card since arming. */
  readonly pinVerifications: number;
  /** Card-level faults and hooks that fired since arming. */
  readonly fired: number;
  readonly authTriesLeft: number;
  /** The auth PIN is verified on the card right now. */
  readonly authVerified: boolean;
}

export class FaultableCard implements VirtualCardEndpoint, RemovalSource {
  readonly image: CardImage;
  card: VirtualMyNumberCard;
  /** Commands that reached the card in the current run. */
  commands = 0;
  /** VERIFY commands with a PIN that reached the card in the current run. */
  pinVerifications = 0;
  /** Native hooks that injected something in the current run. */
  hookFired = 0;
  readonly #listeners = new Set<(reason: RemovalReason) => void>();
  #injector: FaultInjector | undefined;
  #onCommand: ArmOptions['onCommand'];
  #hold: ArmOptions['hold'];
  #index = 0;

  constructor(image: CardImage) {
    this.image = image;
    this.card = new VirtualMyNumberCard(image);
  }

  get atr(): Uint8Array {
    return this.card.atr;
  }

  /** Tries left of the auth PIN on the current card. */
  get authTriesLeft(): number {
    return this.card.pinStatus('jpki', AUTH_PIN_EF)!.triesLeft;
  }

  /** A fresh card (full counters) in the same power state, and a clean fault plan. */
  renew(): void {
    const powered = this.card.powered;
    this.card = new VirtualMyNumberCard(this.image);
    if (powered) this.card.powerOn();
    this.disarm();
  }

  arm(options: ArmOptions): void {
    this.#index = 0;
    this.commands = 0;
    this.pinVerifications = 0;
    this.hookFired = options.injectedOnArm === true ? 1 : 0;
    this.#onCommand = options.onCommand;
    this.#hold = options.hold;
    this.#injector = options.rules === undefined ? undefined : new FaultInjector(options.rules);
    this.#injector?.onRemoval((reason) => {
      for (const listener of [...this.#listeners]) listener(reason);
    });
  }

  /** Card-level faults and hooks that fired in the current run. */
  get fired(): number {
    return (this.#injector?.events.length ?? 0) + this.hookFired;
  }

  disarm(): void {
    this.#injector = undefined;
    this.#onCommand = undefined;
    this.#hold = undefined;
    this.#index = 0;
    this.commands = 0;
    this.pinVerifications = 0;
  }

  /** This card as a {@link CardControl}. */
  get control(): CardControl {
    return {
      renew: async () => this.renew(),
      arm: async (options) => this.arm(options),
      stats: async () => ({
        commands: this.commands,
        pinVerifications: this.pinVerifications,
        fired: this.fired,
        authTriesLeft: this.authTriesLeft,
        authVerified: this.card.pinStatus('jpki', AUTH_PIN_EF)?.verified === true,
      }),
    };
  }

  onRemoval(listener: (reason: RemovalReason) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  powerOn(): Uint8Array {
    return this.card.powerOn();
  }

  powerOff(): void {
    this.card.powerOff();
  }

  warmReset(): Uint8Array {
    return this.card.warmReset();
  }

  async process(command: Uint8Array): Promise<Uint8Array> {
    const index = this.#index++;
    if ((await this.#onCommand?.(index, command)) === true) this.hookFired++;
    if (this.#hold !== undefined && this.#hold.at === index) {
      this.hookFired++;
      await this.#hold.run(index);
    }
    const forward = (bytes: Uint8Array): Promise<Uint8Array> => {
      this.commands++;
      if (bytes[1] === INS_VERIFY && bytes.length >= VERIFY_WITH_DATA_MIN_LENGTH) this.pinVerifications++;
      return this.card.process(bytes);
    };
    return this.#injector === undefined ? forward(command) : this.#injector.run(command, forward);
  }
}
