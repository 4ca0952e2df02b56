/**
 * The real PC/SC stack for reliability runs: a fresh pcscd with the vsmartcard vpcd driver (the
 * tools/pcscd harness, which takes the machine-wide pcscd lock), a virtual card presented to it
 * through the simulator's `VpcdConnector`, and kakunin's PC/SC provider. Fails loudly when pcscd
 * cannot start — it never skips.
 *
 * @example
 * ```ts
 * await using stack = await startPcscStack(card);
 * const transport = await stack.connect();
 * ```
 */
import type { Transport } from '@kakunin/core/transport';
import { type VirtualCardEndpoint, VpcdConnector } from '@kakunin/simulator';
import { createPcscProvider, type PcscProvider } from '@kakunin/transport-pcsc';
import { type PcscdHandle, startPcscd } from '../../../pcscd/src/pcscd-harness.js';

export interface PcscStack extends AsyncDisposable {
  readonly pcscd: PcscdHandle;
  readonly connector: VpcdConnector;
  readonly provider: PcscProvider;
  readonly readerName: string;
  /** A fresh PC/SC connection to the card (exclusive, waits for the card up to 10 s). */
  connect(): Promise<Transport>;
  close(): Promise<void>;
}

export async function startPcscStack(card: VirtualCardEndpoint): Promise<PcscStack> {
  const pcscd = await startPcscd();
  const connector = new VpcdConnector({ card, slot: 0, reconnectIntervalMs: 300 });
  let provider: PcscProvider | undefined;
  try {
    await connector.insert();
    provider = createPcscProvider();
  } catch (error) {
    await connector.close().catch(() => undefined);
    await pcscd.stop();
    throw error;
  }
  const close = async (): Promise<void> => {
    await provider?.close().catch(() => undefined);
    await connector.close().catch(() => undefined);
    await pcscd.stop();
  };
  return {
    pcscd,
    connector,
    provider,
    readerName: connector.readerName,
    connect: () =>
      provider!.connect(connector.readerName, { share: 'exclusive', waitForCard: true, timeoutMs: 10_000 }),
    close,
    [Symbol.asyncDispose]: close,
  };
}
