/**
 * VpcdConnector's side of the vpcd protocol, against a local TCP server that speaks vpcd's side
 * (framing, control bytes, polling, closing). The real vpcd inside pcscd is exercised by the PC/SC
 * tests in packages/transport-pcsc and tools/pcscd.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VirtualCardEndpoint } from '../card-endpoint.js';
import { injectCardFaults } from '../faults/faulty-card-endpoint.js';
import { VpcdConnector, type VpcdConnectorEvent, vpcdReaderName } from './vpcd-connector.js';
import { encodeVpcdFrame, VpcdControl, VpcdFrameReader } from './vpcd-protocol.js';

const ATR = Uint8Array.of(0x3b, 0xe0, 0x00, 0xff, 0x81, 0x31, 0xfe, 0x45, 0x14);

/** A tiny card that records what reaches it and echoes the command after 90 00. */
class EchoCard implements VirtualCardEndpoint {
  readonly atr = ATR;
  readonly calls: string[] = [];
  answer: (command: Uint8Array) => Promise<Uint8Array> = async (command) =>
    Uint8Array.of(...command, 0x90, 0x00);

  powerOn(): Uint8Array {
    this.calls.push('on');
    return this.atr;
  }
  powerOff(): void {
    this.calls.push('off');
  }
  warmReset(): Uint8Array {
    this.calls.push('reset');
    return this.atr;
  }
  process(command: Uint8Array): Promise<Uint8Array> {
    this.calls.push(`apdu:${command.length}`);
    return this.answer(command);
  }
}

/** vpcd's role: accepts the card, sends frames, reads the answers. */
class FakeVpcd {
  readonly server: Server;
  socket: Socket | undefined;
  connections = 0;
  readonly #frames = new VpcdFrameReader();
  readonly #answers: Uint8Array[] = [];
  #wake: (() => void) | undefined;
  #closedWaiters: (() => void)[] = [];

  private constructor(server: Server) {
    this.server = server;
    server.on('connection', (socket) => {
      this.connections += 1;
      this.socket = socket;
      socket.on('data', (chunk: Uint8Array) => {
        this.#answers.push(...this.#frames.push(chunk));
        this.#wake?.();
      });
      socket.on('close', () => {
        for (const wake of this.#closedWaiters.splice(0)) wake();
      });
    });
  }

  static async start(): Promise<FakeVpcd> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeVpcd(server);
  }

  get port(): number {
    const address = this.server.address();
    if (typeof address !== 'object' || address === null) throw new Error('not listening');
    return address.port;
  }

