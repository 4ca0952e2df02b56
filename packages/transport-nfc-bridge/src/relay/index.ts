/**
 * `@kakunin/transport-nfc-bridge/relay`: the reference phone side. Pairs from a pairing URL, runs
 * the Noise handshake, and relays APDUs to any kakunin Transport (the phone's NFC in an app, the
 * simulator in tests), reporting card situations with the FAQ's remedies.
 *
 * @example
 * ```ts
 * import { BridgeRelay } from '@kakunin/transport-nfc-bridge/relay';
 * await using relay = await BridgeRelay.connect(pairingUrl, { provider: simulator });
 * ```
 */
export {
  BridgeRelay,
  type BridgeRelayOptions,
  DEFAULT_PHONE_CAPABILITIES,
  errorForCloseCode,
  type RelayCloseInfo,
  type RelayEvent,
} from './bridge-relay.js';
