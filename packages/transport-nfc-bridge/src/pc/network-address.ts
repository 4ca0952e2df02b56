/**
 * Picks the address a phone on the same LAN can reach: the first non-internal IPv4 address of the
 * PC. Interfaces are passed in (no global lookups inside the library).
 *
 * @example
 * ```ts
 * import { networkInterfaces } from 'node:os';
 * const host = lanAddress(networkInterfaces()) ?? '127.0.0.1';
 * ```
 */
import type { NetworkInterfaceInfo } from 'node:os';

/**
 * First non-internal IPv4 address, or undefined.
 *
 * @example
 * ```ts
 * lanAddress(networkInterfaces()); // '192.168.1.20'
 * ```
 */
export function lanAddress(
  interfaces: Readonly<Record<string, readonly NetworkInterfaceInfo[] | undefined>>,
): string | undefined {
  for (const entries of Object.values(interfaces)) {
    for (const entry of entries ?? []) {
      if (entry.family === 'IPv4' && !entry.internal) return entry.address;
    }
  }
  return undefined;
}
