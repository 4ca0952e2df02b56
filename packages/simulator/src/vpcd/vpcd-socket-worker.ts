/**
 * The vpcd socket of a {@link VpcdConnector} runs in a worker thread. pcscd polls card presence
 * every 400 ms with a Get ATR while holding its reader lock; answering that from the thread that
 * also runs a PC/SC client would deadlock as soon as the client makes a synchronous PC/SC call
 * (pcsc-lite's SCardDisconnect, SCardListReaders, SCardStatus) that needs the same lock. The
 * worker answers Get ATR itself from the card's ATR and forwards everything else — power control
 * and APDUs, in order — to the card on the connector's thread.
 *
 * The worker is plain JavaScript run with `eval` (no file to locate after bundling); it mirrors
 * the framing of vpcd-protocol.ts (transports.md §3.2).
 *
 * @example
 * ```ts
 * const worker = new Worker(vpcdSocketWorkerSource(), { eval: true, workerData: { getAtr: 0x04 } });
 * ```
 */

/** Messages from the connector to the worker. */
export type ToSocketWorker =
  | {
      readonly type: 'connect';
      readonly session: number;
      readonly host: string;
      readonly port: number;
      readonly atr: Uint8Array;
    }
  | { readonly type: 'disconnect'; readonly session: number }
  | { readonly type: 'answer'; readonly session: number; readonly bytes: Uint8Array }
  | { readonly type: 'atr'; readonly atr: Uint8Array };

/** Messages from the worker to the connector. */
export type FromSocketWorker =
  | { readonly type: 'connected'; readonly session: number }
  | { readonly type: 'control'; readonly session: number; readonly byte: number }
  | { readonly type: 'get-atr'; readonly session: number }
  | { readonly type: 'apdu'; readonly session: number; readonly bytes: Uint8Array }
  | { readonly type: 'protocol-error'; readonly session: number; readonly message: string }
  | {
      readonly type: 'closed';
      readonly session: number;
      /** Whether the TCP connection had been established. */
      readonly established: boolean;
      readonly error?: string;
    };

/** Worker start-up data: the protocol constants, so that they are defined once. */
export interface SocketWorkerData {
  readonly getAtr: number;
  readonly lengthPrefix: number;
}

/** The worker's source (a CommonJS script for `new Worker(source, { eval: true })`). */
export function vpcdSocketWorkerSource(): string {
  return `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const net = require('node:net');
const { getAtr, lengthPrefix } = workerData;
let socket;
let session = 0;
let atr = Buffer.alloc(0);
let pending = Buffer.alloc(0);

function post(message) { parentPort.postMessage(message); }

function frame(bytes) {
  const out = Buffer.alloc(lengthPrefix + bytes.length);
  out.writeUInt16BE(bytes.length, 0);
  out.set(bytes, lengthPrefix);
  return out;
}

function onData(current, chunk) {
  if (current !== socket) return;
  pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
  while (pending.length >= lengthPrefix) {
    const length = pending.readUInt16BE(0);
    if (length === 0) {
      post({ type: 'protocol-error', session, message: 'vpcd sent a zero-length frame' });
      current.destroy();
      return;
    }
    if (pending.length < lengthPrefix + length) break;
    const payload = new Uint8Array(pending.subarray(lengthPrefix, lengthPrefix + length));
    pending = pending.subarray(lengthPrefix + length);
    if (length === 1) {
      if (payload[0] === getAtr) {
        current.write(frame(atr));
        post({ type: 'get-atr', session });
      } else {
        post({ type: 'control', session, byte: payload[0] });
      }
    } else {
      post({ type: 'apdu', session, bytes: payload });
    }
  }
}

parentPort.on('message', (message) => {
  switch (message.type) {
    case 'connect': {
      if (socket !== undefined) socket.destroy();
      session = message.session;
      atr = Buffer.from(message.atr);
      pending = Buffer.alloc(0);
      const current = net.connect({ host: message.host, port: message.port, noDelay: true });
      const mySession = session;
      let established = false;
      let failure;
      socket = current;
      current.on('connect', () => {
        established = true;
        post({ type: 'connected', session: mySession });
      });
      current.on('data', (chunk) => onData(current, chunk));
      current.on('error', (error) => { failure = error.message; });
      current.on('close', () => {
        if (socket === current) socket = undefined;
        post({ type: 'closed', session: mySession, established, ...(failure === undefined ? {} : { error: failure }) });
      });
      return;
    }
    case 'disconnect':
      if (socket !== undefined && message.session === session) socket.destroy();
      else post({ type: 'closed', session: message.session, established: false });
      return;
    case 'answer':
      if (socket !== undefined && message.session === session && !socket.destroyed) socket.write(frame(message.bytes));
      return;
    case 'atr':
      atr = Buffer.from(message.atr);
      return;
  }
});
`;
}
