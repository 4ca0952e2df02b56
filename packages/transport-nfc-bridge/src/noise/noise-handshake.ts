/**
 * A small Noise HandshakeState (Noise Protocol Framework rev 34 §5.3) for the patterns this bridge
 * needs: `NKpsk0` for pairing (§7.5, §9.4) plus `NN` and `NK`, kept so the engine can be checked
 * against published test vectors. Suite: 25519, ChaChaPoly, SHA256. The phone is the initiator.
 *
 * @example
 * ```ts
 * const phone = new NoiseHandshake({ pattern: 'NKpsk0', initiator: true, prologue,
 *   remoteStaticPublicKey: pcPublicKey, psk: token });
 * const message1 = phone.writeMessage(hello);
 * ```
 */

import { assertBytes, CardError, concatBytes, TransportErrorCode } from '@kakunin/core/transport';
import { x25519 } from '@noble/curves/ed25519.js';
import { AEAD_TAG_LENGTH, PAIRING_TOKEN_LENGTH, X25519_KEY_LENGTH } from '../protocol/protocol-constants.js';
import { type CipherState, SymmetricState } from './noise-cipher-state.js';

/** Handshake patterns (Noise §7.4, §7.5, §9.4). */
export type NoisePatternName = 'NN' | 'NK' | 'NKpsk0';
type Token = 'e' | 'ee' | 'es' | 'psk';

interface Pattern {
  /** The responder's static key is known to the initiator before the handshake (`<- s`). */
  readonly responderStaticKnown: boolean;
  readonly messages: readonly (readonly Token[])[];
  readonly usesPsk: boolean;
}

const PATTERNS: Readonly<Record<NoisePatternName, Pattern>> = {
  NN: { responderStaticKnown: false, usesPsk: false, messages: [['e'], ['e', 'ee']] },
  NK: {
    responderStaticKnown: true,
    usesPsk: false,
    messages: [
      ['e', 'es'],
      ['e', 'ee'],
    ],
  },
  NKpsk0: {
    responderStaticKnown: true,
    usesPsk: true,
    messages: [
      ['psk', 'e', 'es'],
      ['e', 'ee'],
    ],
  },
};

export interface X25519KeyPair {
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

export interface NoiseHandshakeOptions {
  readonly pattern: NoisePatternName;
  readonly initiator: boolean;
  readonly prologue: Uint8Array;
  /** Responder's static key pair (NK, NKpsk0 responder). */
  readonly staticKeyPair?: X25519KeyPair;
  /** Responder's static public key as known to the initiator (NK, NKpsk0 initiator). */
  readonly remoteStaticPublicKey?: Uint8Array;
  /** 32-byte pre-shared key (NKpsk0). */
  readonly psk?: Uint8Array;
  /** Returns a fresh 32-byte X25519 secret key; injected so tests can use vector ephemerals. */
  readonly generateSecretKey?: () => Uint8Array;
}

/** The result of a finished handshake. */
export interface NoiseSplit {
  /** Cipher for messages this side sends. */
  readonly send: CipherState;
  /** Cipher for messages this side receives. */
  readonly receive: CipherState;
  /** Final handshake hash `h` (Noise §11.2: channel binding). */
  readonly handshakeHash: Uint8Array;
}

/**
 * Makes an X25519 key pair from a random source (RFC 7748 §5 clamping happens inside x25519).
 *
 * @example
 * ```ts
 * const pair = generateKeyPair((n) => crypto.getRandomValues(new Uint8Array(n)));
 * ```
 */
export function generateKeyPair(randomBytes: (length: number) => Uint8Array): X25519KeyPair {
  const secretKey = randomBytes(X25519_KEY_LENGTH);
  if (secretKey.length !== X25519_KEY_LENGTH) throw new RangeError('randomBytes returned the wrong length');
  return { secretKey, publicKey: x25519.getPublicKey(secretKey) };
}

function rejected(reason: string, message: string): CardError {
  return new CardError(TransportErrorCode.PEER_REJECTED, message, {
    remedy: 'bridge.pairing',
    details: { reason },
  });
}

/**
 * Noise HandshakeState for NN / NK / NKpsk0 (25519, ChaChaPoly, SHA256).
 *
 * @example
 * ```ts
 * const pc = new NoiseHandshake({ pattern: 'NKpsk0', initiator: false, prologue, staticKeyPair, psk });
 * const hello = pc.readMessage(message1);
 * ```
 */
export class NoiseHandshake {
  readonly pattern: NoisePatternName;
  readonly initiator: boolean;
  readonly #definition: Pattern;
  readonly #symmetric: SymmetricState;
  readonly #generate: () => Uint8Array;
  #staticKeyPair: X25519KeyPair | undefined;
  #remoteStatic: Uint8Array | undefined;
  #psk: Uint8Array | undefined;
  #ephemeral: X25519KeyPair | undefined;
  #remoteEphemeral: Uint8Array | undefined;
  #messageIndex = 0;
  #failed = false;

