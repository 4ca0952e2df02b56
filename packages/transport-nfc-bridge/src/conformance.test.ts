/**
 * The shared Transport conformance suite (tools/conformance) run against the bridge: PC-side
 * BridgeTransport ⇄ real WebSocket ⇄ reference relay ⇄ a local card standing in for the phone's NFC.
 */

import { runTransportConformance } from '@kakunin/tools-conformance';
import { afterAll, beforeAll } from 'vitest';
import { NfcBridgeProvider } from './pc/bridge-provider.js';
import { BridgeRelay } from './relay/bridge-relay.js';
import { pinCard, TestCardProvider } from './test-support/test-card-provider.js';

let provider: NfcBridgeProvider;
let relay: BridgeRelay;
const local = new TestCardProvider(pinCard('1234'));

beforeAll(async () => {
  provider = await NfcBridgeProvider.listen({ host: '127.0.0.1' });
  const offer = provider.createPairing();
  local.insert();
  relay = await BridgeRelay.connect(offer.url, { provider: local });
  await offer.paired;
});

afterAll(async () => {
  await relay.close();
  await provider.close();
});

/** Waits until the PC has heard of the phone's tag event (the relay hop is asynchronous). */
async function phoneSees(cardPresent: boolean): Promise<void> {
  for (let attempt = 0; attempt < 200; attempt += 1) {
    const [reader] = await provider.listReaders();
    if (reader?.cardPresent === cardPresent) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`the PC never saw cardPresent=${cardPresent}`);
}

runTransportConformance('transport-nfc-bridge (relay over loopback WebSocket)', {
  createTransport: () => provider.connect('phone-1', { waitForCard: true, timeoutMs: 5000 }),
  removeCard: async () => local.remove(),
  restoreCard: async () => {
    // Let the removal reach the PC first, as it would before a patient puts the card back.
    await phoneSees(false);
    local.insert();
    await phoneSees(true);
  },
  stallNextCommand: async () => local.stallNext(),
  removalTimeoutMs: 2000,
});
