// A second process for contention tests: connects to a reader with the built package
// (dist/index.js), reports on stdout (one JSON object per line), and on stdin obeys
// "transmit" (SELECT JPKI AP) and "release" (close and exit).
import { createInterface } from 'node:readline';
import { createPcscProvider } from '../../dist/index.js';

const [readerName, share] = process.argv.slice(2);
const SELECT_JPKI_AP = Uint8Array.from(Buffer.from('00a4040c0ad392f000260100000001', 'hex'));
const say = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

const provider = createPcscProvider();
let transport;
try {
  transport = await provider.connect(readerName, { share, waitForCard: true, timeoutMs: 10_000 });
  say({ ready: true, exclusive: transport.exclusive });
} catch (error) {
  say({ error: { code: error.code, remedy: error.remedy } });
  await provider.close();
  process.exit(0);
}
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'transmit') {
    try {
      const response = await transport.transmit(SELECT_JPKI_AP);
      say({ sw: Array.from(response.slice(-2), (byte) => byte.toString(16).padStart(2, '0')).join('') });
    } catch (error) {
      say({ error: { code: error.code } });
    }
  } else if (line === 'release') {
    await provider.close();
    say({ released: true });
    process.exit(0);
  }
}
