/**
 * Fault rig: the virtual card in the simulator's in-process reader (`SimulatorProvider`), short or
 * extended link. Card-level faults travel through the reader slot (a card that leaves is taken
 * out of the reader and the pending command fails CARD_REMOVED).
 *
 * @example
 * ```ts
 * await using rig = await simulatorRig({ extendedLength: false });
 * ```
 */
import { createCardProfile, SimulatorProvider } from '@kakunin/simulator';
import { testKeyStore } from '../support/key-store.js';
import type { FaultRig } from './fault-runner.js';
import { FaultableCard } from './faultable-card.js';

export interface SimulatorRig extends FaultRig, AsyncDisposable {
  readonly provider: SimulatorProvider;
}

export async function simulatorRig(options: { extendedLength: boolean }): Promise<SimulatorRig> {
  const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
  const card = new FaultableCard(profile.image);
  const provider = new SimulatorProvider({ card, extendedLength: options.extendedLength });
  const close = async (): Promise<void> => provider.close();
  return {
    name: `simulator (${options.extendedLength ? 'extended' : 'short'} link)`,
    card: card.control,
    pin: profile.credentials.authPin,
    authCa: profile.pki.authCa.certificate,
    callTimeoutMs: 50,
    runDeadlineMs: 10_000,
    provider,
    async prepare() {
      if (provider.cardIn() !== card) provider.insert(card);
    },
    connect: () => provider.connect(provider.readerId),
    nativeFaults: [],
    [Symbol.asyncDispose]: close,
  };
}
