// Worker thread of VirtualCardHost (virtual-card-host.ts; the channel is the simulator's
// serveCardWorker): runs a simulator card and its vpcd
// connector on their own event loop, so that the card keeps answering pcscd while the test's
// main thread sits in a synchronous PC/SC call (SCardListReaders, SCardDisconnect, SCardStatus):
// with the card on the same thread, such a call would deadlock against pcscd's presence poll.
// Plain JavaScript: workers load files directly, without vitest's transform.
import { workerData } from 'node:worker_threads';
import {
  ATR_CONTACT,
  ATR_CONTACTLESS,
  createCardProfile,
  defaultKeyCacheDirectory,
  TestKeyStore,
  VirtualMyNumberCard,
} from '@kakunin/simulator';
import { injectCardFaults } from '@kakunin/simulator/faults';
import { serveCardWorker, VpcdConnector } from '@kakunin/simulator/vpcd';

const { profile: profileName, slot, faults, reconnectIntervalMs, atr } = workerData;
const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const profile = createCardProfile(profileName, {
  keyStore,
  ...(atr === 'contactless' ? { atr: ATR_CONTACTLESS } : atr === 'contact' ? { atr: ATR_CONTACT } : {}),
});
const plain = new VirtualMyNumberCard(profile.image);
const faulty = faults.length > 0 ? injectCardFaults(plain, faults) : undefined;
const inner = faulty ?? plain;

let commands = 0;
let stallNext = false;
const stalled = new Set();

/** The card as vpcd sees it: counts commands and can hold one back until removal. */
const card = {
  get atr() {
    return inner.atr;
  },
  powerOn: () => inner.powerOn(),
  powerOff: () => inner.powerOff(),
  warmReset: () => inner.warmReset(),
  process(command) {
    commands += 1;
    if (stallNext) {
      stallNext = false;
      return new Promise((_, reject) => stalled.add(reject));
    }
    return inner.process(command);
  },
  ...(faulty === undefined ? {} : { onRemoval: (listener) => faulty.onRemoval(listener) }),
};

const connector = new VpcdConnector({
  card,
  slot,
  ...(reconnectIntervalMs === undefined ? {} : { reconnectIntervalMs }),
});

function releaseStalls() {
  for (const reject of stalled) reject(new Error('stalled command: card removed'));
  stalled.clear();
}

const handlers = {
  insert: () => connector.insert(),
  remove: async () => {
    await connector.remove();
    releaseStalls();
  },
  stallNext: () => {
    stallNext = true;
  },
  restoreFaults: () => faulty?.restore(),
  stats: () => ({
    commands,
    inserted: connector.isInserted,
    faultEvents: faulty === undefined ? [] : [...faulty.events],
  }),
  close: async () => {
    await connector.close();
    releaseStalls();
  },
};

serveCardWorker(connector.readerName, handlers);
