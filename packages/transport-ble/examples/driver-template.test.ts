/**
 * TEMPLATE: how a vendor adds another BLE reader family. Copy this file, rename the driver, and
 * replace the wire protocol. Everything a family needs is in ONE driver object (`exampleDriver`);
 * the provider does scanning, connecting, GATT discovery, time limits, reconnects and the
 * Transport contract. The same file carries a simulated peripheral for the family and the tests,
 * including the shared conformance suite. See README "Adding a reader family" and docs/vendors.md.
 *
 * This copy is shipped in the npm package (examples/) for use outside the kakunin monorepo: copy it
 * into your repository, `npm install --save-dev @kakunin/transport-ble @kakunin/conformance
 * @kakunin/core vitest`, and run `npx vitest run`. The monorepo runs this very file in its suite
 * (against the built package), and tools/smoke runs it from the packed tarballs.
 *
 * The example family ("KAKUNIN-DEMO" readers) is fictional and deliberately simple:
 * - one 128-bit service with a write and a notify characteristic;
 * - messages `kind ‖ length (2, BE) ‖ data`, cut into pieces of the negotiated MTU − 3 (MTU-aware,
 *   unlike the ACR1255U-J1's fixed 20 bytes);
 * - kinds: 01 APDU, 02 power on (→ ATR), 03 power off, 04 status (→ 00 absent / 01 present);
 *   answers carry `kind | 80`; `50 01` / `50 00` is an unsolicited card present / absent;
 * - no authentication, no encryption: linkSecurity says so.
 */

import { runTransportConformance } from '@kakunin/conformance';
import { CardError, raceAbort, TransportErrorCode, throwIfAborted } from '@kakunin/core/transport';
import {
  acr1255Driver,
  type BleReaderDriver,
  BleTransportProvider,
  bleErrors,
  type CardStatus,
  type GattLink,
  type ReaderSession,
  type SessionEnd,
} from '@kakunin/transport-ble';
import {
  type PeripheralPort,
  ScriptedCard,
  SimulatedAcr1255Reader,
  SimulatedBleAdapter,
  type SimulatedPeripheral,
} from '@kakunin/transport-ble/testing';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

// ---- 1. the driver (what a vendor writes) ------------------------------------------------------

const DEMO_GATT = {
  generation: 'demo-1',
  service: '6b616b756e696e000000000000000001',
  write: '6b616b756e696e000000000000000002',
  notify: '6b616b756e696e000000000000000003',
} as const;
const KIND = { APDU: 0x01, POWER_ON: 0x02, POWER_OFF: 0x03, STATUS: 0x04, ANSWER: 0x80, CARD: 0x50 } as const;
const HEADER = 3;

function encode(kind: number, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + data.length);
  out[0] = kind;
  out[1] = data.length >>> 8;
  out[2] = data.length & 0xff;
  out.set(data, HEADER);
  return out;
}