  constructor(options: NoiseHandshakeOptions) {
    const definition = PATTERNS[options.pattern];
    if (definition === undefined) throw new RangeError(`pattern: unsupported ${String(options.pattern)}`);
    assertBytes(options.prologue, 'prologue');
    this.pattern = options.pattern;
    this.initiator = options.initiator;
    this.#definition = definition;
    this.#generate =
      options.generateSecretKey ?? (() => crypto.getRandomValues(new Uint8Array(X25519_KEY_LENGTH)));
    this.#symmetric = new SymmetricState(`Noise_${options.pattern}_25519_ChaChaPoly_SHA256`);
    this.#symmetric.mixHash(options.prologue);
    if (definition.usesPsk) {
      assertBytes(options.psk, 'psk');
      if (options.psk.length !== PAIRING_TOKEN_LENGTH) throw new RangeError('psk must be 32 bytes');
      this.#psk = options.psk.slice();
    }
    if (definition.responderStaticKnown) {
      if (options.initiator) {
        const remote = options.remoteStaticPublicKey;
        assertBytes(remote, 'remoteStaticPublicKey');
        if (remote.length !== X25519_KEY_LENGTH)
          throw new RangeError('remoteStaticPublicKey must be 32 bytes');
        this.#remoteStatic = remote.slice();
        this.#symmetric.mixHash(remote);
      } else {
        const pair = options.staticKeyPair;
        if (pair === undefined) throw new TypeError('staticKeyPair is required for the responder');
        if (pair.secretKey.length !== X25519_KEY_LENGTH || pair.publicKey.length !== X25519_KEY_LENGTH)
          throw new RangeError('staticKeyPair keys must be 32 bytes');
        this.#staticKeyPair = pair;
        this.#symmetric.mixHash(pair.publicKey);
      }
    }
  }

  /** True after the last handshake message was written or read. */
  get isComplete(): boolean {
    return this.#messageIndex >= this.#definition.messages.length;
  }

