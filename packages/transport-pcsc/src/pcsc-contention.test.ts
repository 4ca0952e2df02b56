/**
 * Two processes contending for one card through the real pcscd: an exclusive holder keeps the
 * other out with SHARING_VIOLATION (remedy card.busy-elsewhere) until it lets go; shared
 * connections coexist. The other process runs the built package (dist/), as another application.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { SELECT_JPKI_AP } from '@kakunin/tools-conformance';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { usePcscd } from '../../../tools/pcscd/src/index.js';
import { createPcscProvider, type PcscProvider } from './index.js';
import { type VirtualReader, virtualReader } from './test-support/virtual-reader.js';

const HOLDER = fileURLToPath(new URL('./test-support/hold-card.mjs', import.meta.url));
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url));

usePcscd();
let reader: VirtualReader;
let provider: PcscProvider;
const children: ChildProcess[] = [];

/** Another process holding the card; `next()` reads its next JSON line. */
function otherProcess(share: 'shared' | 'exclusive') {
  const child = spawn(process.execPath, [HOLDER, reader.readerName, share], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    async next(): Promise<Record<string, unknown>> {
      const { value, done } = await lines.next();
      if (done === true) throw new Error('the other process ended');
      return JSON.parse(value as string) as Record<string, unknown>;
    },
    send(line: string): void {
      child.stdin!.write(`${line}\n`);
    },
  };
}

beforeAll(async () => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: run \`pnpm -s turbo run build\` first`);
  reader = await virtualReader();
  await reader.insert();
  provider = createPcscProvider();
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
});

afterAll(async () => {
  await provider?.close();
  await reader?.close();
});

describe('two processes, one card', () => {
  it('an exclusive holder keeps this process out until it releases the card', async () => {
    const other = otherProcess('exclusive');
    expect(await other.next()).toEqual({ ready: true, exclusive: true });
    for (const share of ['shared', 'exclusive'] as const) {
      await expect(provider.connect(reader.readerName, { share })).rejects.toMatchObject({
        code: 'SHARING_VIOLATION',
        remedy: 'card.busy-elsewhere',
        details: { scard: 'SCARD_E_SHARING_VIOLATION' },
      });
    }
    other.send('transmit');
    expect(await other.next()).toEqual({ sw: '9000' });
    other.send('release');
    expect(await other.next()).toEqual({ released: true });
    const transport = await provider.connect(reader.readerName, { share: 'exclusive' });
    expect((await transport.transmit(SELECT_JPKI_AP)).slice(-2)).toEqual(Uint8Array.of(0x90, 0x00));
    await transport.close();
  });

  it('this process holding the card exclusively keeps the other one out', async () => {
    const transport = await provider.connect(reader.readerName, { share: 'exclusive' });
    const other = otherProcess('shared');
    expect(await other.next()).toEqual({
      error: { code: 'SHARING_VIOLATION', remedy: 'card.busy-elsewhere' },
    });
    await transport.close();
  });

  it('shared connections in both processes coexist', async () => {
    const transport = await provider.connect(reader.readerName, { share: 'shared' });
    const other = otherProcess('shared');
    expect(await other.next()).toEqual({ ready: true, exclusive: false });
    other.send('transmit');
    expect(await other.next()).toEqual({ sw: '9000' });
    expect((await transport.transmit(SELECT_JPKI_AP)).slice(-2)).toEqual(Uint8Array.of(0x90, 0x00));
    other.send('release');
    expect(await other.next()).toEqual({ released: true });
    await transport.close();
  });
});
