/**
 * Runs the system `openssl` (installed by scripts/setup.sh) as an independent checker of the
 * DER the test PKI writes. Fails loudly when openssl is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function withFiles<T>(
  files: Record<string, Uint8Array | string>,
  body: (path: (name: string) => string) => T,
): T {
  const directory = mkdtempSync(join(tmpdir(), 'kakunin-sim-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
    return body((name) => join(directory, name));
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

export function openssl(args: readonly string[]): { status: number; output: string } {
  const run = spawnSync('openssl', [...args], { encoding: 'utf8' });
  if (run.error !== undefined)
    throw new Error(`openssl could not run (scripts/setup.sh installs it): ${run.error.message}`);
  return { status: run.status ?? 1, output: `${run.stdout}${run.stderr}` };
}

export function pem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const base64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${base64}${base64.endsWith('\n') ? '' : '\n'}-----END ${label}-----\n`;
}
