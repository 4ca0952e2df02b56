// The README example: a PIN-mode check through a simulated ACR1255U-J1 holding the virtual
// My Number card — real noble code, real framing, mutual authentication and AES, no radio.
// Run from the repository root after `pnpm install && pnpm -s turbo run build`:
//   node packages/transport-ble/examples/pin-check-over-ble.mjs
import { MyNumberCard } from '@kakunin/core/jpki';
import { createVirtualCard, defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { createSimulatedBleEnvironment } from '@kakunin/transport-ble/testing';

const card = createVirtualCard('plastic', {
  keyStore: new TestKeyStore({ directory: defaultKeyCacheDirectory() }),
});
const provider = createSimulatedBleEnvironment({ readers: [{ serial: '003152', card }] });
try {
  const [reader] = await provider.listReaders();
  console.log(reader.label, reader.cardPresent); // sim:ACR1255U-J1-003152 v2 [c0:ff:ee:00:31:52] true

  const myNumberCard = MyNumberCard.open(await provider.connect(reader.id, { share: 'exclusive' }));
  const challenge = crypto.getRandomValues(new Uint8Array(32));
  const result = await myNumberCard.check({ pin: '1234', challenge });
  console.log(result.apduCount, result.signature.length, result.certificate.length);
  await myNumberCard.close(); // powers the card off: the verified PIN does not outlive the connection
} finally {
  await provider.close();
}
