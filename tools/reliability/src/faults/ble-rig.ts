/**
 * Fault rig: the virtual card on a simulated ACS ACR1255U-J1 reached through real noble code over
 * injected bindings (`@kakunin/transport-ble/testing`): real framing, mutual authentication and
 * AES. Native faults are the reader's own: the link drops mid-answer, an answer never comes, a
 * frame or message checksum is wrong, the reader stalls, the card is lifted off the reader.
 *
 * @example
 * ```ts
 * await using rig = await bleRig();
 * ```
 */
import { createCardProfile } from '@kakunin/simulator';
import { acr1255Driver } from '@kakunin/transport-ble';
import {
  createSimulatedBleEnvironment,
  type ReaderFault,
  type SimulatedBleEnvironment,
} from '@kakunin/transport-ble/testing';
import { testKeyStore } from '../support/key-store.js';
import type { FaultRig, NativeFault } from './fault-runner.js';
import { FaultableCard } from './faultable-card.js';

const SERIAL = 'FAULT1';
const READER_ANSWER_LIMIT_MS = 150;

export interface BleRig extends FaultRig, AsyncDisposable {
  readonly world: SimulatedBleEnvironment;
}

export async function bleRig(): Promise<BleRig> {
  const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
  const card = new FaultableCard(profile.image);
  // A reader that stops answering ends the link after 150 ms (default 15 s) to keep runs short.
  const world = createSimulatedBleEnvironment({
    readers: [{ serial: SERIAL, card }],
    provider: { drivers: [acr1255Driver({ responseTimeoutMs: READER_ANSWER_LIMIT_MS })] },
  });
  const reader = world.readers[0]!;
  // A card-level removal fault lifts the card off the reader (the reader notifies the host).
  card.onRemoval(() => reader.removeCard());
  const readerFault = (fault: ReaderFault): NativeFault => ({
    name: `ble-${fault}`,
    arm: (at) => ({
      onCommand: (index) => {
        if (index !== at) return false;
        reader.injectFault(fault);
        return true;
      },
    }),
  });
  return {
    name: 'BLE (simulated ACR1255U-J1 over noble)',
    card: card.control,
    pin: profile.credentials.authPin,
    authCa: profile.pki.authCa.certificate,
    callTimeoutMs: 80,
    runDeadlineMs: 15_000,
    world,
    async prepare() {
      if (reader.card !== card) reader.insertCard(card);
    },
    connect: () => world.connect(`ACR1255U-J1-${SERIAL}`, { timeoutMs: 5000 }),
    nativeFaults: [
      readerFault('disconnect-mid-response'),
      readerFault('drop-response'),
      readerFault('frame-checksum'),
      readerFault('message-checksum'),
      {
        // The reader checks for a stall before it hands a command to the card: arm it one command
        // early (or before the run for the first command) so it hits command `at`.
        name: 'ble-stall',
        arm: (at) => {
          if (at === 0) reader.injectFault('stall');
          return {
            injectedOnArm: at === 0,
            onCommand: (index) => {
              if (at === 0 || index !== at - 1) return false;
              reader.injectFault('stall');
              return true;
            },
          };
        },
      },
      {
        name: 'ble-card-lifted',
        arm: (at) => ({
          onCommand: (index) => {
            if (index !== at) return false;
            reader.removeCard();
            return true;
          },
        }),
      },
    ],
    [Symbol.asyncDispose]: () => world.close(),
  };
}
