/**
 * Interop proof: a third-party PC/SC stack — Debian's OpenSC tools, through the
 * real pcscd and vpcd — reads the simulator's virtual My Number card as a JPKI card: it identifies
 * it, reads exactly the simulator's auth certificate, signs with the auth key after the auth PIN
 * (the signature verifies with openssl against that certificate), and reports the retry counter a
 * wrong PIN decremented.
 *
 * The tools take the PIN on the command line (`--pin`): acceptable only because it is the
 * simulator's documented synthetic PIN. Each run gets a fresh HOME so OpenSC's file cache never
 * answers instead of the card.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@kakunin/core/transport';
import {
  createCardProfile,
  defaultKeyCacheDirectory,
  TestKeyStore,
  VirtualMyNumberCard,
} from '@kakunin/simulator';
import { VpcdConnector } from '@kakunin/simulator/vpcd';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePcscd } from './use-pcscd.js';

/** OpenSC's JPKI emulation (pkcs15-jpki.c): the auth certificate and key have id 01. */
const AUTH_ID = '01';
/** PKCS#11 RSA PKCS#1 v1.5 with SHA-256. */
const MECHANISM = 'SHA256-RSA-PKCS';
const PKCS11_MODULE = '/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so';
/** `pkcs11-tool` on the first slot, logged in with `pin` (the rest of the command follows). */
const pkcs11Login = (pin: string): string[] => [
  'pkcs11-tool',
  '--module',
  PKCS11_MODULE,
  '--slot-index',
  '0',
  '--login',
  '--pin',
  pin,
];
const WRONG_PIN = '9999';

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

usePcscd();
const profile = createCardProfile('plastic', {
  keyStore: new TestKeyStore({ directory: defaultKeyCacheDirectory() }),
});
const card = new VirtualMyNumberCard(profile.image);
const connector = new VpcdConnector({ card, slot: 0 });
let work: string;

/**
 * Runs an OpenSC/openssl tool asynchronously: the card answers vpcd from this thread, so a
 * synchronous spawn would deadlock it.
 */
function run(command: readonly string[]): Promise<Run> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) => {
    mkdtemp(join(work, 'home-')).then((home) => {
      execFile(
        file!,
        args,
        {
          encoding: 'utf8',
          timeout: 60_000,
          env: { ...process.env, HOME: home, XDG_CACHE_HOME: join(home, '.cache') },
        },
        (error, stdout, stderr) => {
          const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
          resolve({ code, stdout, stderr });
        },
      );
    }, reject);
  });
}

const reader = ['--reader', connector.readerName];
/** The auth PIN's "Tries left" from `pkcs15-tool --list-pins`. */
async function authTriesLeft(): Promise<number> {
  const listed = await run(['pkcs15-tool', ...reader, '--list-pins']);
  expect(listed.code, listed.stderr).toBe(0);
  // One block per PIN; the auth PIN is "User Authentication PIN" in OpenSC's JPKI emulation.
  const block = listed.stdout.split(/\n(?=PIN \[)/).find((part) => /User Authentication PIN/i.test(part));
  expect(block, listed.stdout).toBeDefined();
  const tries = /Tries left\s*:\s*(\d+)/.exec(block!);
  expect(tries, block).not.toBeNull();
  return Number(tries![1]);
}

beforeAll(async () => {
  for (const tool of [
    '/usr/bin/opensc-tool',
    '/usr/bin/pkcs15-tool',
    '/usr/bin/pkcs11-tool',
    PKCS11_MODULE,
  ]) {
    if (!existsSync(tool)) throw new Error(`${tool} is missing: install opensc (bash scripts/setup.sh)`);
  }
  work = await mkdtemp(join(tmpdir(), 'kakunin-opensc-'));
  await connector.insert();
});

afterAll(async () => {
  await connector.close();
  if (work !== undefined) await rm(work, { recursive: true, force: true });
});

describe('OpenSC against the simulator card (pcscd + vpcd)', () => {
  it('identifies the card as JPKI', async () => {
    const name = await run(['opensc-tool', ...reader, '--name']);
    expect(name.code, name.stderr).toBe(0);
    // OpenSC's card-jpki driver (its short name is "jpki") claimed the card.
    expect(name.stdout.trim().toLowerCase()).toBe('jpki');
    const certificates = await run(['pkcs15-tool', ...reader, '--list-certificates']);
    expect(certificates.code, certificates.stderr).toBe(0);
    expect(certificates.stdout).toMatch(/ID\s*:\s*01/);
  });

  it('pkcs15-tool --read-certificate returns exactly the simulator auth certificate', async () => {
    const output = join(work, 'auth.pem');
    const read = await run(['pkcs15-tool', ...reader, '--read-certificate', AUTH_ID, '--output', output]);
    expect(read.code, read.stderr).toBe(0);
    const pem = await readFile(output, 'utf8');
    const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
    const der = Uint8Array.from(atob(body), (character) => character.charCodeAt(0));
    expect(bytesToHex(der)).toBe(bytesToHex(profile.authCertificate.certificate));
  });

  it('pkcs11-tool --login --sign with the auth PIN makes a signature openssl verifies', async () => {
    const data = join(work, 'challenge.bin');
    const signature = join(work, 'signature.bin');
    const certificate = join(work, 'auth.der');
    const publicKey = join(work, 'auth-public.pem');
    await writeFile(data, new TextEncoder().encode('kakunin interop challenge'));
    await writeFile(certificate, profile.authCertificate.certificate);
    const signed = await run([
      ...pkcs11Login(profile.credentials.authPin),
      '--sign',
      '--id',
      AUTH_ID,
      '--mechanism',
      MECHANISM,
      '--input-file',
      data,
      '--output-file',
      signature,
    ]);
    expect(signed.code, signed.stderr).toBe(0);
    expect((await readFile(signature)).length).toBe(256);
    const extracted = await run([
      'openssl',
      'x509',
      '-inform',
      'DER',
      '-in',
      certificate,
      '-pubkey',
      '-noout',
      '-out',
      publicKey,
    ]);
    expect(extracted.code, extracted.stderr).toBe(0);
    const verified = await run([
      'openssl',
      'dgst',
      '-sha256',
      '-verify',
      publicKey,
      '-signature',
      signature,
      data,
    ]);
    expect(verified.code, verified.stderr).toBe(0);
    expect(verified.stdout.trim()).toBe('Verified OK');
    // The same signature must not verify other data (the check can fail).
    await writeFile(data, new TextEncoder().encode('another challenge'));
    const refused = await run([
      'openssl',
      'dgst',
      '-sha256',
      '-verify',
      publicKey,
      '-signature',
      signature,
      data,
    ]);
    expect(refused.code).not.toBe(0);
  });

  it('a wrong PIN decrements the counter OpenSC reports; the right one restores it', async () => {
    expect(await authTriesLeft()).toBe(3);
    const wrong = await run([...pkcs11Login(WRONG_PIN), '--list-objects']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr + wrong.stdout).toContain('CKR_PIN_INCORRECT');
    expect(await authTriesLeft()).toBe(2);
    const right = await run([...pkcs11Login(profile.credentials.authPin), '--list-objects']);
    expect(right.code, right.stderr).toBe(0);
    expect(await authTriesLeft()).toBe(3);
  });
});
