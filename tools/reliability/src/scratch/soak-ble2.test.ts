import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MyNumberCard } from '@kakunin/core/jpki';
import { createCardProfile, VirtualMyNumberCard } from '@kakunin/simulator';
import { createSimulatedBleEnvironment } from '@kakunin/transport-ble/testing';
import { it } from 'vitest';
import { testKeyStore } from '../support/key-store.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

it('soak ble2', async () => {
  const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
  await using world = createSimulatedBleEnvironment({
    readers: [{ serial: 'SOAK1', card: new VirtualMyNumberCard(profile.image) }],
  });
  const mode = process.env.KMODE;
  const transport = mode === 'one' ? await world.connect('ACR1255U-J1-SOAK1') : undefined;
  const once = async () => {
    const t = transport ?? (await world.connect('ACR1255U-J1-SOAK1'));
    if (mode === 'connect') {
      await t.close();
      return;
    }
    const card = new MyNumberCard(new (await import('@kakunin/core/iso7816')).CardSession(t));
    await card.pinStatus('auth');
    if (transport === undefined) await card.close();
  };
  for (let i = 0; i < 200; i++) await once();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const a = process.memoryUsage().heapUsed;
  for (let i = 0; i < 1000; i++) await once();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const b = process.memoryUsage().heapUsed;
  console.log(mode, 'heap/op', ((b - a) / 1000).toFixed(0), 'writes', world.readers[0]!.writeSizes.length);
}, 600_000);