/** Reassembles `kind ‖ length ‖ data` messages from notification pieces. */
class Reassembler {
  #buffer = new Uint8Array(0);
  push(piece: Uint8Array): Array<{ kind: number; data: Uint8Array }> {
    const joined = new Uint8Array(this.#buffer.length + piece.length);
    joined.set(this.#buffer);
    joined.set(piece, this.#buffer.length);
    this.#buffer = joined;
    const out: Array<{ kind: number; data: Uint8Array }> = [];
    while (this.#buffer.length >= HEADER) {
      const length = (this.#buffer[1]! << 8) | this.#buffer[2]!;
      if (this.#buffer.length < HEADER + length) break;
      out.push({ kind: this.#buffer[0]!, data: this.#buffer.slice(HEADER, HEADER + length) });
      this.#buffer = this.#buffer.slice(HEADER + length);
    }
    return out;
  }
}

class DemoSession implements ReaderSession {
  readonly linkSecurity = 'demo reader: no authentication, no encryption (anyone nearby can read PIN APDUs)';
  readonly capabilities = {
    extendedLength: false,
    maxCommandLength: 261,
    maxResponseLength: 258,
    interface: 'contact',
  } as const;
  readonly #link: GattLink;
  readonly #reassembler = new Reassembler();
  readonly #cardListeners = new Set<(present: boolean) => void>();
  readonly #endListeners = new Set<(end: SessionEnd) => void>();
  #pending: { kind: number; resolve(data: Uint8Array): void; reject(error: CardError): void } | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #ended: SessionEnd | undefined;

  constructor(link: GattLink) {
    this.#link = link;
    link.onData((piece) => {
      for (const message of this.#reassembler.push(piece)) this.#onMessage(message);
    });
    link.onDisconnect(() => {
      const error = this.#pending
        ? bleErrors.linkLost(link.id, 'a command')
        : bleErrors.readerAsleep(link.id);
      this.#finish({ reason: this.#pending ? 'lost' : 'asleep', error });
    });
  }

  get ended(): boolean {
    return this.#ended !== undefined;
  }

  async cardStatus(signal?: AbortSignal): Promise<CardStatus> {
    const answer = await this.#request(KIND.STATUS, new Uint8Array(0), signal);
    return answer[0] === 1 ? 'present' : 'absent';
  }
  async powerOn(signal?: AbortSignal): Promise<Uint8Array> {
    const atr = await this.#request(KIND.POWER_ON, new Uint8Array(0), signal);
    if (atr.length === 0) throw bleErrors.cardAbsent(this.#link.id);
    return atr;
  }
  async powerOff(signal?: AbortSignal): Promise<void> {
    await this.#request(KIND.POWER_OFF, new Uint8Array(0), signal);
  }
  async transmit(command: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const response = await this.#request(KIND.APDU, command, signal);
    if (response.length === 0) throw bleErrors.cardRemoved(this.#link.id);
    return response;
  }
  async escape(): Promise<Uint8Array> {
    throw new CardError(TransportErrorCode.NOT_SUPPORTED, 'the demo reader has no escape commands');
  }
  onCardStatus(listener: (present: boolean) => void): () => void {
    this.#cardListeners.add(listener);
    return () => this.#cardListeners.delete(listener);
  }
  onEnd(listener: (end: SessionEnd) => void): () => void {
    this.#endListeners.add(listener);
    return () => this.#endListeners.delete(listener);
  }
  async close(): Promise<void> {
    this.#ended ??= { reason: 'closed', error: new CardError(TransportErrorCode.CLOSED, 'session closed') };
  }

  #request(kind: number, data: Uint8Array, signal: AbortSignal | undefined): Promise<Uint8Array> {
    if (this.#ended) return Promise.reject(this.#ended.error);
    // One wire exchange at a time; an abandoned one drains before the next starts.
    const run = this.#chain.then(async () => {
      throwIfAborted(signal, 'demo request');
      if (this.#ended) throw this.#ended.error;
      const answer = new Promise<Uint8Array>((resolve, reject) => {
        this.#pending = { kind, resolve, reject };
      });
      // MTU-aware: as large as the link allows.
      await this.#link.write(encode(kind, data), this.#link.maxPayload);
      return answer;
    });
    this.#chain = run.catch(() => undefined);
    return raceAbort(run, signal, undefined, 'demo request');
  }

  #onMessage(message: { kind: number; data: Uint8Array }): void {
    if (message.kind === KIND.CARD) {
      const present = message.data[0] === 1;
      if (!present && this.#pending?.kind === KIND.APDU)
        this.#pending.reject(bleErrors.cardRemoved(this.#link.id));
      if (!present) this.#pending = undefined;
      for (const listener of [...this.#cardListeners]) listener(present);
      return;
    }
    const pending = this.#pending;
    if (pending === undefined || message.kind !== (pending.kind | KIND.ANSWER)) return;
    this.#pending = undefined;
    pending.resolve(message.data);
  }

  #finish(end: SessionEnd): void {
    if (this.#ended) return;
    this.#ended = end;
    this.#pending?.reject(end.error);
    this.#pending = undefined;
    for (const listener of [...this.#endListeners]) listener(end);
  }
}

/** The one object a vendor ships for a new family. */
function exampleDriver(): BleReaderDriver {
  return {
    family: 'KAKUNIN-DEMO',
    profiles: [DEMO_GATT],
    matches: (advertisement) => advertisement.serviceUuids.includes(DEMO_GATT.service),
    async open(link) {
      return new DemoSession(link);
    },
  };
}

// ---- 2. a simulated peripheral of the family (for the vendor's tests) ---------------------------

class DemoPeripheral implements SimulatedPeripheral {
  readonly id = 'demo0001';
  readonly address = 'de:00:00:00:00:01';
  readonly rssi = -60;
  readonly mtu = 185;
  readonly advertising = true;
  readonly advertisement = { localName: 'DEMO-0001', serviceUuids: [DEMO_GATT.service] };
  readonly services = [
    {
      uuid: DEMO_GATT.service,
      characteristics: [
        { uuid: DEMO_GATT.write, properties: ['write'] },
        { uuid: DEMO_GATT.notify, properties: ['notify'] },
      ],
    },
  ];
  readonly pieceSizes: number[] = [];
  card: ScriptedCard | undefined = new ScriptedCard();
  stall = false;
  #port: PeripheralPort | undefined;
  readonly #reassembler = new Reassembler();

  onConnect(port: PeripheralPort): void {
    this.#port = port;
  }
  onDisconnect(): void {
    this.#port = undefined;
  }
  onSubscribe(): void {}
  onWrite(_service: string, _characteristic: string, data: Uint8Array): void {
    this.pieceSizes.push(data.length);
    for (const message of this.#reassembler.push(data)) void this.#handle(message);
  }
  setCard(card: ScriptedCard | undefined): void {
    this.card = card;
    this.#send(KIND.CARD, Uint8Array.of(card ? 1 : 0));
  }
  async #handle({ kind, data }: { kind: number; data: Uint8Array }): Promise<void> {
    const card = this.card;
    let answer: Uint8Array = new Uint8Array(0);
    if (kind === KIND.STATUS) answer = Uint8Array.of(card ? 1 : 0);
    if (kind === KIND.POWER_ON && card) answer = card.powerOn();
    if (kind === KIND.POWER_OFF) card?.powerOff();
    if (kind === KIND.APDU && card) {
      if (this.stall) {
        this.stall = false;
        return; // never answers; removal notifies the host
      }
      answer = await card.process(data);
    }
    this.#send(kind | KIND.ANSWER, answer);
  }
  #send(kind: number, data: Uint8Array): void {
    const message = encode(kind, data);
    for (let offset = 0; offset < message.length; offset += this.mtu - 3)
      this.#port?.notify(
        DEMO_GATT.service,
        DEMO_GATT.notify,
        message.subarray(offset, offset + this.mtu - 3),
      );
  }
}

// ---- 3. the vendor's tests -----------------------------------------------------------------------

const SELECT = Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x02, 0x3f, 0x00);

describe('a second reader family plugged in through the driver seam', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function setup() {
    const demo = new DemoPeripheral();
    const acr = new SimulatedAcr1255Reader({ card: new ScriptedCard() });
    const adapter = new SimulatedBleAdapter({ peripherals: [demo, acr] });
    const provider = new BleTransportProvider({
      bindings: adapter,
      drivers: [acr1255Driver(), exampleDriver()],
      scanTimeoutMs: 150,
    });
    cleanups.push(
      () => adapter.close(),
      () => acr.close(),
      () => provider.close(),
    );
    return { demo, acr, provider };
  }

  it('lists readers of both families side by side', async () => {
    const { provider } = setup();
    const labels = (await provider.listReaders()).map((reader) => reader.label).sort();
    expect(labels[0]).toMatch(/^ACR1255U-J1-000001 v2/);
    expect(labels[1]).toMatch(/^DEMO-0001 demo-1/);
  });

  it('uses MTU-sized pieces (182 bytes on a 185-byte MTU) and carries APDUs', async () => {
    const { provider, demo } = setup();
    await using transport = await provider.connect('DEMO-0001');
    expect(transport.capabilities.linkSecurity).toContain('no encryption');
    const long = new Uint8Array(261);
    long.set([0x00, 0xb0, 0x00, 0x00]);
    const response = await transport.transmit(Uint8Array.of(0x00, 0xb0, 0x00, 0x00, 0x00));
    expect(response.length).toBe(258);
    await transport.transmit(long);
    expect(Math.max(...demo.pieceSizes)).toBe(182);
  });
});

{
  const demo = new DemoPeripheral();
  const adapter = new SimulatedBleAdapter({ peripherals: [demo] });
  const provider = new BleTransportProvider({
    bindings: adapter,
    drivers: [exampleDriver()],
    scanTimeoutMs: 150,
  });
  afterAll(async () => {
    await provider.close();
    adapter.close();
  });
  runTransportConformance('transport-ble with the template (demo) driver', {
    createTransport: () => provider.connect('DEMO-0001'),
    removeCard: async () => demo.setCard(undefined),
    restoreCard: async () => demo.setCard(new ScriptedCard()),
    stallNextCommand: async () => {
      demo.stall = true;
    },
    command: SELECT,
    removalTimeoutMs: 2000,
  });
}
