/**
 * Fuzz target: response APDU split (`parseResponse`) and status-word description
 * (`describeSw`, `StatusWordError`) for any bytes a card or a link returns. Oracles: data ‖ SW
 * partition the input exactly; the description never throws.
 *
 * @example
 * ```ts
 * apduResponseTarget.execute(Uint8Array.of(0x63, 0xc2));
 * ```
 */
import { describeSw, parseResponse, StatusWordError } from '@kakunin/core/iso7816';
import { type FuzzTarget, oracle } from '../fuzz-target.js';
import { recordedResponses } from '../seeds/recorded-flows.js';

export const apduResponseTarget: FuzzTarget = {
  name: 'apdu-response',
  description: 'parseResponse, describeSw, StatusWordError (@kakunin/core/iso7816)',
  maxInputLength: 65_538 + 16,
  seeds: async () => [...(await recordedResponses()), Uint8Array.of(0x90, 0x00), Uint8Array.of(0x61, 0x00)],
  execute(input) {
    const response = parseResponse(input);
    oracle(response.data.length === input.length - 2, 'data length is not input − 2');
    oracle(response.sw1 === input[input.length - 2] && response.sw2 === input[input.length - 1], 'SW bytes');
    oracle(response.sw === ((response.sw1 << 8) | response.sw2), 'sw is not SW1 SW2');
    const info = describeSw(response.sw);
    oracle(typeof info.code === 'string' && info.code.length > 0, 'describeSw without a code');
    const error = new StatusWordError(response.sw, input[0] ?? 0);
    oracle(error.sw === response.sw, 'StatusWordError.sw');
    return `${info.code}`;
  },
};
