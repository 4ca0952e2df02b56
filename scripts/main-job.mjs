#!/usr/bin/env node
// The main job of `bash scripts/start.sh`: the reference reception app on the built-in virtual card.
// 1. A PIN-mode check with the `kakunin` CLI on the virtual card (proves the SDK end to end).
// 2. The reception app (server + web UI) on the virtual card, printing its URL; runs until Ctrl-C.
//    Its default card path is the simulator card through real pcscd + vpcd (pcscd is started when
//    it is not running and we are root); otherwise it prints a NOTICE and uses the in-process card.
//    Pass `--once` to stop after the app answered its first request (used by the tests).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const once = process.argv.includes('--once');
const passThrough = process.argv.slice(2).filter((argument) => argument !== '--once');

const kakunin = join(root, 'apps/cli/bin/kakunin.mjs');
process.stderr.write('[main] kakunin check on the virtual card (PIN 1234)\n');
const check = spawnSync(process.execPath, [kakunin, 'check', '--transport', 'sim', '--pin-stdin'], {
  cwd: root,
  input: '1234\n',
  encoding: 'utf8',
});
process.stdout.write(check.stdout);
process.stderr.write(check.stderr);
if (check.status !== 0) {
  process.stderr.write(`[main] kakunin check failed with exit code ${check.status}\n`);
  process.exit(check.status ?? 1);
}

const app = spawn(
  process.execPath,
  [join(root, 'apps/reception/bin/kakunin-reception.mjs'), ...passThrough],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);
let printed = '';
app.stdout.on('data', async (chunk) => {
  process.stdout.write(chunk);
  printed += chunk.toString('utf8');
  const match = /(http:\/\/[^\s]+)/.exec(printed);
  // --once: wait for the whole banner (URL, card path, certificates, qualification) before stopping.
  if (once && match !== null && printed.includes('qualification:')) {
    app.stdout.removeAllListeners('data');
    const response = await fetch(match[1]);
    process.stderr.write(`[main] ${match[1]} answered ${response.status}\n`);
    app.kill('SIGINT');
  }
});
const forward = (signal) => app.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
app.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 0 : 1)));
