/**
 * Fault rig: the real PC/SC stack — kakunin's PC/SC transport → pcscd (started by the tools/pcscd
 * harness under its machine-wide lock) → vsmartcard's vpcd driver → the virtual card, hosted in a
 * worker thread (pcsc-lite's synchronous calls would otherwise deadlock against a card on the
 * same thread). Card-level faults travel through vpcd: a card that leaves closes its vpcd socket
 * and pcscd reports it gone. Native fault: pcscd itself stops while a command is in the card
 * (reader/service loss); the rig restarts it before the next run. That one costs ~2 s per run,
 * so it runs at the first command, the VERIFY and the last command of each flow.
 *
 * @example
 * ```ts
 * await using rig = await pcscRig();
 * ```
 */
import { createCardProfile } from '@kakunin/simulator';
import { createPcscProvider, type PcscProvider } from '@kakunin/transport-pcsc';
import { type PcscdHandle, startPcscd } from '../../../pcscd/src/pcscd-harness.js';
import { CardWorkerHost } from '../support/card-worker-host.js';
import { testKeyStore } from '../support/key-store.js';
import type { FaultRig } from './fault-runner.js';
import type { ArmOptions, CardControl } from './faultable-card.js';

export interface PcscRig extends FaultRig, AsyncDisposable {
  readonly pcscd: PcscdHandle;
  readonly provider: PcscProvider;
  /** pcscd restarts done for the service-loss fault. */
  readonly restarts: () => number;
}

export async function pcscRig(): Promise<PcscRig> {
  const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
  const pcscd = await startPcscd();
  let host: CardWorkerHost | undefined;
  let provider: PcscProvider | undefined;
  let restarts = 0;
  try {
    host = await CardWorkerHost.start({ slot: 0 });
    await host.insert();
    provider = createPcscProvider();
  } catch (error) {
    await host?.close().catch(() => undefined);
    await pcscd.stop();
    throw error;
  }
  const card = host;
  const control: CardControl = {
    renew: () => card.renew(),
    arm: (options: ArmOptions) =>
      card.arm(
        options.rules ?? [],
        options.hold === undefined ? undefined : { at: options.hold.at, run: options.hold.run },
      ),
    stats: () => card.stats(),
  };
  const pcsc = provider;
  return {
    name: 'PC/SC (pcscd + vpcd + worker-hosted simulator card)',
    card: control,
    pin: profile.credentials.authPin,
    authCa: profile.pki.authCa.certificate,
    callTimeoutMs: 400,
    runDeadlineMs: 20_000,
    pcscd,
    provider: pcsc,
    restarts: () => restarts,
    async prepare() {
      if (!pcscd.running) {
        await pcscd.startService();
        restarts++;
      }
      if (!(await card.stats()).inserted) await card.insert();
    },
    connect: () =>
      pcsc.connect(card.readerName, { share: 'exclusive', waitForCard: true, timeoutMs: 10_000 }),
    nativeFaults: [
      {
        name: 'pcscd-stopped',
        indexes: (count, verifyIndex) =>
          [...new Set([0, verifyIndex, count - 1])].filter((index) => index >= 0),
        arm: (at) => ({ hold: { at, run: () => pcscd.stopService() } }),
      },
    ],
    async [Symbol.asyncDispose]() {
      await pcsc.close().catch(() => undefined);
      await card.close().catch(() => undefined);
      await pcscd.stop();
    },
  };
}
