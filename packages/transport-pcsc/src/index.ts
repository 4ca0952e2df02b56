/**
 * `@kakunin/transport-pcsc`: kakunin's Transport over PC/SC (pcsc-lite / WinSCard).
 *
 * @example
 * ```ts
 * import { createPcscProvider } from '@kakunin/transport-pcsc';
 *
 * await using provider = createPcscProvider();
 * const [reader] = await provider.listReaders();
 * ```
 */
export { cardInterfaceFromAtr } from './card-interface.js';
export {
  createPcscProvider,
  type PcscConnectOptions,
  PcscProvider,
  type PcscProviderOptions,
} from './pcsc-provider.js';
export { PCSC_RETURN_CODES, type PcscReturnCode } from './pcsc-return-codes.js';
export { type PcscDisposition, type PcscProtocol, PcscTransport } from './pcsc-transport.js';
