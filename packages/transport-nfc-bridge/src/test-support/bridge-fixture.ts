/**
 * Test set-up shared by the bridge's end-to-end tests: clean-ups that run after each test (newest
 * first, failures ignored), a loopback {@link NfcBridgeProvider} that records its events, and a
 * reference relay, raw phone or TCP proxy that goes away with the test.
 *
 * @example
 * ```ts
 * const bridge = useBridgeFixture(); // at the top of a test file
 * const { provider, events } = await bridge.listen();
 * const phone = await bridge.rawPhone(provider.createPairing().url);
 * ```
 */
import { hexToBytes, type TransportProvider } from '@kakunin/core/transport';
import { afterEach } from 'vitest';
import { type BridgeServerEvent, NfcBridgeProvider } from '../pc/bridge-provider.js';
import { BridgeRelay } from '../relay/bridge-relay.js';
import { RawPhone } from './raw-phone.js';
import { TcpProxy } from './tcp-proxy.js';

/** SELECT the JPKI AP by DF name (jpki-card.md §9). */
export const SELECT_JPKI = hexToBytes('00A4040C0AD392F000260100000001');

/** The pairing URL of `url` redirected to `port` on the same host (a {@link TcpProxy} in between). */
export const viaProxy = (url: string, port: number): string => url.replace(/:(\d+)\/v1#/, `:${port}/v1#`);

/** Registers the file's `afterEach` clean-up and returns the helpers that feed it. */
export function useBridgeFixture() {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  });
  const defer = (cleanup: () => Promise<unknown>): void => {
    cleanups.push(cleanup);
  };
  return {
    /** Runs `cleanup` after the current test. */
    defer,
    /** A bridge listening on loopback; `events` collects what it reports. */
    async listen(options: Parameters<typeof NfcBridgeProvider.listen>[0] = {}) {
      const events: BridgeServerEvent[] = [];
      const provider = await NfcBridgeProvider.listen({
        host: '127.0.0.1',
        onEvent: (event) => events.push(event),
        ...options,
      });
      defer(() => provider.close());
      return { provider, events };
    },
    /** The reference relay paired through `url`, relaying to `provider` (the "phone's NFC"). */
    async relay(
      url: string,
      provider: TransportProvider,
      extra: Partial<Parameters<typeof BridgeRelay.connect>[1]> = {},
    ): Promise<BridgeRelay> {
      const phone = await BridgeRelay.connect(url, { provider, ...extra });
      defer(() => phone.close());
      return phone;
    },
    /** A raw, scriptable phone paired through `url`. */
    async rawPhone(url: string, options: Parameters<typeof RawPhone.pair>[1] = {}): Promise<RawPhone> {
      const phone = await RawPhone.pair(url, options);
      defer(async () => phone.socket.terminate());
      return phone;
    },
    /** A TCP proxy in front of `port` that the test can cut. */
    async proxy(port: number): Promise<TcpProxy> {
      const proxy = await TcpProxy.start(port);
      defer(() => proxy.close());
      return proxy;
    },
  };
}
