import { describe, expect, it } from 'vitest';
import { ScriptedCard } from './testing/scripted-card.js';
import { createSimulatedBleEnvironment } from './testing/simulated-environment.js';

describe('smoke', () => {
  it('connects and transmits', async () => {
    await using world = createSimulatedBleEnvironment({ readers: [{ card: new ScriptedCard() }] });
    const readers = await world.provider.listReaders();
    expect(readers).toHaveLength(1);
    const transport = await world.provider.connect(readers[0]!.id);
    const response = await transport.transmit(Uint8Array.of(0x00, 0xa4, 0x04, 0x0c, 0x02, 0x3f, 0x00));
    expect([...response]).toEqual([0x90, 0x00]);
    await transport.close();
  });
});
