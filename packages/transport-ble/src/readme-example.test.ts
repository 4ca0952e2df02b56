/** The README's runnable example must keep running (it uses the built packages). */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const example = fileURLToPath(new URL('../examples/pin-check-over-ble.mjs', import.meta.url));

describe('README example', () => {
  it('runs the PIN-mode check through the simulated reader', () => {
    const run = spawnSync(process.execPath, [example], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);
    const [label, numbers] = run.stdout.trim().split('\n');
    expect(label).toMatch(/^sim:ACR1255U-J1-003152 v2 .* true$/);
    const [apdus, signature, certificate] = numbers!.split(' ').map(Number);
    expect(apdus).toBeGreaterThanOrEqual(5);
    expect(signature).toBe(256);
    expect(certificate).toBeGreaterThan(500);
  });
});
