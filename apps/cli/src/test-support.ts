/** Runs the CLI in-process with captured streams (tests only). */
import { PassThrough, Readable } from 'node:stream';
import { main } from './main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stdoutBytes: Uint8Array;
  readonly stderr: string;
}

export async function runCli(
  argv: readonly string[],
  stdin = '',
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const code = await main(argv, {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout,
    stderr,
    env: { ...process.env, ...env },
  });
  const stdoutBuffer = Buffer.concat(out);
  return {
    code,
    stdout: stdoutBuffer.toString('utf8'),
    stdoutBytes: new Uint8Array(stdoutBuffer),
    stderr: Buffer.concat(err).toString('utf8'),
  };
}
