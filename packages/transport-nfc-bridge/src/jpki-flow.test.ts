/**
 * The bridge's end-to-end proof: a full JPKI read and a PIN-mode signature through the bridge — core's
 * MyNumberCard on the PC ⇄ real WebSocket ⇄ reference relay ⇄ the simulator's virtual My Number
 * card standing in for the phone's NFC. Tests may use the simulator and core's jpki layer; the
 * package source may not.
 */
import {
  buildDigestInfo,
  hash,
  MyNumberCard,
  rsaPublicKeyFromCertificate,
  rsaVerifyDigestInfo,
} from '@kakunin/core/jpki';
import {
  createVirtualCard,
  defaultKeyCacheDirectory,
  SimulatorProvider,
  TestKeyStore,
} from '@kakunin/simulator';
import { describe, expect, it } from 'vitest';
import type { PhoneCapabilities } from './protocol/phone-report.js';
import { useBridgeFixture, viaProxy } from './test-support/bridge-fixture.js';
import { containsBytes } from './test-support/tcp-proxy.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
const PIN = '1234'; // the simulator's synthetic person's auth PIN
const bridge = useBridgeFixture();

async function bridgeToSimulator(capabilities: Partial<PhoneCapabilities>) {
  const card = createVirtualCard('plastic', { keyStore });
  const sim = new SimulatorProvider({ card });
  bridge.defer(() => sim.close());
  const { provider } = await bridge.listen();
  const proxy = await bridge.proxy(provider.port);
  const offer = provider.createPairing();
  await bridge.relay(viaProxy(offer.url, proxy.port), sim, { device: 'Simulated phone', capabilities });
  const reader = await offer.paired;
  return { card, provider, proxy, reader };
}

describe('JPKI through the NFC bridge (relay + simulator card)', () => {
  it.each([
    ['an Android phone with the default 261-byte transceive limit', {}],
    [
      'a phone with extended-length APDUs',
      { extendedLength: true, maxTransceiveLength: 65_544, maxResponseLength: 65_538 },
    ],
  ] as Array<[string, Partial<PhoneCapabilities>]>)(
    'full read and PIN-mode signature on %s',
    async (_name, capabilities) => {
      const { card, provider, proxy, reader } = await bridgeToSimulator(capabilities);
      const transport = await provider.connect(reader.id, {
        waitForCard: true,
        timeoutMs: 5000,
        share: 'exclusive',
      });
      expect([...transport.atr]).toEqual([...card.atr]);
      expect(transport.capabilities.extendedLength).toBe(capabilities.extendedLength === true);
      const myna = MyNumberCard.open(transport);

      // The full JPKI read: identity, both public certificates, the PIN counter.
      const identity = await myna.detect();
      expect(identity.kind).toBe('mynumber-card');
      const authCertificate = await myna.readCertificate('auth');
      const authCa = await myna.readCertificate('authCA');
      const signCa = await myna.readCertificate('signCA');
      for (const der of [authCertificate, authCa, signCa]) {
        expect(der[0]).toBe(0x30); // DER SEQUENCE
        expect(der.length).toBeGreaterThan(500);
      }
      expect(await myna.pinStatus('auth')).toMatchObject({ triesLeft: 3, blocked: false });

      // PIN-mode identity check: VERIFY + signature over the challenge with the auth key.
      const challenge = crypto.getRandomValues(new Uint8Array(32));
      const result = await myna.check({ pin: PIN, challenge });
      expect(result.triesLeftBefore).toBe(3);
      expect(result.signature.length).toBe(256);
      expect(result.certificate).toEqual(authCertificate);
      const publicKey = rsaPublicKeyFromCertificate(result.certificate);
      expect(
        rsaVerifyDigestInfo(publicKey, result.signature, buildDigestInfo(hash('sha256', challenge))),
      ).toBe(true);
      await myna.close();

      // Nothing of the PIN on the wire: neither the digits nor the VERIFY APDU.
      const wire = proxy.bytes;
      expect(wire.length).toBeGreaterThan(authCertificate.length);
      expect(containsBytes(wire, new TextEncoder().encode(PIN))).toBe(false);
      expect(containsBytes(wire, Uint8Array.of(0x00, 0x20, 0x00, 0x81, 0x04, 0x31, 0x32, 0x33, 0x34))).toBe(
        false,
      );
      // Certificates are public, but the link hides them too (confidentiality of the whole channel).
      expect(containsBytes(wire, authCertificate.subarray(0, 64))).toBe(false);

      // Closing unpowered the card through the phone: a fresh connection must present the PIN again.
      const again = await provider.connect(reader.id, { waitForCard: true, timeoutMs: 5000 });
      const fresh = MyNumberCard.open(again);
      await expect(fresh.sign('auth', challenge)).rejects.toMatchObject({
        code: 'SECURITY_STATUS_NOT_SATISFIED',
      });
      await fresh.close();
    },
  );

  it('a wrong PIN reports tries left through the bridge and is never retried', async () => {
    const { provider, reader } = await bridgeToSimulator({});
    const transport = await provider.connect(reader.id, { waitForCard: true, timeoutMs: 5000 });
    const myna = MyNumberCard.open(transport);
    const error = await myna
      .check({ pin: '9999', challenge: new Uint8Array(32) })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'PIN_INCORRECT', details: { triesLeft: 2 } });
    await myna.close();
  });
});
