/**
 * One qualification check, as a server-side state machine (domain.md §11 "Each check"):
 *
 *   waiting-card → pin-entry ⇄ (wrong PIN, tries shown) → querying → result
 *                → visual-attest → querying → result
 *   any step → failed (with FAQ guidance for the reader setup and the flyer's failure category)
 *
 * The retry counter is read before the PIN screen is shown (to show the tries left, and to route a
 * blocked or PIN-less card before any PIN entry); presenting the PIN is the SDK's `check()`, which
 * reads the counter again right before VERIFY and refuses the last try (LAST_TRY_REFUSED) unless
 * the staff confirmed it on a screen showing one try left — the app keeps no copy of that rule;
 * VERIFY is never retried automatically; the PIN arrives as bytes,
 * is never turned into a string, logged or stored, and is zeroed after use. Every transition is
 * written to `qualification_check`; 目視 attestations record staff id and time in the audit log.
 *
 * @example
 * ```ts
 * const checks = createCheckService({ ... });
 * const check = await checks.start({ actor: 'staff01', deviceId, readerId: 'sim-0', mode: 'pin' });
 * await checks.submitPin(check.id, pinBytes, { confirmLastTry: false });
 * ```
 */
import type { ReaderSetup } from '@kakunin/core/remedies';
import { CardError } from '@kakunin/core/transport';
import { parseCertificate } from '@kakunin/core/x509';
import type { AuditLog } from '../audit/audit-log.js';
import { APP_POLICY } from '../policy.js';
import type { CardReader, CardReaderFactory, PinStatus } from '../ports/card-reader.js';
import type { CertificateValidator } from '../ports/certificate-validator.js';
import type { QualificationService } from '../ports/qualification-service.js';
import { parseNumbersQuery } from '../qualification/numbers-query.js';
import type { SettingsService } from '../settings/settings-service.js';
import type { ReceptionDatabase } from '../storage/database.js';
import { guidanceFor, guidanceForError } from '../troubleshooting/error-guidance.js';
import { createCheckQuery } from './check-query.js';
import type { CheckState, CheckView } from './check-view.js';
import type { PatientRecords } from './patient-records.js';
import { reconcile } from './reconciliation.js';
import { isWellFormedPin, RefusedPins } from './refused-pins.js';

export type { CertificateSummary, CheckStatus, CheckView } from './check-view.js';

/** PIN: exactly 4 ASCII digits (jpki-card.md §8, 利用者証明用暗証番号). */
/** How long the UI waits for a card before guiding the staff. */
const WAIT_FOR_CARD_MS = 60_000;
/** Finished checks stay readable this long. */
const FINISHED_RETENTION_MS = 10 * 60_000;

export class CheckConflictError extends Error {
  override readonly name = 'CheckConflictError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface CheckService {
  start(input: {
    actor: string;
    deviceId: string;
    readerId: string;
    mode: 'pin' | 'visual';
  }): Promise<CheckView>;
  get(id: string): CheckView | undefined;
  submitPin(id: string, pin: Uint8Array, options: { confirmLastTry: boolean }): Promise<CheckView>;
  attestVisual(id: string, staffId: string): Promise<CheckView>;
  /**
   * Query by insurer number + 記号 + 番号 + 枝番 + birth date (untrusted `query`, validated here:
   * NumbersQueryError); answers with a finished view like a card check's result. Written to
   * `qualification_check` with mode `numbers` (no reader); audited as `check.by-numbers`.
   */
  byNumbers(input: { actor: string; deviceId: string; query: unknown }): Promise<CheckView>;
  cancel(id: string): Promise<CheckView | undefined>;
  applyToRecord(id: string, resultIndex: number, actor: string): { patientRecordId: number };
  close(): Promise<void>;
}

