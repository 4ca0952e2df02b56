/**
 * Path building over a dozen same-named CA certificates that all cross-sign each
 * other (a ~12 KB bundle) took 13.9 s and 203 s. Every candidate step — a signature check or a
 * cache hit — now counts against a hard budget; exhausting it is the typed PATH_BUILDING_LIMIT
 * failure. (Time is measured in x509.bench.ts; here the work is counted.)
 */
import * as nodeCrypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_PATH_CANDIDATES, validatePath } from './path-validation.js';
import { createNodeCryptoVerifier, type SignatureVerifier } from './signature.js';
import { loopCa, sameNameLoopBundle } from './testing/same-name-loop.js';

const time = new Date('2026-06-01T00:00:00Z');
const { bundle, anchor, leaf, keys } = sameNameLoopBundle(12);

/** Counts verifier calls (real signature checks) around node:crypto. */
function countingVerifier(): SignatureVerifier & { calls: () => number } {
  const inner = createNodeCryptoVerifier(nodeCrypto);
  let calls = 0;
  return {
    ...inner,
    async verify(...args: Parameters<SignatureVerifier['verify']>) {
      calls++;
      return inner.verify(...args);
    },
    calls: () => calls,
  };
}

/** The leaf's path search over the loop bundle, trusting the first loop CA. */
const overLoop = { trustAnchors: [anchor], intermediates: bundle, time };

describe('path building budget', () => {
  it('the generated bundle is ~9 KB of 12 same-named, mutually signing CA certificates', () => {
    const size = bundle.reduce((total, der) => total + der.length, 0);
    expect(bundle).toHaveLength(12);
    expect(size).toBeGreaterThan(7_000);
    expect(size).toBeLessThan(13_000);
  });

  it('stops at the candidate budget with PATH_BUILDING_LIMIT, cache hits included', async () => {
    const verifier = countingVerifier();
    const result = await validatePath(leaf, { ...overLoop, verifier });
    expect(result.valid).toBe(false);
    expect(result.code).toBe('PATH_BUILDING_LIMIT');
    expect(result.pathBuilding.candidates).toBeLessThanOrEqual(DEFAULT_MAX_PATH_CANDIDATES);
    expect(result.pathBuilding.signatureChecks).toBe(verifier.calls());
    // Only 2 × 2 distinct signatures exist (plus the anchor and the leaf): the cache holds.
    expect(verifier.calls()).toBeLessThanOrEqual(13 * 13);
  });

  it('a smaller budget stops sooner; a normal chain stays far below the default', async () => {
    const verifier = countingVerifier();
    const result = await validatePath(leaf, { ...overLoop, verifier, maxPathCandidates: 50 });
    expect(result.code).toBe('PATH_BUILDING_LIMIT');
    expect(result.pathBuilding.candidates).toBeLessThanOrEqual(50);
    // The same leaf with its real issuer trusted: found at once.
    const direct = await validatePath(leaf, {
      trustAnchors: [loopCa(keys[0]!, keys[0]!)],
      intermediates: bundle,
      time,
      verifier,
    });
    expect(direct.valid).toBe(true);
    expect(direct.pathBuilding.candidates).toBeLessThan(5);
  });
});
