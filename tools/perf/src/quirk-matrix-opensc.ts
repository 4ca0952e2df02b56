/**
 * OpenSC in the quirk matrix (issue 14 Deliver 5): the OpenSC operations that correspond to
 * kakunin's calls, run as Debian ships them against the same simulator card in a vpcd slot of
 * the real pcscd, counted at the card on first contact (fresh HOME: OpenSC's file cache empty).
 *
 * | kakunin call | OpenSC |
 * |---|---|
 * | `pinStatus('auth')` | `pkcs15-tool --list-pins` (reads every PIN's retry counter) |
 * | `readCertificate('auth')` | `pkcs15-tool --read-certificate 01` |
 * | `verifyPin('auth')` + `sign('auth')` | `pkcs11-tool --login --pin … --sign --id 01 -m SHA256-RSA-PKCS` |
 * | `check()` | the last two, as in the bench (`check-apdus`) |
 *
 * Every behaviour the card itself shows runs (vpcd hosts the card); `reader-no-ext` does not:
 * vpcd cannot fail SCardTransmit. OpenSC never sends extended APDUs here (its JPKI driver reads
 * in short chunks), so one OpenSC run per behaviour stands for both links. A failing tool is an
 * outcome (`exit N: reason`), asserted like a count so that a change shows.
 *
 * @example
 * ```ts
 * const cell = await runOpenscCell(host, 'authCert');
 * cell.apdus; // 42 on the plastic card
 * ```
 */
import { type KeyObject, verify } from 'node:crypto';
import { describeLog } from './apdu-tally.js';
import type { LinkModeName } from './link-modes.js';
import {
  type ApduLogSource,
  type OpenscOperation,
  type OpenscRun,
  runOpenscOperation,
} from './opensc-flow.js';
import { BEHAVIOURS, type Behaviour, type CellResult, isRefusal } from './quirk-matrix.js';
import { fixedChallenge, SIMULATOR_AUTH_PIN } from './simulated-check.js';

/** Budget key of an OpenSC cell in quirk-budgets.json. */
export const openscKey = (behaviour: string, operation: OpenscOperation): string =>
  `opensc/${behaviour}/${operation}`;

/** The rows OpenSC can run: the card's own behaviours (a reader quirk cannot be put in vpcd). */
export const OPENSC_BEHAVIOURS: readonly Behaviour[] = BEHAVIOURS.filter(
  (behaviour) => behaviour.reader === undefined && behaviour.openscSkip === undefined,
);

/** The card host's mode for a behaviour (the SFI-refusing card is the fault-injected one). */
export function hostModeFor(behaviour: Behaviour): LinkModeName {
  return behaviour.refusesSfi === true ? 'refuses-fast-paths' : 'extended';
}

/**
 * Why a tool failed, in stable words: OpenSC's last error line without reader names, paths or
 * numbers that vary between runs.
 */
export function failureReason(run: OpenscRun['run']): string {
  const lines = `${run.stderr}\n${run.stdout}`
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /error|failed|not |invalid|unable|no /i.test(line));
  const last = lines.at(-1) ?? 'no message';
  return last
    .replace(/'[^']*'/g, '…')
    .replace(/\/[^\s:]+/g, '…')
    .slice(0, 120);
}

/** One OpenSC cell: what reached the card and how the tool ended. */
export interface OpenscCell extends CellResult {
  readonly step: OpenscRun;
}

/**
 * Runs one OpenSC operation against the card in `host` (already reset by the run).
 *
 * @example
 * ```ts
 * const cell = await runOpenscCell(host, 'signAuth');
 * ```
 */
export async function runOpenscCell(
  host: ApduLogSource & { readonly readerName: string },
  operation: OpenscOperation,
  card: CardTruth,
): Promise<OpenscCell> {
  const step = await runOpenscOperation(operation, {
    counter: host,
    readerName: host.readerName,
    pin: SIMULATOR_AUTH_PIN,
    challenge: fixedChallenge(),
  });
  return {
    apdus: step.log.length,
    refused: step.log.filter((entry) => isRefusal(entry.sw)).length,
    outcome: openscOutcome(step, card),
    log: describeLog(step.log).join('\n'),
    step,
  };
}

/** What the card really holds, to judge what OpenSC returned. */
export interface CardTruth {
  readonly authCertificate: Uint8Array;
  readonly authPublicKey: KeyObject;
}

/**
 * `ok` only when the tool succeeded AND returned the truth: the card's certificate, a signature
 * over the challenge that verifies with the card's auth key. A tool that exits 0 with a wrong
 * answer is a silent wrong answer and says so.
 */
export function openscOutcome(step: OpenscRun, card: CardTruth): string {
  if (step.run.exitCode !== 0) return `exit ${step.run.exitCode}: ${failureReason(step.run)}`;
  if (step.certificate !== undefined && !equalBytes(step.certificate, card.authCertificate))
    return 'exit 0, wrong certificate';
  if (
    step.signature !== undefined &&
    !verify('sha256', fixedChallenge(), card.authPublicKey, step.signature)
  ) {
    const zeros = step.signature.every((byte) => byte === 0);
    return `exit 0, signature does not verify${zeros ? ` (${step.signature.length} zero bytes)` : ''}`;
  }
  return 'ok';
}

function equalBytes(left: Uint8Array, right: Uint8Array): boolean {
  return left.length === right.length && left.every((byte, index) => byte === right[index]);
}
