// Worker thread of CardWorkerHost (card-worker-host.ts; the channel is the simulator's
// serveCardWorker): the virtual My Number card behind vpcd on
// its own event loop. pcsc-lite's synchronous calls (SCardListReaders, SCardStatus,
// SCardDisconnect) block the thread that makes them while pcscd may be polling the card; a card
// on that same thread would deadlock (tools/pcscd/src/virtual-card-host.ts explains the same).
// It is the worker twin of faults/faultable-card.ts: renewable card (full PIN counters), per-run
// fault plan (the simulator's FaultInjector; a firing remove/drop takes the card out of the
// reader), counts of commands and of PIN-bearing VERIFYs that reached the card, and a hook that
// holds command N until the main thread has acted (pcscd stopped mid-command).
// Plain JavaScript: workers load files directly, without vitest's transform.
import { workerData } from 'node:worker_threads';
import {
  createCardProfile,
  defaultKeyCacheDirectory,
  TestKeyStore,
  VirtualMyNumberCard,
} from '@kakunin/simulator';
import { FaultInjector } from '@kakunin/simulator/faults';
import { serveCardWorker, VpcdConnector } from '@kakunin/simulator/vpcd';

/** ISO 7816-4 VERIFY; a command longer than header + Lc carries a PIN. */
const INS_VERIFY = 0x20;
const VERIFY_WITH_DATA_MIN_LENGTH = 6;
/** JPKI auth PIN key EF (jpki-card.md §3.1). */
const AUTH_PIN_EF = 0x0018;

const { profile: profileName, slot, reconnectIntervalMs } = workerData;
const profile = createCardProfile(profileName, {
  keyStore: new TestKeyStore({ directory: defaultKeyCacheDirectory() }),
});

let plain = new VirtualMyNumberCard(profile.image);
let injector;
let hookAt = -1;
let index = 0;
let commands = 0;
let pinVerifications = 0;
let hookFired = 0;
const removalListeners = new Set();

const card = {
  get atr() {
    return plain.atr;
  },
  powerOn: () => plain.powerOn(),
  powerOff: () => plain.powerOff(),
  warmReset: () => plain.warmReset(),
  onRemoval(listener) {
    removalListeners.add(listener);
    return () => removalListeners.delete(listener);
  },
  async process(command) {
    const current = index++;
    if (current === hookAt) {
      hookFired++;
      // Hold the command until the main thread acted (e.g. stopped pcscd).
      await channel.holdUntilHost(current);
    }
    const forward = (bytes) => {
      commands++;
      if (bytes[1] === INS_VERIFY && bytes.length >= VERIFY_WITH_DATA_MIN_LENGTH) pinVerifications++;
      return plain.process(bytes);
    };
    return injector === undefined ? forward(command) : injector.run(command, forward);
  },
};

const connector = new VpcdConnector({
  card,
  slot,
  ...(reconnectIntervalMs === undefined ? {} : { reconnectIntervalMs }),
  // The vpcd socket is the reader's contacts: when it goes (card removed, pcscd stopped) the card
  // loses power, and with it every verified PIN, as a real card does.
  onEvent: (event) => {
    if (event.type === 'disconnected' && plain.powered) plain.powerOff();
  },
});

const handlers = {
  insert: () => connector.insert(),
  remove: () => connector.remove(),
  renew: () => {
    const powered = plain.powered;
    plain = new VirtualMyNumberCard(profile.image);
    if (powered) plain.powerOn();
  },
  arm: ({ rules, hookAt: at }) => {
    index = 0;
    commands = 0;
    pinVerifications = 0;
    hookFired = 0;
    hookAt = at ?? -1;
    injector = rules === undefined || rules.length === 0 ? undefined : new FaultInjector(rules);
    injector?.onRemoval((reason) => {
      for (const listener of [...removalListeners]) listener(reason);
    });
  },
  stats: () => {
    const status = plain.pinStatus('jpki', AUTH_PIN_EF);
    return {
      commands,
      pinVerifications,
      fired: (injector?.events.length ?? 0) + hookFired,
      authTriesLeft: status?.triesLeft ?? -1,
      authVerified: status?.verified === true,
      inserted: connector.isInserted,
      powered: plain.powered,
    };
  },
  close: () => connector.close(),
};

const channel = serveCardWorker(connector.readerName, handlers);
