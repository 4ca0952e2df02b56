/**
 * Issue 14 "What was seen" 1: a T=0-style card answers the `80 2A` signature with `61 00` and
 * refuses GET RESPONSE sent with CLA 80 (6D 00). `kakunin sign` and `kakunin check` must work on it
 * (before the fix both exited 3). The card is the simulator's, with the field behaviour switched on
 * through KAKUNIN_SIM_QUIRKS.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli, signMessage } from '../test-support.js';

const sim = ['--transport', 'sim'];

describe('kakunin on a T=0-style card (61xx + GET RESPONSE)', () => {
  // The transports read KAKUNIN_SIM_QUIRKS from the process environment (as the BLE simulator switches).
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  for (const quirks of ['{"getResponse":{}}', '{"getResponse":{"piece":100,"proprietaryClassSw":28160}}']) {
    it(`sign and check succeed (${quirks})`, async () => {
      vi.stubEnv('KAKUNIN_SIM_QUIRKS', quirks);
      const { run: sign, signature } = await signMessage('処方箋 2026-12-07\n', sim);
      expect(sign.code, sign.stderr).toBe(0);
      expect(readFileSync(signature).length).toBe(256);
      const check = await runCli(['check', '--pin-stdin', '--json', ...sim], '1234\n');
      expect(check.code, check.stderr).toBe(0);
    });
  }

  it('a malformed KAKUNIN_SIM_QUIRKS is a usage error, not a crash', async () => {
    vi.stubEnv('KAKUNIN_SIM_QUIRKS', '{"responseCap":999}');
    const run = await runCli(['pin', 'status', ...sim]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('responseCap');
  });
});
