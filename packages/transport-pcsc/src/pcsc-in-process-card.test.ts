/**
 * The simulator card served from the same thread as the PC/SC client (how most tests in this
 * repository use VpcdConnector): repeated connect / transmit / reset / close / list / watch cycles
 * must not deadlock against pcscd. Runs in a child process so that a deadlock fails the test
 * (the child is killed) instead of freezing the test runner.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { usePcscd } from '../../../tools/pcscd/src/index.js';

const SCRIPT = fileURLToPath(new URL('./test-support/in-process-cycles.mjs', import.meta.url));
usePcscd();

it('runs 12 in-process cycles without a deadlock', async () => {
  const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [SCRIPT, '12'],
      { encoding: 'utf8', timeout: 60_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        });
      },
    );
  });
  expect(result.code, `child failed or hung (killed after 60 s): ${result.stderr}`).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual({
    cycles: 12,
    transmits: 12,
    events: ['card-insert', 'card-remove', 'reader-add'],
  });
});
