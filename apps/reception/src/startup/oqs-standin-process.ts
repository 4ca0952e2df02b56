/**
 * Starts the stand-in 連携アプリ (`bin/kakunin-oqs-standin.mjs`, from the build) as a child process
 * on a folder, and waits until it watches `req/`. Used by the demo (`--qualification
 * file-standin:<dir>`); the process is stopped with {@link OqsStandInProcess.close}.
 *
 * @example
 * ```ts
 * const standIn = await startOqsStandInProcess({ directory: '/tmp/oqs', encoding: 'Shift_JIS' });
 * await standIn.close();
 * ```
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { XmlEncoding } from '../qualification/oqs-xml.js';

export interface OqsStandInProcess {
  readonly pid: number;
  close(): Promise<void>;
}

export async function startOqsStandInProcess(options: {
  readonly directory: string;
  readonly encoding?: XmlEncoding;
  readonly linksFile?: string;
  readonly readyTimeoutMs?: number;
  /** More command-line arguments (tests: `--fault F`). */
  readonly args?: readonly string[];
}): Promise<OqsStandInProcess> {
  // From src/startup/ (tests) and from dist/ (the built app) the package root is the same.
  const packageRoot = fileURLToPath(
    new URL(import.meta.url.includes('/src/') ? '../../' : '../', import.meta.url),
  );
  const bin = `${packageRoot}bin/kakunin-oqs-standin.mjs`;
  if (!existsSync(`${packageRoot}dist/oqs-standin.js`))
    throw new Error(
      'the stand-in 連携アプリ is not built (dist/oqs-standin.js missing): run the build first',
    );
  const child = spawn(
    process.execPath,
    [
      bin,
      '--dir',
      options.directory,
      '--encoding',
      options.encoding === 'UTF-8' ? 'utf-8' : 'shift_jis',
      ...(options.linksFile === undefined ? [] : ['--links', options.linksFile]),
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = `${stderr}${chunk.toString()}`.slice(-2000);
  });
  const timeoutMs = options.readyTimeoutMs ?? 15_000;
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`stand-in 連携アプリ not ready within ${timeoutMs} ms`)),
        timeoutMs,
      );
      child.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`stand-in 連携アプリ exited (${code}): ${stderr.trim()}`));
      });
    });
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  child.stdout!.resume();
  let closing: Promise<void> | undefined;
  return {
    pid: child.pid!,
    close() {
      closing ??= new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      });
      return closing;
    },
  };
}
