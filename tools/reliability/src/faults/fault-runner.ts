/**
 * Fault injection at every step. For one transport (a {@link FaultRig}) and one flow — the
 * PIN-mode check with the right PIN, with a wrong PIN, and the certificate read — it first counts
 * the flow's APDUs on a healthy card, then for every APDU index and every fault kind runs the flow
 * once on a fresh card with exactly that fault, and checks:
 *
 * 1. the run ends within its deadline in success or a typed `CardError`;
 * 2. a success is not a silent wrong answer: the certificate is the card's, or corruption the
 *    link let through is caught by certificate validation (the issuing CA's signature fails);
 * 3. no PIN try is consumed twice: at most one VERIFY with a PIN reached the card, and the card's
 *    counter moved by exactly the number of wrong VERIFYs that reached it;
 * 4. afterwards the session is either reusable (the certificate read succeeds on the same
 *    `MyNumberCard`) or cleanly closed (`closed` settled, `close()` returns), and after close the
 *    card holds no verified PIN (it was unpowered).
 *
 * Fault kinds: transport level through `injectTransportFaults` (reader/link loss, timeouts,
 * corrupted bytes, wrong status words — on any transport), card level through the card's own
 * fault plan (the card leaves the field before or after acting on the command; travels through
 * the presence layer: in-process slot, vpcd → pcscd, the bridge phone), and the rig's native
 * faults (BLE reader faults, bridge link cuts and tampering, pcscd restarts).
 *
 * @example
 * ```ts
 * const results = await runFaultMatrix(rig, { flows: ['check', 'read-certificate'] });
 * expect(results.flatMap((result) => result.problems)).toEqual([]);
 * ```
 */
import { X509Certificate } from 'node:crypto';
import {
  buildDigestInfo,
  hash,
  MyNumberCard,
  rsaPublicKeyFromCertificate,
  rsaVerifyDigestInfo,
} from '@kakunin/core/jpki';
import { CardError, type Transport } from '@kakunin/core/transport';
import { type FaultRule, injectTransportFaults } from '@kakunin/simulator/faults';
import { settleWithin } from '../support/settle-within.js';
import type { ArmOptions, CardControl } from './faultable-card.js';

export type FaultFlow = 'check' | 'check-wrong-pin' | 'read-certificate';

/** A native fault: how to arm the card for command `index`, and whether it fired. */
export interface NativeFault {
  readonly name: string;
  arm(index: number): ArmOptions;
  /**
   * Card-command indexes to run it at (default: every one). Gets the flow's command count and the
   * index of its PIN-bearing VERIFY (-1 when none).
   */
  indexes?(count: number, verifyIndex: number): number[];
}

export interface FaultRig {
  readonly name: string;
  readonly card: CardControl;
  /** The auth PIN of the card's profile. */
  readonly pin: string;
  /** PEM or DER of the auth CA (certificate validation of corrupted successes). */
  readonly authCa: Uint8Array;
  /** Time limit of one session call, ms (the timeout fault delays longer than this). */
  readonly callTimeoutMs: number;
  /** Hard deadline of one whole run, ms. */
  readonly runDeadlineMs: number;
  /** Makes sure the (renewed) card is in the reader before a run. */
  prepare(): Promise<void>;
  /** A fresh connection to the card. */
  connect(): Promise<Transport>;
  /** Waits until the far side has reacted to the end of a run (e.g. a phone to a closed session). */
  settle?(): Promise<void>;
  readonly nativeFaults: readonly NativeFault[];
}

export interface FaultRunResult {
  readonly rig: string;
  readonly flow: FaultFlow;
  readonly fault: string;
  readonly index: number;
  /** `ok`, `ok:corruption-caught-by-validation`, or the CardError code. */
  readonly outcome: string;
  readonly afterwards: 'reused' | 'closed';
  readonly pinVerifications: number;
  readonly durationMs: number;
  /** The link was lost after a successful VERIFY and the reader kept the card powered and verified. */
  readonly linkLostVerified: boolean;
  /** Broken rules (empty when the run was fine). */
  readonly problems: readonly string[];
}

/** Status words a broken or hostile card answers (ISO 7816-4 §5.6, jpki-card.md §8). */
export const WRONG_STATUS_WORDS: readonly number[] = [0x6f00, 0x6982, 0x63c1, 0x6983, 0x6100, 0x6a82];

