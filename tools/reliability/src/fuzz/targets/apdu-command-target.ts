/**
 * Fuzz target: command APDU codec (`decodeCommand`, ISO 7816-3 §12.1.3). What the simulator, the
 * bridge relay and transcript replays parse from a peer. Oracle: every accepted command
 * re-encodes (`encodeCommand` with the same form) to exactly the input bytes, and its data is a
 * view of the input — anything else is a silent wrong answer.
 *
 * @example
 * ```ts
 * apduCommandTarget.execute(Uint8Array.of(0x00, 0x20, 0x00, 0x81));
 * ```
 */
import { decodeCommand, encodeCommand } from '@kakunin/core/iso7816';
import { bucket, type FuzzTarget, oracle, sameBytes } from '../fuzz-target.js';
import { recordedCommands } from '../seeds/recorded-flows.js';

export const apduCommandTarget: FuzzTarget = {
  name: 'apdu-command',
  description: 'decodeCommand → encodeCommand round trip (@kakunin/core/iso7816)',
  maxInputLength: 65_544 + 16,
  seeds: async () => [
    ...(await recordedCommands()),
    Uint8Array.of(0x00, 0x20, 0x00, 0x81),
    Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00),
    Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00),
  ],
  execute(input) {
    const decoded = decodeCommand(input);
    const reencoded = encodeCommand(
      {
        cla: decoded.cla,
        ins: decoded.ins,
        p1: decoded.p1,
        p2: decoded.p2,
        ...(decoded.data.length === 0 ? {} : { data: decoded.data }),
        ...(decoded.le === undefined ? {} : { le: decoded.le }),
      },
      { extended: decoded.extended },
    );
    oracle(sameBytes(reencoded, input), `re-encoding differs (case ${decoded.case})`);
    oracle(decoded.data.buffer === input.buffer, 'data is not a view of the input');
    oracle(
      (decoded.case === 1 || decoded.case === 2) === (decoded.data.length === 0),
      `case ${decoded.case} with ${decoded.data.length} data bytes`,
    );
    return `c${decoded.case}${decoded.extended ? 'x' : ''}:${bucket(decoded.data.length)}:${decoded.le === undefined ? '-' : bucket(decoded.le)}`;
  },
};
