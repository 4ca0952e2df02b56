/**
 * APDU round trip through the real stack: PcscTransport → pcsc-lite → pcscd → vpcd (TCP) →
 * the simulator card in a worker thread, and back. Run with `pnpm bench` (or
 * `pnpm exec vitest bench --run --project transport-pcsc`); the median is the figure to quote.
 */

import { SELECT_JPKI_AP } from '@kakunin/tools-conformance';
import { afterAll, beforeAll, bench, describe } from 'vitest';
import { type PcscdHandle, startPcscd } from '../../../tools/pcscd/src/index.js';
import { createPcscProvider, type PcscProvider, type PcscTransport } from './index.js';
import { type VirtualReader, virtualReader } from './test-support/virtual-reader.js';

/**
 * READ BINARY of EF 000A (auth certificate) by SFI (P1 = 80 | 0A), offset 0, Le = 00: a full
 * 256-byte short response (jpki-card.md §9).
 */
const READ_256_BY_SFI = Uint8Array.of(0x00, 0xb0, 0x8a, 0x00, 0x00);

let pcscd: PcscdHandle;
let reader: VirtualReader;
let provider: PcscProvider;
let transport: PcscTransport;

beforeAll(async () => {
  pcscd = await startPcscd();
  reader = await virtualReader();
  await reader.insert();
  provider = createPcscProvider();
  transport = await provider.connect(reader.readerName, { waitForCard: true, timeoutMs: 10_000 });
  await transport.transmit(SELECT_JPKI_AP);
  const probe = await transport.transmit(READ_256_BY_SFI);
  if (probe.length !== 258)
    throw new Error(`READ BINARY by SFI answered ${probe.length} bytes, expected 258`);
}, 360_000);

afterAll(async () => {
  await provider?.close();
  await reader?.close();
  await pcscd?.stop();
});

describe('PC/SC round trip through pcscd + vpcd', () => {
  bench(
    'SELECT JPKI AP (15-byte command, SW answer)',
    async () => {
      await transport.transmit(SELECT_JPKI_AP);
    },
    { iterations: 50, warmupIterations: 3 },
  );

  bench(
    'READ BINARY 256 bytes (258-byte answer)',
    async () => {
      await transport.transmit(READ_256_BY_SFI);
    },
    { iterations: 50, warmupIterations: 3 },
  );
});