const CHALLENGE = new Uint8Array(32).fill(0x42);
const WRONG_PIN = '9876';

interface Outcome {
  readonly value?: { certificate: Uint8Array; signature?: Uint8Array };
  readonly error?: unknown;
  readonly hung: boolean;
}

async function runFlow(card: MyNumberCard, flow: FaultFlow, pin: string): Promise<Outcome> {
  const run = async (): Promise<{ certificate: Uint8Array; signature?: Uint8Array }> => {
    if (flow === 'read-certificate') return { certificate: await card.readCertificate('auth') };
    const result = await card.check({ pin: flow === 'check' ? pin : WRONG_PIN, challenge: CHALLENGE });
    return { certificate: result.certificate, signature: result.signature };
  };
  return settleWithin(run(), 15_000);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, index) => byte === b[index]);
}

/** True when `certificate` would be rejected by validation against the issuing CA. */
function rejectedByValidation(certificate: Uint8Array, ca: Uint8Array): boolean {
  try {
    const issuer = new X509Certificate(ca);
    return !new X509Certificate(certificate).verify(issuer.publicKey);
  } catch {
    return true;
  }
}

function signatureValid(certificate: Uint8Array, signature: Uint8Array): boolean {
  try {
    return rsaVerifyDigestInfo(
      rsaPublicKeyFromCertificate(certificate),
      signature,
      buildDigestInfo(hash('sha256', CHALLENGE)),
    );
  } catch {
    return false;
  }
}

const isSettled = (promise: Promise<unknown>): Promise<boolean> =>
  Promise.race([
    promise.then(() => true),
    new Promise<boolean>((resolve) => setImmediate(() => resolve(false))),
  ]);

interface FaultSpec {
  readonly name: string;
  readonly indexes?: NativeFault['indexes'];
  /** Transport-level rules (wrapping the connection). */
  readonly transportRules?: (index: number) => FaultRule[];
  /** Card-level arming (the card's own plan / native hooks). */
  readonly card?: (index: number) => ArmOptions;
}

/** The generic fault kinds every transport gets. */
export function genericFaults(rig: Pick<FaultRig, 'callTimeoutMs'>): FaultSpec[] {
  return [
    { name: 'card-removed', card: (index) => ({ rules: [{ type: 'remove', match: { index } }] }) },
    {
      name: 'card-removed-after-acting',
      card: (index) => ({ rules: [{ type: 'remove', match: { index }, processed: true }] }),
    },
    { name: 'reader-lost', transportRules: (index) => [{ type: 'drop', match: { index } }] },
    {
      name: 'timeout',
      transportRules: (index) => [{ type: 'delay', ms: rig.callTimeoutMs * 2, match: { index }, times: 1 }],
    },
    {
      name: 'corrupt-flip',
      transportRules: (index) => [{ type: 'corrupt', mode: 'flip', match: { index }, times: 1 }],
    },
    {
      name: 'corrupt-flip-last',
      transportRules: (index) => [
        { type: 'corrupt', mode: 'flip', byteIndex: -1, match: { index }, times: 1 },
      ],
    },
    {
      name: 'corrupt-truncate',
      transportRules: (index) => [
        { type: 'corrupt', mode: 'truncate', bytes: 3, match: { index }, times: 1 },
      ],
    },
    {
      name: 'corrupt-garbage',
      transportRules: (index) => [{ type: 'corrupt', mode: 'garbage', match: { index }, times: 1 }],
    },
    ...WRONG_STATUS_WORDS.map(
      (sw): FaultSpec => ({
        name: `sw-${sw.toString(16).toUpperCase()}`,
        transportRules: (index) => [{ type: 'status', sw, match: { index }, times: 1 }],
      }),
    ),
  ];
}

