/**
 * Presents the desk's card to a real pcscd through vsmartcard's vpcd driver (the simulator's
 * `VpcdConnector`: connecting is inserting, closing is removing, transports.md §3.3), and reads it
 * back through a PC/SC `TransportProvider` (`@kakunin/transport-pcsc`). The reader is vpcd's slot
 * ("Virtual PCD 00 00" for slot 0 with Debian's configuration).
 *
 * If pcscd restarts, the connector re-inserts the card by itself (`reconnectIntervalMs`).
 *
 * @example
 * ```ts
 * const presenter = createVpcdCardPresenter({ provider: new PcscProvider(), slot: 0 });
 * const desk = createSimulatorDesk({ presenter });
 * desk.insert('plastic');
 * await presenter.settled(); // the card is present in pcscd
 * ```
 */
import type { TransportProvider } from '@kakunin/core/transport';
import {
  type VirtualCardEndpoint,
  VpcdConnector,
  type VpcdConnectorEvent,
  vpcdReaderName,
} from '@kakunin/simulator';
import type { CardPresenter } from './card-presenter.js';

export interface VpcdCardPresenterOptions {
  /** A PC/SC provider (reads the card back through pcscd). Closed by close(). */
  readonly provider: TransportProvider;
  /** vpcd slot (default 0 → TCP 35963). */
  readonly slot?: number;
  /** vpcd host (default 127.0.0.1: vpcd has no authentication, keep it local). */
  readonly host?: string;
  /** How long an insertion waits for pcscd to power the card, ms (default 5000). */
  readonly presenceTimeoutMs?: number;
  /** Re-insert this many ms after pcscd dropped the card (default 1000). */
  readonly reconnectIntervalMs?: number;
  /** Connector events (no payloads). */
  readonly onEvent?: (event: VpcdConnectorEvent) => void;
}

/**
 * Creates the vpcd presenter.
 *
 * @example
 * ```ts
 * const presenter = createVpcdCardPresenter({ provider: pcsc });
 * presenter.readerId; // 'Virtual PCD 00 00'
 * ```
 */
export function createVpcdCardPresenter(options: VpcdCardPresenterOptions): CardPresenter {
  if (options === null || typeof options !== 'object')
    throw new TypeError('createVpcdCardPresenter: options must be an object');
  const provider = options.provider;
  if (provider === undefined || typeof provider.connect !== 'function')
    throw new TypeError('createVpcdCardPresenter: options.provider must be a TransportProvider');
  const slot = options.slot ?? 0;
  if (!Number.isInteger(slot) || slot < 0 || slot > 1)
    throw new RangeError('createVpcdCardPresenter: options.slot must be 0 or 1');
  const readerId = vpcdReaderName(slot);
  let connector: VpcdConnector | undefined;
  let connectorCard: VirtualCardEndpoint | undefined;
  let chain: Promise<void> = Promise.resolve();
  let failure: Error | undefined;
  let closed = false;

  const apply = async (card: VirtualCardEndpoint | undefined): Promise<void> => {
    if (connector !== undefined && connectorCard !== card) {
      const old = connector;
      connector = undefined;
      connectorCard = undefined;
      await old.close();
    }
    if (card === undefined || connector !== undefined || closed) return;
    const next = new VpcdConnector({
      card,
      slot,
      ...(options.host === undefined ? {} : { host: options.host }),
      presenceTimeoutMs: options.presenceTimeoutMs ?? 5000,
      reconnectIntervalMs: options.reconnectIntervalMs ?? 1000,
      ...(options.onEvent === undefined ? {} : { onEvent: options.onEvent }),
    });
    connector = next;
    connectorCard = card;
    try {
      await next.insert();
    } catch (error) {
      connector = undefined;
      connectorCard = undefined;
      await next.close().catch(() => undefined);
      throw error;
    }
  };

  return {
    presentation: 'vpcd',
    readerId,
    provider,
    show(card) {
      if (closed) return;
      chain = chain.then(
        () =>
          apply(card).then(
            () => {
              failure = undefined;
            },
            (error: unknown) => {
              failure = error instanceof Error ? error : new Error(String(error));
            },
          ),
        () => undefined,
      );
    },
    async settled() {
      await chain;
      if (failure !== undefined) throw failure;
    },
    async close() {
      if (closed) return;
      closed = true;
      await chain;
      const open = connector;
      connector = undefined;
      connectorCard = undefined;
      try {
        await open?.close();
      } finally {
        await provider.close();
      }
    },
  };
}