  /** True when it is this side's turn to write. */
  get isMyTurn(): boolean {
    return !this.isComplete && (this.#messageIndex % 2 === 0) === this.initiator;
  }

  /** Current handshake hash. */
  get handshakeHash(): Uint8Array {
    return this.#symmetric.handshakeHash;
  }

  writeMessage(payload: Uint8Array): Uint8Array {
    assertBytes(payload, 'payload');
    if (this.#failed || !this.isMyTurn) throw new Error('NoiseHandshake: not this side’s turn to write');
    const tokens = this.#definition.messages[this.#messageIndex] ?? [];
    const parts: Uint8Array[] = [];
    for (const token of tokens) {
      if (token === 'e') {
        this.#ephemeral = generateKeyPair((length) => {
          const key = this.#generate();
          if (key.length !== length) throw new RangeError('generateSecretKey must return 32 bytes');
          return key;
        });
        parts.push(this.#ephemeral.publicKey);
        this.#symmetric.mixHash(this.#ephemeral.publicKey);
        if (this.#definition.usesPsk) this.#symmetric.mixKey(this.#ephemeral.publicKey);
      } else {
        this.#processSharedToken(token);
      }
    }
    parts.push(this.#symmetric.encryptAndHash(payload));
    this.#messageIndex += 1;
    return concatBytes(...parts);
  }

  /** Reads a peer message; throws PEER_REJECTED (reason `authentication` or `malformed`). */
  readMessage(message: Uint8Array): Uint8Array {
    assertBytes(message, 'message');
    if (this.#failed || this.isMyTurn || this.isComplete)
      throw new Error('NoiseHandshake: not this side’s turn to read');
    const tokens = this.#definition.messages[this.#messageIndex] ?? [];
    let offset = 0;
    try {
      for (const token of tokens) {
        if (token === 'e') {
          if (message.length - offset < X25519_KEY_LENGTH)
            throw rejected('malformed', 'handshake message too short');
          this.#remoteEphemeral = message.slice(offset, offset + X25519_KEY_LENGTH);
          offset += X25519_KEY_LENGTH;
          this.#symmetric.mixHash(this.#remoteEphemeral);
          if (this.#definition.usesPsk) this.#symmetric.mixKey(this.#remoteEphemeral);
        } else {
          this.#processSharedToken(token);
        }
      }
      const rest = message.subarray(offset);
      if (this.#symmetric.cipher.hasKey && rest.length < AEAD_TAG_LENGTH)
        throw rejected('malformed', 'handshake message too short');
      const payload = this.#symmetric.decryptAndHash(rest);
      if (payload === undefined) throw rejected('authentication', 'handshake authentication failed');
      this.#messageIndex += 1;
      return payload;
    } catch (error) {
      this.#failed = true;
      this.destroy();
      throw error;
    }
  }

  /** Split after the last message (§5.2); wipes handshake secrets. */
  split(): NoiseSplit {
    if (!this.isComplete || this.#failed) throw new Error('NoiseHandshake: handshake not complete');
    const handshakeHash = this.#symmetric.handshakeHash;
    const [initiatorToResponder, responderToInitiator] = this.#symmetric.split();
    this.destroy();
    return this.initiator
      ? { send: initiatorToResponder, receive: responderToInitiator, handshakeHash }
      : { send: responderToInitiator, receive: initiatorToResponder, handshakeHash };
  }

  /** Overwrites ephemeral secrets and the PSK. */
  destroy(): void {
    this.#ephemeral?.secretKey.fill(0);
    this.#psk?.fill(0);
  }

  #processSharedToken(token: Exclude<Token, 'e'>): void {
    if (token === 'psk') {
      if (this.#psk === undefined) throw new Error('NoiseHandshake: psk missing');
      this.#symmetric.mixKeyAndHash(this.#psk);
      return;
    }
    // ee: DH(e, re); es: initiator DH(e, rs), responder DH(s, re) (Noise §5.3).
    let secret: Uint8Array;
    let publicKey: Uint8Array | undefined;
    if (token === 'ee') {
      secret = this.#ephemeral?.secretKey ?? new Uint8Array(0);
      publicKey = this.#remoteEphemeral;
    } else if (this.initiator) {
      secret = this.#ephemeral?.secretKey ?? new Uint8Array(0);
      publicKey = this.#remoteStatic;
    } else {
      secret = this.#staticKeyPair?.secretKey ?? new Uint8Array(0);
      publicKey = this.#remoteEphemeral;
    }
    if (publicKey === undefined || secret.length !== X25519_KEY_LENGTH)
      throw new Error(`NoiseHandshake: keys for ${token} missing`);
    let shared: Uint8Array;
    try {
      shared = x25519.getSharedSecret(secret, publicKey);
    } catch (cause) {
      // Low-order points give an all-zero secret; noble refuses them (RFC 7748 §6.1).
      throw new CardError(TransportErrorCode.PEER_REJECTED, 'handshake: invalid public key', {
        cause,
        remedy: 'bridge.pairing',
        details: { reason: 'malformed' },
      });
    }
    this.#symmetric.mixKey(shared);
    shared.fill(0);
  }
}
