/**
 * Fault injection at every APDU of the PIN-mode check and the certificate read over Bluetooth:
 * the simulated ACR1255U-J1 reached through real noble code (injected bindings), with the
 * generic faults and the reader's own.
 */
import { describe, expect, it } from 'vitest';
import { bleRig } from './ble-rig.js';
import { logMatrix, runFaultMatrix } from './fault-runner.js';
import { describeProblems } from './problems.js';

describe('fault injection over BLE', () => {
  it('every fault at every APDU index', async () => {
    await using rig = await bleRig();
    const results = await runFaultMatrix(rig, { flows: ['check', 'read-certificate'] });
    logMatrix(rig.name, results);
    expect(describeProblems(results)).toEqual([]);
    expect(results.filter((result) => result.fault.startsWith('ble-')).length).toBeGreaterThan(30);
  }, 240_000);
});
