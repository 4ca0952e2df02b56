// The simulator card and the PC/SC client in ONE thread, as most tests across the repo use them:
// connect / transmit / reset / close / list / watch cycles must never deadlock against pcscd
// (pcsc-lite's synchronous calls block this thread while pcscd may wait for the card).
// Prints one JSON line with what it did; the parent test kills it if it hangs.
import { createVirtualCard, defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { VpcdConnector } from '@kakunin/simulator/vpcd';
import { createPcscProvider } from '../../dist/index.js';

const SELECT_JPKI_AP = Uint8Array.from(Buffer.from('00a4040c0ad392f000260100000001', 'hex'));
const cycles = Number(process.argv[2] ?? '10');
const card = createVirtualCard('plastic', {
  keyStore: new TestKeyStore({ directory: defaultKeyCacheDirectory() }),
});
const connector = new VpcdConnector({ card, slot: 0 });
await connector.insert();
const provider = createPcscProvider();
const events = [];
const controller = new AbortController();
const watching = (async () => {
  for await (const event of provider.watch({ signal: controller.signal })) events.push(event.type);
})();
let transmits = 0;
for (let cycle = 0; cycle < cycles; cycle += 1) {
  const share = cycle % 2 === 0 ? 'exclusive' : 'shared';
  const transport = await provider.connect(connector.readerName, {
    share,
    waitForCard: true,
    timeoutMs: 10_000,
  });
  const response = await transport.transmit(SELECT_JPKI_AP);
  if (response.at(-2) !== 0x90) throw new Error('SELECT failed');
  transmits += 1;
  if (cycle % 3 === 0) await transport.reset(cycle % 2 === 0 ? 'cold' : 'warm');
  await provider.listReaders();
  await transport.close(); // default disposition: unpower
  if (cycle % 4 === 3) {
    await connector.remove();
    await connector.insert();
  }
}
controller.abort();
await watching;
await provider.close();
await connector.close();
process.stdout.write(`${JSON.stringify({ cycles, transmits, events: [...new Set(events)].sort() })}\n`);
