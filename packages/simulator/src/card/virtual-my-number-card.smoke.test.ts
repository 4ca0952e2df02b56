import { describe, expect, it } from 'vitest';
import { AID, JPKI_EF } from './card-identifiers.js';
import { poweredCard, readWhole, selectAid, send, verify, selectEf } from '../test-support/fixtures.js';

describe('smoke', () => {
  it('reads the auth certificate and verifies the PIN', async () => {
    const card = poweredCard('plastic');
    expect((await send(card, selectAid(AID.JPKI))).sw).toBe(0x9000);
    const cert = await readWhole(card, JPKI_EF.AUTH_CERTIFICATE);
    expect(cert.sw).toBe(0x9000);
    expect(cert.bytes[0]).toBe(0x30);
    await send(card, selectEf(JPKI_EF.AUTH_PIN));
    expect((await send(card, verify(undefined))).sw).toBe(0x63c3);
    expect((await send(card, verify('1234'))).sw).toBe(0x9000);
  });
});
