/**
 * Which TCP ports listen on this machine: how the vpcd harnesses tell that pcscd's vpcd driver is
 * up (it listens on 35963 + slot, transports.md §3.1). Linux only; elsewhere the set is empty.
 *
 * @example
 * ```ts
 * (await listeningTcpPorts()).has(35963); // vpcd slot 0 is up
 * ```
 */
import { readFile } from 'node:fs/promises';

/** TCP state LISTEN in /proc/net/tcp (include/net/tcp_states.h: TCP_LISTEN = 10). */
const TCP_STATE_LISTEN = '0A';

/** TCP ports in LISTEN state (Linux /proc/net/tcp and tcp6: local address field, port in hex). */
export async function listeningTcpPorts(): Promise<Set<number>> {
  const ports = new Set<number>();
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(file, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      const local = fields[1];
      if (local === undefined || fields[3] !== TCP_STATE_LISTEN) continue;
      ports.add(Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16));
    }
  }
  return ports;
}
