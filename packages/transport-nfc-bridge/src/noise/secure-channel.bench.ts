/**
 * Costs of the bridge's cryptography on the PC: one NKpsk0 handshake (both sides), sealing and
 * opening a short APDU frame and a 4 KiB response frame.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { bench, describe } from 'vitest';
import { NoiseHandshake } from './noise-handshake.js';
import { SecureChannel } from './secure-channel.js';

const secretKey = new Uint8Array(32).fill(1);
const staticKeyPair = { secretKey, publicKey: x25519.getPublicKey(secretKey) };
const psk = new Uint8Array(32).fill(2);
const prologue = new TextEncoder().encode('kakunin-bridge/1');

function handshake(): [SecureChannel, SecureChannel] {
  const phone = new NoiseHandshake({
    pattern: 'NKpsk0',
    initiator: true,
    prologue,
    remoteStaticPublicKey: staticKeyPair.publicKey,
    psk,
  });
  const pc = new NoiseHandshake({ pattern: 'NKpsk0', initiator: false, prologue, staticKeyPair, psk });
  pc.readMessage(phone.writeMessage(new Uint8Array(200)));
  phone.readMessage(pc.writeMessage(new Uint8Array(100)));
  return [new SecureChannel(phone.split()), new SecureChannel(pc.split())];
}

describe('bridge crypto', () => {
  bench('NKpsk0 handshake, both sides', () => {
    handshake();
  });

  const [sender, receiver] = handshake();
  const apdu = new Uint8Array(270);
  bench('seal + open a 270-byte APDU message', () => {
    receiver.open(sender.seal(apdu));
  });

  const [sender4k, receiver4k] = handshake();
  const response = new Uint8Array(4096);
  bench('seal + open a 4 KiB response message', () => {
    receiver4k.open(sender4k.seal(response));
  });
});
