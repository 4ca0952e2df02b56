/**
 * Operator-added roots in the per-machine configuration directory: accepted only through the
 * registry's checks (fingerprint required), stored 0600 in a 0700 directory, re-checked on load;
 * symlinks, special files, oversized and tampered records are refused.
 */
import * as nodeCrypto from 'node:crypto';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNodeCryptoVerifier, sha256Fingerprint } from '../x509/index.js';
import { addJpkiRoot, kakuninConfigDirectory, loadJpkiTrustStore } from './installed-jpki-roots.js';
import { jLisShaped2019Root } from './testing/jlis-shaped-2019.js';

const verifier = createNodeCryptoVerifier(nodeCrypto);
const root2019 = jLisShaped2019Root('sign');
const fingerprint = sha256Fingerprint(root2019);

function configDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'kakunin-config-'));
}

describe('installed J-LIS roots', () => {
  it('resolves the per-machine configuration directory (KAKUNIN_CONFIG_DIR overrides)', () => {
    expect(kakuninConfigDirectory({ env: { KAKUNIN_CONFIG_DIR: '/x/y' } })).toBe('/x/y');
    expect(kakuninConfigDirectory({ env: { HOME: '/home/a' }, platform: 'linux' })).toBe(
      '/home/a/.config/kakunin',
    );
    expect(kakuninConfigDirectory({ env: { HOME: '/Users/a' }, platform: 'darwin' })).toBe(
      '/Users/a/Library/Application Support/kakunin',
    );
  });

  it('adds the 2019 sign root with its fingerprint (0600 in 0700) and loads it back', async () => {
    const env = { KAKUNIN_CONFIG_DIR: configDirectory() };
    const refused = await addJpkiRoot(root2019, { env, verifier });
    expect(refused).toMatchObject({ ok: false, code: 'FINGERPRINT_REQUIRED', sha256: fingerprint });
    const added = await addJpkiRoot(root2019, { env, verifier, fingerprint });
    expect(added).toMatchObject({ ok: true, id: 'signca02', generation: 2019, alreadyInstalled: false });
    if (!added.ok) throw new Error('not added');
    expect(statSync(added.file).mode & 0o777).toBe(0o600);
    expect(statSync(join(env.KAKUNIN_CONFIG_DIR, 'jpki-roots')).mode & 0o777).toBe(0o700);
    const roots = await loadJpkiTrustStore({ env, verifier });
    expect(roots.roots.find((root) => root.generation.id === 'signca02')).toMatchObject({
      source: 'added',
      sha256: fingerprint,
    });
    expect(roots.missing.map((root) => root.id)).toEqual(['authca02']);
    expect(await addJpkiRoot(root2019, { env, verifier, fingerprint })).toMatchObject({
      alreadyInstalled: true,
    });
  });

  it('ignores a tampered record, a symlink, and a directory writable by others', async () => {
    const env = { KAKUNIN_CONFIG_DIR: configDirectory() };
    const added = await addJpkiRoot(root2019, { env, verifier, fingerprint });
    if (!added.ok) throw new Error('not added');
    const record = JSON.parse(readFileSync(added.file, 'utf8'));
    writeFileSync(added.file, JSON.stringify({ ...record, fingerprint: '22'.repeat(32) }), { mode: 0o600 });
    symlinkSync('/dev/zero', join(env.KAKUNIN_CONFIG_DIR, 'jpki-roots', 'zero.json'));
    const roots = await loadJpkiTrustStore({ env, verifier });
    expect(roots.roots.some((root) => root.generation.id === 'signca02')).toBe(false);
    expect(roots.skipped.map((entry) => entry.file).sort()).toEqual(['signca02.json', 'zero.json']);
    expect(roots.skipped.find((entry) => entry.file === 'zero.json')?.reason).toMatch(/symbolic link/);

    const open = { KAKUNIN_CONFIG_DIR: configDirectory() };
    mkdirSync(join(open.KAKUNIN_CONFIG_DIR, 'jpki-roots'));
    chmodSync(join(open.KAKUNIN_CONFIG_DIR, 'jpki-roots'), 0o777);
    const ignored = await loadJpkiTrustStore({ env: open, verifier });
    expect(ignored.skipped[0]?.reason).toMatch(/writable by other users/);
  });
});
