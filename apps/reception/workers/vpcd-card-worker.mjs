// Worker thread of the reception app's vpcd card presenter (src/simulator/vpcd-card-presenter.ts):
// the desk's virtual cards and their vpcd connector run on this thread's event loop, so a card
// keeps answering pcscd while the app's main thread sits in a synchronous PC/SC call (with the
// card on the same thread, such a call deadlocks against pcscd's presence poll). The cards are
// built exactly like the desk builds them (simulator-desk.ts: `<seed>-<name>`, the `revoked` card
// is a plastic card of its own person), from the simulator's on-disk key cache.
// Plain JavaScript: a worker loads its file directly, without a TypeScript build.
import { parentPort, workerData } from 'node:worker_threads';
import { createCardProfile, TestKeyStore, VirtualMyNumberCard } from '@kakunin/simulator';
import { TestPki } from '@kakunin/simulator/pki';
import { VpcdConnector } from '@kakunin/simulator/vpcd';

const { seed, keyCacheDirectory, slot, host, presenceTimeoutMs, reconnectIntervalMs } = workerData;
const keyStore = new TestKeyStore({ directory: keyCacheDirectory });
const pki = new TestPki({ seed, keyStore });
/** The desk's extra card: a plastic card whose auth certificate the test CA revoked. */
const REVOKED = 'revoked';
const cards = new Map();
let connector;

function cardOf(name) {
  let card = cards.get(name);
  if (card === undefined) {
    const profile = createCardProfile(name === REVOKED ? 'plastic' : name, { seed: `${seed}-${name}`, pki });
    card = new VirtualMyNumberCard(profile.image);
    cards.set(name, card);
  }
  return card;
}

async function remove() {
  const open = connector;
  connector = undefined;
  await open?.close();
}

const handlers = {
  async insert({ name }) {
    await remove();
    const next = new VpcdConnector({
      card: cardOf(name),
      slot,
      host,
      presenceTimeoutMs,
      reconnectIntervalMs,
    });
    connector = next;
    try {
      await next.insert();
    } catch (error) {
      if (connector === next) connector = undefined;
      await next.close().catch(() => undefined);
      throw error;
    }
  },
  remove,
  forget({ names }) {
    for (const name of names) cards.delete(name);
  },
  close: remove,
};

parentPort.on('message', async (message) => {
  try {
    await handlers[message.method](message);
    parentPort.postMessage({ id: message.id });
  } catch (error) {
    parentPort.postMessage({
      id: message.id,
      error: { message: error?.message ?? String(error), code: error?.code },
    });
  }
});
