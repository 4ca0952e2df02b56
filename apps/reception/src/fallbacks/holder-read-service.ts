/**
 * Reads the 基本4情報 (name, address, birth date, sex) from the card-info AP (券面事項入力補助AP)
 * to pre-fill the 被保険者資格申立書 (issue 18 Deliver 6) — only after the patient consented, with
 * the patient's own 券面事項入力補助用暗証番号 (4 digits, a PIN of its own).
 *
 * PIN safety, as in the check flow: the retry counter is read before a PIN is presented; the last
 * try is refused unless the caller confirmed it; one PIN request at a time (a double press gets
 * `HOLDER_READ_BUSY` and reaches no card); a PIN the card already refused is not presented again
 * (HMAC under a per-read random key, never the PIN); VERIFY is never retried; the PIN is zeroed
 * and never logged, stored or echoed. The card is closed (unpowered) as soon as the four are read.
 *
 * What is kept: nothing on the server. The four fields go back to the browser once, in the shape
 * the 申立書 form needs (`YYYY-MM-DD`, sex `1`/`2`/`3`); the audit log records that a read happened
 * with consent, never its content.
 *
 * @example
 * ```ts
 * const read = await holderReads.start({ actor, checkId, consent: true });
 * const done = await holderReads.submitPin(read.id, pinBytes, { confirmLastTry: false });
 * done.fields; // { name, birthdate: '1980-02-17', address, sex: '2' }
 * ```
 */
import type { ReaderSetup } from '@kakunin/core/remedies';
import { CardError } from '@kakunin/core/transport';
import type { AuditLog } from '../audit/audit-log.js';
import { CheckConflictError } from '../checks/check-service.js';
import { isWellFormedPin, RefusedPins } from '../checks/refused-pins.js';
import type { CardReader, CardReaderFactory, HolderBasicFour, PinStatus } from '../ports/card-reader.js';
import { type Guidance, guidanceForError } from '../troubleshooting/error-guidance.js';
import { FallbackRefusedError } from './fallback-service.js';

/** How long a consented read waits for the card to answer before giving up. */
const DEFAULT_WAIT_FOR_CARD_MS = 20_000;
/** A read left at the PIN screen is closed (card released) after this long. */
const IDLE_CLOSE_MS = 3 * 60_000;

export type HolderReadStatus = 'pin-entry' | 'read' | 'failed' | 'cancelled';

/** The 申立書 fields the basic four fill, in the form's own formats. */
export interface HolderFields {
  readonly name: string;
  /** YYYY-MM-DD */
  readonly birthdate: string;
  readonly address: string;
  /** `1` male, `2` female, `3` not set (the form's codes). */
  readonly sex: '1' | '2' | '3';
}

export interface HolderReadView {
  readonly id: string;
  readonly checkId: string;
  readonly status: HolderReadStatus;
  /** Tries left on the card-info AP PIN (null: the card does not say). */
  readonly triesLeft: number | null;
  /**
   * Why the last step did not read the four (stable code): PIN_FORMAT, PIN_INCORRECT,
   * LAST_TRY_REFUSED, PIN_BLOCKED, PIN_NOT_SET, or a card/reader error code.
   */
  readonly code?: string;
  /** Guidance for a card or reader failure (not for PIN outcomes, which the form says itself). */
  readonly guidance?: Guidance;
  /** Present once, with status `read`. */
  readonly fields?: HolderFields;
}

export interface HolderReadService {
  start(input: { actor: string; checkId: string; consent: unknown }): Promise<HolderReadView>;
  submitPin(id: string, pin: Uint8Array, options: { confirmLastTry: boolean }): Promise<HolderReadView>;
  cancel(id: string): Promise<HolderReadView | undefined>;
  close(): Promise<void>;
}

/** What the service needs to know of the check the 申立書 belongs to. */
export interface CheckForHolderRead {
  readonly readerId: string;
  readonly mode: string;
  readonly status: string;
  readonly setup: ReaderSetup;
}

interface ReadState {
  view: HolderReadView;
  actor: string;
  readerId: string;
  setup: ReaderSetup;
  reader: CardReader | undefined;
  controller: AbortController;
  busy: boolean;
  readonly refusedPins: RefusedPins;
  idle: NodeJS.Timeout | undefined;
}

const FINISHED: ReadonlySet<string> = new Set(['result', 'failed', 'cancelled']);

const SEX_CODE: Readonly<Record<HolderBasicFour['sex'], HolderFields['sex']>> = {
  male: '1',
  female: '2',
  'not-applicable': '3',
  unknown: '3',
};

