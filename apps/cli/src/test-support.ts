/** Runs the CLI in-process with captured streams (tests only). */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { createVirtualCard, defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import type { CliIo } from './context.js';
import { main } from './main.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stdoutBytes: Uint8Array;
  readonly stderr: string;
}

/** Streams for {@link main} that keep what the command writes; stdin holds `stdin` and ends. */
export interface CapturedIo extends CliIo {
  out(): string;
  outBytes(): Uint8Array;
  err(): string;
}

export function captureIo(stdin = '', env: Readonly<Record<string, string | undefined>> = {}): CapturedIo {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(Buffer.from(chunk)));
  stderr.on('data', (chunk: Buffer) => err.push(Buffer.from(chunk)));
  return {
    stdin: Readable.from([Buffer.from(stdin)]),
    stdout,
    stderr,
    env,
    out: () => Buffer.concat(out).toString('utf8'),
    outBytes: () => new Uint8Array(Buffer.concat(out)),
    err: () => Buffer.concat(err).toString('utf8'),
  };
}

export async function runCli(
  argv: readonly string[],
  stdin = '',
  env: Record<string, string | undefined> = {},
): Promise<CliRun> {
  const io = captureIo(stdin, { ...process.env, ...env });
  const code = await main(argv, io);
  return { code, stdout: io.out(), stdoutBytes: io.outBytes(), stderr: io.err() };
}

/**
 * `kakunin sign --key auth` over a new file holding `text` (PIN 1234 on stdin), with `argv` added
 * (e.g. the transport). Returns the run and where the message and signature are.
 */
export async function signMessage(
  text: string,
  argv: readonly string[],
): Promise<{ run: CliRun; directory: string; input: string; signature: string }> {
  const directory = mkdtempSync(join(tmpdir(), 'kakunin-cli-'));
  const input = join(directory, 'message.txt');
  writeFileSync(input, text);
  const signature = join(directory, 'message.sig');
  const run = await runCli(
    ['sign', '--key', 'auth', '--in', input, '--out', signature, '--pin-stdin', ...argv],
    '1234\n',
  );
  return { run, directory, input, signature };
}

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });

/** A virtual My Number card of `profile` with the shared test key cache (keys made once per machine). */
export function testCard(profile: Parameters<typeof createVirtualCard>[0]) {
  return createVirtualCard(profile, { keyStore });
}
