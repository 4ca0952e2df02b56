/**
 * Test and load-run helper: one desk as its own `kakunin-reception` process (the built command,
 * `--transport sim`: the virtual card in process), on a given store, with the store's audit key
 * copied into the desk's private state directory. Resolves with the URL it prints.
 *
 * @example
 * ```ts
 * const desk = await startDeskProcess({ db, desk: 'desk-1', stateDirectory, auditKeyPath, demoPassword: 'p' });
 * desk.child.kill('SIGKILL');
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built command, found upward from this file (src/testing/ in tests, dist/ in the load run). */
export function receptionBin(): string {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(directory, 'bin', 'kakunin-reception.mjs');
    if (existsSync(candidate)) return candidate;
    const parent = dirname(directory);
    if (parent === directory)
      throw new Error('bin/kakunin-reception.mjs not found next to @kakunin/reception');
    directory = parent;
  }
}

export interface DeskProcess {
  readonly child: ChildProcess;
  readonly url: string;
}

export async function startDeskProcess(options: {
  readonly db: string;
  readonly desk: string;
  readonly stateDirectory: string;
  /** Copied to `<stateDirectory>/audit.key` first (all desks of a store share one key). */
  readonly auditKeyPath?: string;
  readonly demoPassword: string;
  readonly bin?: string;
  readonly timeoutMs?: number;
}): Promise<DeskProcess> {
  mkdirSync(options.stateDirectory, { recursive: true, mode: 0o700 });
  if (options.auditKeyPath !== undefined && existsSync(options.auditKeyPath)) {
    copyFileSync(options.auditKeyPath, join(options.stateDirectory, 'audit.key'));
  }
  const child = spawn(
    process.execPath,
    [
      options.bin ?? receptionBin(),
      '--db',
      options.db,
      '--desk',
      options.desk,
      '--state-dir',
      options.stateDirectory,
      '--transport',
      'sim',
      '--port',
      '0',
      '--demo-password',
      options.demoPassword,
    ],
    // the app itself, without the command's supervisor: a SIGKILL here is a crash of the desk
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KAKUNIN_RECEPTION_CHILD: '1' } },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${options.desk} did not start:\n${output}`)),
      options.timeoutMs ?? 120_000,
    );
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const match = /kakunin reception: (http:\/\/\S+)/.exec(output);
      if (match !== null) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${options.desk} exited (${code}):\n${output}`));
    });
  });
  return { child, url };
}
