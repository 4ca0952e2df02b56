/**
 * `@kakunin/core/compat`: faces over kakunin's providers for code written against other libraries.
 * `NFC` / `CompatReader` follow nfc-pcsc's event API (docs/coming-from-nfc-pcsc.md). Browser-safe:
 * its emitter is built in, not `node:events`.
 *
 * @example
 * ```ts
 * import { NFC } from '@kakunin/core/compat';
 * const nfc = new NFC(provider);
 * nfc.on('reader', (reader) => reader.on('card', (card) => console.log(reader.name, card.atr)));
 * ```
 */
export {
  type AidSetting,
  type CompatCard,
  CompatReader,
  NFC,
  type NfcOptions,
  TAG_ISO_14443_3,
  TAG_ISO_14443_4,
  type TagStandard,
} from './nfc-pcsc.js';
export { CompatEmitter } from './tiny-emitter.js';
