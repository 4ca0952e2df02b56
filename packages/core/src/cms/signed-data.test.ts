/**
 * CMS detached SignedData: the builder's output is strict DER (core's validator), verifies with
 * OpenSSL's `cms -verify` against the issuing root, and fails there when one content byte changes.
 * The signer is a test RSA key (node:crypto, PKCS#1 v1.5 over SHA-256 — what the card does).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { sign as rsaSign } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DerCursor } from '../der/der-cursor.js';
import { validateDer } from '../der/der-validate.js';
import { encodePem } from '../x509/pem.js';
import { jpkiEndEntity, jpkiRootCertificate } from '../x509/testing/jpki-fixtures.js';
import { rsaTestKey } from '../x509/testing/x509-test-builders.js';
import { assembleSignedData, CMS_OID, createDetachedSignature, signedAttributes } from './signed-data.js';

const rootKey = rsaTestKey('cms-root');
const signerKey = rsaTestKey('cms-signer');
const root = jpkiRootCertificate('sign', rootKey);
const certificate = jpkiEndEntity({ purpose: 'sign', issuerKey: rootKey, subjectKey: signerKey });
const signWithKey = async (data: Uint8Array): Promise<Uint8Array> =>
  new Uint8Array(rsaSign('sha256', data, signerKey.privateKey));

const work = mkdtempSync(join(tmpdir(), 'kakunin-cms-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** `openssl cms -verify` of a DER .p7s over `content`; returns the exit status and stderr. */
function opensslVerify(p7s: Uint8Array, content: Uint8Array): { status: number | null; stderr: string } {
  writeFileSync(join(work, 'sig.p7s'), p7s);
  writeFileSync(join(work, 'content.bin'), content);
  writeFileSync(join(work, 'root.pem'), encodePem('CERTIFICATE', root));
  const result = spawnSync(
    'openssl',
    [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      join(work, 'sig.p7s'),
      '-content',
      join(work, 'content.bin'),
      '-CAfile',
      join(work, 'root.pem'),
      '-out',
      '/dev/null',
    ],
    { encoding: 'utf8' },
  );
  return { status: result.status, stderr: result.stderr };
}

