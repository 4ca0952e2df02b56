/**
 * Fault rules: what to break, and on which command. A plan is an ordered list of rules; one
 * {@link FaultInjector} applies it to a stream of commands, whichever path carries them
 * (an endpoint wrapper for vpcd / in-process cards, a Transport wrapper for any transport).
 *
 * Commands are counted from 0 in the order they arrive at the wrapper.
 *
 * @example
 * ```ts
 * const plan: FaultRule[] = [
 *   { type: 'remove', afterCommands: 3 },                          // the 4th command finds no card
 *   { type: 'delay', ms: 200, match: { ins: 0x2a } },                // slow signatures
 *   { type: 'status', match: { ins: 0x20, index: 5 }, sw: 0x6984 },  // this VERIFY answers "blocked"
 *   { type: 'corrupt', match: { ins: 0xb0 }, mode: 'flip', times: 1 },
 *   { type: 'drop', match: { ins: 0xb0, p1: 0x00, p2: 0x00 } },      // link lost mid-read
 * ];
 * ```
 */

/**
 * Selects commands. Every given field must match.
 *
 * @example
 * ```ts
 * const matcher: CommandMatcher = { cla: 0x80, ins: 0x2a };
 * ```
 */
export interface CommandMatcher {
  readonly cla?: number;
  readonly ins?: number;
  readonly p1?: number;
  readonly p2?: number;
  /** 0-based ordinal of the command at this wrapper. */
  readonly index?: number;
  /** Any other condition. */
  readonly predicate?: (command: Uint8Array, index: number) => boolean;
}

/**
 * The card leaves the field (`CARD_REMOVED`), after `afterCommands` answered commands or while a matching command is in flight (its answer is lost).
 *
 * @example
 * ```ts
 * const rule: RemoveRule = { type: 'remove', match: { ins: 0x20 }, processed: true };
 * ```
 */
export interface RemoveRule {
  readonly type: 'remove';
  readonly afterCommands?: number;
  readonly match?: CommandMatcher;
  /** With `match`: let the card process the command before it disappears (default false). */
  readonly processed?: boolean;
}

/**
 * The connection drops (`LINK_LOST`), same timing options as `remove`.
 *
 * @example
 * ```ts
 * const rule: DropRule = { type: 'drop', afterCommands: 5 };
 * ```
 */
export interface DropRule {
  readonly type: 'drop';
  readonly afterCommands?: number;
  readonly match?: CommandMatcher;
  readonly processed?: boolean;
}

/**
 * The answer comes `ms` later (honours AbortSignal on transports).
 *
 * @example
 * ```ts
 * const rule: DelayRule = { type: 'delay', ms: 3000, match: { ins: 0x2a } };
 * ```
 */
export interface DelayRule {
  readonly type: 'delay';
  readonly ms: number;
  readonly match?: CommandMatcher;
  /** How often the rule fires (default: always). */
  readonly times?: number;
}

/**
 * Replace the card's answer with `data ‖ sw`; the card never sees the command.
 *
 * @example
 * ```ts
 * const rule: StatusRule = { type: 'status', match: { ins: 0x20 }, sw: 0x6984 };
 * ```
 */
export interface StatusRule {
  readonly type: 'status';
  readonly match: CommandMatcher;
  readonly sw: number;
  readonly data?: Uint8Array;
  readonly times?: number;
}

/**
 * Corrupt the card's answer: `flip` XORs one byte (default the first, or `byteIndex`; negative
 * counts from the end), `truncate` drops `bytes` trailing bytes (default 1), `garbage` replaces
 * every byte with seeded noise.
 *
 * @example
 * ```ts
 * const rule: CorruptRule = { type: 'corrupt', mode: 'truncate', bytes: 3, match: { ins: 0xb0 } };
 * ```
 */
export interface CorruptRule {
  readonly type: 'corrupt';
  readonly mode?: 'flip' | 'truncate' | 'garbage';
  readonly match?: CommandMatcher;
  readonly byteIndex?: number;
  readonly bytes?: number;
  readonly times?: number;
}

/**
 * One rule of a fault plan.
 *
 * @example
 * ```ts
 * const plan: FaultRule[] = [{ type: 'remove', afterCommands: 3 }];
 * ```
 */
export type FaultRule = RemoveRule | DropRule | DelayRule | StatusRule | CorruptRule;

/**
 * One fault that fired (for assertions and logs; never holds command data).
 *
 * @example
 * ```ts
 * faulty.events; // [{ index: 3, type: 'remove', ins: 0xb0 }]
 * ```
 */
export interface FaultEvent {
  readonly index: number;
  readonly type: FaultRule['type'];
  /** INS of the command, when there was one. */
  readonly ins?: number;
}

/**
 * True when `command` (number `index`) satisfies `matcher` (absent matcher: always).
 *
 * @example
 * ```ts
 * matchesCommand({ ins: 0x20 }, command, index);
 * ```
 */
export function matchesCommand(
  matcher: CommandMatcher | undefined,
  command: Uint8Array,
  index: number,
): boolean {
  if (matcher === undefined) return true;
  if (matcher.index !== undefined && matcher.index !== index) return false;
  if (matcher.cla !== undefined && command[0] !== matcher.cla) return false;
  if (matcher.ins !== undefined && command[1] !== matcher.ins) return false;
  if (matcher.p1 !== undefined && command[2] !== matcher.p1) return false;
  if (matcher.p2 !== undefined && command[3] !== matcher.p2) return false;
  if (matcher.predicate !== undefined && !matcher.predicate(command, index)) return false;
  return true;
}
