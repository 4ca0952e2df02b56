import { sign, verify } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findProbablePrime, isProbablePrime, modPow } from './prime-search.js';
import { generateRsaKey, modInverse } from './rsa-key-generation.js';
import { SeededRandom } from './seeded-random.js';
import { TestKeyStore } from './test-key-store.js';

const directory = mkdtempSync(join(tmpdir(), 'kakunin-keys-test-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe('deterministic RSA key generation', () => {
  it('SeededRandom is a deterministic stream per (seed, label)', () => {
    expect([...new SeededRandom('a', 'x').bytes(40)]).toEqual([...new SeededRandom('a', 'x').bytes(40)]);
    expect([...new SeededRandom('a', 'x').bytes(8)]).not.toEqual([...new SeededRandom('a', 'y').bytes(8)]);
    const random = new SeededRandom('a');
    const counts = new Array(3).fill(0);
    for (let index = 0; index < 3000; index++) counts[random.integer(3)]++;
    for (const count of counts) expect(count).toBeGreaterThan(850);
  });

  it('Miller–Rabin: primes, composites and Carmichael numbers', () => {
    const random = new SeededRandom('mr');
    for (const prime of [5n, 7n, 65537n, 2n ** 61n - 1n, 2n ** 127n - 1n])
      expect(isProbablePrime(prime, random)).toBe(true);
    for (const composite of [
      9n,
      561n,
      1105n,
      41041n,
      825265n,
      2n ** 61n + 1n,
      (2n ** 61n - 1n) * (2n ** 31n - 1n),
    ]) {
      expect(isProbablePrime(composite, random)).toBe(false);
    }
    expect(modPow(3n, 200n, 1000007n)).toBe(3n ** 200n % 1000007n);
    expect((modInverse(65537n, 1000000n) * 65537n) % 1000000n).toBe(1n);
  });

  it('findProbablePrime sets the two top bits and honours the acceptance test', () => {
    const prime = findProbablePrime(new SeededRandom('p'), 256, (candidate) => candidate % 65537n !== 1n);
    expect(prime.toString(2).length).toBe(256);
    expect(prime >> 254n).toBe(3n);
  });

  it('the same (seed, label) gives the same key; another label another key; keys sign and verify', () => {
    const a = generateRsaKey('kakunin', 'test-key', 1024);
    const b = generateRsaKey('kakunin', 'test-key', 1024);
    const c = generateRsaKey('kakunin', 'other-key', 1024);
    expect(a.jwk.n).toBe(b.jwk.n);
    expect(a.jwk.d).toBe(b.jwk.d);
    expect(c.jwk.n).not.toBe(a.jwk.n);
    expect(a.publicKey.asymmetricKeyDetails).toMatchObject({ modulusLength: 1024, publicExponent: 65537n });
    const signature = sign('sha256', Buffer.from('x'), a.privateKey);
    expect(verify('sha256', Buffer.from('x'), b.publicKey, signature)).toBe(true);
  });

  it('TestKeyStore: memory, then file cache across stores; a corrupt file is regenerated', () => {
    const first = new TestKeyStore({ directory });
    const key = first.rsaKey('kakunin', 'cached', 1024);
    expect(first.rsaKey('kakunin', 'cached', 1024)).toBe(key);
    expect(first.statistics).toMatchObject({ generated: 1, fromMemory: 1 });
    const second = new TestKeyStore({ directory });
    expect(second.rsaKey('kakunin', 'cached', 1024).jwk.n).toBe(key.jwk.n);
    expect(second.statistics).toMatchObject({ generated: 0, fromFile: 1 });
    const [file] = readdirSync(directory).filter((name) => name.endsWith('.json'));
    writeFileSync(join(directory, file!), '{"id":"nope"');
    const third = new TestKeyStore({ directory });
    expect(third.rsaKey('kakunin', 'cached', 1024).jwk.n).toBe(key.jwk.n);
    expect(third.statistics.generated).toBe(1);
    expect(() => new TestKeyStore({ directory: 7 as unknown as string })).toThrow(TypeError);
  });
});