describe('createDetachedSignature', () => {
  it('verifies with openssl cms -verify and fails when one content byte changes', async () => {
    const content = new TextEncoder().encode('診療報酬明細書 / claim 2026-12\n');
    const p7s = await createDetachedSignature({ content, certificate, sign: signWithKey });
    const ok = opensslVerify(p7s, content);
    expect(ok.stderr).toContain('Verification successful');
    expect(ok.status).toBe(0);
    const changed = content.slice();
    changed[3] = (changed[3] ?? 0) ^ 0x01;
    const bad = opensslVerify(p7s, changed);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/digest failure|Verification failure/i);
  });

  it('openssl sees the structure: id-signedData, detached id-data, SHA-256 + rsaEncryption, three signed attributes', async () => {
    const p7s = await createDetachedSignature({
      content: Uint8Array.of(1, 2, 3),
      certificate,
      chain: [root],
      signingTime: new Date('2026-12-08T01:02:03Z'),
      sign: signWithKey,
    });
    writeFileSync(join(work, 'print.p7s'), p7s);
    const printed = execFileSync(
      'openssl',
      ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', join(work, 'print.p7s')],
      {
        encoding: 'utf8',
      },
    );
    expect(printed).toContain('contentType: pkcs7-signedData');
    expect(printed).toMatch(/eContentType: pkcs7-data .*\n\s+eContent: <ABSENT>/);
    expect(printed).toContain('algorithm: sha256');
    expect(printed).toContain('algorithm: rsaEncryption');
    expect(printed).toContain('object: contentType');
    expect(printed).toContain('object: messageDigest');
    expect(printed).toMatch(/object: signingTime[\s\S]*UTCTIME:Dec {2}8 01:02:03 2026 GMT/);
    expect(printed.match(/cert_info:/g)).toHaveLength(2);
  });

  it('a certificate that does not parse is refused before the signer is asked', async () => {
    let asked = 0;
    await expect(
      createDetachedSignature({
        content: Uint8Array.of(1),
        certificate: Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x01),
        sign: async (data) => {
          asked += 1;
          return signWithKey(data);
        },
      }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/^(X509|DER)_MALFORMED$/) });
    expect(asked).toBe(0);
  });

  it('an aborted signal stops before signing', async () => {
    await expect(
      createDetachedSignature({
        content: Uint8Array.of(1),
        certificate,
        sign: signWithKey,
        signal: AbortSignal.abort(),
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
  });
});

describe('signedAttributes / assembleSignedData (property)', () => {
  it('any content, time and signature give one strict-DER element whose messageDigest is SHA-256(content)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 512 }),
        fc.date({
          min: new Date('1900-01-01T00:00:00Z'),
          max: new Date('2200-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.uint8Array({ minLength: 1, maxLength: 512 }),
        fc.boolean(),
        (content, when, signature, withChain) => {
          const attrs = signedAttributes(sha256(content), when);
          validateDer(attrs);
          const p7s = assembleSignedData({
            certificate,
            chain: withChain ? [root] : [],
            signedAttributes: attrs,
            signature,
          });
          validateDer(p7s);
          // ContentInfo → [0] → SignedData → signerInfos (last) → SignerInfo → signedAttrs [0].
          const cursor = new DerCursor(p7s);
          cursor.read(0x30).enter();
          expect(cursor.read(0x06).oid()).toBe(CMS_OID.signedData);
          cursor.read(0xa0).enter().read(0x30).enter();
          cursor.read(0x02).read(0x31).read(0x30).read(0xa0).read(0x31).enter().read(0x30).enter();
          cursor.read(0x02).read(0x30).read(0x30);
          cursor.read(0xa0);
          const signed = cursor.value();
          expect([...signed]).toEqual([...new DerCursor(attrs).read(0x31).value()]);
          cursor.read(0x30).read(0x04);
          expect([...cursor.value()]).toEqual([...signature]);
          const digestAttr = [...readAttributes(attrs)].find(([oid]) => oid === CMS_OID.messageDigest);
          expect(digestAttr?.[1]).toEqual([...sha256(content)]);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('bad inputs are typed errors, not crashes', () => {
    expect(() => signedAttributes(new Uint8Array(31), new Date())).toThrow(RangeError);
    expect(() => signedAttributes(new Uint8Array(32), new Date(Number.NaN))).toThrow(TypeError);
    const attrs = signedAttributes(new Uint8Array(32), new Date());
    expect(() =>
      assembleSignedData({ certificate, signedAttributes: attrs, signature: new Uint8Array(0) }),
    ).toThrow(RangeError);
    expect(() =>
      assembleSignedData({
        certificate,
        signedAttributes: attrs.subarray(0, attrs.length - 1),
        signature: Uint8Array.of(1),
      }),
    ).toThrow(expect.objectContaining({ code: 'DER_TRUNCATED' }));
    expect(() =>
      assembleSignedData({
        certificate,
        signedAttributes: Uint8Array.of(0x30, 0x00),
        signature: Uint8Array.of(1),
      }),
    ).toThrow(expect.objectContaining({ code: 'DER_MALFORMED' }));
  });
});

/** [attribute OID, first value's content octets] for each attribute of a signed-attributes SET. */
function* readAttributes(attrs: Uint8Array): Generator<[string, number[]]> {
  const cursor = new DerCursor(attrs);
  cursor.read(0x31).enter();
  while (cursor.next()) {
    cursor.enter();
    const oid = cursor.read(0x06).oid();
    cursor.read(0x31).enter();
    cursor.next();
    yield [oid, [...cursor.value()]];
    cursor.leave().leave();
  }
}
