/**
 * The CLI as a product (issue 17): --version, help on stdout, errors as JSON under --json, exit
 * codes for file/usage/not-installed errors, no binary to a terminal, progress on terminals only,
 * `pin change`, `--wait`, and remedies that fit the transport in use.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { CardError } from '@kakunin/core/transport';
import {
  createVirtualCard,
  defaultKeyCacheDirectory,
  SimulatorProvider,
  TestKeyStore,
} from '@kakunin/simulator';
import { NfcBridgeProvider } from '@kakunin/transport-nfc-bridge';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseReader, remedyFor } from './card-access.js';
import { COMMANDS } from './commands/index.js';
import { isMissingPackage } from './context.js';
import { cliVersion, main, startProgress } from './main.js';
import { runCli } from './test-support.js';

const sim = ['--transport', 'sim'];
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

afterEach(() => {
  vi.useRealTimers();
});

describe('version and help', () => {
  it('--version prints the package version on stdout', async () => {
    const run = await runCli(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${manifest.version}\n`);
    expect(cliVersion()).toBe(manifest.version);
  });

  it('--help goes to stdout: a line per command with its summary, per option, examples, exit codes', async () => {
    const run = await runCli(['--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    for (const name of Object.keys(COMMANDS))
      expect(run.stdout).toMatch(new RegExp(`^  ${name.replace('-', '\\-')} +\\S.*$`, 'm'));
    for (const option of [
      '--transport',
      '--reader',
      '--wait',
      '--wait-timeout',
      '--pin-stdin',
      '--json',
      '--version',
    ])
      expect(run.stdout).toMatch(new RegExp(`^  ${option}\\b.* {2,}\\S`, 'm'));
    expect(run.stdout).toContain('examples:');
    expect(run.stdout).toContain('7 file');
  });

  it('<command> --help lists the command options and examples on stdout', async () => {
    const run = await runCli(['sign', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ {2}--in FILE +\S/m);
    expect(run.stdout).toMatch(/^ {2}kakunin sign --key sign --in contract\.pdf --out contract\.sig$/m);
  });
});

describe('errors under --json', () => {
  it('a wrong PIN: JSON error on stdout with code, remedy and tries left; exit 4; the PIN never appears', async () => {
    const run = await runCli(['check', '--pin-stdin', '--json', ...sim], '9999\n');
    expect(run.code).toBe(4);
    const json = JSON.parse(run.stdout) as { error: Record<string, unknown> };
    expect(json.error).toMatchObject({ code: 'PIN_INCORRECT', remedy: 'pin.incorrect', triesLeft: 2 });
    expect(typeof json.error.message).toBe('string');
    expect((json.error.remedyText as { ja: string }).ja.length).toBeGreaterThan(0);
    expect(run.stdout + run.stderr).not.toContain('9999');
  });

  it('usage errors are JSON too (exit 2), also for an unknown command', async () => {
    const badOption = await runCli(['check', '--bogus', '--json', ...sim]);
    expect(badOption.code).toBe(2);
    expect(JSON.parse(badOption.stdout)).toMatchObject({
      error: { code: 'USAGE', remedy: null, triesLeft: null },
    });
    const unknown = await runCli(['frobnicate', '--json']);
    expect(unknown.code).toBe(2);
    expect(JSON.parse(unknown.stdout).error.code).toBe('USAGE');
  });

  it('cert --json is honoured: DER hex and PEM in one object', async () => {
    const run = await runCli(['cert', 'auth', '--json', ...sim]);
    expect(run.code).toBe(0);
    const json = JSON.parse(run.stdout) as { der: string; pem: string; bytes: number };
    expect(json.der.length).toBe(json.bytes * 2);
    expect(json.pem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
  });
});

describe('files and terminals', () => {
  it('a missing input file exits 7 (not 3, a card error), as JSON with --json', async () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'kakunin-cli-')), 'absent.bin');
    const text = await runCli(['sign', '--key', 'auth', '--in', missing, '--pin-stdin', ...sim], '1234\n');
    expect(text.code).toBe(7);
    expect(text.stderr).toContain('absent.bin: no such file');
    const json = await runCli(['check', '--challenge', missing, '--pin-stdin', '--json', ...sim], '1234\n');
    expect(json.code).toBe(7);
    expect(JSON.parse(json.stdout).error.code).toBe('FILE');
  });

  it('sign refuses to write the binary signature to a terminal without --out', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'kakunin-cli-'));
    const input = join(directory, 'message.txt');
    await import('node:fs/promises').then((fs) => fs.writeFile(input, 'hello'));
    const stdout = Object.assign(new PassThrough(), { isTTY: true });
    const stderr = new PassThrough();
    let err = '';
    stderr.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    const code = await main(['sign', '--key', 'auth', '--in', input, '--pin-stdin', ...sim], {
      stdin: Readable.from([Buffer.from('1234\n')]),
      stdout,
      stderr,
      env: process.env,
    });
    expect(code).toBe(2);
    expect(err).toContain('--out FILE');
    // Not a try spent: the card was never opened.
    const status = await runCli(['pin', 'status', '--json', ...sim]);
    expect(JSON.parse(status.stdout).auth.triesLeft).toBe(3);
  });

  it('progress: a line on a terminal after one second, erased at the end; nothing on a pipe', () => {
    vi.useFakeTimers();
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    let shown = '';
    tty.on('data', (chunk: Buffer) => {
      shown += chunk.toString('utf8');
    });
    const io = { stdin: Readable.from([]), stdout: new PassThrough(), stderr: tty, env: {} };
    const progress = startProgress(io, 'working');
    vi.advanceTimersByTime(900);
    tty.read();
    expect(shown).toBe('');
    vi.advanceTimersByTime(400);
    progress.stop();
    expect(shown).toMatch(/\r. working 1\.\d s/);
    expect(shown.endsWith('\r\x1b[2K')).toBe(true);

    const pipe = new PassThrough();
    let piped = '';
    pipe.on('data', (chunk: Buffer) => {
      piped += chunk.toString('utf8');
    });
    const quiet = startProgress({ ...io, stderr: pipe }, 'working');
    vi.advanceTimersByTime(5000);
    quiet.stop();
    expect(piped).toBe('');
  });
});

describe('pin change', () => {
  it('changes the auth PIN: VERIFY of the current PIN then CHANGE REFERENCE DATA (00 24), both from stdin lines', async () => {
    const run = await runCli(
      ['pin', 'change', 'auth', '--pin-stdin', '--json', '--trace', ...sim],
      '1234\n5678\n',
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ changed: 'auth' });
    const instructions = run.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => (JSON.parse(line) as { header?: string }).header ?? '');
    expect(instructions.some((header) => /^0020/i.test(header.replace(/\s/g, '')))).toBe(true);
    expect(instructions.some((header) => /^0024/i.test(header.replace(/\s/g, '')))).toBe(true);
    expect(run.stderr + run.stdout).not.toMatch(/5678|1234/);
  });

  it('a wrong current PIN spends exactly one try and changes nothing (exit 4)', async () => {
    const run = await runCli(['pin', 'change', 'auth', '--pin-stdin', '--json', ...sim], '9999\n5678\n');
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout).error).toMatchObject({ code: 'PIN_INCORRECT', triesLeft: 2 });
  });

  it('a malformed new PIN is refused before any VERIFY (no try spent)', async () => {
    const run = await runCli(
      ['pin', 'change', 'auth', '--pin-stdin', '--json', '--trace', ...sim],
      '1234\n12\n',
    );
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout).error.code).toBe('PIN_FORMAT');
    expect(run.stderr).not.toMatch(/"header":"0020/i);
  });

  it('without a key or with an unknown one: usage error', async () => {
    expect((await runCli(['pin', 'change', ...sim])).code).toBe(2);
    expect((await runCli(['pin', 'change', 'face', ...sim])).code).toBe(2);
  });
});

describe('--wait and transport-fitting remedies', () => {
  const keyStore = new TestKeyStore({ directory: defaultKeyCacheDirectory() });

  it('waits until a card is presented', async () => {
    const provider = new SimulatorProvider();
    try {
      const chosen = chooseReader(provider, undefined, new AbortController().signal, 10_000);
      setTimeout(() => provider.insert(createVirtualCard('plastic', { keyStore })), 600);
      expect(await chosen).toBe(provider.readerId);
    } finally {
      await provider.close();
    }
  });

  it('gives up after the timeout with CARD_ABSENT, and Ctrl-C (abort) stops the wait at once', async () => {
    const provider = new SimulatorProvider();
    try {
      await expect(
        chooseReader(provider, undefined, new AbortController().signal, 300),
      ).rejects.toMatchObject({
        code: 'CARD_ABSENT',
        remedy: 'card.absent',
      });
      const controller = new AbortController();
      const waiting = chooseReader(provider, undefined, controller.signal, 60_000);
      setTimeout(() => controller.abort(new CardError('ABORTED', 'interrupted (Ctrl-C)')), 100);
      await expect(waiting).rejects.toMatchObject({ code: 'ABORTED' });
    } finally {
      await provider.close();
    }
  });

  it('--wait-timeout is validated and needs --wait', async () => {
    expect((await runCli(['readers', ...sim, '--wait-timeout', '5'])).code).toBe(2);
    expect((await runCli(['check', ...sim, '--wait', '--wait-timeout', 'soon'])).code).toBe(2);
  });

  it('bridge with no phone paired: the remedy is pairing a phone, not a USB cable', async () => {
    const provider = await NfcBridgeProvider.listen({ host: '127.0.0.1', port: 0 });
    try {
      const error = await chooseReader(provider, undefined, new AbortController().signal).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'NO_READERS', remedy: 'bridge.pairing' });
      expect((error as Error).message).toContain('kakunin bridge pair');
    } finally {
      await provider.close();
    }
    expect(remedyFor('pcsc', 'no-readers')).toBe('reader.usb-cable');
    expect(remedyFor('ble', 'no-readers')).toBe('ble.reader-not-found');
  });
});

describe('optional packages', () => {
  it('recognises a missing optional package in Node ESM and CommonJS loader errors', () => {
    const esm = spawnSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import('@kakunin/not-installed').catch((e) => console.log(JSON.stringify({ code: e.code, message: e.message })))",
      ],
      { encoding: 'utf8' },
    );
    const esmError = Object.assign(new Error(), JSON.parse(esm.stdout) as { code: string; message: string });
    expect(isMissingPackage(esmError, '@kakunin/not-installed')).toBe(true);
    expect(isMissingPackage(esmError, '@kakunin/transport-ble')).toBe(false);
    let cjsError: unknown;
    try {
      createRequire(import.meta.url)('@kakunin/not-installed');
    } catch (error) {
      cjsError = error;
    }
    expect(isMissingPackage(cjsError, '@kakunin/not-installed')).toBe(true);
  });
});
