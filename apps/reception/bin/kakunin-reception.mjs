#!/usr/bin/env node
// The command runs the app in a child process under a supervisor that bounds its shutdown
// (src/startup/supervisor.ts); the child is this same script with KAKUNIN_RECEPTION_CHILD=1.
import { CHILD_ENV, superviseReception } from '../dist/supervisor.js';

if (process.env[CHILD_ENV] === '1') {
  // the channel to the supervisor alone keeps nothing running (--help, a bad option: exit at once)
  process.channel?.unref();
  const { main } = await import('../dist/main.js');
  const code = await main(process.argv.slice(2));
  if (code !== 0) process.exitCode = code;
} else {
  process.exitCode = await superviseReception(process.argv.slice(2), new URL(import.meta.url));
}
