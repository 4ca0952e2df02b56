/**
 * Test helper: runs the built `kakunin-reception` command (`pnpm --filter @kakunin/reception build`
 * first) and resolves once its banner printed the URL and the qualification line.
 *
 * @example
 * ```ts
 * const app = await startReceptionCommand(['--port', '0', '--db', ':memory:']);
 * app.child.kill('SIGTERM');
 * await app.exited;
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built command. */
export const RECEPTION_BIN = fileURLToPath(new URL('../../bin/kakunin-reception.mjs', import.meta.url));

export interface ReceptionCommand {
  readonly child: ChildProcess;
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** stdout and stderr so far. */
  output(): string;
}

export async function startReceptionCommand(
  args: readonly string[],
  timeoutMs = 30_000,
): Promise<ReceptionCommand> {
  const child = spawn(process.execPath, [RECEPTION_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL within ${timeoutMs} ms: ${stdout} ${stderr}`)),
      timeoutMs,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /kakunin reception: (http:\/\/\S+)/.exec(stdout);
      if (match !== null && stdout.includes('qualification:')) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`exited early: ${stdout} ${stderr}`));
    });
  });
  return { child, url, exited, output: () => `${stdout}\n${stderr}` };
}
