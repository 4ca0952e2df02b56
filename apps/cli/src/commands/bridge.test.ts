/**
 * `kakunin bridge pair` + `kakunin bridge relay --transport sim` + a third command with
 * `--transport bridge`, all in this process over real sockets: the pair command serves the phone
 * on its control socket, the relay plays the phone with the simulator card.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../test-support.js';
import bridge from './bridge.js';

const io = (input = '') => captureIo(input, process.env);

async function until<T>(probe: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const started = Date.now();
  while (Date.now() - started < ms) {
    const value = probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('kakunin bridge', () => {
  let directory: string;
  const stop = new AbortController();
  let pairRun: Promise<number>;
  let relayRun: Promise<number>;
  let pairIo: ReturnType<typeof io>;
  let relayIo: ReturnType<typeof io>;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'kakunin-cli-bridge-'));
    process.env.KAKUNIN_BRIDGE_DIR = join(directory, 'control');
    pairIo = io();
    pairRun = bridge.run({
      io: pairIo,
      values: { host: '127.0.0.1', port: '0', json: true },
      positionals: ['pair'],
      signal: stop.signal,
    });
    const url = await until(
      () => /"url":"(kakunin-bridge:[^"]+)"/.exec(pairIo.out())?.[1],
      'the pairing URL',
    );
    relayIo = io();
    relayRun = bridge.run({
      io: relayIo,
      values: { transport: 'sim' },
      positionals: ['relay', url],
      signal: stop.signal,
    });
    await until(() => (/paired as phone-1/.test(relayIo.out()) ? true : undefined), 'the relay to pair');
    await until(() => (/card present/.test(relayIo.err()) ? true : undefined), 'the card');
  });

  afterAll(async () => {
    stop.abort();
    await Promise.allSettled([pairRun, relayRun]);
    delete process.env.KAKUNIN_BRIDGE_DIR;
    await rm(directory, { recursive: true, force: true });
  });

  it('pair prints the pairing URL and the matching confirmation code', () => {
    const code = /code (\d{6})/.exec(relayIo.out())?.[1];
    expect(pairIo.out()).toContain(`"sas":"${code}"`);
  });

  it('another command sees the phone with --transport bridge', async () => {
    const readers = io();
    expect(await main(['readers', '--transport', 'bridge', '--json'], readers)).toBe(0);
    const listed = JSON.parse(readers.out()) as {
      transport: string;
      readers: Array<Record<string, unknown>>;
    };
    expect(listed.transport).toBe('bridge');
    expect(listed.readers).toEqual([expect.objectContaining({ id: 'phone-1', cardPresent: true })]);
  });

  it('runs the PIN-mode check through the phone', async () => {
    const check = io('1234\n');
    const code = await main(['check', '--transport', 'bridge', '--pin-stdin', '--json'], check);
    expect(check.err()).not.toContain('1234');
    expect(code).toBe(0);
    expect(check.out()).toMatch(/signature/);
  });

  it('relay refuses --transport bridge and pair refuses a bad port', async () => {
    await expect(
      bridge.run({
        io: io(),
        values: { transport: 'bridge' },
        positionals: ['relay', 'x'],
        signal: stop.signal,
      }),
    ).rejects.toThrow(/--transport sim\|pcsc/);
    await expect(
      bridge.run({ io: io(), values: { port: '70000' }, positionals: ['pair'], signal: stop.signal }),
    ).rejects.toThrow(/--port/);
  });

  it('without a running pair, --transport bridge reports the bridge.pairing remedy', async () => {
    const saved = process.env.KAKUNIN_BRIDGE_DIR;
    process.env.KAKUNIN_BRIDGE_DIR = join(directory, 'nothing-here');
    const readers = io();
    try {
      expect(await main(['readers', '--transport', 'bridge'], readers)).toBe(3);
    } finally {
      process.env.KAKUNIN_BRIDGE_DIR = saved;
    }
    expect(readers.err()).toContain('bridge.pairing');
  });
});
