/**
 * Row 2, CLI path: two `kakunin check` processes on the same card at once (the same wrong PIN,
 * as a double-started script would) through the real pcscd + vpcd. The CLI connects exclusively,
 * so the second process is refused (SHARING_VIOLATION) or waits for the first to finish — it can
 * never interleave its counter read and VERIFY with the first one's. At most one try per process
 * that actually ran, never two from one racing pair of reads. Runs the built CLI.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { usePcscd } from '@kakunin/tools-pcscd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const CLI = fileURLToPath(new URL('../../../apps/cli/bin/kakunin.mjs', import.meta.url));
const CLI_DIST = fileURLToPath(new URL('../../../apps/cli/dist/main.js', import.meta.url));
const READER = 'Virtual PCD 00 00';

usePcscd();
let sim: ChildProcess | undefined;

function kakunin(
  args: readonly string[],
  stdin?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI, ...args],
      { encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        }),
    );
    child.stdin?.end(stdin ?? '');
  });
}

beforeAll(async () => {
  if (!existsSync(CLI_DIST)) throw new Error(`${CLI_DIST} is missing: run \`pnpm -s turbo run build\` first`);
  sim = spawn(process.execPath, [CLI, 'sim', '--profile', 'plastic', '--slot', '0', '--json'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    sim!.stdout!.once('data', () => resolve());
    sim!.once('exit', (code) => reject(new Error(`kakunin sim exited ${code}`)));
  });
}, 60_000);
afterAll(async () => {
  if (sim !== undefined && sim.exitCode === null) {
    sim.kill('SIGTERM');
    await new Promise((resolve) => sim!.once('exit', resolve));
  }
});

const authTries = async (): Promise<number> => {
  const status = await kakunin(['pin', 'status', '--transport', 'pcsc', '--reader', READER, '--json']);
  expect(status.code, status.stderr).toBe(0);
  return (JSON.parse(status.stdout) as { auth: { triesLeft: number } }).auth.triesLeft;
};

describe('row 2 (CLI): one process per card', () => {
  it('two `kakunin check` processes with the same wrong PIN at once: never both read-then-VERIFY together', async () => {
    const before = await authTries();
    expect(before).toBe(3);
    const args = ['check', '--transport', 'pcsc', '--reader', READER, '--pin-stdin', '--json'];
    const [first, second] = await Promise.all([kakunin(args, '9999\n'), kakunin(args, '9999\n')]);
    const outputs = [first, second].map((run) => `${run.stdout}${run.stderr}`);
    const spent = outputs.filter((text) => /PIN_INCORRECT/.test(text)).length;
    const refused = outputs.filter((text) => /SHARING_VIOLATION|BUSY/.test(text)).length;
    expect(spent + refused, outputs.join('\n---\n')).toBe(2);
    expect(await authTries()).toBe(before - spent);
    // Each process spends at most its one try; with exclusive access neither saw the other's counter.
    expect(spent).toBeLessThanOrEqual(2);
  });
});
