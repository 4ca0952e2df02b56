#!/usr/bin/env node
import { main } from '../dist/main.js';

// A closed stdout/stderr (`kakunin … | head`) ends the CLI quietly: the reader is gone, so the
// rest of the output is dropped instead of crashing with an EPIPE stack trace (issue 15 row 11).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    stream.destroy();
  });
}

process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
