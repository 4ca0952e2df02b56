/**
 * What one card saw: every command APDU it received, reduced to its header, its length form and
 * the sizes on the wire (never command data: a VERIFY carries a PIN), and the tally over them.
 *
 * @example
 * ```ts
 * const tally = tallyApdus(counter.log);
 * console.log(tally.apdus, tally.bytes, tally.wastedProbes);
 * ```
 */

/** One command as the card saw it, without its data. */
export interface ApduLogEntry {
  readonly cla: number;
  readonly ins: number;
  readonly p1: number;
  readonly p2: number;
  /** Command length on the wire (header ‖ Lc ‖ data ‖ Le). */
  readonly commandLength: number;
  /** Response length on the wire (data ‖ SW1 SW2). */
  readonly responseLength: number;
  /** Lc or Le in the extended (3-byte / 2-byte) form. */
  readonly extended: boolean;
  readonly sw: number;
}

/** Counts over one flow. */
export interface ApduTally {
  readonly apdus: number;
  readonly commandBytes: number;
  readonly responseBytes: number;
  /** commandBytes + responseBytes: APDU bytes on the wire, without any link framing. */
  readonly bytes: number;
  /** Commands the card refused in a way a reader recovers from by another form (see {@link isWastedProbe}). */
  readonly wastedProbes: number;
  readonly extendedApdus: number;
}

/** SW1 67: wrong length (ISO/IEC 7816-4 §5.6, table 6). */
const SW1_WRONG_LENGTH = 0x67;
/** SW1 6A: wrong parameters P1-P2, e.g. 6A 81 function not supported, 6A 86 incorrect P1-P2 (§5.6). */
const SW1_WRONG_PARAMETERS = 0x6a;
/** SW1 6B: wrong parameters P1-P2 (§5.6). */
const SW1_WRONG_P1_P2 = 0x6b;
/** SW1 6C: wrong Le, SW2 = exact length (§5.6). */
const SW1_WRONG_LE = 0x6c;
/** SW1 6D: INS not supported (§5.6). */
const SW1_INS_NOT_SUPPORTED = 0x6d;
/** 62 82: end of file reached before Le bytes (§5.6); without data it answered nothing useful. */
const SW_END_OF_FILE = 0x6282;
/** Status byte pair length. */
const SW_LENGTH = 2;

const REFUSING_SW1: ReadonlySet<number> = new Set([
  SW1_WRONG_LENGTH,
  SW1_WRONG_PARAMETERS,
  SW1_WRONG_P1_P2,
  SW1_WRONG_LE,
  SW1_INS_NOT_SUPPORTED,
]);

/**
 * True when the card refused the command's form (6700, 6Axx, 6Bxx, 6Cxx, 6Dxx, or 6282 without
 * data): in a check that then succeeded, such a command was a probe that bought nothing
 * (refusals 6700, 6A81, 6A86, 6Cxx, 6282).
 *
 * @example
 * ```ts
 * isWastedProbe({ sw: 0x6a86, responseLength: 2 }); // true
 * ```
 */
export function isWastedProbe(entry: Pick<ApduLogEntry, 'sw' | 'responseLength'>): boolean {
  if (REFUSING_SW1.has(entry.sw >> 8)) return true;
  return entry.sw === SW_END_OF_FILE && entry.responseLength === SW_LENGTH;
}

/**
 * Sums a log.
 *
 * @example
 * ```ts
 * tallyApdus([]); // { apdus: 0, commandBytes: 0, responseBytes: 0, bytes: 0, wastedProbes: 0, extendedApdus: 0 }
 * ```
 */
export function tallyApdus(log: readonly ApduLogEntry[]): ApduTally {
  let commandBytes = 0;
  let responseBytes = 0;
  let wastedProbes = 0;
  let extendedApdus = 0;
  for (const entry of log) {
    commandBytes += entry.commandLength;
    responseBytes += entry.responseLength;
    if (isWastedProbe(entry)) wastedProbes += 1;
    if (entry.extended) extendedApdus += 1;
  }
  return {
    apdus: log.length,
    commandBytes,
    responseBytes,
    bytes: commandBytes + responseBytes,
    wastedProbes,
    extendedApdus,
  };
}

/**
 * A compact, PIN-free line per command for failure messages: `00 B0 8A 00 ext → 1393 B 6282`.
 *
 * @example
 * ```ts
 * describeLog(counter.log).join('\n');
 * ```
 */
export function describeLog(log: readonly ApduLogEntry[]): string[] {
  const hex = (value: number, digits = 2): string => value.toString(16).toUpperCase().padStart(digits, '0');
  return log.map(
    (entry) =>
      `${hex(entry.cla)} ${hex(entry.ins)} ${hex(entry.p1)} ${hex(entry.p2)}${entry.extended ? ' ext' : ''}` +
      ` (${entry.commandLength} B) → ${entry.responseLength} B ${hex(entry.sw, 4)}`,
  );
}
