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
  /** The stop a fault began: the next run must not start pcscd while it is still going on. */
  let stopping: Promise<void> | undefined;
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
    callTimeoutMs: 150,
    runDeadlineMs: 20_000,
    pcscd,
    provider: pcsc,
    restarts: () => restarts,
    async prepare() {
      await stopping;
      stopping = undefined;
      if (!pcscd.running) {
        await pcscd.startService();
        restarts++;
      }
      // vpcd may take a moment after a restart before it accepts the card's connection.
      for (let attempt = 0; !(await card.stats()).inserted; attempt++) {
        try {
          await card.insert();
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
    async settle() {
      // A vpcd socket that closed (pcscd stopped, card removed) powers the card down in the worker
      // as soon as it notices: give it that moment before the card's state is read.
      for (let attempt = 0; attempt < 20; attempt++) {
        const stats = await card.stats();
        if (!stats.powered || stats.inserted) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    // Extended length (vpcd carries 64 KiB): the check is 5 APDUs, the certificate read 2. vpcd costs
    // ~45 ms per APDU and ~130 ms per power cycle, so fewer APDUs keep the matrix affordable.
    connect: () =>
      pcsc.connect(card.readerName, {
        share: 'exclusive',
        waitForCard: true,
        timeoutMs: 10_000,
        extendedLength: true,
      }),
    nativeFaults: [
      {
        name: 'pcscd-stopped',
        indexes: (count, verifyIndex) =>
          [...new Set([0, verifyIndex, count - 1])].filter((index) => index >= 0),
        arm: (at) => ({
          hold: {
            at,
            run: () => {
              stopping = pcscd.stopService();
              return stopping;
            },
          },
        }),
      },
    ],
    async [Symbol.asyncDispose]() {
      await pcsc.close().catch(() => undefined);
      await card.close().catch(() => undefined);
      await pcscd.stop();
    },
  };
}
