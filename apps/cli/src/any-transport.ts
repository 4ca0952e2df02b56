/**
 * `--transport any`: readers of every transport this install can reach — wired readers (PC/SC),
 * Bluetooth readers and the paired phone — in one CombinedTransportProvider (@kakunin/core/transport),
 * like the official app's reader setting. A transport that cannot start (optional package missing,
 * no phone paired) or fails while listing (pcscd down, Bluetooth off) is a warning on stderr; the
 * others carry on. Reader ids carry the transport (`pcsc:…`, `ble:…`, `bridge:…`).
 */
import { CardError, CombinedTransportProvider, type TransportProvider } from '@kakunin/core/transport';
import type { OptionValue } from './context.js';

/** The transports `any` combines, in display order (the simulator is never a real reader). */
export const ANY_TRANSPORT_KINDS = ['pcsc', 'ble', 'bridge'] as const;

type Values = Readonly<Record<string, OptionValue>>;

/** Builds the combined provider from the single-transport factory; never fails for one transport. */
export async function createAnyProvider(
  values: Values,
  createOne: (values: Values) => Promise<TransportProvider>,
  warn: (message: string) => void,
): Promise<CombinedTransportProvider> {
  const started = await Promise.all(
    ANY_TRANSPORT_KINDS.map(async (kind) => {
      try {
        return await createOne({ ...values, transport: kind, reader: undefined });
      } catch (error) {
        const code = CardError.isInstance(error) ? `${error.code}: ` : '';
        warn(`${kind}: ${code}${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      }
    }),
  );
  const providers = started.filter((provider): provider is TransportProvider => provider !== undefined);
  return new CombinedTransportProvider({
    providers,
    onWarning: (warning) => warn(`${warning.provider}: ${warning.error.code}: ${warning.error.message}`),
  });
}
