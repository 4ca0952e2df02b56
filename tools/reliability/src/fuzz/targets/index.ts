/**
 * Every fuzz target, in the order the nightly run reports them.
 *
 * @example
 * ```ts
 * for (const target of FUZZ_TARGETS) await runFuzz(target, { iterations: 1000 });
 * ```
 */
import type { FuzzTarget } from '../fuzz-target.js';
import { apduCommandTarget } from './apdu-command-target.js';
import { apduResponseTarget } from './apdu-response-target.js';
import { berTlvTarget } from './ber-tlv-target.js';
import { bleFrameTarget } from './ble-frame-target.js';
import { bridgeFrameTarget } from './bridge-frame-target.js';
import { cardSessionTarget } from './card-session-target.js';
import { certificateTarget } from './certificate-target.js';
import { crlTarget } from './crl-target.js';
import { derTarget } from './der-target.js';
import { jpkiFilesTarget } from './jpki-files-target.js';

export const FUZZ_TARGETS: readonly FuzzTarget[] = [
  apduCommandTarget,
  apduResponseTarget,
  berTlvTarget,
  derTarget,
  certificateTarget,
  crlTarget,
  bleFrameTarget,
  bridgeFrameTarget,
  jpkiFilesTarget,
  cardSessionTarget,
];

/**
 * A target that loops forever on inputs starting with FF: proves the nightly watchdog catches a
 * synchronous hang and saves the input (`pnpm fuzz:nightly -- --targets self-test-hang`). Never
 * part of the real run.
 */
export const selfTestHangTarget: FuzzTarget = {
  name: 'self-test-hang',
  description: 'watchdog self-test: hangs on inputs starting with FF',
  maxInputLength: 64,
  seeds: async () => [Uint8Array.of(0x00, 0x01)],
  execute(input) {
    if (input[0] === 0xff) for (;;) Math.sqrt(input.length);
    return 'ok';
  },
};

/** The target called `name`, or a RangeError listing the names. */
export function fuzzTarget(name: string): FuzzTarget {
  const target = [...FUZZ_TARGETS, selfTestHangTarget].find((candidate) => candidate.name === name);
  if (target === undefined)
    throw new RangeError(
      `unknown fuzz target ${name}; use ${FUZZ_TARGETS.map((each) => each.name).join('|')}`,
    );
  return target;
}

export {
  apduCommandTarget,
  apduResponseTarget,
  berTlvTarget,
  bleFrameTarget,
  bridgeFrameTarget,
  cardSessionTarget,
  certificateTarget,
  crlTarget,
  derTarget,
  jpkiFilesTarget,
};
