/** The README's opening example, run as written (through the package's public entry point). */
import { verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { MyNumberCard } from '@kakunin/core/jpki';
import { expect, it } from 'vitest';
import { createVirtualCard, defaultKeyCacheDirectory, SimulatorProvider, TestKeyStore } from './index.js';

it('README example: read the auth certificate, verify the PIN, sign', async () => {
  const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });
  const provider = new SimulatorProvider({ card: createVirtualCard('plastic', { keyStore }) });

  await using card = MyNumberCard.open(await provider.connect(provider.readerId));
  const certificate = await card.readCertificate('auth');
  await card.verifyPin('auth', '1234');
  const signature = await card.sign('auth', new TextEncoder().encode('hello'));

  const publicKey = new X509Certificate(certificate).publicKey;
  expect(cryptoVerify('sha256', new TextEncoder().encode('hello'), publicKey, signature)).toBe(true);
});
