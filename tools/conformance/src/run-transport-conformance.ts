/**
 * The shared Transport conformance suite (architecture.md §2: "Every transport package runs the
 * same conformance suite (tools/) against itself"). It registers vitest tests that hold any
 * `Transport` to the contract: raw response out, one command in flight (BUSY), AbortSignal
 * (ABORTED), idempotent close, `closed` settling once, CLOSED after close, CARD_REMOVED on a
 * pending transmit and on `closed`, COMMAND_TOO_LONG, TypeError on wrong input, `await using`.
 *
 * Import it by relative path from any package's test file; it needs nothing but vitest at run
 * time (errors are checked by their stable `code`, which survives two installed copies of core).
 *
 * @example
 * ```ts
 * import { runTransportConformance } from '@kakunin/tools-conformance';
 *
 * runTransportConformance('transport-pcsc over vpcd', {
 *   createTransport: () => provider.connect(readerId),
 *   removeCard: () => card.remove(),
 *   restoreCard: () => card.insert(),
 *   stallNextCommand: () => card.stallNext(),
 * });
 * ```
 */
import { type CloseInfo, hexToBytes, type Transport } from '@kakunin/core/transport';
import { afterEach, describe, expect, it } from 'vitest';

/** SELECT the JPKI AP by its full AID, P2 = 0C (jpki-card.md §2, §9): every simulator answers it. */
export const SELECT_JPKI_AP: Uint8Array = hexToBytes('00A4040C0AD392F000260100000001');

/** A short case-4 APDU carries at most 4 + 1 + 255 + 1 bytes (ISO/IEC 7816-4 §5.1). */
const SHORT_COMMAND_MAX = 261;
/** A short response carries at most 256 data bytes + SW1 SW2 (ISO/IEC 7816-4 §5.1). */
const SHORT_RESPONSE_MAX = 258;

export interface TransportConformanceOptions {
  /** Opens a fresh connection to a present, powered card. Called once per test. */
  createTransport(): Promise<Transport>;
  /**
   * Removes the card while the transport is connected (vpcd: close the card's socket; BLE: the
   * reader notifies absence; bridge: the phone reports tag lost). Must resolve once done.
   */
  removeCard(): Promise<void>;
  /** Puts a card back so that `createTransport()` works again. Called after every removal test. */
  restoreCard(): Promise<void>;
  /**
   * Makes the card hold back its answer to the next command (until it is removed), so that a
   * transmit stays pending. Used for "abort while pending" and "removed mid-transmit".
   */
  stallNextCommand(): Promise<void>;
  /** A command the card answers (default: SELECT JPKI AP). */
  command?: Uint8Array;
  /** How long a removal may take to surface, ms (pcscd polls every 400 ms). Default 5000. */
  removalTimeoutMs?: number;
  /** Per-test time limit, ms. Default 20 000. */
  testTimeoutMs?: number;
}

const CLOSE_REASONS: readonly CloseInfo['reason'][] = [
  'closed',
  'card-removed',
  'reader-removed',
  'link-lost',
  'error',
];

/** Resolves with the rejection reason of `promise`, or fails the test if it resolves. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    const value = await promise;
    throw new Error(`expected a rejection, got a value of ${describeValue(value)}`);
  } catch (error) {
    return error;
  }
}

function describeValue(value: unknown): string {
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  return typeof value;
}

/** Checks the stable CardError shape without needing the same copy of @kakunin/core. */
function expectCardError(error: unknown, code: string): void {
  expect(error, `expected CardError ${code}`).toBeInstanceOf(Error);
  expect((error as { name?: unknown }).name).toBe('CardError');
  expect((error as { code?: unknown }).code, (error as Error).message).toBe(code);
}

/** Rejects with a clear message if `promise` does not settle within `ms`. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms (hang)`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Registers the conformance tests in a `describe(name)` block.
 *
 * @example
 * ```ts
 * runTransportConformance('loopback', { createTransport, removeCard, restoreCard, stallNextCommand });
 * ```
 */
