/**
 * The immutable description of the files an application holds (a "card image"). The card turns
 * it into mutable state (PIN values, retry counters) when it is built, so one image can back many
 * independent cards. File kinds follow ISO 7816-4 §7 (transparent and record EFs) and the JICSAP
 * key EFs of ../shared/spec/jpki-card.md §3–§6.
 *
 * @example
 * ```ts
 * const file: CardFileSpec = { kind: 'binary', fid: 0x0006, content: tokenInfo, access: FREE };
 * ```
 */
import type { KeyObject } from 'node:crypto';
import type { AccessRule } from './access-rule.js';
import type { PinFormat } from './pin-format.js';

/** A transparent EF read with READ BINARY. */
export interface BinaryFileSpec {
  readonly kind: 'binary';
  readonly fid: number;
  /** The file's physical bytes, filler included. */
  readonly content: Uint8Array;
  readonly access: AccessRule;
}

/** A record EF read with READ RECORD (共通AP EF 0001, jpki-card.md §6). */
export interface RecordFileSpec {
  readonly kind: 'record';
  readonly fid: number;
  readonly records: readonly Uint8Array[];
  readonly access: AccessRule;
}

/** A PIN / password / 照合番号 key EF (jpki-card.md §8). */
export interface PinFileSpec {
  readonly kind: 'pin';
  readonly fid: number;
  readonly format: PinFormat;
  /** Reference value as ASCII text; `null` for a key that can never be verified (text AP 0012). */
  readonly value: string | null;
  readonly maxTries: number;
  /** Tries left at first power-on (0 = blocked). */
  readonly triesLeft: number;
  /**
   * The key was issued without reference data (顔認証マイナンバーカード: no PIN set). Modelled as
   * `69 84` "reference data not usable" to every VERIFY, with or without data — an assumption: no
   * public source shows the card's answer (simulator README, "Field behaviours").
   */
  readonly notSet?: boolean;
}

/** A private-key EF (jpki-card.md §3.1 0017/001A; 券面 APs' internal-authentication key). */
export interface KeyFileSpec {
  readonly kind: 'key';
  readonly fid: number;
  readonly privateKey: KeyObject;
  /** PIN EF that unlocks the key; `null` for PIN-less internal authentication. */
  readonly unlockedBy: number | null;
}

export type CardFileSpec = BinaryFileSpec | RecordFileSpec | PinFileSpec | KeyFileSpec;

/** Which application an image entry is (drives the COMPUTE DIGITAL SIGNATURE behaviour). */
export type ApplicationKind = 'jpki' | 'text' | 'face' | 'common';

/** One application (DF) of the card. */
export interface ApplicationSpec {
  readonly kind: ApplicationKind;
  /** DF name, 10 bytes (jpki-card.md §2). */
  readonly aid: Uint8Array;
  readonly files: readonly CardFileSpec[];
  /** Key of the PIN-less internal authentication `80 2A 00 00` (券面 APs, jpki-card.md §9). */
  readonly internalAuthenticationKey?: KeyObject;
}

/** How a damaged chip misbehaves (the `damaged` profile). */
export type DamageMode =
  /** Every command answers `6F 00` (no precise diagnosis). */
  | 'mute'
  /** Commands never complete until the card is reset or powered off. */
  | 'stall'
  /** Commands run, but responses come back with corrupted bytes. */
  | 'garble';

export interface CardDamage {
  readonly mode: DamageMode;
  /** Commands answered normally before the damage shows (default 0). */
  readonly healthyCommands?: number;
  /** For `stall`: answer normally after this many ms instead of never (default: never). */
  readonly stallMs?: number;
}

/**
 * Field behaviours of real cards and independent emulators, each off by default. Sources per option; the README's "Field behaviours" table lists them.
 */
export interface CardQuirks {
  /**
   * T=0-style responses (ISO 7816-3 §10.3.3 case 2/4, ISO 7816-4 §5.3.4): every command whose
   * answer carries data answers `61 xx` instead, and the data is fetched with GET RESPONSE
   * (`00 C0 00 00 Le`). `piece` (1..256, default 256) caps what each `61 xx` announces, so a card
   * may hand out its answer in pieces smaller than what remains.
   */
  readonly getResponse?: {
    readonly piece?: number;
    /** Answer to GET RESPONSE sent with a proprietary class (default `6D 00`; some cards `6E 00`). */
    readonly proprietaryClassSw?: 0x6d00 | 0x6e00;
  };
  /**
   * Largest response READ BINARY hands out (1..256): a larger Le is answered `6C xx` with xx the
   * cap (`6C 00` for 256) — ISO 7816-4 §5.3.4 "wrong Le field; SW2 encodes the exact number".
   * Seen on an independent emulator behind a relay: 224 bytes (`6C E0`).
   */
  readonly responseCap?: number;
  /**
   * What READ BINARY answers when Le reaches past the end of the file: `data-6282` (default; the
   * bytes that exist + `62 82`, jpki-card.md §8) or `wrong-le` (`6C xx` with the bytes left, when
   * at most 256 are left — a 6C xx cannot name more).
   */
  readonly endOfFile?: 'data-6282' | 'wrong-le';
  /**
   * VERIFY without data on a key verified since power-on answers `90 00` instead of `63 Cx`
   * (ISO 7816-4 §11.5.6: "no further verification needed"); seen on real cards after a correct PIN.
   */
  readonly emptyVerifyAnswers9000WhenVerified?: boolean;
}

/** Everything a virtual card is made of. */
export interface CardImage {
  /** ATR on power-on and reset (jpki-card.md §12). */
  readonly atr: Uint8Array;
  /** Applications in the order SELECT-by-prefix tries them. */
  readonly applications: readonly ApplicationSpec[];
  /** Whether the card accepts extended Lc/Le (jpki-card.md §12.3); `false` answers 67 00 to them. */
  readonly extendedLength: boolean;
  /** MF-level GET DATA objects by tag (jpki-card.md §7). */
  readonly masterFileData: ReadonlyMap<number, Uint8Array>;
  /**
   * The iPhone JPKI token's "last-command indicator" `80 FC 00 00` is understood (`90 00`);
   * plastic cards answer `67 00` (jpki-card.md §9).
   */
  readonly acceptsLastCommandIndicator?: boolean;
  /** Answer `6F 00` to the first command after a cold reset (jpki-card.md §13, one card). */
  readonly firstCommandAfterColdReset6F00?: boolean;
  readonly damage?: CardDamage;
  /** Field behaviours, all off by default. */
  readonly quirks?: CardQuirks;
}
