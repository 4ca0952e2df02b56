/**
 * A loopback TCP proxy between a bridge phone (client side) and the PC's bridge listener that
 * records every byte in both directions (the "wire capture" the PIN scan reads), can cut every
 * connection (Wi-Fi gone) and can flip one bit in the next phone → PC chunk (an active attacker).
 *
 * @example
 * ```ts
 * await using proxy = await WireProxy.start(provider.port);
 * const url = offer.url.replace(`:${provider.port}/`, `:${proxy.port}/`);
 * ```
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export class WireProxy implements AsyncDisposable {
  readonly port: number;
  /** Every chunk seen, in order, both directions. */
  readonly captured: Uint8Array[] = [];
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #tamperNextFromPhone = false;

  private constructor(server: Server, port: number) {
    this.#server = server;
    this.port = port;
  }

  static async start(targetPort: number, host = '127.0.0.1'): Promise<WireProxy> {
    let proxy: WireProxy | undefined;
    const server = createServer((phone) => {
      const pc = connect(targetPort, host);
      const self = proxy!;
      for (const socket of [phone, pc]) {
        self.#sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          self.#sockets.delete(socket);
          phone.destroy();
          pc.destroy();
        });
      }
      phone.on('data', (chunk: Buffer) => {
        self.captured.push(new Uint8Array(chunk));
        if (self.#tamperNextFromPhone) {
          self.#tamperNextFromPhone = false;
          chunk[chunk.length - 1]! ^= 0x01;
        }
        pc.write(chunk);
      });
      pc.on('data', (chunk: Buffer) => {
        self.captured.push(new Uint8Array(chunk));
        phone.write(chunk);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, host, () => resolve()));
    const address = server.address();
    proxy = new WireProxy(server, typeof address === 'object' && address !== null ? address.port : 0);
    return proxy;
  }

  /** All captured bytes, concatenated. */
  get bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.captured));
  }

  /** Drops every proxied connection abruptly. */
  cut(): void {
    for (const socket of this.#sockets) socket.resetAndDestroy();
  }

  /** Flips the last bit of the next phone → PC chunk (inside the AEAD tag of its last frame). */
  tamperNextFromPhone(): void {
    this.#tamperNextFromPhone = true;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
