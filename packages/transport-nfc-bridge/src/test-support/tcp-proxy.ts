/**
 * Test fixture: a loopback TCP proxy that records every byte in both directions (to scan the
 * wire for PINs) and can cut the link on demand (to drop it mid-APDU).
 *
 * @example
 * ```ts
 * const proxy = await TcpProxy.start(provider.port);
 * proxy.cut();
 * ```
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export class TcpProxy {
  readonly port: number;
  /** Bytes seen, in order, both directions. */
  readonly captured: Uint8Array[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  /** What to do to the next chunk from the PC to the phone. */
  #downstreamFault: 'tamper' | 'replay' | undefined;

  private constructor(server: Server, port: number) {
    this.#server = server;
    this.port = port;
  }

  static async start(targetPort: number): Promise<TcpProxy> {
    let proxy!: TcpProxy;
    const server = createServer((client) => {
      const upstream = connect(targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        proxy.#sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          proxy.#sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.on('data', (chunk: Buffer) => {
        proxy.captured.push(new Uint8Array(chunk));
        upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        proxy.captured.push(new Uint8Array(chunk));
        const fault = proxy.#downstreamFault;
        proxy.#downstreamFault = undefined;
        if (fault === 'tamper') chunk[chunk.length - 1]! ^= 0x01; // inside the last frame's tag
        client.write(chunk);
        if (fault === 'replay') client.write(chunk);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address = server.address();
    proxy = new TcpProxy(server, typeof address === 'object' && address !== null ? address.port : 0);
    return proxy;
  }

  /** Everything captured, concatenated. */
  get bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.captured));
  }

  /** Flips one bit of the next PC → phone chunk (an active attacker on the LAN). */
  tamperNextDownstream(): void {
    this.#downstreamFault = 'tamper';
  }

  /** Delivers the next PC → phone chunk twice (a replaying attacker). */
  replayNextDownstream(): void {
    this.#downstreamFault = 'replay';
  }

  /** Drops every proxied connection abruptly (like Wi-Fi going away). */
  cut(): void {
    for (const socket of this.#sockets) socket.resetAndDestroy();
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/** True when `needle` occurs in `haystack`. */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle) !== -1;
}
