/**
 * `CardAccess`: the one owner of how this SDK addresses the card on one connection — what is
 * selected, and what the card and link have shown they accept: SFI addressing (files, keys and PIN
 * references alike), extended-length READ BINARY, the card's response cap, and a reader that
 * mishandles a short `Le = 00`. Everything that selects, reads or names a key or PIN goes through it,
 * so each fact is learned once and written in one place.
 *
 * Reads take the fewest APDUs the card and link allow: one extended-Le READ BINARY by SFI for the
 * whole file when the link is extended-capable; otherwise a 256-byte first chunk by SFI, sized from
 * the BER header, then chunks sized from the learned cap. Refusals (6700, 6A81, 6A86, 6Cxx, 6282
 * with no data) are remembered, so a card that refuses everything costs at most two wasted probes.
 *
 * A reader that mishandles `Le = 00` (answers a short command asking for 256 bytes with 90 00 and no
 * data: simulator README "Reader that mishandles Le = 00") is detected from that impossible answer,
 * never from a PIN-bearing command: a READ BINARY is asked again with Le = 255, and from then on no
 * short `Le = 00` leaves this connection (the session asks for ≤ 255 bytes at a time).
 *
 * @example
 * ```ts
 * const access = new CardAccess(session);
 * const certificate = await access.readObject(AID.JPKI, JPKI_EF.AUTH_CERTIFICATE);
 * ```
 */
import { parseTlvHeader } from '../iso7816/ber-tlv.js';
import { type CardSession, selectionKey, type TransmitOptions } from '../iso7816/card-session.js';
import { type CommandApdu, SHORT_MAX_LE } from '../iso7816/command-apdu.js';
import { CLA, INS, SECRET_BEARING_INS } from '../iso7816/instructions.js';
import { formatSw, type ResponseApdu } from '../iso7816/response-apdu.js';
import { StatusWordError, SW, SW1_WRONG_LE } from '../iso7816/status-words.js';
import { CardError } from '../transport/card-error.js';
import {
  type ElementaryFile,
  MAX_READ_OFFSET,
  P2_CURRENT_OR_SFI,
  READ_BINARY_SFI,
  SELECT_P1_BY_NAME,
  SELECT_P1_EF,
  SELECT_P2_NO_FCI,
} from './constants.js';

/** What this card/link has shown it accepts. `undefined` = not yet probed. */
export interface LinkFacts {
  /** SFI addressing accepted (READ BINARY P1 = 80|SFI; VERIFY and signing P2 = 80|SFI). */
  readonly sfi: boolean | undefined;
  /** One extended-Le READ BINARY for a whole file accepted. */
  readonly extendedRead: boolean | undefined;
  /**
   * Most bytes the card hands out in one READ BINARY answer, learned from the first answer that
   * delivered fewer bytes than asked with 90 00 while the file went on (a `6C xx` the session
   * re-issued, or a silent short answer). Sizes every later chunk for the life of the connection.
   * An end-of-file `6C xx` (fewer bytes left than asked) is not mistaken for a cap.
   */
  readonly responseCap?: number | undefined;
  /** The reader answered a short `Le = 00` with 90 00 and no data: no `Le = 00` is sent again. */
  readonly leZeroMishandled?: true;
}

/** Status words with which a card refuses an addressing form or a length (jpki-card.md §8, §12.3). */
const REFUSALS: ReadonlySet<number> = new Set([
  SW.WRONG_LENGTH,
  SW.FUNCTION_NOT_SUPPORTED,
  SW.INCORRECT_P1_P2,
  SW.WRONG_P1_P2,
  SW.INS_NOT_SUPPORTED,
]);

/** Extended Le for "everything" (Le 00 00 = 65 536). */
const WHOLE_FILE_LE = 65_536;
/** Enough bytes for any BER-TLV header of a file we read (tag ≤ 2 bytes, length ≤ 4 bytes). */
const MAX_HEADER_BYTES = 6;
/** Upper bound for any file we read (the largest, the card face with its photo, is a few KB). */
export const MAX_FILE_LENGTH = MAX_READ_OFFSET + 1;