  async connected(): Promise<Socket> {
    for (let attempt = 0; attempt < 200 && this.socket === undefined; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    if (this.socket === undefined) throw new Error('the card never connected');
    return this.socket;
  }

  send(payload: Uint8Array): void {
    this.socket?.write(encodeVpcdFrame(payload));
  }

  /** pcscd's insertion sequence: presence poll (Get ATR), power up (on + Get ATR). */
  async powerUp(): Promise<void> {
    this.send(Uint8Array.of(VpcdControl.GET_ATR));
    expect(await this.answer()).toEqual(ATR);
    this.send(Uint8Array.of(VpcdControl.POWER_ON));
    this.send(Uint8Array.of(VpcdControl.GET_ATR));
    expect(await this.answer()).toEqual(ATR);
  }

  async answer(timeoutMs = 2000): Promise<Uint8Array> {
    const deadline = Date.now() + timeoutMs;
    while (this.#answers.length === 0) {
      if (Date.now() > deadline) throw new Error('no answer from the card');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 20);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.#answers.shift()!;
  }

  socketClosed(): Promise<void> {
    if (this.socket === undefined || this.socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => this.#closedWaiters.push(resolve));
  }

  async close(): Promise<void> {
    this.socket?.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(
  card: VirtualCardEndpoint = new EchoCard(),
  options: { reconnectIntervalMs?: number } = {},
) {
  const vpcd = await FakeVpcd.start();
  const events: VpcdConnectorEvent[] = [];
  const connector = new VpcdConnector({
    card,
    port: vpcd.port,
    presenceTimeoutMs: 2000,
    onEvent: (event) => events.push(event),
    ...options,
  });
  cleanups.push(
    () => vpcd.close(),
    () => connector.close(),
  );
  return { vpcd, connector, events };
}

/** Inserts the card the way pcscd sees it happen: vpcd accepts the socket and powers the card. */
async function insertPolled(vpcd: FakeVpcd, connector: VpcdConnector): Promise<void> {
  const inserting = connector.insert();
  await vpcd.connected();
  await vpcd.powerUp();
  await inserting;
}

describe('VpcdConnector', () => {
  it('names the reader as Debian pcscd does, and validates its options', () => {
    expect(vpcdReaderName(0)).toBe('Virtual PCD 00 00');
    expect(vpcdReaderName(1)).toBe('Virtual PCD 00 01');
    const card = new EchoCard();
    expect(new VpcdConnector({ card, slot: 1 }).port).toBe(35964);
    expect(() => new VpcdConnector({ card: {} as VirtualCardEndpoint })).toThrow(TypeError);
    expect(() => new VpcdConnector({ card, slot: 2 })).toThrow(RangeError);
    expect(() => new VpcdConnector({ card, slot: -1 })).toThrow(RangeError);
    const longAtr = { ...card, atr: new Uint8Array(34), process: card.process.bind(card) } as unknown;
    expect(() => new VpcdConnector({ card: longAtr as VirtualCardEndpoint })).toThrow(RangeError);
  });

  it('insert() resolves once vpcd has polled and powered the card; APDUs pass through unchanged', async () => {
    const card = new EchoCard();
    const { vpcd, connector } = await setup(card);
    await insertPolled(vpcd, connector);
    expect(connector.isInserted).toBe(true);
    const command = Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x02, 0xd3, 0x92);
    vpcd.send(command);
    expect(await vpcd.answer()).toEqual(Uint8Array.of(...command, 0x90, 0x00));
    // An extended command near vpcd's frame limit passes through whole.
    const big = new Uint8Array(65_000).fill(0x5a);
    card.answer = async (received) => Uint8Array.of(received.length >> 8, received.length & 0xff, 0x90, 0x00);
    vpcd.send(big);
    expect(await vpcd.answer()).toEqual(Uint8Array.of(65_000 >> 8, 65_000 & 0xff, 0x90, 0x00));
    expect(card.calls).toEqual(['on', 'apdu:7', 'apdu:65000']);
  });

  it('applies power off, power on and reset; answers nothing to them', async () => {
    const card = new EchoCard();
    const { vpcd, connector } = await setup(card);
    await insertPolled(vpcd, connector);
    vpcd.send(Uint8Array.of(VpcdControl.POWER_OFF));
    vpcd.send(Uint8Array.of(VpcdControl.POWER_ON));
    vpcd.send(Uint8Array.of(VpcdControl.RESET));
    vpcd.send(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x01));
    // The only answer is the APDU's: control bytes are not answered.
    expect(await vpcd.answer()).toEqual(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x01, 0x90, 0x00));
    expect(card.calls).toEqual(['on', 'off', 'on', 'reset', 'apdu:5']);
  });

  it('remove() closes the socket (pcscd sees the card go); insert() again reconnects', async () => {
    const { vpcd, connector, events } = await setup();
    await insertPolled(vpcd, connector);
    const closed = vpcd.socketClosed();
    await connector.remove();
    await closed;
    expect(connector.isInserted).toBe(false);
    expect(events.map((event) => event.type)).toContain('disconnected');
    vpcd.socket = undefined;
    await insertPolled(vpcd, connector);
    expect(vpcd.connections).toBe(2);
  });

  it('re-inserts itself after vpcd dropped it when reconnectIntervalMs is set', async () => {
    const { vpcd, connector, events } = await setup(new EchoCard(), { reconnectIntervalMs: 50 });
    await insertPolled(vpcd, connector);
    const first = vpcd.socket!;
    vpcd.socket = undefined;
    first.destroy();
    await vpcd.connected();
    expect(vpcd.connections).toBe(2);
    expect(
      events
        .filter((event) => event.type === 'disconnected')
        .map((event) => 'reason' in event && event.reason),
    ).toEqual(['peer-closed']);
  });

  it('takes the card out when a fault plan removes it mid-command (answer lost)', async () => {
    const card = injectCardFaults(new EchoCard(), [{ type: 'remove', match: { ins: 0xb0 } }]);
    const { vpcd, connector } = await setup(card);
    await insertPolled(vpcd, connector);
    const closed = vpcd.socketClosed();
    vpcd.send(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x10));
    await closed;
    expect(connector.isInserted).toBe(false);
    await expect(vpcd.answer(200)).rejects.toThrow('no answer');
  });

  it('answers 6F 00 when the card itself throws, and drops an answer vpcd cannot frame', async () => {
    const card = new EchoCard();
    const { vpcd, connector, events } = await setup(card);
    await insertPolled(vpcd, connector);
    card.answer = async () => {
      throw new Error('card firmware bug');
    };
    vpcd.send(Uint8Array.of(0x00, 0x84, 0x00, 0x00, 0x08));
    expect(await vpcd.answer()).toEqual(Uint8Array.of(0x6f, 0x00));
    card.answer = async () => new Uint8Array(0x10000);
    const closed = vpcd.socketClosed();
    vpcd.send(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00));
    await closed;
    // The socket lives in a worker thread: its close can reach the test before the connector's
    // event reaches the main thread, so wait for the event rather than assume its order.
    await vi.waitFor(() => {
      const lost = events.find((event) => event.type === 'disconnected');
      expect(lost).toMatchObject({ reason: 'error', error: { code: 'PROTOCOL' } });
    });
  });

  it('fails clearly: SERVICE_UNAVAILABLE without vpcd, TIMEOUT when pcscd never polls', async () => {
    const vpcd = await FakeVpcd.start();
    const port = vpcd.port;
    await vpcd.close();
    const orphan = new VpcdConnector({ card: new EchoCard(), port });
    await expect(orphan.insert()).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      remedy: 'pcsc.service',
    });

    const silent = await FakeVpcd.start();
    cleanups.push(() => silent.close());
    const waiting = new VpcdConnector({ card: new EchoCard(), port: silent.port, presenceTimeoutMs: 200 });
    cleanups.push(() => waiting.close());
    await expect(waiting.insert()).rejects.toMatchObject({ code: 'TIMEOUT' });
    await waiting.close();
    await expect(waiting.insert()).rejects.toMatchObject({ code: 'CLOSED' });
  });
});
