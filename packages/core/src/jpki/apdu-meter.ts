/**
 * Counts and timings of a card operation, taken from the session's trace events (never from inside
 * the operation): `metered()` listens while the operation runs; `checkTimings()` sums the APDU
 * durations per step of the PIN-mode check, telling the steps apart by instruction (a GET RESPONSE,
 * 6Cxx re-issue or chain link belongs to the command it completes; a SELECT of an EF to the command
 * that follows it).
 *
 * @example
 * ```ts
 * const { value, apdus } = await metered(session, () => card.readCertificate('auth'));
 * console.log(apdus.length);
 * ```
 */
import type { CardSession } from '../iso7816/card-session.js';
import { INS } from '../iso7816/instructions.js';
import type { ApduTraceEvent } from '../iso7816/trace.js';
import { SELECT_P1_BY_NAME } from './constants.js';

export interface Metered<T> {
  readonly value: T;
  /** Every exchange with the transport while the operation ran (GET RESPONSEs included). */
  readonly apdus: readonly ApduTraceEvent[];
  /** Wall-clock milliseconds of the whole operation. */
  readonly totalMs: number;
}

/** Runs `body` while listening to the session's trace events. */
export async function metered<T>(session: CardSession, body: () => Promise<T>): Promise<Metered<T>> {
  const apdus: ApduTraceEvent[] = [];
  const stop = session.observe((event) => {
    if (event.type === 'apdu') apdus.push(event);
  });
  const started = performance.now();
  try {
    const value = await body();
    return { value, apdus, totalMs: roundMs(performance.now() - started) };
  } finally {
    stop();
  }
}

export type CheckStep = 'select' | 'pinStatus' | 'verify' | 'sign' | 'readCertificate';

/** Milliseconds per step of the PIN-mode check, from its trace events. */
export function checkTimings(apdus: readonly ApduTraceEvent[]): Record<CheckStep, number> {
  const totals: Record<CheckStep, number> = {
    select: 0,
    pinStatus: 0,
    verify: 0,
    sign: 0,
    readCertificate: 0,
  };
  let current: CheckStep | undefined;
  let pending = 0;
  for (const event of apdus) {
    if (event.role !== 'command') {
      if (current === undefined) pending += event.durationMs;
      else totals[current] += event.durationMs;
      continue;
    }
    const step = stepOf(event);
    if (step === undefined) {
      // SELECT of an EF (or anything else): counted with the command it prepares.
      pending += event.durationMs;
      continue;
    }
    current = step;
    totals[step] += event.durationMs + pending;
    pending = 0;
  }
  if (current !== undefined) totals[current] += pending;
  for (const step of Object.keys(totals) as CheckStep[]) totals[step] = roundMs(totals[step]);
  return totals;
}

function stepOf(event: ApduTraceEvent): CheckStep | undefined {
  const ins = Number.parseInt(event.header.slice(2, 4), 16);
  const p1 = Number.parseInt(event.header.slice(4, 6), 16);
  if (ins === INS.SELECT) return p1 === SELECT_P1_BY_NAME ? 'select' : undefined;
  if (ins === INS.VERIFY) return event.dataLength === 0 ? 'pinStatus' : 'verify';
  if (ins === INS.PERFORM_SECURITY_OPERATION) return 'sign';
  if (ins === INS.READ_BINARY) return 'readCertificate';
  return undefined;
}

function roundMs(value: number): number {
  return Math.round(value * 1000) / 1000;
}