export function runTransportConformance(name: string, options: TransportConformanceOptions): void {
  const command = options.command ?? SELECT_JPKI_AP;
  const removalTimeoutMs = options.removalTimeoutMs ?? 5000;
  const testTimeoutMs = options.testTimeoutMs ?? 20_000;
  const open: Transport[] = [];
  let cardRemoved = false;

  const connect = async (): Promise<Transport> => {
    const transport = await options.createTransport();
    open.push(transport);
    return transport;
  };
  const removeCard = async (): Promise<void> => {
    cardRemoved = true;
    await options.removeCard();
  };

  describe(`transport conformance: ${name}`, () => {
    afterEach(async () => {
      const transports = open.splice(0);
      await within(
        Promise.all(transports.map((transport) => transport.close())),
        removalTimeoutMs + 5000,
        'close() in cleanup',
      );
      if (cardRemoved) {
        cardRemoved = false;
        await options.restoreCard();
      }
    });

    it('exposes a non-empty ATR and honest capabilities', { timeout: testTimeoutMs }, async () => {
      const transport = await connect();
      expect(transport.atr).toBeInstanceOf(Uint8Array);
      expect(transport.atr.length).toBeGreaterThanOrEqual(2);
      expect(transport.atr.length).toBeLessThanOrEqual(33);
      expect(typeof transport.kind).toBe('string');
      const { capabilities } = transport;
      expect(['contact', 'contactless', 'unknown']).toContain(capabilities.interface);
      expect(typeof capabilities.extendedLength).toBe('boolean');
      expect(capabilities.maxCommandLength).toBeGreaterThanOrEqual(SHORT_COMMAND_MAX);
      expect(capabilities.maxResponseLength).toBeGreaterThanOrEqual(SHORT_RESPONSE_MAX);
      if (!capabilities.extendedLength) {
        expect(capabilities.maxCommandLength).toBeLessThan(SHORT_COMMAND_MAX + 10);
      }
    });

    it('transmit returns the raw response (data ‖ SW1 SW2), repeatedly', {
      timeout: testTimeoutMs,
    }, async () => {
      const transport = await connect();
      for (let round = 0; round < 3; round += 1) {
        const response = await transport.transmit(command);
        expect(response).toBeInstanceOf(Uint8Array);
        expect(response.length).toBeGreaterThanOrEqual(2);
      }
    });

    it('a second concurrent transmit rejects with BUSY; the first completes', {
      timeout: testTimeoutMs,
    }, async () => {
      const transport = await connect();
      const first = transport.transmit(command);
      const second = transport.transmit(command);
      expectCardError(await rejection(second), 'BUSY');
      const response = await first;
      expect(response.length).toBeGreaterThanOrEqual(2);
      const again = await transport.transmit(command);
      expect(again.length).toBeGreaterThanOrEqual(2);
    });

    it('an already-aborted signal rejects with ABORTED and the transport stays usable', {
      timeout: testTimeoutMs,
    }, async () => {
      const transport = await connect();
      const controller = new AbortController();
      controller.abort(new Error('caller gave up'));
      expectCardError(await rejection(transport.transmit(command, { signal: controller.signal })), 'ABORTED');
      const response = await transport.transmit(command);
      expect(response.length).toBeGreaterThanOrEqual(2);
    });

    it('aborting a pending transmit rejects with ABORTED promptly', { timeout: testTimeoutMs }, async () => {
      const transport = await connect();
      await options.stallNextCommand();
      const controller = new AbortController();
      const pending = transport.transmit(command, { signal: controller.signal });
      await delay(100);
      const started = Date.now();
      controller.abort(new Error('caller gave up'));
      expectCardError(await within(rejection(pending), 2000, 'aborted transmit'), 'ABORTED');
      expect(Date.now() - started).toBeLessThan(1000);
      // The stalled card is then pulled: the transport must notice and settle `closed`.
      await removeCard();
      const info = await within(transport.closed, removalTimeoutMs, 'closed after removal');
      expect(CLOSE_REASONS).toContain(info.reason);
    });

    it('close() is idempotent and `closed` settles once with reason "closed"', {
      timeout: testTimeoutMs,
    }, async () => {
      const transport = await connect();
      await transport.transmit(command);
      const settled: CloseInfo[] = [];
      void transport.closed.then((info) => settled.push(info));
      await Promise.all([transport.close(), transport.close()]);
      await transport.close();
      const info = await within(transport.closed, 1000, 'closed');
      expect(info.reason).toBe('closed');
      await delay(10);
      expect(settled).toHaveLength(1);
    });

    it('transmit after close rejects with CLOSED', { timeout: testTimeoutMs }, async () => {
      const transport = await connect();
      await transport.close();
      expectCardError(await rejection(transport.transmit(command)), 'CLOSED');
    });

    it('card removal settles `closed` with card-removed and later transmits reject CARD_REMOVED', {
      timeout: testTimeoutMs,
    }, async () => {
      const transport = await connect();
      await transport.transmit(command);
      await removeCard();
      const info = await within(transport.closed, removalTimeoutMs, 'closed after removal');
      expect(info.reason).toBe('card-removed');
      expectCardError(info.error, 'CARD_REMOVED');
      expectCardError(await within(rejection(transport.transmit(command)), 2000, 'transmit'), 'CARD_REMOVED');
    });

    it('card removal during a pending transmit rejects it with CARD_REMOVED (no hang)', {
      timeout: testTimeoutMs,
    }, async () => {
      const transport = await connect();
      await options.stallNextCommand();
      const pending = transport.transmit(command);
      await delay(100);
      await removeCard();
      expectCardError(await within(rejection(pending), removalTimeoutMs, 'pending transmit'), 'CARD_REMOVED');
      const info = await within(transport.closed, removalTimeoutMs, 'closed after removal');
      expect(info.reason).toBe('card-removed');
      expectCardError(info.error, 'CARD_REMOVED');
    });

    it('a command longer than maxCommandLength rejects with COMMAND_TOO_LONG', {
      timeout: testTimeoutMs,
    }, async () => {
      const transport = await connect();
      const tooLong = new Uint8Array(transport.capabilities.maxCommandLength + 1);
      tooLong.set(command.subarray(0, 4));
      expectCardError(await rejection(transport.transmit(tooLong)), 'COMMAND_TOO_LONG');
      const response = await transport.transmit(command);
      expect(response.length).toBeGreaterThanOrEqual(2);
    });

    it('a command that is not a Uint8Array rejects with TypeError', { timeout: testTimeoutMs }, async () => {
      const transport = await connect();
      const wrong: unknown[] = [Array.from(command), '00a4040c', undefined, command.buffer];
      for (const value of wrong) {
        const error = await rejection(Promise.resolve().then(() => transport.transmit(value as Uint8Array)));
        expect(error).toBeInstanceOf(TypeError);
      }
      const response = await transport.transmit(command);
      expect(response.length).toBeGreaterThanOrEqual(2);
    });

    it('Symbol.asyncDispose closes the transport', { timeout: testTimeoutMs }, async () => {
      const transport = await connect();
      await transport[Symbol.asyncDispose]();
      const info = await within(transport.closed, 1000, 'closed');
      expect(info.reason).toBe('closed');
      expectCardError(await rejection(transport.transmit(command)), 'CLOSED');
    });
  });
}
