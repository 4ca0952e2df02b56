/**
 * Issue 15 row 5 and row 11 (CLI part): every file input of verify-cert / trust is a regular
 * file read under a size cap (devices, FIFOs and symlinks to them are refused with the typed
 * INPUT_REJECTED error, exit 2, distinct from card errors); and the built CLI ends quietly when
 * its stdout is closed (`kakunin … | head`).
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { captureIo } from '../test-support.js';

const CLI = fileURLToPath(new URL('../../bin/kakunin.mjs', import.meta.url));

const io = (env: Record<string, string> = {}) => captureIo('', env);

const directory = mkdtempSync(path.join(tmpdir(), 'kakunin-inputs-'));
const config = { KAKUNIN_CONFIG_DIR: path.join(directory, 'config') };

describe('bounded CLI file inputs', () => {
  it('verify-cert /dev/zero is refused at once (INPUT_REJECTED, exit 2), not read until memory runs out', async () => {
    const streams = io(config);
    expect(await main(['verify-cert', '/dev/zero'], streams)).toBe(2);
    expect(streams.err()).toMatch(/INPUT_REJECTED: \/dev\/zero: not a regular file/);
  });

  it('a --trust directory holding a symlink to /dev/zero is refused', async () => {
    const trust = path.join(directory, 'trust');
    mkdirSync(trust);
    symlinkSync('/dev/zero', path.join(trust, 'zero.pem'));
    writeFileSync(
      path.join(directory, 'leaf.pem'),
      '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n',
    );
    const streams = io(config);
    expect(await main(['verify-cert', path.join(directory, 'leaf.pem'), '--trust', trust], streams)).toBe(2);
    expect(streams.err()).toMatch(/INPUT_REJECTED: .*zero\.pem: not a regular file/);
  });

  it('refuses --crl /dev/zero, an oversized certificate file, a FIFO, and trust add /dev/zero', async () => {
    const crl = io(config);
    expect(await main(['verify-cert', path.join(directory, 'leaf.pem'), '--crl', '/dev/zero'], crl)).toBe(2);
    expect(crl.err()).toMatch(/INPUT_REJECTED/);
    const big = path.join(directory, 'big.pem');
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024, 0x41));
    const oversized = io(config);
    expect(await main(['verify-cert', big], oversized)).toBe(2);
    expect(oversized.err()).toMatch(/INPUT_REJECTED: .*exceed the cap of 1048576/);
    const fifo = path.join(directory, 'fifo.pem');
    execFileSync('mkfifo', [fifo]);
    const pipe = io(config);
    expect(await main(['verify-cert', fifo], pipe)).toBe(2);
    expect(pipe.err()).toMatch(/INPUT_REJECTED/);
    const root = io(config);
    expect(await main(['trust', 'add', '/dev/zero', '--fingerprint', 'AA'.repeat(32)], root)).toBe(2);
    expect(root.err()).toMatch(/INPUT_REJECTED/);
  });

  it('the built CLI ends quietly when stdout is closed (kakunin … | head): no EPIPE stack trace', async () => {
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [CLI, ...args], {
          env: { ...process.env, ...config },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        // The reader goes away before the CLI writes anything, as `head` does after its lines.
        child.stdout.destroy();
        let stderr = '';
        child.stderr.on('data', (chunk) => {
          stderr += String(chunk);
        });
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stderr }));
      });
    for (const args of [
      ['trust', 'list'],
      ['trust', 'list', '--json'],
      ['verify-cert', '/dev/zero'],
      ['--help'],
    ]) {
      const { code, stderr } = await run(args);
      expect(stderr, args.join(' ')).not.toMatch(/EPIPE|Unhandled|\n\s+at /);
      expect(code, args.join(' ')).not.toBe(null);
    }
  }, 30_000);
});
