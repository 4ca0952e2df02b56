/**
 * Applies a fault plan to a stream of commands (see fault-rule.ts). The carrier passes each
 * command with a `forward` function that reaches the real card; the injector decides whether to
 * delay, answer in the card's place, corrupt the answer, or end the connection with
 * `CARD_REMOVED` / `LINK_LOST` (after which every command fails the same way).
 *
 * @example
 * ```ts
 * const injector = new FaultInjector([{ type: 'remove', afterCommands: 2 }]);
 * const response = await injector.run(command, (bytes) => card.process(bytes));
 * ```
 */
import { CardError, TransportErrorCode, throwIfAborted } from '@kakunin/core/transport';
import { reply } from '../card/apdu-reply.js';
import type { RemovalReason } from '../card-removal.js';
import { SeededRandom } from '../pki/seeded-random.js';
import { type FaultEvent, type FaultRule, matchesCommand } from './fault-rule.js';

/**
 * Options of a fault injector.
 *
 * @example
 * ```ts
 * new FaultInjector(rules, { seed: 'garbage-seed' });
 * ```
 */
export interface FaultInjectorOptions {
  /** Seed of the `garbage` noise (default `faults`). */
  readonly seed?: string;
}

function validate(rules: readonly FaultRule[]): void {
  if (!Array.isArray(rules)) throw new TypeError('rules must be an array of FaultRule');
  rules.forEach((rule, index) => {
    if (typeof rule !== 'object' || rule === null) throw new TypeError(`rules[${index}] must be an object`);
    switch (rule.type) {
      case 'remove':
      case 'drop':
        if (rule.afterCommands === undefined && rule.match === undefined) {
          throw new TypeError(`rules[${index}]: ${rule.type} needs afterCommands or match`);
        }
        if (
          rule.afterCommands !== undefined &&
          (!Number.isInteger(rule.afterCommands) || rule.afterCommands < 0)
        ) {
          throw new RangeError(`rules[${index}].afterCommands must be an integer ≥ 0`);
        }
        break;
      case 'delay':
        if (!(rule.ms >= 0)) throw new RangeError(`rules[${index}].ms must be ≥ 0`);
        break;
      case 'status':
        if (!Number.isInteger(rule.sw) || rule.sw < 0 || rule.sw > 0xffff) {
          throw new RangeError(`rules[${index}].sw must be 0..0xFFFF`);
        }
        break;
      case 'corrupt':
        break;
      default:
        throw new TypeError(`rules[${index}].type is unknown`);
    }
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CardError(TransportErrorCode.ABORTED, 'transmit: aborted', { cause: signal?.reason }));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Applies a fault plan to a command stream.
 *
 * @example
 * ```ts
 * const injector = new FaultInjector([{ type: 'delay', ms: 10 }]);
 * ```
 */
export class FaultInjector {
  readonly rules: readonly FaultRule[];
  /** Faults that fired, in order. */
  readonly events: FaultEvent[] = [];
  readonly #fired = new Map<FaultRule, number>();
  readonly #random: SeededRandom;
  readonly #listeners = new Set<(reason: RemovalReason) => void>();
  #index = 0;
  #gone: CardError | undefined;

  constructor(rules: readonly FaultRule[], options: FaultInjectorOptions = {}) {
    validate(rules);
    this.rules = [...rules];
    this.#random = new SeededRandom(options.seed ?? 'faults', 'fault-injector');
  }

  /** Commands seen so far. */
  get commandCount(): number {
    return this.#index;
  }

  /** The error that ended the connection, if a remove/drop fired. */
  get gone(): CardError | undefined {
    return this.#gone;
  }

  /** Subscribe to removal / link loss. */
  onRemoval(listener: (reason: RemovalReason) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Clears a removal (the card was put back). Counters and `times` budgets continue. */
  restore(): void {
    this.#gone = undefined;
  }

  #canFire(rule: FaultRule): boolean {
    const times = 'times' in rule && rule.times !== undefined ? rule.times : Number.POSITIVE_INFINITY;
    return (this.#fired.get(rule) ?? 0) < times;
  }

  #fire(rule: FaultRule, index: number, command: Uint8Array | undefined): void {
    this.#fired.set(rule, (this.#fired.get(rule) ?? 0) + 1);
    this.events.push({
      index,
      type: rule.type,
      ...(command !== undefined && command.length > 1 ? { ins: command[1]! } : {}),
    });
  }

  #end(rule: FaultRule & { type: 'remove' | 'drop' }, index: number, command: Uint8Array): CardError {
    this.#fire(rule, index, command);
    const error =
      rule.type === 'drop'
        ? new CardError(TransportErrorCode.LINK_LOST, 'fault injection: the connection dropped', {
            remedy: 'card.moved',
          })
        : new CardError(TransportErrorCode.CARD_REMOVED, 'fault injection: the card was removed', {
            remedy: 'card.moved',
          });
    this.#gone = error;
    for (const listener of [...this.#listeners])
      listener(rule.type === 'drop' ? 'link-lost' : 'card-removed');
    return error;
  }

  #corrupt(rule: FaultRule & { type: 'corrupt' }, response: Uint8Array): Uint8Array {
    const out = response.slice();
    switch (rule.mode ?? 'flip') {
      case 'truncate':
        return out.subarray(0, Math.max(0, out.length - (rule.bytes ?? 1)));
      case 'garbage':
        return this.#random.bytes(out.length);
      default: {
        if (out.length === 0) return out;
        const wanted = rule.byteIndex ?? 0;
        const position = ((wanted % out.length) + out.length) % out.length;
        out[position]! ^= 0xff;
        return out;
      }
    }
  }

  /**
   * Runs one command through the plan.
   *
   * @example
   * ```ts
   * await injector.run(command, (bytes) => transport.transmit(bytes, { signal }), signal);
   * ```
   */
  async run(
    command: Uint8Array,
    forward: (command: Uint8Array) => Promise<Uint8Array>,
    signal?: AbortSignal,
  ): Promise<Uint8Array> {
    if (this.#gone !== undefined) throw this.#gone;
    const index = this.#index++;
    for (const rule of this.rules) {
      if (
        (rule.type === 'remove' || rule.type === 'drop') &&
        rule.afterCommands === index &&
        this.#canFire(rule)
      ) {
        throw this.#end(rule, index, command);
      }
    }
    let delay = 0;
    let answer: Uint8Array | undefined;
    let endAfter: (FaultRule & { type: 'remove' | 'drop' }) | undefined;
    let endBefore: (FaultRule & { type: 'remove' | 'drop' }) | undefined;
    for (const rule of this.rules) {
      if (!this.#canFire(rule)) continue;
      if (rule.type === 'delay' && matchesCommand(rule.match, command, index)) {
        this.#fire(rule, index, command);
        delay += rule.ms;
      } else if (
        rule.type === 'status' &&
        answer === undefined &&
        matchesCommand(rule.match, command, index)
      ) {
        this.#fire(rule, index, command);
        answer = reply(rule.sw, rule.data);
      } else if (
        (rule.type === 'remove' || rule.type === 'drop') &&
        rule.match !== undefined &&
        endBefore === undefined &&
        endAfter === undefined &&
        matchesCommand(rule.match, command, index)
      ) {
        if (rule.processed === true) endAfter = rule;
        else endBefore = rule;
      }
    }
    if (delay > 0) {
      throwIfAborted(signal, 'transmit');
      await sleep(delay, signal);
    }
    if (endBefore !== undefined) throw this.#end(endBefore, index, command);
    let response = answer ?? (await forward(command));
    if (endAfter !== undefined) throw this.#end(endAfter, index, command);
    if (answer === undefined) {
      for (const rule of this.rules) {
        if (rule.type === 'corrupt' && this.#canFire(rule) && matchesCommand(rule.match, command, index)) {
          this.#fire(rule, index, command);
          response = this.#corrupt(rule, response);
        }
      }
    }
    return response;
  }
}
