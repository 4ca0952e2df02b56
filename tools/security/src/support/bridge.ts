/**
 * Hostile bridge peers over real TCP / WebSockets: sockets that connect and say nothing, WebSocket
 * upgrades that never send a handshake, each from a chosen loopback source address (Linux routes
 * all of 127.0.0.0/8 to lo), re-opened by the attacker whenever the PC drops them.
 *
 * @example
 * ```ts
 * const flood = holdOpen({ port, sources: ['127.0.0.2'], perSource: 4, kind: 'tcp' });
 * await flood.stop();
 * ```
 */
import { connect, type Socket } from 'node:net';
import WebSocket from 'ws';

export interface HoldOpenOptions {
  readonly port: number;
  readonly sources: readonly string[];
  readonly perSource: number;
  readonly kind: 'tcp' | 'websocket';
  /** Re-open a socket when the PC drops it (default true). */
  readonly reopen?: boolean;
}

export interface HeldSockets {
  /** Sockets opened so far (re-opens included). */
  readonly opened: () => number;
  /** Sockets currently open. */
  readonly open: () => number;
  stop(): Promise<void>;
}

export function holdOpen(options: HoldOpenOptions): HeldSockets {
  let opened = 0;
  let stopped = false;
  const live = new Set<Socket | WebSocket>();
  const start = (source: string): void => {
    if (stopped) return;
    opened += 1;
    if (options.kind === 'tcp') {
      const socket = connect({ host: '127.0.0.1', port: options.port, localAddress: source });
      live.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        live.delete(socket);
        if (options.reopen !== false) setTimeout(() => start(source), 5);
      });
    } else {
      const socket = new WebSocket(`ws://127.0.0.1:${options.port}/v1`, 'kakunin-bridge.v1', {
        localAddress: source,
      });
      live.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => {
        live.delete(socket);
        if (options.reopen !== false) setTimeout(() => start(source), 5);
      });
    }
  };
  for (const source of options.sources) for (let index = 0; index < options.perSource; index++) start(source);
  return {
    opened: () => opened,
    open: () => live.size,
    async stop() {
      stopped = true;
      for (const socket of live) {
        if (socket instanceof WebSocket) socket.terminate();
        else socket.destroy();
      }
      live.clear();
    },
  };
}
