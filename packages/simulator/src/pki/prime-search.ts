/**
 * Probable-prime search over bigint: an incremental sieve by the small primes below 2^14 followed
 * by Miller–Rabin (FIPS 186-5 Appendix B.3; rounds per FIPS 186-5 Table B.1 for 1024-bit
 * primes of a 2048-bit modulus: 5 random bases after a base-2 round). Randomness comes from a
 * {@link SeededRandom}, so the search is deterministic.
 *
 * @example
 * ```ts
 * const p = findProbablePrime(new SeededRandom('seed', 'p'), 1024, (candidate) => (candidate - 1n) % 65537n !== 0n);
 * ```
 */
import type { SeededRandom } from './seeded-random.js';

/** Sieve bound: small primes below this divide out ~90 % of odd candidates cheaply. */
const SIEVE_BOUND = 1 << 14;
/** Miller–Rabin rounds with random bases (FIPS 186-5 Table B.1, 1024-bit primes, error ≤ 2^-100). */
const MILLER_RABIN_ROUNDS = 5;

function smallPrimes(bound: number): number[] {
  const composite = new Uint8Array(bound);
  const out: number[] = [];
  for (let n = 3; n < bound; n += 2) {
    if (composite[n] === 1) continue;
    out.push(n);
    for (let multiple = n * n; multiple < bound; multiple += 2 * n) composite[multiple] = 1;
  }
  return out;
}

/** base^exponent mod modulus, left-to-right binary exponentiation. */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus === 1n) return 0n;
  let result = 1n;
  base %= modulus;
  const bits = exponent.toString(2);
  for (let index = 0; index < bits.length; index++) {
    result = (result * result) % modulus;
    if (bits.charCodeAt(index) === 0x31) result = (result * base) % modulus;
  }
  return result;
}

function millerRabinRound(n: bigint, d: bigint, s: number, base: bigint): boolean {
  let x = modPow(base, d, n);
  if (x === 1n || x === n - 1n) return true;
  for (let index = 1; index < s; index++) {
    x = (x * x) % n;
    if (x === n - 1n) return true;
    if (x === 1n) return false;
  }
  return false;
}

/** Miller–Rabin with base 2 and `rounds` bases drawn from `random`. `n` must be odd and > 3. */
export function isProbablePrime(n: bigint, random: SeededRandom, rounds = MILLER_RABIN_ROUNDS): boolean {
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  if (!millerRabinRound(n, d, s, 2n)) return false;
  const bits = n.toString(2).length;
  for (let round = 0; round < rounds; round++) {
    const base = 2n + (random.bigint(bits + 64) % (n - 3n));
    if (!millerRabinRound(n, d, s, base)) return false;
  }
  return true;
}

/**
 * The first probable prime at or above a random odd start with its two top bits set (so a
 * product of two such primes has exactly 2·bits bits), for which `accept` holds.
 */
export function findProbablePrime(
  random: SeededRandom,
  bits: number,
  accept: (candidate: bigint) => boolean = () => true,
): bigint {
  if (!Number.isInteger(bits) || bits < 64) throw new RangeError(`bits must be ≥ 64, got ${bits}`);
  const primes = smallPrimes(SIEVE_BOUND);
  const topBits = 3n << BigInt(bits - 2);
  for (;;) {
    const start = random.bigint(bits) | topBits | 1n;
    const residues = primes.map((prime) => Number(start % BigInt(prime)));
    // Walk odd numbers start, start+2, … keeping residues in plain numbers.
    for (let step = 0; step < 1 << 16; step += 2) {
      let divisible = false;
      for (let index = 0; index < primes.length; index++) {
        if ((residues[index]! + step) % primes[index]! === 0) {
          divisible = true;
          break;
        }
      }
      if (divisible) continue;
      const candidate = start + BigInt(step);
      if (candidate >> BigInt(bits) !== 0n) break;
      if (accept(candidate) && isProbablePrime(candidate, random)) return candidate;
    }
  }
}
