/**
 * Creates the TransportProvider named by `--transport` (default `pcsc`). Each transport package is
 * loaded on demand so the CLI starts fast and a missing native binding only matters when used.
 */
import { CardError, type TransportProvider } from '@kakunin/core/transport';
import { type OptionValue, UsageError } from './context.js';

export type TransportKind = 'pcsc' | 'sim' | 'ble' | 'bridge';
export const TRANSPORT_KINDS: readonly TransportKind[] = ['pcsc', 'sim', 'ble', 'bridge'];

export async function createProvider(
  values: Readonly<Record<string, OptionValue>>,
): Promise<TransportProvider> {
  const kind = (values.transport ?? 'pcsc') as string;
  switch (kind) {
    default:
      if (!(TRANSPORT_KINDS as readonly string[]).includes(kind))
        throw new UsageError(`unknown --transport ${kind}; use ${TRANSPORT_KINDS.join('|')}`);
      throw new CardError('NOT_SUPPORTED', `transport ${kind} is not available in this build`);
  }
}

/** Opens the provider, runs `body`, always closes it. */
export async function withProvider<T>(
  values: Readonly<Record<string, OptionValue>>,
  signal: AbortSignal,
  body: (provider: TransportProvider) => Promise<T>,
): Promise<T> {
  const provider = await createProvider(values);
  try {
    signal.throwIfAborted();
    return await body(provider);
  } finally {
    await provider.close();
  }
}