function isRefusal(response: ResponseApdu): boolean {
  return (
    REFUSALS.has(response.sw) ||
    response.sw1 === SW1_WRONG_LE ||
    (response.sw === SW.END_OF_FILE_WARNING && response.data.length === 0)
  );
}

/** True when the response delivered file data (90 00, or 62 82 with data: end of file reached). */
function delivered(response: ResponseApdu): boolean {
  return response.sw === SW.SUCCESS || (response.sw === SW.END_OF_FILE_WARNING && response.data.length > 0);
}

type MutableFacts = { -readonly [K in keyof LinkFacts]: LinkFacts[K] };

export class CardAccess {
  readonly #session: CardSession;
  readonly #facts: MutableFacts = { sfi: undefined, extendedRead: undefined, responseCap: undefined };

  constructor(session: CardSession) {
    this.#session = session;
  }

  /** A frozen copy of what the card and link have shown so far. */
  get facts(): LinkFacts {
    return Object.freeze({ ...this.#facts });
  }

  /** One command as is (no addressing knowledge involved). */
  transmit(command: CommandApdu, options: TransmitOptions = {}): Promise<ResponseApdu> {
    return this.#session.transmit(command, options);
  }

  /** SELECT the application unless the session says it is already current. */
  async selectApplication(aid: Uint8Array, options: TransmitOptions = {}): Promise<void> {
    if (this.#session.selection.df === selectionKey.df(aid)) return;
    await this.#session.send(
      { cla: CLA.ISO, ins: INS.SELECT, p1: SELECT_P1_BY_NAME, p2: SELECT_P2_NO_FCI, data: aid },
      options,
    );
  }

  /** SELECT an EF of the current application unless it is already current. */
  async selectFile(file: ElementaryFile, options: TransmitOptions = {}): Promise<void> {
    const current = this.#session.selection.ef;
    if (current === selectionKey.ef(file.fid) || current === selectionKey.sfi(file.sfi)) return;
    await this.#session.send(
      {
        cla: CLA.ISO,
        ins: INS.SELECT,
        p1: SELECT_P1_EF,
        p2: SELECT_P2_NO_FCI,
        data: Uint8Array.of(file.fid >> 8, file.fid & 0xff),
      },
      options,
    );
  }

  /**
   * P2 naming a key or PIN file for VERIFY, CHANGE REFERENCE DATA or COMPUTE DIGITAL SIGNATURE:
   * `80|SFI` once the card accepted SFI addressing, else SELECT the file and `80` (current EF).
   * Never probes: commands that carry a PIN go out exactly once.
   */
  async reference(file: ElementaryFile, options: TransmitOptions = {}): Promise<number> {
    if (this.#facts.sfi === true) return P2_CURRENT_OR_SFI | file.sfi;
    await this.selectFile(file, options);
    return P2_CURRENT_OR_SFI;
  }

  /**
   * Sends a data-less command that names `file` in P2 (the retry-counter query), by SFI unless the
   * card refused SFI before, and learns SFI support from the answer. A refusal of the SFI form is
   * followed by SELECT + `80`. `6A 88` / `6A 82` to the SFI form are answers (no such key), not
   * refusals, and are returned as they are. Commands carrying data are refused here: a probe may
   * send its command twice.
   */
  async probeReference(
    file: ElementaryFile,
    command: (p2: number) => CommandApdu,
    options: TransmitOptions = {},
  ): Promise<ResponseApdu> {
    if ((command(P2_CURRENT_OR_SFI).data?.length ?? 0) > 0)
      throw new TypeError('probeReference: only data-less commands may be probed');
    if (this.#facts.sfi !== false) {
      const response = await this.#session.transmit(command(P2_CURRENT_OR_SFI | file.sfi), options);
      if (response.sw === SW.REFERENCED_DATA_NOT_FOUND || response.sw === SW.FILE_NOT_FOUND) return response;
      if (!isRefusal(response) || this.#facts.sfi === true) {
        this.#facts.sfi = true;
        return response;
      }
      this.#facts.sfi = false;
    }
    await this.selectFile(file, options);
    return this.#session.transmit(command(P2_CURRENT_OR_SFI), options);
  }

  /**
   * A PIN-free command whose answer must be `length` bytes (an RSA-2048 signature: 256). On a
   * reader that mishandles `Le = 00` (a 90 00 with no data where data was due) it is sent once
   * more, PIN-free as it is: with the same Le in the extended form where the link carries extended
   * APDUs, else with Le = 255 so that a card which hands out the rest through `61 xx` + GET
   * RESPONSE can complete it. A card that cannot is NOT_SUPPORTED with the reader remedy: never a
   * truncated answer.
   */
  async transmitForLength(
    command: CommandApdu,
    length: number,
    options: TransmitOptions = {},
  ): Promise<ResponseApdu> {
    if (SECRET_BEARING_INS.has(command.ins))
      throw new TypeError('transmitForLength: never for a PIN-bearing command');
    if (this.#facts.leZeroMishandled !== true) {
      const response = await this.#session.transmit(command, options);
      if (!this.#leZeroLost(command.le, response)) return response;
      this.#noteLeZeroMishandled();
    }
    // Either path may end short (a reader that also refuses extended APDUs falls back to short):
    // the same length check applies to both.
    const response = this.#session.extendedLength
      ? await this.#session.transmit(command, { ...options, extendedLe: true })
      : await this.#session.transmit(
          { ...command, le: Math.min(command.le ?? length, this.#session.shortMaxLe) },
          options,
        );
    const refusedLength = response.sw === SW.WRONG_LENGTH || response.sw1 === SW1_WRONG_LE;
    if (!refusedLength && (response.sw !== SW.SUCCESS || response.data.length === length)) return response;
    throw new CardError(
      'NOT_SUPPORTED',
      `this reader mishandles Le = 00 and the ${length}-byte answer could not be had another way (the card does not hand it out in pieces of at most 255 bytes); use a reader that carries extended-length APDUs`,
      {
        remedy: 'reader.unsupported',
        details: {
          reason: 'short-le-00',
          expected: length,
          received: response.data.length,
          sw: formatSw(response.sw),
        },
      },
    );
  }

  /**
   * Reads one BER-TLV object stored in `file` (certificate, basic four, …), sized from its header;
   * trailing filler is not returned.
   */
  async readObject(
    aid: Uint8Array,
    file: ElementaryFile,
    options: TransmitOptions = {},
  ): Promise<Uint8Array> {
    return this.#read(aid, file, undefined, options);
  }

  /** Reads exactly `length` bytes from offset 0 (e.g. the 17-byte my-number file with its filler). */
  async readPhysical(
    aid: Uint8Array,
    file: ElementaryFile,
    length: number,
    options: TransmitOptions = {},
  ): Promise<Uint8Array> {
    if (!Number.isInteger(length) || length < 1 || length > MAX_FILE_LENGTH)
      throw new RangeError(`length must be 1..${MAX_FILE_LENGTH}`);
    return this.#read(aid, file, length, options);
  }

  async #read(
    aid: Uint8Array,
    file: ElementaryFile,
    exactLength: number | undefined,
    options: TransmitOptions,
  ): Promise<Uint8Array> {
    await this.selectApplication(aid, options);
    const knowledge = this.#facts;
    const shortMax = this.#session.shortMaxLe;
    const firstLe = exactLength !== undefined && exactLength <= SHORT_MAX_LE ? exactLength : undefined;
    const shortFirstLe = Math.min(firstLe ?? shortMax, knowledge.responseCap ?? shortMax, shortMax);

    // 1. One extended READ BINARY for the whole file, when the link allows it and the card has not refused.
    if (
      firstLe === undefined &&
      this.#session.extendedLength &&
      knowledge.extendedRead !== false &&
      knowledge.responseCap === undefined
    ) {
      const viaSfi = knowledge.sfi !== false;
      if (!viaSfi) await this.selectFile(file, options);
      const response = await this.#session.transmit(
        this.#readCommand(file, viaSfi, 0, exactLength ?? WHOLE_FILE_LE),
        options,
      );
      if (delivered(response)) {
        knowledge.extendedRead = true;
        if (viaSfi) knowledge.sfi = true;
        return this.#complete(
          file,
          response.data,
          exactLength ?? WHOLE_FILE_LE,
          exactLength,
          options,
          response.sw,
        );
      }
      if (!isRefusal(response)) throw this.#fileError(response.sw, file);
      // Refused: extended (and, if untested, maybe SFI) is not usable. Remember extended only.
      knowledge.extendedRead = false;
    }

    // 2. Short first chunk: by SFI if not refused before, else SELECT + offset 0.
    let response: ResponseApdu | undefined;
    if (knowledge.sfi !== false) {
      response = await this.#readBinary(this.#readCommand(file, true, 0, shortFirstLe), options);
      if (delivered(response)) knowledge.sfi = true;
      else if (isRefusal(response) && knowledge.sfi === undefined) {
        knowledge.sfi = false;
        response = undefined;
      } else throw this.#fileError(response.sw, file);
    }
    if (response === undefined) {
      await this.selectFile(file, options);
      response = await this.#readBinary(this.#readCommand(file, false, 0, shortFirstLe), options);
      if (!delivered(response)) throw this.#fileError(response.sw, file);
    }
    const asked = Math.min(shortFirstLe, this.#session.shortMaxLe);
    return this.#complete(file, response.data, asked, exactLength, options, response.sw);
  }

  /**
   * READ BINARY (idempotent, PIN-free): a short `Le = 00` answered 90 00 with no data is a reader
   * that mishandles `Le = 00`, not an empty file — noted, and asked again with Le = 255.
   */
  async #readBinary(command: CommandApdu, options: TransmitOptions): Promise<ResponseApdu> {
    const response = await this.#session.transmit(command, options);
    if (!this.#leZeroLost(command.le, response)) return response;
    this.#noteLeZeroMishandled();
    return this.#session.transmit({ ...command, le: this.#session.shortMaxLe }, options);
  }

  /** True when `le` went out as a short `Le = 00` and the answer is 90 00 with no data. */
  #leZeroLost(le: number | undefined, response: ResponseApdu): boolean {
    if (response.sw !== SW.SUCCESS || response.data.length > 0 || le === undefined) return false;
    if (this.#session.shortMaxLe < SHORT_MAX_LE) return false;
    // Extended links encode Le > 256 in the extended form; short links cap every Le at 256 (`00`).
    return le === SHORT_MAX_LE || (le > SHORT_MAX_LE && !this.#session.extendedLength);
  }

  #noteLeZeroMishandled(): void {
    this.#facts.leZeroMishandled = true;
    this.#session.limitShortLe();
  }

  /**
   * Reads the rest of the file after the first chunk (`asked` bytes were asked for it), in chunks
   * sized from the learned response cap.
   */
  async #complete(
    file: ElementaryFile,
    firstChunk: Uint8Array,
    asked: number,
    exactLength: number | undefined,
    options: TransmitOptions,
    firstSw: number = SW.SUCCESS,
  ): Promise<Uint8Array> {
    let first = firstChunk;
    let total: number;
    if (exactLength !== undefined) total = exactLength;
    else {
      // A card with a tiny cap may hand out less than the BER header: read on until it parses.
      let header: number | undefined;
      for (;;) {
        try {
          header = parseTlvHeader(first).totalLength;
          break;
        } catch (error) {
          if (first.length === 0 || first.length >= MAX_HEADER_BYTES || firstSw !== SW.SUCCESS)
            throw new CardError(
              'FILE_MALFORMED',
              `${file.label}: the file does not start with a BER-TLV header`,
              { cause: error, remedy: 'card.damaged' },
            );
          const more = await this.#chunk(file, first.length, MAX_HEADER_BYTES - first.length, options);
          if (more.data.length === 0) throw new CardError('FILE_MALFORMED', `${file.label}: empty file`);
          this.#learnCap(MAX_HEADER_BYTES - first.length, more.data.length, more.sw);
          const joined = new Uint8Array(first.length + more.data.length);
          joined.set(first, 0);
          joined.set(more.data, first.length);
          first = joined;
          firstSw = more.sw;
        }
      }
      total = header;
    }
    if (total > MAX_FILE_LENGTH) {
      throw new CardError(
        'FILE_MALFORMED',
        `${file.label}: declared length ${total} exceeds ${MAX_FILE_LENGTH}`,
        { remedy: 'card.damaged', details: { length: total } },
      );
    }
    if (first.length >= total) return first.slice(0, total);
    if (firstSw === SW.SUCCESS) this.#learnCap(asked, firstChunk.length, firstSw);
    const out = new Uint8Array(total);
    out.set(first, 0);
    let offset = first.length;
    while (offset < total) {
      const le = Math.min(this.#chunkLimit(), total - offset);
      const response = await this.#chunk(file, offset, le, options);
      if (response.data.length === 0) break;
      const take = Math.min(response.data.length, total - offset);
      out.set(response.data.subarray(0, take), offset);
      offset += take;
      if (response.sw === SW.END_OF_FILE_WARNING) break;
      if (offset < total) this.#learnCap(le, take, response.sw);
    }
    if (offset < total) {
      throw new CardError('FILE_TRUNCATED', `${file.label}: the card returned ${offset} of ${total} bytes`, {
        remedy: 'card.moved',
        details: { received: offset, expected: total },
      });
    }
    return out;
  }

  /** Largest chunk to ask for: extended when the card took it, else 256; never above the learned cap. */
  #chunkLimit(): number {
    const link =
      this.#session.extendedLength && this.#facts.extendedRead === true
        ? WHOLE_FILE_LE - 1
        : this.#session.shortMaxLe;
    return Math.min(link, this.#facts.responseCap ?? link);
  }

  /** A short answer (fewer bytes than asked, 90 00) before the end of the file shows the card's cap. */
  #learnCap(asked: number, got: number, sw: number): void {
    if (sw !== SW.SUCCESS || got === 0 || got >= asked) return;
    const known = this.#facts.responseCap;
    if (known === undefined || got < known) this.#facts.responseCap = got;
  }

  async #chunk(
    file: ElementaryFile,
    offset: number,
    le: number,
    options: TransmitOptions,
  ): Promise<ResponseApdu> {
    const response = await this.#readBinary(this.#readCommand(file, false, offset, le), options);
    if (!delivered(response)) throw this.#fileError(response.sw, file);
    return response;
  }

  #readCommand(file: ElementaryFile, viaSfi: boolean, offset: number, le: number) {
    if (viaSfi) return { cla: CLA.ISO, ins: INS.READ_BINARY, p1: READ_BINARY_SFI | file.sfi, p2: offset, le };
    if (offset > MAX_READ_OFFSET)
      throw new CardError('FILE_MALFORMED', `${file.label}: offset ${offset} beyond READ BINARY range`);
    return { cla: CLA.ISO, ins: INS.READ_BINARY, p1: offset >> 8, p2: offset & 0xff, le };
  }

  #fileError(sw: number, file: ElementaryFile): CardError {
    const error = new StatusWordError(sw, INS.READ_BINARY, undefined);
    if (sw === SW.SECURITY_STATUS_NOT_SATISFIED) {
      return new StatusWordError(sw, INS.READ_BINARY, {
        message: `${file.label}: the card requires a PIN before this file can be read`,
        details: { file: file.label },
      });
    }
    if (sw === SW.FILE_NOT_FOUND)
      return new CardError('FILE_ABSENT', `${file.label}: not on this card`, { cause: error });
    return error;
  }
}
