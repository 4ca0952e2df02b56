/**
 * The real PC/SC stack for reliability runs: a fresh pcscd with the vsmartcard vpcd driver (the
 * tools/pcscd harness, which takes the machine-wide pcscd lock), the simulator's virtual card
 * presented to it from a worker thread (card-worker.mjs: pcsc-lite's synchronous calls would
 * deadlock against a card living on this thread), and kakunin's PC/SC provider. Fails loudly when
 * pcscd cannot start — it never skips.
 *
 * @example
 * ```ts
 * await using stack = await startPcscStack();
 * const transport = await stack.connect();
 * ```
 */
import type { Transport } from '@kakunin/core/transport';
import { createPcscProvider, type PcscProvider } from '@kakunin/transport-pcsc';
import { type PcscdHandle, startPcscd } from '../../../pcscd/src/pcscd-harness.js';
import { CardWorkerHost } from './card-worker-host.js';

export interface PcscStack extends AsyncDisposable {
  readonly pcscd: PcscdHandle;
  readonly card: CardWorkerHost;
  readonly provider: PcscProvider;
  readonly readerName: string;
  /** A fresh PC/SC connection to the card (exclusive, waits for the card up to 10 s). */
  connect(): Promise<Transport>;
  close(): Promise<void>;
}

export async function startPcscStack(options: { profile?: string } = {}): Promise<PcscStack> {
  const pcscd = await startPcscd();
  let card: CardWorkerHost | undefined;
  let provider: PcscProvider | undefined;
  try {
    card = await CardWorkerHost.start({
      slot: 0,
      ...(options.profile === undefined ? {} : { profile: options.profile }),
    });
    await card.insert();
    provider = createPcscProvider();
  } catch (error) {
    await card?.close().catch(() => undefined);
    await pcscd.stop();
    throw error;
  }
  const close = async (): Promise<void> => {
    await provider?.close().catch(() => undefined);
    await card?.close().catch(() => undefined);
    await pcscd.stop();
  };
  const host = card;
  const pcsc = provider;
  return {
    pcscd,
    card: host,
    provider: pcsc,
    readerName: host.readerName,
    connect: () =>
      pcsc.connect(host.readerName, { share: 'exclusive', waitForCard: true, timeoutMs: 10_000 }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
