import { x25519 } from '@noble/curves/ed25519.js';
import { describe, expect, it } from 'vitest';
import { encodeTransportHeader } from '../protocol/frame-codec.js';
import { NoiseHandshake } from './noise-handshake.js';
import { closeCodeFor, SecureChannel } from './secure-channel.js';

/** A session; the same `seed` gives the same keys (so a fresh receiver can be made per probe). */
function session(seed?: number): [SecureChannel, SecureChannel] {
  const random = (fill: number): Uint8Array =>
    seed === undefined ? crypto.getRandomValues(new Uint8Array(32)) : new Uint8Array(32).fill(seed + fill);
  const secretKey = random(1);
  const staticKeyPair = { secretKey, publicKey: x25519.getPublicKey(secretKey) };
  const psk = random(2);
  const prologue = new Uint8Array([1]);
  const phone = new NoiseHandshake({
    pattern: 'NKpsk0',
    initiator: true,
    prologue,
    remoteStaticPublicKey: staticKeyPair.publicKey,
    psk,
    generateSecretKey: () => random(3),
  });
  const pc = new NoiseHandshake({
    pattern: 'NKpsk0',
    initiator: false,
    prologue,
    staticKeyPair,
    psk,
    generateSecretKey: () => random(4),
  });
  pc.readMessage(phone.writeMessage(new Uint8Array(0)));
  phone.readMessage(pc.writeMessage(new Uint8Array(0)));
  return [new SecureChannel(phone.split()), new SecureChannel(pc.split())];
}

const reason = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (error) {
    return (
      (error as { code: string; details: { reason: string } }).code +
      ':' +
      (error as { details: { reason: string } }).details.reason
    );
  }
  return 'accepted';
};

describe('SecureChannel', () => {
  it('carries messages both ways with increasing sequence numbers', () => {
    const [phone, pc] = session();
    for (let index = 0; index < 5; index += 1) {
      expect(pc.open(phone.seal(Uint8Array.of(index)))).toEqual(Uint8Array.of(index));
      expect(phone.open(pc.seal(Uint8Array.of(index, index)))).toEqual(Uint8Array.of(index, index));
    }
    expect(phone.sentFrames).toBe(5);
    expect(pc.receivedFrames).toBe(5);
    expect(phone.sessionId).toEqual(pc.sessionId);
  });

  it('rejects a replayed frame and stays dead afterwards', () => {
    const [phone, pc] = session();
    const frame = phone.seal(Uint8Array.of(1));
    pc.open(frame);
    expect(reason(() => pc.open(frame))).toBe('PEER_REJECTED:replay');
    expect(reason(() => pc.open(phone.seal(Uint8Array.of(2))))).toBe('PEER_REJECTED:replay');
  });

  it('rejects reordering', () => {
    const [phone, pc] = session();
    phone.seal(Uint8Array.of(1));
    expect(reason(() => pc.open(phone.seal(Uint8Array.of(2))))).toBe('PEER_REJECTED:reorder');
  });

  it('rejects every single-bit flip of a frame', () => {
    const [phone, control] = session(10);
    const frame = phone.seal(new Uint8Array(4));
    expect(control.open(frame)).toEqual(new Uint8Array(4)); // the untouched frame is accepted
    for (let index = 0; index < frame.length; index += 1) {
      const [, pc] = session(10);
      const tampered = frame.slice();
      tampered[index]! ^= 0x80;
      expect(reason(() => pc.open(tampered))).toMatch(/^PEER_REJECTED:/);
    }
  });

  it('rejects a tampered ciphertext of the right session', () => {
    const [phone, pc] = session();
    const frame = phone.seal(new Uint8Array(4));
    frame[frame.length - 1]! ^= 1;
    expect(reason(() => pc.open(frame))).toBe('PEER_REJECTED:authentication');
  });

  it('rejects a frame from another session, even with a forged session id', () => {
    const [oldPhone] = session();
    const [, pc] = session();
    const old = oldPhone.seal(Uint8Array.of(1));
    expect(reason(() => pc.open(old))).toBe('PEER_REJECTED:session');
    const [, pc2] = session();
    const forged = old.slice();
    forged.set(encodeTransportHeader(pc2.sessionId, 0), 0);
    expect(reason(() => pc2.open(forged))).toBe('PEER_REJECTED:authentication');
  });

  it('refuses to seal after destroy and maps reasons to close codes', () => {
    const [phone] = session();
    phone.destroy();
    expect(reason(() => phone.seal(Uint8Array.of(1)))).toBe('PEER_REJECTED:closed');
    expect(closeCodeFor('authentication')).toBe(4001);
    expect(closeCodeFor('replay')).toBe(4007);
    expect(closeCodeFor('too-large')).toBe(4006);
    expect(closeCodeFor('malformed')).toBe(4000);
  });
});
