/**
 * The replay CPU measurement works and replays the real check (no timing is asserted: speed is
 * measured by `pnpm bench`, check-cpu script).
 */

import { MyNumberCard } from '@kakunin/core/jpki';
import { defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { ReplayTransport } from '@kakunin/simulator/transcripts';
import { describe, expect, it } from 'vitest';
import { linkMode } from './link-modes.js';
import { measureReplayCpu, recordCheck } from './replay-cpu.js';
import { fixedChallenge, SIMULATOR_AUTH_PIN } from './simulated-check.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });

describe('replay CPU measurement', () => {
  it('records a check with the PIN redacted and the closing cold reset', async () => {
    const recorded = await recordCheck(linkMode('extended'), { keyStore });
    expect(recorded.apduCount).toBe(5);
    const entries = recorded.transcript.entries;
    expect(entries.filter((entry) => entry.type === 'exchange')).toHaveLength(5);
    expect(entries.at(-1)).toMatchObject({ type: 'reset', kind: 'cold' });
    const verify = entries.find((entry) => entry.type === 'exchange' && entry.redactedLength !== undefined);
    expect(verify).toMatchObject({ command: '0020009804', redactedLength: 4 });
    expect(JSON.stringify(recorded.transcript)).not.toContain('31323334'); // "1234" never stored
  });

  it('replays the check end to end and reports per-check figures', async () => {
    for (const name of ['extended', 'short-link'] as const) {
      const recorded = await recordCheck(linkMode(name), { keyStore });
      const figures = await measureReplayCpu(recorded, { runs: 5, warmup: 1 });
      expect(figures.runs).toBe(5);
      expect(figures.apduCount).toBe(recorded.apduCount);
      for (const value of [figures.cpuMsPerCheck, figures.wallMsPerCheck, figures.replayOnlyCpuMsPerCheck]) {
        expect(Number.isFinite(value) && value > 0).toBe(true);
      }
      expect(figures.sdkCpuMsPerCheck).toBeGreaterThanOrEqual(0);
    }
  });

  it('a replayed check with another challenge fails: the replay really checks what is sent', async () => {
    const recorded = await recordCheck(linkMode('extended'), { keyStore });
    const card = MyNumberCard.open(
      new ReplayTransport(recorded.transcript, { capabilities: recorded.capabilities }),
    );
    const other = fixedChallenge().map((byte) => byte ^ 0xff);
    await expect(card.check({ pin: SIMULATOR_AUTH_PIN, challenge: other })).rejects.toMatchObject({
      code: 'TRANSCRIPT_MISMATCH',
    });
  });

  it('refuses a run count that is not a positive integer', async () => {
    const recorded = await recordCheck(linkMode('extended'), { keyStore });
    await expect(measureReplayCpu(recorded, { runs: 0 })).rejects.toThrow(RangeError);
  });
});
