/**
 * Runs the x509-limbo cases shipped in ../shared (never copied into the repository) through
 * the harness and asserts every case's expected result, with both verifiers.
 */
import * as nodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeCryptoVerifier, createWebCryptoVerifier } from '@kakunin/core/x509';
import { describe, expect, it } from 'vitest';
import { type LimboTestcase, runLimbo, runLimboTestcase } from './limbo.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const limboPath = path.resolve(repoRoot, '../shared/data/x509-limbo/limbo-public.json');
const limbo = JSON.parse(readFileSync(limboPath, 'utf8')) as {
  version: 1;
  testcases: (LimboTestcase & { expected_result: string })[];
};

describe('x509-limbo', () => {
  it('has the public subset', () => {
    expect(limbo.testcases.length).toBeGreaterThanOrEqual(70);
  });

  describe.each([
    ['node:crypto', createNodeCryptoVerifier(nodeCrypto)],
    ['WebCrypto', createWebCryptoVerifier(globalThis.crypto.subtle)],
  ])('with the %s verifier', (_name, verifier) => {
    it('passes every case', async () => {
      const result = await runLimbo(limbo, { verifier });
      expect(result.version).toBe(1);
      expect(result.harness).toBe('kakunin');
      const mismatches = result.results
        .map((entry, index) => ({ ...entry, expected: limbo.testcases[index]!.expected_result }))
        .filter((entry) => entry.actual_result !== entry.expected);
      expect(mismatches).toEqual([]);
      expect(result.results.filter((entry) => entry.actual_result === 'SKIPPED')).toEqual([]);
    });
  });

  it.each([
    ['rfc5280::validity::notafter-exact', 'SUCCESS', /chain of 3/],
    ['rfc5280::validity::expired-root', 'FAILURE', /^CERT_EXPIRED: .*certificate 2/],
    ['rfc5280::ski::critical-ski', 'FAILURE', /must be non-critical/],
    [
      'rfc5280::unknown-critical-extension-ee',
      'FAILURE',
      /unknown critical extension 1\.3\.6\.1\.4\.1\.55738\.666\.1/,
    ],
    ['pathlen::intermediate-violates-pathlen-0', 'FAILURE', /pathLenConstraint exceeded/],
    ['pathlen::max-chain-depth-1-exhausted', 'FAILURE', /exceed the maximum of 1/],
    ['crl::revoked-certificate-with-crl', 'FAILURE', /^REVOKED/],
    ['crl::crlnumber-missing', 'FAILURE', /cRLNumber/],
    ['pathological::pathological-chain-same-subject-same-key', 'FAILURE', /^CHAIN_UNTRUSTED/],
    ['webpki::forbidden-weak-rsa-in-leaf', 'FAILURE', /1024 bits is below 2048/],
  ])('%s fails or passes for the right reason', async (id, expected, context) => {
    const testcase = limbo.testcases.find((candidate) => candidate.id === id);
    expect(testcase, id).toBeDefined();
    const result = await runLimboTestcase(testcase!, { verifier: createNodeCryptoVerifier(nodeCrypto) });
    expect(result.actual_result).toBe(expected);
    expect(result.context).toMatch(context);
  });

  it('rejects documents that are not limbo JSON', async () => {
    await expect(runLimbo({ testcases: 'x' })).rejects.toThrow(TypeError);
    await expect(runLimbo({ version: 2, testcases: [] })).rejects.toThrow(RangeError);
  });
});
