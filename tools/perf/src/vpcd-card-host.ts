/**
 * Child-process program: presents one counted simulator card in a vpcd slot of the real pcscd
 * and answers its parent (card-host.ts) over the IPC channel.
 *
 * Why a separate process: a PC/SC client in the parent may make synchronous PC/SC calls (the
 * `smartcard` binding's SCardStatus / SCardDisconnect) that pcscd can only answer after talking
 * to the card — if the card were served from the same thread, both would wait for each other.
 * A real card is another device; so is this one.
 *
 * Started by {@link CardHost.start}; argv: link-mode name, vpcd slot.
 *
 * @example
 * ```ts
 * const host = await CardHost.start('extended'); // forks this program
 * ```
 */
import { defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { VpcdConnector } from '@kakunin/simulator/vpcd';
import type { CardHostReply, CardHostRequest } from './card-host-protocol.js';
import { LINK_MODES, type LinkModeName, linkMode } from './link-modes.js';
import { type CountedCardOptionsJson, createCountedCard } from './simulated-check.js';

function reply(message: CardHostReply): void {
  if (process.connected) process.send?.(message);
}

async function main(): Promise<void> {
  const [modeName, slotText, cardJson] = process.argv.slice(2);
  if (!LINK_MODES.some((mode) => mode.name === modeName))
    throw new RangeError(`unknown link mode ${modeName}`);
  const slot = Number(slotText ?? '0');
  const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
  const counter = createCountedCard(linkMode(modeName as LinkModeName), {
    keyStore,
    ...(JSON.parse(cardJson ?? '{}') as CountedCardOptionsJson),
  });
  const connector = new VpcdConnector({ card: counter, slot });
  await connector.insert();
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= connector.close().catch(() => undefined);
    return stopping;
  };
  process.on('message', (request: CardHostRequest) => {
    switch (request.type) {
      case 'reset':
        counter.reset();
        reply({ type: 'done', id: request.id });
        break;
      case 'log':
        reply({ type: 'log', id: request.id, entries: [...counter.log], powerOns: counter.powerOns });
        break;
      case 'stop':
        // Answer first, then let go of the channel: the process ends when nothing is left open.
        void stop().then(() => {
          reply({ type: 'done', id: request.id });
          process.disconnect?.();
        });
        break;
    }
  });
  // The parent went away: leave the reader.
  process.on('disconnect', () => void stop());
  reply({ type: 'ready', readerName: connector.readerName });
}

main().catch((error: unknown) => {
  reply({
    type: 'failed',
    message: error instanceof Error ? `${error.message}\n${error.stack}` : String(error),
  });
  process.exitCode = 1;
  process.disconnect?.();
});