/** Counts the APDUs of a flow on a healthy card (transport-level and card-level). */
export async function baseline(
  rig: FaultRig,
  flow: FaultFlow,
): Promise<{
  transportCommands: number;
  cardCommands: number;
  verifyIndex: number;
  certificate: Uint8Array;
}> {
  await rig.card.renew();
  await rig.card.arm({});
  await rig.prepare();
  let verifyIndex = -1;
  const counting = injectTransportFaults(await rig.connect(), [
    {
      type: 'delay',
      ms: 0,
      match: {
        predicate: (command, index) => {
          if (verifyIndex < 0 && command[1] === 0x20 && command.length >= 6) verifyIndex = index;
          return false;
        },
      },
    },
  ]);
  const card = MyNumberCard.open(counting, { timeoutMs: rig.callTimeoutMs * 4 });
  try {
    const outcome = await runFlow(card, flow, rig.pin);
    if (flow === 'check-wrong-pin') {
      if (!CardError.isInstance(outcome.error, 'PIN_INCORRECT'))
        throw new Error(`${rig.name} baseline ${flow}: expected PIN_INCORRECT, got ${String(outcome.error)}`);
    } else if (outcome.value === undefined) {
      throw new Error(`${rig.name} baseline ${flow} failed: ${String(outcome.error)}`);
    }
    const certificate = outcome.value?.certificate ?? new Uint8Array(0);
    return {
      transportCommands: counting.injector.commandCount,
      cardCommands: (await rig.card.stats()).commands,
      verifyIndex,
      certificate,
    };
  } finally {
    await card.close();
  }
}

async function runOne(
  rig: FaultRig,
  flow: FaultFlow,
  fault: FaultSpec,
  index: number,
  expectedCertificate: Uint8Array,
): Promise<FaultRunResult> {
  const problems: string[] = [];
  const started = performance.now();
  await rig.card.renew();
  await rig.prepare();
  await rig.card.arm(fault.card?.(index) ?? {});
  const triesBefore = (await rig.card.stats()).authTriesLeft;
  const rules = fault.transportRules?.(index) ?? [];
  const faulty = injectTransportFaults(await rig.connect(), rules);
  const card = MyNumberCard.open(faulty, { timeoutMs: rig.callTimeoutMs });
  const outcome = await runFlow(card, flow, rig.pin);
  let result = 'ok';
  if (outcome.hung) problems.push('the flow did not settle within 15 s');
  else if (outcome.error !== undefined) {
    if (CardError.isInstance(outcome.error)) result = outcome.error.code;
    else problems.push(`untyped error: ${String(outcome.error)}`);
  } else if (outcome.value !== undefined) {
    const { certificate, signature } = outcome.value;
    const sameCertificate = equal(certificate, expectedCertificate);
    const goodSignature = signature === undefined || signatureValid(certificate, signature);
    if (!sameCertificate || !goodSignature) {
      if (!sameCertificate && !rejectedByValidation(certificate, rig.authCa))
        problems.push('silent wrong answer: an altered certificate passes validation');
      if (sameCertificate && !goodSignature && flow === 'check')
        result = 'ok:bad-signature-caught-by-verification';
      else result = 'ok:corruption-caught-by-validation';
    }
    if (flow === 'check-wrong-pin') problems.push('a wrong PIN was accepted');
  }
  // PIN tries: at most one VERIFY with a PIN reached the card; the counter moved only for it.
  const afterRun = await rig.card.stats();
  const verifications = afterRun.pinVerifications;
  const cardFaultFired = afterRun.fired > 0;
  if (verifications > 1) problems.push(`${verifications} VERIFYs with a PIN reached the card`);
  const triesAfter = afterRun.authTriesLeft;
  const expectedSpent = flow === 'check-wrong-pin' ? verifications : 0;
  if (triesBefore - triesAfter !== expectedSpent)
    problems.push(
      `auth PIN counter went ${triesBefore} → ${triesAfter} with ${verifications} VERIFY(s) (${flow})`,
    );
  // Afterwards: reusable, or cleanly closed.
  let afterwards: FaultRunResult['afterwards'];
  if (await isSettled(faulty.closed)) {
    afterwards = 'closed';
    const closing = await settleWithin(card.close(), 10_000);
    if (closing.hung) problems.push('close() hung after the connection ended');
  } else {
    afterwards = 'reused';
    await rig.card.arm({});
    // A generous call limit: an orphaned command (after a TIMEOUT) must drain first.
    const again = await settleWithin(card.readCertificate('auth', { timeoutMs: 8000 }), 10_000);
    if (again.hung) problems.push('the session hung when reused');
    else if (again.error !== undefined && !(await isSettled(faulty.closed)))
      problems.push(`the session is not reusable: ${String((again.error as Error).message ?? again.error)}`);
    else if (again.value !== undefined && !equal(again.value, expectedCertificate))
      problems.push('the reused session read a different certificate');
    const closing = await settleWithin(card.close(), 10_000);
    if (closing.hung) problems.push('close() hung');
  }
  await rig.settle?.();
  // PIN safety: a session that could still reach the card must leave no verified PIN behind.
  // (When the link itself was lost the SDK cannot reach the card; what the reader does then is
  // reported, not asserted: see linkLostVerified and SECURITY.md.)
  const stillVerified = (await rig.card.stats()).authVerified;
  const linkLost =
    afterwards === 'closed' &&
    (result === 'LINK_LOST' ||
      result === 'CARD_REMOVED' ||
      result === 'READER_UNAVAILABLE' ||
      result === 'SERVICE_UNAVAILABLE');
  if (stillVerified && !linkLost)
    problems.push('the auth PIN is still verified on the card after close() (not unpowered)');
  if (rules.length > 0 && faulty.events.length === 0 && !outcome.hung)
    problems.push(
      `the transport fault never fired (flow ended after ${faulty.injector.commandCount} commands)`,
    );
  if (fault.card !== undefined && !cardFaultFired && !outcome.hung)
    problems.push('the card-level fault never fired');
  return {
    rig: rig.name,
    flow,
    fault: fault.name,
    index,
    outcome: result,
    afterwards,
    pinVerifications: verifications,
    durationMs: Math.round(performance.now() - started),
    linkLostVerified: stillVerified && linkLost,
    problems,
  };
}

