/**
 * The shared Transport conformance suite (tools/conformance) against PcscTransport, through the
 * real pcscd + vpcd + the simulator's plastic card.
 */

import { runTransportConformance } from '@kakunin/tools-conformance';
import { afterAll, beforeAll } from 'vitest';
import { usePcscd } from '../../../tools/pcscd/src/index.js';
import { createPcscProvider, type PcscProvider } from './index.js';
import { type VirtualReader, virtualReader } from './test-support/virtual-reader.js';

usePcscd();
let reader: VirtualReader;
let provider: PcscProvider;

beforeAll(async () => {
  reader = await virtualReader();
  await reader.insert();
  provider = createPcscProvider();
});

afterAll(async () => {
  await provider?.close();
  await reader?.close();
});

runTransportConformance('transport-pcsc over pcscd + vpcd', {
  createTransport: () => provider.connect(reader.readerName, { waitForCard: true, timeoutMs: 10_000 }),
  removeCard: () => reader.remove(),
  restoreCard: () => reader.insert(),
  stallNextCommand: () => reader.stallNext(),
  removalTimeoutMs: 5000,
});
