/**
 * Messages between {@link CardHost} (parent) and the vpcd card host process (child).
 *
 * @example
 * ```ts
 * const request: CardHostRequest = { type: 'log', id: 1 };
 * ```
 */
import type { ApduLogEntry } from './apdu-tally.js';

/** Parent → child. */
export type CardHostRequest =
  | { readonly type: 'reset'; readonly id: number }
  | { readonly type: 'log'; readonly id: number }
  | { readonly type: 'stop'; readonly id: number };

/** Child → parent. */
export type CardHostReply =
  | { readonly type: 'ready'; readonly readerName: string }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'done'; readonly id: number }
  | {
      readonly type: 'log';
      readonly id: number;
      readonly entries: readonly ApduLogEntry[];
      readonly powerOns: number;
    };
