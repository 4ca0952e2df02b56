/**
 * Decision 0018, steps 2–3, proven on linux-x64: the packed @kakunin/transport-pcsc carries
 * prebuilds/linux-x64/smartcard.node (copied by `prepack`), and a scratch project that installs the
 * tarballs with install scripts disabled — so `smartcard` is downloaded but never compiled — lists
 * the vpcd readers of the real pcscd through the prebuilt binary, from ESM and CommonJS. Without the
 * prebuilt binary the same install fails with SERVICE_UNAVAILABLE naming both places it looked.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePcscd, VirtualCardHost } from '../../../../tools/pcscd/src/index.js';
import { controlCodeFor, PREBUILT_FILE, prebuiltBindingPath } from './load-native-binding.js';

const PACKAGES = fileURLToPath(new URL('../../../', import.meta.url));
const PLATFORM = `${process.platform}-${process.arch}`;
const work = mkdtempSync(join(tmpdir(), 'kakunin-prebuilt-'));
const consumer = join(work, 'consumer');
let host: VirtualCardHost;

function pack(name: string): string {
  execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: join(PACKAGES, name), stdio: 'pipe' });
  const tarball = readdirSync(work).find(
    (file) => file.startsWith(`kakunin-${name}-`) && file.endsWith('.tgz'),
  );
  if (tarball === undefined) throw new Error(`pnpm pack produced no tarball for ${name}`);
  return join(work, tarball);
}

/** Runs a script in the consumer with plain node; resolves stdout (throws with stderr on failure). */
function runNode(file: string, source: string): { status: number; stdout: string; stderr: string } {
  writeFileSync(join(consumer, file), source);
  try {
    const stdout = execFileSync(process.execPath, [file], {
      cwd: consumer,
      env: { ...process.env, NODE_PATH: '', NODE_OPTIONS: '' },
      encoding: 'utf8',
      stdio: 'pipe',
      timeout: 60_000,
    });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    const failed = error as { status: number; stdout: string; stderr: string };
    return { status: failed.status, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const LIST_ESM = `import { createPcscProvider } from '@kakunin/transport-pcsc';
const provider = createPcscProvider();
try {
  const readers = await provider.listReaders();
  console.log(JSON.stringify(readers.map((r) => ({ id: r.id, cardPresent: r.cardPresent }))));
} catch (error) {
  console.log(JSON.stringify({ code: error.code, message: error.message, details: error.details }));
} finally {
  await provider.close();
}
`;
const LIST_CJS = `const { createPcscProvider } = require('@kakunin/transport-pcsc');
(async () => {
  const provider = createPcscProvider();
  const readers = await provider.listReaders();
  console.log(JSON.stringify(readers.map((r) => ({ id: r.id, cardPresent: r.cardPresent }))));
  await provider.close();
})();
`;

beforeAll(() => {
  execFileSync('mkdir', ['-p', consumer]);
  writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'prebuilt-consumer', private: true }));
  const tarballs = [pack('core'), pack('transport-pcsc')];
  execFileSync(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-package-lock', ...tarballs],
    { cwd: consumer, stdio: 'pipe', timeout: 300_000 },
  );
}, 400_000);

const pcscd = usePcscd();

beforeAll(async () => {
  host = await VirtualCardHost.start({ profile: 'plastic', slot: 0 });
  await host.insert();
}, 120_000);

afterAll(async () => {
  await host?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('prebuilt smartcard binary in the packed transport-pcsc', () => {
  it('the tarball carries prebuilds/<platform>-<arch>/smartcard.node; smartcard was installed but not compiled', () => {
    const installed = join(consumer, 'node_modules', '@kakunin', 'transport-pcsc');
    expect(existsSync(join(installed, 'prebuilds', PLATFORM, PREBUILT_FILE))).toBe(true);
    expect(existsSync(join(consumer, 'node_modules', 'smartcard', 'package.json'))).toBe(true);
    expect(existsSync(join(consumer, 'node_modules', 'smartcard', 'build'))).toBe(false);
  });

  it('lists the vpcd readers of the real pcscd through the prebuilt binary, from ESM and CommonJS', () => {
    expect(pcscd().running).toBe(true);
    for (const [file, source] of [
      ['list.mjs', LIST_ESM],
      ['list.cjs', LIST_CJS],
    ] as const) {
      const run = runNode(file, source);
      expect(run.status, run.stderr).toBe(0);
      const readers = JSON.parse(run.stdout) as Array<{ id: string; cardPresent: boolean }>;
      expect(readers).toContainEqual({ id: host.readerName, cardPresent: true });
    }
  });

  it('without the prebuilt binary (and no compiled smartcard) it is SERVICE_UNAVAILABLE naming both', () => {
    const prebuilds = join(consumer, 'node_modules', '@kakunin', 'transport-pcsc', 'prebuilds');
    rmSync(prebuilds, { recursive: true, force: true });
    const run = runNode('list-missing.mjs', LIST_ESM);
    expect(run.status, run.stderr).toBe(0);
    const failure = JSON.parse(run.stdout) as {
      code: string;
      message: string;
      details: Record<string, string>;
    };
    expect(failure.code).toBe('SERVICE_UNAVAILABLE');
    expect(failure.message).toContain(`prebuilds/${PLATFORM}/${PREBUILT_FILE}`);
    expect(failure.message).toContain("require('smartcard')");
    expect(failure.details).toMatchObject({ reason: 'binding-unavailable', platform: PLATFORM });
  });
});

describe('binding helpers', () => {
  it('finds the package root from src/ and names the prebuilt path per platform', () => {
    const path = prebuiltBindingPath('win32', 'x64');
    expect(path).toBe(join(PACKAGES, 'transport-pcsc', 'prebuilds', 'win32-x64', PREBUILT_FILE));
    expect(prebuiltBindingPath('linux', 'x64', '/')).toBeUndefined();
  });

  it('SCARD_CTL_CODE per platform (pcsc-lite reader.h; winsmcrd.h CTL_CODE)', () => {
    expect(controlCodeFor('linux', 3400)).toBe(0x42000d48);
    expect(controlCodeFor('darwin', 1)).toBe(0x42000001);
    expect(controlCodeFor('win32', 3400)).toBe(0x313520);
  });
});
