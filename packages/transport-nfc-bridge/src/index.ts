/**
 * `@kakunin/transport-nfc-bridge`: use a smartphone's NFC as the card reader. The PC shows a QR
 * code; the phone pairs over an end-to-end encrypted WebSocket (Noise NKpsk0, ChaCha20-Poly1305)
 * and relays APDUs to the card. This entry point is the PC side, a normal kakunin
 * TransportProvider; the reference phone relay is `@kakunin/transport-nfc-bridge/relay`, the wire
 * format for phone apps and test tools `@kakunin/transport-nfc-bridge/protocol`. Protocol:
 * docs/protocol.md; phone apps: docs/phone-guide.md.
 *
 * Source layout: `pc/` (provider, transport, control socket, pairing QR), `relay/` (the phone
 * side), `protocol/` (frames, messages, pairing URL, phone reports), `noise/` (handshake and the
 * encrypted channel).
 *
 * @example
 * ```ts
 * import { NfcBridgeProvider, renderPairingQr } from '@kakunin/transport-nfc-bridge';
 * await using provider = await NfcBridgeProvider.listen();
 * const offer = provider.createPairing();
 * console.log(await renderPairingQr(offer.url, 'terminal'));
 * const reader = await offer.paired;
 * ```
 */
export {
  type BridgeServerEvent,
  NfcBridgeProvider,
  type NfcBridgeProviderOptions,
  type PairingOffer,
} from './pc/bridge-provider.js';
export { BRIDGE_LINK_SECURITY, BridgeTransport } from './pc/bridge-transport.js';
export {
  BridgeControlProvider,
  type BridgeControlServer,
  type ControlEndpoint,
  defaultControlEndpoint,
  serveBridgeControl,
} from './pc/control-socket.js';
export { lanAddress } from './pc/network-address.js';
export { type PairingQrFormat, pairingQrModules, renderPairingQr } from './pc/pairing-qr.js';
