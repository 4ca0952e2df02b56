import { existsSync } from 'node:fs';
import { expect, it } from 'vitest';
import { findRunningPcscd, listeningPorts, PCSCD_SOCKET, VPCD_PORTS } from './pcscd-harness.js';
import { usePcscd } from './use-pcscd.js';

const pcscd = usePcscd();

it('runs exactly one pcscd with the vpcd ports open, and stops and restarts it', async () => {
  const handle = pcscd();
  const first = handle.pid;
  expect(first).toBeTypeOf('number');
  expect(await findRunningPcscd()).toEqual([first]);
  expect(existsSync(PCSCD_SOCKET)).toBe(true);
  const open = await listeningPorts();
  expect(VPCD_PORTS.every((port) => open.has(port))).toBe(true);

  await handle.stopService();
  expect(handle.running).toBe(false);
  expect(await findRunningPcscd()).toEqual([]);
  const closed = await listeningPorts();
  expect(VPCD_PORTS.some((port) => closed.has(port))).toBe(false);

  await handle.restart();
  expect(handle.running).toBe(true);
  expect(handle.pid).not.toBe(first);
  expect(await findRunningPcscd()).toEqual([handle.pid]);
  expect(handle.logs()).not.toContain('APDU');
});
