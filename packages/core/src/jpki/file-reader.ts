/**
 * Reads elementary files in the fewest APDUs the card and link allow (issue 5 item 6, issue 10):
 * one extended-Le READ BINARY by SFI for the whole file when the link is extended-capable; otherwise
 * a 256-byte first chunk by SFI, sized from the BER header, then exact-length chunks. Fast paths are
 * probed once per card and refusals (6700, 6A81, 6A86, 6Cxx, 6282 with no data) are remembered, so a
 * card that refuses everything costs at most two wasted probes.
 *
 * @example
 * ```ts
 * const reader = new FileReader(session);
 * const certificate = await reader.readObject(AID.JPKI, JPKI_EF.AUTH_CERTIFICATE);
 * ```
 */
import { parseTlvHeader } from '../iso7816/ber-tlv.js';
import type { CardSession, TransmitOptions } from '../iso7816/card-session.js';
import { SHORT_MAX_LE } from '../iso7816/command-apdu.js';
import { CLA, INS } from '../iso7816/instructions.js';
import type { ResponseApdu } from '../iso7816/response-apdu.js';
import { StatusWordError, SW, SW1_WRONG_LE } from '../iso7816/status-words.js';
import { CardError } from '../transport/card-error.js';
import { bytesToHex } from '../transport/hex.js';
import {
  type ElementaryFile,
  MAX_READ_OFFSET,
  READ_BINARY_SFI,
  SELECT_P1_BY_NAME,
  SELECT_P1_EF,
  SELECT_P2_NO_FCI,
} from './constants.js';

/** What this card/link has shown it accepts. `undefined` = not yet probed. */
export interface CardKnowledge {
  sfi: boolean | undefined;
  extendedRead: boolean | undefined;
  /**
   * Most bytes the card hands out in one READ BINARY answer, learned from the first answer that
   * delivered fewer bytes than asked with 90 00 while the file went on (a `6C xx` the session
   * re-issued, or a silent short answer). Sizes every later chunk for the life of the connection.
   * An end-of-file `6C xx` (fewer bytes left than asked) is not mistaken for a cap.
   */
  responseCap?: number | undefined;
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

export function isRefusal(response: ResponseApdu): boolean {
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

export class FileReader {
  readonly session: CardSession;
  readonly knowledge: CardKnowledge;

  constructor(
    session: CardSession,
    knowledge: CardKnowledge = { sfi: undefined, extendedRead: undefined, responseCap: undefined },
  ) {
    this.session = session;
    this.knowledge = knowledge;
  }

  /** SELECT the application unless the session says it is already current. */
  async selectApplication(aid: Uint8Array, options: TransmitOptions = {}): Promise<void> {
    if (this.session.selection.df === bytesToHex(aid).toUpperCase()) return;
    await this.session.send(
      { cla: CLA.ISO, ins: INS.SELECT, p1: SELECT_P1_BY_NAME, p2: SELECT_P2_NO_FCI, data: aid },
      options,
    );
  }

  /** SELECT an EF of the current application unless it is already current. */
  async selectFile(file: ElementaryFile, options: TransmitOptions = {}): Promise<void> {
    const fid = file.fid.toString(16).toUpperCase().padStart(4, '0');
    const sfi = `sfi:${file.sfi.toString(16).toUpperCase().padStart(2, '0')}`;
    const current = this.session.selection.ef;
    if (current === fid || current === sfi) return;
    await this.session.send(
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
    const knowledge = this.knowledge;
    const firstLe = exactLength !== undefined && exactLength <= SHORT_MAX_LE ? exactLength : undefined;
    const shortFirstLe = Math.min(firstLe ?? SHORT_MAX_LE, knowledge.responseCap ?? SHORT_MAX_LE);

    // 1. One extended READ BINARY for the whole file, when the link allows it and the card has not refused.
    if (
      firstLe === undefined &&
      this.session.extendedLength &&
      knowledge.extendedRead !== false &&
      knowledge.responseCap === undefined
    ) {
      const viaSfi = knowledge.sfi !== false;
      if (!viaSfi) await this.selectFile(file, options);
      const response = await this.session.transmit(
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
      response = await this.session.transmit(this.#readCommand(file, true, 0, shortFirstLe), options);
      if (delivered(response)) knowledge.sfi = true;
      else if (isRefusal(response) && knowledge.sfi === undefined) {
        knowledge.sfi = false;
        response = undefined;
      } else throw this.#fileError(response.sw, file);
    }
    if (response === undefined) {
      await this.selectFile(file, options);
      response = await this.session.transmit(this.#readCommand(file, false, 0, shortFirstLe), options);
      if (!delivered(response)) throw this.#fileError(response.sw, file);
    }
    return this.#complete(file, response.data, shortFirstLe, exactLength, options, response.sw);
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
      this.session.extendedLength && this.knowledge.extendedRead === true ? WHOLE_FILE_LE - 1 : SHORT_MAX_LE;
    return Math.min(link, this.knowledge.responseCap ?? link);
  }

  /** A short answer (fewer bytes than asked, 90 00) before the end of the file shows the card's cap. */
  #learnCap(asked: number, got: number, sw: number): void {
    if (sw !== SW.SUCCESS || got === 0 || got >= asked) return;
    const known = this.knowledge.responseCap;
    if (known === undefined || got < known) this.knowledge.responseCap = got;
  }

  async #chunk(
    file: ElementaryFile,
    offset: number,
    le: number,
    options: TransmitOptions,
  ): Promise<ResponseApdu> {
    const response = await this.session.transmit(this.#readCommand(file, false, offset, le), options);
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
