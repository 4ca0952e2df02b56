import { readFileSync } from 'node:fs';
import { setFlagsFromString, writeHeapSnapshot } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MyNumberCard } from '@kakunin/core/jpki';
import { createCardProfile, VirtualMyNumberCard } from '@kakunin/simulator';
import { createSimulatedBleEnvironment } from '@kakunin/transport-ble/testing';
import { it } from 'vitest';
import { testKeyStore } from '../support/key-store.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function counts(file: string): Map<string, [number, number]> {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const f = snap.snapshot.meta.node_fields as string[];
  const types = snap.snapshot.meta.node_types[0] as string[];
  const n = f.length;
  const nodes = snap.nodes as number[];
  const strings = snap.strings as string[];
  const m = new Map<string, [number, number]>();
  for (let i = 0; i < nodes.length; i += n) {
    const key = `${types[nodes[i + f.indexOf('type')]!]}:${strings[nodes[i + f.indexOf('name')]!]}`.slice(
      0,
      80,
    );
    const e = m.get(key) ?? [0, 0];
    e[0]++;
    e[1] += nodes[i + f.indexOf('self_size')]!;
    m.set(key, e);
  }
  return m;
}

it('heapdiff', async () => {
  const profile = createCardProfile('plastic', { keyStore: testKeyStore() });
  await using world = createSimulatedBleEnvironment({
    readers: [{ serial: 'SOAK1', card: new VirtualMyNumberCard(profile.image) }],
  });
  const once = async () => {
    const c = MyNumberCard.open(await world.connect('ACR1255U-J1-SOAK1'));
    await c.check({ pin: '1234', challenge: new Uint8Array(32) });
    await c.close();
  };
  for (let i = 0; i < 300; i++) await once();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const a = counts(writeHeapSnapshot('/tmp/leak/a.heapsnapshot'));
  for (let i = 0; i < 1000; i++) await once();
  await new Promise((r) => setTimeout(r, 50));
  gc();
  const b = counts(writeHeapSnapshot('/tmp/leak/b.heapsnapshot'));
  const diff = [...b]
    .map(([k, [c, s]]) => [k, c - (a.get(k)?.[0] ?? 0), s - (a.get(k)?.[1] ?? 0)] as const)
    .filter(([, c]) => c > 200)
    .sort((x, y) => y[2] - x[2])
    .slice(0, 25);
  for (const d of diff) console.log(d.join('  '));
}, 600_000);