export interface MatrixOptions {
  readonly flows: readonly FaultFlow[];
  /** Fault kinds to run (default: generic + the rig's native ones). */
  readonly only?: (name: string) => boolean;
  /** Called after every run (progress logs). */
  readonly onResult?: (result: FaultRunResult) => void;
}

/**
 * Runs every fault at every APDU index of every flow on one rig.
 *
 * @example
 * ```ts
 * const results = await runFaultMatrix(rig, { flows: ['check'] });
 * ```
 */
export async function runFaultMatrix(rig: FaultRig, options: MatrixOptions): Promise<FaultRunResult[]> {
  const results: FaultRunResult[] = [];
  const native: FaultSpec[] = rig.nativeFaults.map((fault) => ({
    name: fault.name,
    card: (index) => fault.arm(index),
  }));
  const faults = [...genericFaults(rig), ...native].filter((fault) => options.only?.(fault.name) ?? true);
  const authCertificate = (await baseline(rig, 'read-certificate')).certificate;
  for (const flow of options.flows) {
    const healthy = await baseline(rig, flow);
    for (const fault of faults) {
      // Card-level faults count the commands that reached the card; a presence layer may add one
      // of its own on a first contact (seen once through pcscd), so never count past the flow's.
      const count =
        fault.transportRules === undefined
          ? Math.min(healthy.cardCommands, healthy.transportCommands)
          : healthy.transportCommands;
      const indexes =
        fault.indexes?.(count, healthy.verifyIndex) ?? Array.from({ length: count }, (_, index) => index);
      for (const index of indexes) {
        const result = await runOne(rig, flow, fault, index, authCertificate);
        options.onResult?.(result);
        results.push(result);
      }
    }
  }
  return results;
}

/** Runs in which the link was lost after a good VERIFY and the card kept the PIN verified. */
export function linkLostVerifiedCount(results: readonly FaultRunResult[]): number {
  return results.filter((result) => result.linkLostVerified).length;
}

/** Outcome counts per fault kind, for the report. */
export function summarise(results: readonly FaultRunResult[]): Record<string, Record<string, number>> {
  const summary: Record<string, Record<string, number>> = {};
  for (const result of results) {
    const key = `${result.flow}/${result.fault}`;
    const row = summary[key] ?? {};
    row[result.outcome] = (row[result.outcome] ?? 0) + 1;
    summary[key] = row;
  }
  return summary;
}

/**
 * The matrix's report line: the rig, how many runs, how many left a PIN verified after a link loss,
 * then `extra` (e.g. `3, 'pcscd restarts'`) and the outcome counts per flow and fault.
 */
export function logMatrix(rigName: string, results: readonly FaultRunResult[], ...extra: unknown[]): void {
  console.log(
    rigName,
    results.length,
    'runs',
    linkLostVerifiedCount(results),
    'left verified after link loss',
    ...extra,
    JSON.stringify(summarise(results)),
  );
}