export function createCheckService(options: {
  database: ReceptionDatabase;
  audit: AuditLog;
  readers: CardReaderFactory;
  validator: CertificateValidator;
  qualification: QualificationService;
  patients: PatientRecords;
  settings: SettingsService;
  facilityCode: () => string;
  now: () => Date;
  random: (bytes: Uint8Array) => Uint8Array;
  readerSetupFor: (readerId: string) => Promise<ReaderSetup>;
  waitForCardMs?: number;
}): CheckService {
  const { database, audit, readers, validator, qualification, patients, settings, now } = options;
  const checks = new Map<string, CheckState>();
  const timers = new Set<NodeJS.Timeout>();

  /** A check's row, written when it starts (card or numbers); {@link persist} updates it from then on. */
  const insertRow = (view: CheckView, actor: string, deviceId: string): void => {
    database.run(
      `INSERT INTO qualification_check (id, started_at, staff_account, device_id, reader_id, reader_setup, mode, status)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      view.id,
      view.startedAt,
      actor,
      deviceId,
      view.readerId === '' ? null : view.readerId,
      view.setup,
      view.mode,
      view.status,
    );
  };

  const persist = (state: CheckState): void => {
    const view = state.view;
    const finished = view.status === 'result' || view.status === 'failed' || view.status === 'cancelled';
    database.run(
      `UPDATE qualification_check SET status = ?, finished_at = ?, error_code = ?, remedy_key = ?, failure_category = ?,
        qualification_validity = ?, processing_result_code = ?, result_json = ?, reconciliation_json = ?,
        visual_staff_id = ?, visual_confirmed_at = ? WHERE id = ?`,
      view.status,
      finished ? now().toISOString() : null,
      view.guidance?.code ?? null,
      view.guidance?.remedyKey ?? null,
      view.guidance?.failureCategory ?? null,
      view.answer?.body?.qualificationValidity ?? null,
      view.answer?.body?.processingResultCode ?? null,
      view.answer === undefined
        ? null
        : JSON.stringify({ answer: view.answer, certificate: view.certificate }),
      view.reconciliation === undefined ? null : JSON.stringify(view.reconciliation),
      view.visual?.staffId ?? null,
      view.visual?.confirmedAt ?? null,
      view.id,
    );
  };

  const update = (state: CheckState, changes: Partial<CheckView>): CheckView => {
    state.view = { ...state.view, ...changes };
    persist(state);
    const status = state.view.status;
    if (status === 'result' || status === 'failed' || status === 'cancelled') {
      const reader = state.reader;
      state.reader = undefined;
      if (reader !== undefined) void reader.close().catch(() => undefined);
      state.refusedPins.forget();
      const timer = setTimeout(() => {
        checks.delete(state.view.id);
        timers.delete(timer);
      }, FINISHED_RETENTION_MS);
      timer.unref();
      timers.add(timer);
    }
    return state.view;
  };

  const fail = (state: CheckState, error: unknown): CheckView =>
    update(state, { status: 'failed', guidance: guidanceForError(error, state.view.setup) });

  const stateFor = (id: string): CheckState => {
    const state = checks.get(String(id));
    if (state === undefined) throw new CheckConflictError('CHECK_NOT_FOUND', 'no such check');
    return state;
  };

  const exclusive = async <T>(state: CheckState, body: () => Promise<T>): Promise<T> => {
    if (state.busy) throw new CheckConflictError('CHECK_BUSY', 'this check is already processing a request');
    state.busy = true;
    try {
      return await body();
    } finally {
      state.busy = false;
    }
  };

  const query = createCheckQuery({ validator, audit, patients, now, update });

  const service: CheckService = {
    async start(input) {
      if (input.mode !== 'pin' && input.mode !== 'visual') throw new RangeError('mode must be pin or visual');
      if (input.mode === 'visual' && !settings.get().visualCheckAllowed) {
        throw new CheckConflictError(
          'VISUAL_NOT_ALLOWED',
          'visual check (目視) is off in the security settings; use PIN mode',
        );
      }
      if (typeof input.readerId !== 'string' || input.readerId.length === 0) {
        throw new CheckConflictError('NO_READER_SELECTED', 'select a card reader in the settings first');
      }
      // One check in flight per card: a PIN being verified on this reader is never cut short by a
      // new check (its VERIFY is already on the wire), and the new one may not reach the card.
      for (const other of checks.values()) {
        if (other.view.readerId === input.readerId && other.busy) {
          throw new CheckConflictError('READER_BUSY', 'a check on this card reader is in progress');
        }
      }
      for (const other of checks.values()) {
        const status = other.view.status;
        if (
          other.view.readerId === input.readerId &&
          status !== 'result' &&
          status !== 'failed' &&
          status !== 'cancelled'
        ) {
          await service.cancel(other.view.id);
        }
      }
      const configured = settings.get().readerSetup;
      const setup =
        configured ?? (await options.readerSetupFor(input.readerId).catch(() => 'wired-reader' as const));
      const id = `chk-${Buffer.from(options.random(new Uint8Array(8))).toString('hex')}`;
      const startedAt = now().toISOString();
      const state: CheckState = {
        view: {
          id,
          status: 'waiting-card',
          mode: input.mode,
          readerId: input.readerId,
          setup,
          startedAt,
          warnings: [],
          standInLabel: qualification.label,
          timings: {},
        },
        actor: input.actor,
        reader: undefined,
        controller: new AbortController(),
        busy: false,
        refusedPins: new RefusedPins(options.random(new Uint8Array(32))),
      };
      insertRow(state.view, input.actor, input.deviceId);
      checks.set(id, state);
      // Wait for the card in the background; the UI polls GET /api/checks/:id.
      void (async () => {
        const signal = state.controller.signal;
        const started = performance.now();
        try {
          state.reader = await readers.open(input.readerId, { signal });
          await state.reader.waitForCard({ signal, timeoutMs: options.waitForCardMs ?? WAIT_FOR_CARD_MS });
          const timings = { cardMs: Math.round(performance.now() - started) };
          if (input.mode === 'visual') {
            update(state, { status: 'visual-attest', timings });
            return;
          }
          const pinStatus = await state.reader.pinStatus({ signal });
          if (pinStatus.pinNotSet === true) {
            // 顔認証マイナンバーカード: no PIN exists; confirm by face / visually (never VERIFY).
            const guidance = guidanceFor('PIN_NOT_SET', setup, { remedy: 'pin.not-set' });
            if (!settings.get().visualCheckAllowed) {
              update(state, { status: 'failed', pinStatus, timings, guidance });
              return;
            }
            update(state, { status: 'visual-attest', mode: 'visual', pinStatus, timings, guidance });
            return;
          }
          if (pinStatus.blocked || pinStatus.triesLeft === 0) {
            update(state, {
              status: 'failed',
              pinStatus,
              timings,
              guidance: guidanceFor('PIN_BLOCKED', setup, { triesLeft: 0 }),
            });
            return;
          }
          update(state, { status: 'pin-entry', pinStatus, timings });
        } catch (error) {
          if (state.view.status === 'cancelled') return;
          fail(state, error);
        }
      })();
      return state.view;
    },

    get(id) {
      return checks.get(String(id))?.view;
    },

    async submitPin(id, pin, { confirmLastTry }) {
      const state = stateFor(id);
      try {
        return await exclusive(state, async () => {
          if (state.view.status !== 'pin-entry' || state.reader === undefined) {
            throw new CheckConflictError('WRONG_STATE', `cannot enter a PIN in state ${state.view.status}`);
          }
          if (!(pin instanceof Uint8Array)) throw new TypeError('pin must be a Uint8Array');
          if (!isWellFormedPin(pin)) {
            return update(state, { guidance: guidanceFor('PIN_FORMAT', state.view.setup) });
          }
          const digest = state.refusedPins.admit(pin);
          if (digest === undefined) {
            throw new CheckConflictError(
              'PIN_ALREADY_TRIED',
              'this PIN was already refused by the card in this check; it was not presented again',
            );
          }
          const signal = state.controller.signal;
          // No second counter read here: the SDK's check() reads the counter right before VERIFY
          // and applies the safety rules itself (PIN_BLOCKED; LAST_TRY_REFUSED unless allowed).
          // The staff's confirmation counts only for the "1 try left" the PIN screen showed.
          const shown = state.view.pinStatus;
          const challenge = await qualification.issueChallenge({ signal });
          const started = performance.now();
          let proof: Awaited<ReturnType<CardReader['checkWithPin']>>;
          try {
            proof = await state.reader.checkWithPin({
              pin,
              challenge: challenge.nonce,
              allowLastTry: confirmLastTry === true && shown?.triesLeft === 1,
              signal,
            });
          } catch (error) {
            const refused = pinRefusal(error, shown, state.view.setup);
            if (refused === undefined) throw error;
            if (refused.incorrect) {
              state.refusedPins.remember(digest);
              audit.append({
                actor: state.actor,
                action: 'check.pin-incorrect',
                subject: state.view.id,
                data: { triesLeft: refused.pinStatus?.triesLeft ?? null },
              });
            }
            return update(state, refused.changes);
          }
          const timings = {
            ...state.view.timings,
            cardCheckMs: Math.round(performance.now() - started),
            ...(proof.timings ?? {}),
          };
          state.view = {
            ...state.view,
            timings,
            pinStatus: { triesLeft: APP_POLICY.authPinMaxTries, blocked: false },
          };
          // Done with the card: close (the adapter unpowers it after a verified PIN).
          const reader = state.reader;
          state.reader = undefined;
          await reader.close().catch(() => undefined);
          const { guidance: _previous, ...rest } = state.view;
          state.view = rest as CheckView;
          return query(state, proof.certificate, () =>
            qualification.confirm(
              {
                mode: 'pin',
                medicalInstitutionCode: options.facilityCode(),
                challengeId: challenge.id,
                certificate: proof.certificate,
                signature: proof.signature,
              },
              { signal },
            ),
          );
        });
      } catch (error) {
        if (error instanceof CheckConflictError || error instanceof TypeError) throw error;
        return fail(state, error);
      } finally {
        pin.fill(0);
      }
    },

    async attestVisual(id, staffId) {
      const state = stateFor(id);
      if (!settings.get().visualCheckAllowed) {
        throw new CheckConflictError(
          'VISUAL_NOT_ALLOWED',
          'visual check (目視) is off in the security settings',
        );
      }
      if (typeof staffId !== 'string' || !/^[A-Za-z0-9._-]{1,32}$/.test(staffId.trim())) {
        throw new RangeError('staffId must be 1–32 letters, digits, dot, underscore or hyphen');
      }
      try {
        return await exclusive(state, async () => {
          if (state.view.status !== 'visual-attest' || state.reader === undefined) {
            throw new CheckConflictError('WRONG_STATE', `cannot attest in state ${state.view.status}`);
          }
          const signal = state.controller.signal;
          const certificate = await state.reader.readAuthCertificate({ signal });
          const confirmedAt = now().toISOString();
          const visual = { staffId: staffId.trim(), confirmedAt };
          state.view = { ...state.view, visual };
          audit.append({
            actor: state.actor,
            action: 'check.visual-attested',
            subject: state.view.id,
            data: { staffId: visual.staffId, confirmedAt, certificateSerial: safeSerial(certificate) },
          });
          return query(state, certificate, () =>
            qualification.confirm(
              {
                mode: 'visual',
                medicalInstitutionCode: options.facilityCode(),
                certificate,
                visualStaffId: visual.staffId,
              },
              { signal },
            ),
          );
        });
      } catch (error) {
        if (error instanceof CheckConflictError || error instanceof RangeError) throw error;
        return fail(state, error);
      }
    },

    async byNumbers(input) {
      const ask = qualification.queryByNumbers;
      if (ask === undefined)
        throw new CheckConflictError(
          'BY_NUMBERS_UNSUPPORTED',
          'this qualification service cannot query by numbers',
        );
      const numbers = parseNumbersQuery(input.query);
      const setup = settings.get().readerSetup ?? 'wired-reader';
      const id = `chk-${Buffer.from(options.random(new Uint8Array(8))).toString('hex')}`;
      const state: CheckState = {
        view: {
          id,
          status: 'querying',
          mode: 'numbers',
          readerId: '',
          setup,
          startedAt: now().toISOString(),
          warnings: [],
          standInLabel: qualification.label,
          timings: {},
        },
        actor: input.actor,
        reader: undefined,
        controller: new AbortController(),
        busy: false,
        refusedPins: new RefusedPins(new Uint8Array(0)),
      };
      insertRow(state.view, input.actor, input.deviceId);
      checks.set(id, state);
      audit.append({
        actor: input.actor,
        action: 'check.by-numbers',
        subject: id,
        data: { deviceId: input.deviceId, insurerNumber: numbers.insurerNumber },
      });
      const signal = state.controller.signal;
      return query(state, undefined, () =>
        ask.call(qualification, { ...numbers, medicalInstitutionCode: options.facilityCode() }, { signal }),
      );
    },

    async cancel(id) {
      const state = checks.get(String(id));
      if (state === undefined) return undefined;
      const status = state.view.status;
      if (status === 'result' || status === 'failed' || status === 'cancelled') return state.view;
      state.controller.abort(new CardError('ABORTED', 'check cancelled'));
      return update(state, { status: 'cancelled' });
    },

    applyToRecord(id, resultIndex, actor) {
      const state = stateFor(id);
      const result = state.view.answer?.body?.resultList[resultIndex];
      if (state.view.status !== 'result' || result === undefined) {
        throw new CheckConflictError('WRONG_STATE', 'no qualification result to apply');
      }
      const compared = state.view.reconciliation?.[resultIndex];
      const existing = compared?.patientRecordId ?? undefined;
      // Optimistic versioning: refused (409) when another desk changed the record since the check.
      const record = patients.upsertFromResult(result, existing, compared?.patientRecordVersion);
      database.run(
        'UPDATE qualification_check SET patient_record_id = ? WHERE id = ?',
        record.id,
        state.view.id,
      );
      audit.append({
        actor,
        action: 'patient.record-updated',
        subject: String(record.id),
        data: { checkId: state.view.id },
      });
      const reconciliation = [...(state.view.reconciliation ?? [])];
      reconciliation[resultIndex] = reconcile(result, record);
      update(state, { reconciliation });
      return { patientRecordId: record.id };
    },

    async close() {
      for (const state of checks.values()) {
        state.controller.abort(new CardError('ABORTED', 'server closing'));
        const reader = state.reader;
        state.reader = undefined;
        if (reader !== undefined) await reader.close().catch(() => undefined);
      }
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      checks.clear();
    },
  };
  return service;
}

function safeSerial(certificate: Uint8Array): string | null {
  try {
    return parseCertificate(certificate).serialNumberHex.toUpperCase();
  } catch {
    return null;
  }
}

/**
 * What a refused PIN does to the check view: the SDK's typed refusals (wrong PIN with the tries
 * left, blocked, last try not confirmed, bad format) become the PIN screen's state and guidance.
 * Anything else is not a refusal (undefined).
 */
function pinRefusal(
  error: unknown,
  shown: PinStatus | undefined,
  setup: ReaderSetup,
): { changes: Partial<CheckView>; incorrect: boolean; pinStatus?: PinStatus } | undefined {
  if (CardError.isInstance(error, 'PIN_INCORRECT')) {
    const triesLeft =
      typeof error.details.triesLeft === 'number'
        ? error.details.triesLeft
        : shown?.triesLeft === null || shown === undefined
          ? null
          : shown.triesLeft - 1;
    if (triesLeft === 0)
      return { ...blockedView(setup), incorrect: true, pinStatus: { triesLeft: 0, blocked: true } };
    const pinStatus = { triesLeft, blocked: false };
    return { changes: { pinStatus, guidance: guidanceForError(error, setup) }, incorrect: true, pinStatus };
  }
  if (CardError.isInstance(error, 'PIN_BLOCKED')) return { ...blockedView(setup), incorrect: false };
  if (CardError.isInstance(error, 'LAST_TRY_REFUSED')) {
    return {
      changes: {
        pinStatus: { triesLeft: 1, blocked: false },
        guidance: guidanceFor('LAST_TRY_REFUSED', setup, { triesLeft: 1 }),
      },
      incorrect: false,
    };
  }
  if (CardError.isInstance(error, 'PIN_FORMAT')) {
    return { changes: { guidance: guidanceForError(error, setup) }, incorrect: false };
  }
  return undefined;
}

function blockedView(setup: ReaderSetup): { changes: Partial<CheckView> } {
  return {
    changes: {
      status: 'failed',
      pinStatus: { triesLeft: 0, blocked: true },
      guidance: guidanceFor('PIN_BLOCKED', setup, { triesLeft: 0 }),
    },
  };
}
