/**
 * Fault rig: the NFC bridge end to end — the PC's `NfcBridgeProvider` ⇄ real WebSocket through a
 * recording proxy ⇄ the reference `BridgeRelay` (the phone) ⇄ the simulator's in-process reader
 * holding the virtual card (standing in for the phone's NFC). Native faults: the network drops
 * mid-answer, an attacker flips a bit of the phone's answer (the PC must reject the tampered
 * frame). Both end the phone session; the rig pairs the phone again before the next run.
 *
 * @example
 * ```ts
 * await using rig = await bridgeRig();
 * ```
 */
import { createCardProfile, SimulatorProvider } from '@kakunin/simulator';
import { NfcBridgeProvider } from '@kakunin/transport-nfc-bridge';
import { BridgeRelay } from '@kakunin/transport-nfc-bridge/relay';
import { testKeyStore } from '../support/key-store.js';
import { WireProxy } from '../support/wire-proxy.js';
import type { FaultRig } from './fault-runner.js';
import { FaultableCard } from './faultable-card.js';

export interface BridgeRig extends FaultRig, AsyncDisposable {
  readonly proxy: WireProxy;
  /** Times the phone paired (1 + re-pairings after native faults). */
  readonly pairings: () => number;
}

export async function bridgeRig(): Promise<BridgeRig> {
  const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
  const card = new FaultableCard(profile.image);
  const phoneReader = new SimulatorProvider({ card, interface: 'contactless' });
  const provider = await NfcBridgeProvider.listen({ host: '127.0.0.1' });
  const proxy = await WireProxy.start(provider.port);
  let relay: BridgeRelay | undefined;
  let readerId = '';
  let relayClosed = true;
  let pairings = 0;
  const pair = async (): Promise<void> => {
    await relay?.close().catch(() => undefined);
    const offer = provider.createPairing();
    const url = offer.url.replace(`:${provider.port}/`, `:${proxy.port}/`);
    relay = await BridgeRelay.connect(url, { provider: phoneReader, device: 'Simulated phone' });
    relayClosed = false;
    void relay.closed.then(() => {
      relayClosed = true;
    });
    readerId = (await offer.paired).id;
    pairings++;
  };
  await pair();
  return {
    name: 'NFC bridge (relay + simulator card over WebSocket)',
    card: card.control,
    pin: profile.credentials.authPin,
    authCa: profile.pki.authCa.certificate,
    callTimeoutMs: 100,
    runDeadlineMs: 15_000,
    proxy,
    pairings: () => pairings,
    async prepare() {
      if (phoneReader.cardIn() !== card) phoneReader.insert(card);
      // A fault that ended the phone session (network cut, tampered frame) needs a new pairing.
      const paired = (await provider.listReaders()).some((reader) => reader.id === readerId);
      if (relayClosed || !paired) await pair();
    },
    connect: () => provider.connect(readerId, { waitForCard: true, timeoutMs: 5000 }),
    async settle() {
      // When the PC ended the phone session, give the phone the moment it needs to notice.
      const paired = (await provider.listReaders()).some((reader) => reader.id === readerId);
      if (!paired && relay !== undefined)
        await Promise.race([relay.closed, new Promise((resolve) => setTimeout(resolve, 2000))]);
      await new Promise((resolve) => setTimeout(resolve, 5));
    },
    nativeFaults: [
      {
        name: 'bridge-network-cut',
        arm: (at) => ({
          onCommand: (index) => {
            if (index !== at) return false;
            proxy.cut();
            return true;
          },
        }),
      },
      {
        name: 'bridge-answer-tampered',
        arm: (at) => ({
          onCommand: (index) => {
            if (index !== at) return false;
            proxy.tamperNextFromPhone();
            return true;
          },
        }),
      },
    ],
    async [Symbol.asyncDispose]() {
      await relay?.close().catch(() => undefined);
      await proxy.close();
      await provider.close();
      await phoneReader.close();
    },
  };
}
