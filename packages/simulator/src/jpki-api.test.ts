/**
 * The JPKI API (`@kakunin/core/jpki`) against the virtual card: every profile the API must handle
 * and every PIN path. The card is the real simulator (byte-faithful APDU handling), not a mock.
 */
import { createPublicKey, verify, X509Certificate } from 'node:crypto';
import { MyNumberCard } from '@kakunin/core/jpki';
import { CardError } from '@kakunin/core/transport';
import { describe, expect, it } from 'vitest';
import { defaultKeyCacheDirectory, JPKI_EF, TestKeyStore } from './index.js';
import { createCardProfile } from './profiles/card-profile.js';
import { createVirtualCard } from './profiles/create-virtual-card.js';
import { SimulatorProvider } from './transport/simulator-provider.js';

const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });

async function open(
  profile: Parameters<typeof createVirtualCard>[0],
  options: Parameters<typeof createVirtualCard>[1] = {},
) {
  const card = createVirtualCard(profile, { keyStore, ...options });
  const provider = new SimulatorProvider({ card });
  const transport = await provider.connect(provider.readerId);
  return { virtualCard: card, provider, myNumberCard: MyNumberCard.open(transport) };
}

async function rejection(promise: Promise<unknown>): Promise<CardError> {
  try {
    await promise;
  } catch (error) {
    if (CardError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a CardError');
}

describe('JPKI API on the virtual card', () => {
  it('detects the plastic card by token label and reads all free certificates', async () => {
    const { myNumberCard } = await open('plastic');
    expect(await myNumberCard.detect()).toEqual({
      kind: 'mynumber-card',
      tokenLabel: 'JPKIAPICCTOKEN2',
      hasSignCertificate: true,
    });
    const auth = new X509Certificate(await myNumberCard.readCertificate('auth'));
    const authCa = new X509Certificate(await myNumberCard.readCertificate('authCA'));
    expect(auth.checkIssued(authCa)).toBe(true);
    expect(auth.verify(authCa.publicKey)).toBe(true);
    expect(new X509Certificate(await myNumberCard.readCertificate('signCA')).subject).toMatch(
      /kakunin Test JPKI/,
    );
    await myNumberCard.close();
  });

  it('the sign certificate needs the signing password (upper-cased), then reads and signs', async () => {
    const { myNumberCard } = await open('plastic');
    expect((await rejection(myNumberCard.readCertificate('sign'))).code).toBe(
      'SECURITY_STATUS_NOT_SATISFIED',
    );
    await myNumberCard.verifyPin('sign', 'kakunin1');
    const certificate = new X509Certificate(await myNumberCard.readCertificate('sign'));
    const message = new TextEncoder().encode('契約書 v1');
    const signature = await myNumberCard.sign('sign', message, { verify: true });
    expect(
      verify(
        'sha256',
        message,
        createPublicKey(certificate.publicKey.export({ format: 'pem', type: 'spki' })),
        signature,
      ),
    ).toBe(true);
    await myNumberCard.close();
  });

  it('Android: auth certificate only after the auth PIN; token JPKIAPGPSETOKEN', async () => {
    const { myNumberCard } = await open('android');
    expect((await myNumberCard.detect()).kind).toBe('android');
    expect((await rejection(myNumberCard.readCertificate('auth'))).code).toBe(
      'SECURITY_STATUS_NOT_SATISFIED',
    );
    await myNumberCard.verifyPin('auth', '1234');
    expect((await myNumberCard.readCertificate('auth')).length).toBeGreaterThan(800);
    await myNumberCard.close();
  });

  it('child card: no sign certificate, auth works', async () => {
    const { myNumberCard } = await open('child');
    expect(await myNumberCard.detect()).toMatchObject({ kind: 'mynumber-card', hasSignCertificate: false });
    expect((await rejection(myNumberCard.readCertificate('sign'))).code).toMatch(
      /CERT_ABSENT|FILE_ABSENT|FILE_NOT_FOUND|SECURITY_STATUS_NOT_SATISFIED/,
    );
    const result = await myNumberCard.check({ pin: '1234', challenge: new Uint8Array(32).fill(1) });
    expect(result.certificate.length).toBeGreaterThan(800);
    await myNumberCard.close();
  });

  it('pin status spends no try; a wrong PIN spends exactly one and reports tries left', async () => {
    const { myNumberCard, virtualCard } = await open('plastic');
    expect(await myNumberCard.pinStatus('auth')).toEqual({ triesLeft: 3, blocked: false, maxTries: 3 });
    expect(await myNumberCard.pinStatus('auth')).toEqual({ triesLeft: 3, blocked: false, maxTries: 3 });
    const error = await rejection(myNumberCard.verifyPin('auth', '9999'));
    expect(error.code).toBe('PIN_INCORRECT');
    expect(error.details.triesLeft).toBe(2);
    // The card's own counter agrees: exactly one try was spent.
    expect(virtualCard.pinStatus('jpki', JPKI_EF.AUTH_PIN)?.triesLeft).toBe(2);
    expect((await myNumberCard.pinStatus('auth')).triesLeft).toBe(2);
    await myNumberCard.verifyPin('auth', '1234');
    expect((await myNumberCard.pinStatus('auth')).triesLeft).toBe(3);
    await myNumberCard.close();
  });

  it('refuses the last try, spends it only with allowLastTry, then reports blocked without VERIFY', async () => {
    const { myNumberCard } = await open('plastic', { triesLeft: { authPin: 1 } });
    const refused = await rejection(myNumberCard.verifyPin('auth', '1234'));
    expect(refused.code).toBe('LAST_TRY_REFUSED');
    expect((await myNumberCard.pinStatus('auth')).triesLeft).toBe(1);
    const blocked = await rejection(myNumberCard.verifyPin('auth', '0000', { allowLastTry: true }));
    expect(blocked.code).toBe('PIN_BLOCKED');
    expect(await myNumberCard.pinStatus('auth')).toMatchObject({ triesLeft: 0, blocked: true });
    expect((await rejection(myNumberCard.verifyPin('auth', '1234', { allowLastTry: true }))).code).toBe(
      'PIN_BLOCKED',
    );
    await myNumberCard.close();
  });

  it('the blocked profile is refused before any VERIFY', async () => {
    const { myNumberCard } = await open('blocked');
    const error = await rejection(myNumberCard.check({ pin: '1234', challenge: new Uint8Array(32) }));
    expect(error.code).toBe('PIN_BLOCKED');
    expect(error.remedy).toBe('pin.blocked');
    await myNumberCard.close();
  });

  it('changes the auth PIN (old verified first) and the new one works after power-off', async () => {
    const { myNumberCard, provider } = await open('plastic');
    await myNumberCard.changePin('auth', '1234', '5678');
    await myNumberCard.close();
    const again = MyNumberCard.open(await provider.connect(provider.readerId));
    expect((await rejection(again.verifyPin('auth', '1234'))).code).toBe('PIN_INCORRECT');
    await again.verifyPin('auth', '5678');
    await again.close();
  });

  it('close after VERIFY unpowers the card: the next connection must verify again', async () => {
    const { myNumberCard, provider } = await open('plastic');
    await myNumberCard.verifyPin('auth', '1234');
    await myNumberCard.sign('auth', new Uint8Array([1, 2, 3]));
    await myNumberCard.close();
    const again = MyNumberCard.open(await provider.connect(provider.readerId));
    expect((await rejection(again.sign('auth', new Uint8Array([1, 2, 3])))).code).toBe(
      'SECURITY_STATUS_NOT_SATISFIED',
    );
    await again.close();
  });

  it('text AP: my number and basic four with the card-info PIN, integrity record verified', async () => {
    const { myNumberCard } = await open('plastic');
    const profile = createCardProfile('plastic', { keyStore });
    await myNumberCard.verifyPin('text', '1234');
    expect(await myNumberCard.readMyNumber()).toBe(profile.credentials.verificationNumberA);
    const basic = await myNumberCard.readBasicFour();
    expect(basic.name).toBe('𠮷川　誠');
    expect(basic.birthDate).toBe('19581017');
    expect(basic.sex).toBe('male');
    expect(basic.address).toContain('山﨑ハイツ');
    const integrity = await myNumberCard.verifyTextIntegrity();
    expect(integrity).toEqual({
      valid: true,
      myNumberDigestMatches: true,
      basicFourDigestMatches: true,
      signatureValid: true,
    });
    await myNumberCard.close();
  });

  it('text AP with 照合番号A opens my number but not the basic four', async () => {
    const { myNumberCard } = await open('plastic');
    const profile = createCardProfile('plastic', { keyStore });
    await myNumberCard.verifyPin('textA', profile.credentials.verificationNumberA);
    expect(await myNumberCard.readMyNumber()).toBe(profile.credentials.verificationNumberA);
    expect((await rejection(myNumberCard.readBasicFour())).code).toBe('SECURITY_STATUS_NOT_SATISFIED');
    await myNumberCard.close();
  });

  it('card-face AP via 照合番号B: PNG images, JPEG 2000 photo, birth date, expiry', async () => {
    const { myNumberCard } = await open('plastic');
    const profile = createCardProfile('plastic', { keyStore });
    await myNumberCard.verifyPin('faceB', profile.credentials.verificationNumberB);
    const face = await myNumberCard.readCardFace();
    const PNG = [0x89, 0x50, 0x4e, 0x47];
    expect(Array.from(face.nameImage.subarray(0, 4))).toEqual(PNG);
    expect(Array.from(face.addressImage.subarray(0, 4))).toEqual(PNG);
    expect(Array.from(face.photo.subarray(4, 8))).toEqual([0x6a, 0x50, 0x20, 0x20]); // JP2 signature box type 'jP  '
    expect(face.birthDate).toBe('19581017');
    expect(face.expiry).toBe('20351017');
    await myNumberCard.close();
  });

  it('a PIN that is not 4 digits never reaches the card', async () => {
    const { myNumberCard } = await open('plastic');
    expect((await rejection(myNumberCard.verifyPin('auth', '12345'))).code).toBe('PIN_FORMAT');
    expect((await myNumberCard.pinStatus('auth')).triesLeft).toBe(3);
    expect((await rejection(myNumberCard.verifyPin('sign', 'abc'))).code).toBe('PIN_FORMAT');
    await myNumberCard.close();
  });

  it('the damaged chip is a typed error with the damaged-card remedy', async () => {
    const { myNumberCard } = await open('damaged');
    const error = await rejection(myNumberCard.detect());
    expect(error.remedy).toBe('card.damaged');
    await myNumberCard.close();
  });

  it('short-only card: the check still completes in ≤ 11 APDUs', async () => {
    const { myNumberCard } = await open('plastic', { extendedLength: false });
    const result = await myNumberCard.check({ pin: '1234', challenge: new Uint8Array(32).fill(9) });
    expect(result.apduCount).toBeLessThanOrEqual(11);
    expect(myNumberCard.linkFacts.extendedRead).toBe(false);
    await myNumberCard.close();
  });
});
