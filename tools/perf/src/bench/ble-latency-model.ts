// BLE latency model for a PIN-mode check: APDU count × link round trip per connection interval,
// with each figure's source, plus the measured software cost per APDU of the simulated stack.
// Prints a table on stderr and one JSON line on stdout (tools/bench/run.mjs reads the last line).
// Run after the build: node tools/perf/dist/ble-latency-model.js

import { performance } from 'node:perf_hooks';
import { hexToBytes } from '@kakunin/core/transport';
import { createSimulatedBleEnvironment, ScriptedCard } from '@kakunin/transport-ble/testing';
import { estimatePinCheckLatency, LINK_PROFILES } from '../ble-latency-model.js';

const SELECT = hexToBytes('00A4040C0AD392F000260100000001');

const world = createSimulatedBleEnvironment({ readers: [{ serial: 'MODEL1', card: new ScriptedCard() }] });
const transport = await world.provider.connect('ACR1255U-J1-MODEL1');
for (let i = 0; i < 200; i += 1) await transport.transmit(SELECT);
const rounds = 2000;
const started = performance.now();
for (let i = 0; i < rounds; i += 1) await transport.transmit(SELECT);
const softwareMsPerApdu = (performance.now() - started) / rounds;
await world.close();

const profiles = LINK_PROFILES.map((profile) => {
  const conventional = estimatePinCheckLatency(profile);
  const shortcuts = estimatePinCheckLatency(profile, { shortcuts: true });
  return {
    profile: profile.name,
    connectionIntervalMs: profile.connectionIntervalMs,
    notificationsPerEvent: profile.notificationsPerEvent,
    source: profile.source,
    apdus: conventional.apdus.length,
    linkMs: conventional.linkMs,
    perExtraApduMs: conventional.perExtraApduMs,
    shortcutApdus: shortcuts.apdus.length,
    shortcutLinkMs: shortcuts.linkMs,
    perApdu: conventional.apdus.map((apdu) => ({
      name: apdu.name,
      writes: apdu.writes,
      notifications: apdu.notifications,
      linkMs: apdu.linkMs,
    })),
  };
});

process.stderr.write('\nBLE latency model — PIN-mode check (card processing time excluded)\n');
for (const row of profiles) {
  process.stderr.write(
    `${row.profile.padEnd(40)} ${String(row.apdus).padStart(3)} APDUs ${String(Math.round(row.linkMs)).padStart(6)} ms` +
      `   (SFI shortcuts: ${row.shortcutApdus} APDUs ${Math.round(row.shortcutLinkMs)} ms; each extra APDU ${row.perExtraApduMs} ms)\n`,
  );
}
process.stderr.write(
  `measured software cost per APDU (simulated stack, no radio): ${softwareMsPerApdu.toFixed(3)} ms\n`,
);
process.stdout.write(`${JSON.stringify({ softwareMsPerApdu, profiles })}\n`);