/** The basic four in the 申立書's formats; nothing else of the card is kept. */
export function holderFields(four: HolderBasicFour): HolderFields {
  const date = /^(\d{4})(\d{2})(\d{2})$/.exec(four.birthDate);
  return {
    name: four.name.trim().slice(0, 60),
    birthdate: date === null ? '' : `${date[1]}-${date[2]}-${date[3]}`,
    address: four.address.trim().slice(0, 200),
    sex: SEX_CODE[four.sex] ?? '3',
  };
}

export function createHolderReadService(options: {
  readers: CardReaderFactory;
  audit: AuditLog;
  /** The check a 申立書 follows (the in-memory check view), or undefined. */
  checkOf: (checkId: string) => CheckForHolderRead | undefined;
  random: (bytes: Uint8Array) => Uint8Array;
  waitForCardMs?: number;
}): HolderReadService {
  const { readers, audit, random } = options;
  const reads = new Map<string, ReadState>();

  const release = (state: ReadState): void => {
    if (state.idle !== undefined) clearTimeout(state.idle);
    state.idle = undefined;
    const reader = state.reader;
    state.reader = undefined;
    state.refusedPins.forget();
    if (reader !== undefined) void reader.close().catch(() => undefined);
  };

  const finish = (state: ReadState, changes: Partial<HolderReadView>): HolderReadView => {
    state.view = { ...state.view, ...changes };
    if (state.view.status !== 'pin-entry') {
      release(state);
      // the view (and any fields) is handed out once: nothing stays on the server
      reads.delete(state.view.id);
    }
    return state.view;
  };

  const failWith = (state: ReadState, error: unknown): HolderReadView => {
    const code = CardError.isInstance(error) ? error.code : 'READ_FAILED';
    return finish(state, { status: 'failed', code, guidance: guidanceForError(error, state.setup) });
  };

  const armIdle = (state: ReadState): void => {
    if (state.idle !== undefined) clearTimeout(state.idle);
    state.idle = setTimeout(() => {
      state.controller.abort(new CardError('ABORTED', 'basic-four read left idle'));
      finish(state, { status: 'cancelled' });
    }, IDLE_CLOSE_MS);
    state.idle.unref();
  };

  const stateFor = (id: string): ReadState => {
    const state = reads.get(String(id));
    if (state === undefined) throw new CheckConflictError('HOLDER_READ_NOT_FOUND', 'no such basic-four read');
    return state;
  };

  const service: HolderReadService = {
    async start({ actor, checkId, consent }) {
      if (consent !== true) {
        throw new FallbackRefusedError('CONSENT_REQUIRED', {
          ja: '基本4情報(氏名・住所・生年月日・性別)の読み取りには、患者さんの同意が必要です。',
          en: 'Reading the basic four (name, address, birth date, sex) needs the patient’s consent.',
        });
      }
      const check = typeof checkId === 'string' ? options.checkOf(checkId) : undefined;
      if (check === undefined) throw new CheckConflictError('CHECK_NOT_FOUND', 'no such check');
      if (check.mode === 'numbers' || check.readerId === '') {
        throw new FallbackRefusedError('NO_CARD_IN_CHECK', {
          ja: 'この確認はカードを読み取っていないため、カードから入力できません。',
          en: 'This check did not read a card; nothing can be read from it.',
        });
      }
      if (!FINISHED.has(check.status)) {
        throw new CheckConflictError('READER_BUSY', 'the check on this card reader is still in progress');
      }
      // One read per reader: a read whose PIN is on the wire is never cut short; an idle one is.
      for (const other of [...reads.values()]) {
        if (other.readerId !== check.readerId) continue;
        if (other.busy)
          throw new CheckConflictError('HOLDER_READ_BUSY', 'a PIN is being checked on this card');
        await service.cancel(other.view.id);
      }
      const id = `hr-${Buffer.from(random(new Uint8Array(8))).toString('hex')}`;
      const state: ReadState = {
        view: { id, checkId, status: 'pin-entry', triesLeft: null },
        actor,
        readerId: check.readerId,
        setup: check.setup,
        reader: undefined,
        controller: new AbortController(),
        busy: true,
        refusedPins: new RefusedPins(random(new Uint8Array(32))),
        idle: undefined,
      };
      reads.set(id, state);
      audit.append({ actor, action: 'holder.consented', subject: checkId, data: { read: id } });
      const signal = state.controller.signal;
      try {
        state.reader = await readers.open(check.readerId, { signal });
        if (state.reader.textPinStatus === undefined || state.reader.readBasicFour === undefined) {
          throw new CardError('NOT_SUPPORTED', 'this reader cannot read the card-info AP', {
            remedy: 'reader.unsupported',
          });
        }
        await state.reader.waitForCard({
          signal,
          timeoutMs: options.waitForCardMs ?? DEFAULT_WAIT_FOR_CARD_MS,
        });
        const status = await state.reader.textPinStatus({ signal });
        const refusal = refusalFor(status);
        if (refusal !== undefined)
          return finish(state, { status: 'failed', triesLeft: status.triesLeft, code: refusal });
        armIdle(state);
        return finish(state, { triesLeft: status.triesLeft });
      } catch (error) {
        return failWith(state, error);
      } finally {
        state.busy = false;
      }
    },

    async submitPin(id, pin, { confirmLastTry }) {
      try {
        const state = stateFor(id);
        if (state.busy) {
          throw new CheckConflictError('HOLDER_READ_BUSY', 'a PIN is being checked on this card');
        }
        if (state.view.status !== 'pin-entry' || state.reader === undefined) {
          throw new CheckConflictError('WRONG_STATE', `cannot enter a PIN in state ${state.view.status}`);
        }
        if (!(pin instanceof Uint8Array)) throw new TypeError('pin must be a Uint8Array');
        state.busy = true;
        try {
          return await presentPin(state, pin, confirmLastTry === true);
        } finally {
          state.busy = false;
        }
      } finally {
        pin.fill(0);
      }
    },

    async cancel(id) {
      const state = reads.get(String(id));
      if (state === undefined) return undefined;
      if (state.busy) throw new CheckConflictError('HOLDER_READ_BUSY', 'a PIN is being checked on this card');
      state.controller.abort(new CardError('ABORTED', 'basic-four read cancelled'));
      return finish(state, { status: 'cancelled' });
    },

    async close() {
      for (const state of [...reads.values()]) {
        state.controller.abort(new CardError('ABORTED', 'server closing'));
        const reader = state.reader;
        state.reader = undefined;
        if (state.idle !== undefined) clearTimeout(state.idle);
        if (reader !== undefined) await reader.close().catch(() => undefined);
      }
      reads.clear();
    },
  };

  async function presentPin(state: ReadState, pin: Uint8Array, confirmLastTry: boolean) {
    const reader = state.reader!;
    if (!isWellFormedPin(pin)) return finish(state, { code: 'PIN_FORMAT' });
    const digest = state.refusedPins.admit(pin);
    if (digest === undefined) {
      throw new CheckConflictError(
        'PIN_ALREADY_TRIED',
        'this PIN was already refused by the card; it was not presented again',
      );
    }
    const signal = state.controller.signal;
    armIdle(state);
    let attempt: PinStatus;
    try {
      // the counter right before presenting the PIN (another app may have spent a try)
      attempt = await reader.textPinStatus!({ signal });
    } catch (error) {
      return failWith(state, error);
    }
    const refusal = refusalFor(attempt);
    if (refusal !== undefined)
      return finish(state, { status: 'failed', triesLeft: attempt.triesLeft, code: refusal });
    if (attempt.triesLeft === 1 && !confirmLastTry) {
      return finish(state, { triesLeft: 1, code: 'LAST_TRY_REFUSED' });
    }
    let four: HolderBasicFour;
    try {
      four = await reader.readBasicFour!({
        pin,
        allowLastTry: attempt.triesLeft === 1 && confirmLastTry,
        signal,
      });
    } catch (error) {
      if (CardError.isInstance(error, 'PIN_INCORRECT')) {
        state.refusedPins.remember(digest);
        const triesLeft =
          typeof error.details.triesLeft === 'number'
            ? error.details.triesLeft
            : attempt.triesLeft === null
              ? null
              : attempt.triesLeft - 1;
        return finish(state, { triesLeft, code: 'PIN_INCORRECT' });
      }
      if (CardError.isInstance(error, 'PIN_BLOCKED'))
        return finish(state, { status: 'failed', triesLeft: 0, code: 'PIN_BLOCKED' });
      if (CardError.isInstance(error, 'LAST_TRY_REFUSED'))
        return finish(state, { triesLeft: 1, code: 'LAST_TRY_REFUSED' });
      return failWith(state, error);
    }
    const fields = holderFields(four);
    audit.append({
      actor: state.actor,
      action: 'holder.basic-four-read',
      subject: state.view.checkId,
      // that it happened, with consent — never what was read
      data: { consent: true, fields: Object.keys(fields) },
    });
    const { code: _previous, ...rest } = state.view;
    state.view = rest as HolderReadView;
    return finish(state, { status: 'read', fields });
  }

  return service;
}

/** A counter answer that forbids presenting any PIN. */
function refusalFor(status: PinStatus): 'PIN_BLOCKED' | 'PIN_NOT_SET' | undefined {
  if (status.pinNotSet === true) return 'PIN_NOT_SET';
  if (status.blocked || status.triesLeft === 0) return 'PIN_BLOCKED';
  return undefined;
}
