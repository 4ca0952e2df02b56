/**
 * `kakunin sim` puts the virtual card into the real pcscd, and `kakunin readers --transport pcsc`
 * (a separate process, as a user would run it) lists the vpcd readers with card presence.
 * Runs the built CLI (apps/cli/bin/kakunin.mjs → dist): `pnpm -s turbo run build` first.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { usePcscd } from './use-pcscd.js';

const CLI = fileURLToPath(new URL('../../../apps/cli/bin/kakunin.mjs', import.meta.url));
const CLI_DIST = fileURLToPath(new URL('../../../apps/cli/dist/main.js', import.meta.url));
/** The ATR of the simulator's contact interface (jpki-card.md §12.1). */
const CONTACT_ATR = '3B E0 00 FF 81 31 FE 45 14';

interface ReadersJson {
  readonly transport: string;
  readonly readers: readonly { id: string; label: string; cardPresent: boolean; atr?: string }[];
}

usePcscd();
const children: ChildProcess[] = [];

function kakunin(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { encoding: 'utf8', timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({
          code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
          stdout,
          stderr,
        });
      },
    );
  });
}

/** Starts `kakunin sim …` and resolves with its first stdout line (the JSON announcement). */
function startSim(args: readonly string[]): Promise<{ child: ChildProcess; line: string }> {
  const child = spawn(process.execPath, [CLI, 'sim', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      errors += chunk.toString('utf8');
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const newline = output.indexOf('\n');
      if (newline >= 0) resolve({ child, line: output.slice(0, newline) });
    });
    child.once('exit', (code) =>
      reject(new Error(`kakunin sim exited with ${code} before announcing: ${errors}`)),
    );
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

beforeAll(() => {
  if (!existsSync(CLI_DIST)) throw new Error(`${CLI_DIST} is missing: run \`pnpm -s turbo run build\` first`);
});

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited(child);
    }
  }
});

describe('kakunin sim + kakunin readers (pcsc)', () => {
  it('inserts the card into the vpcd reader until SIGTERM; readers shows it present, then absent', async () => {
    const before = await kakunin(['readers', '--transport', 'pcsc', '--json']);
    expect(before.code, before.stderr).toBe(0);
    const empty = JSON.parse(before.stdout) as ReadersJson;
    expect(empty.transport).toBe('pcsc');
    expect(empty.readers.map((reader) => [reader.id, reader.cardPresent])).toEqual([
      ['Virtual PCD 00 00', false],
      ['Virtual PCD 00 01', false],
    ]);

    const { child, line } = await startSim(['--profile', 'plastic', '--slot', '1', '--json']);
    expect(JSON.parse(line)).toEqual({
      reader: 'Virtual PCD 00 01',
      profile: 'plastic',
      slot: 1,
      atr: CONTACT_ATR,
    });

    const during = await kakunin(['readers', '--transport', 'pcsc', '--json']);
    expect(during.code, during.stderr).toBe(0);
    const present = JSON.parse(during.stdout) as ReadersJson;
    expect(present.readers).toEqual([
      { id: 'Virtual PCD 00 00', label: 'Virtual PCD 00 00', cardPresent: false },
      {
        id: 'Virtual PCD 00 01',
        label: 'Virtual PCD 00 01',
        cardPresent: true,
        atr: CONTACT_ATR.replaceAll(' ', ''),
      },
    ]);
    const text = await kakunin(['readers', '--transport', 'pcsc']);
    expect(text.stdout).toContain(
      'Virtual PCD 00 01\tカードあり / card present ATR 3B E0 00 FF 81 31 FE 45 14',
    );

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    // pcscd notices the removal within its 400 ms presence poll.
    const deadline = Date.now() + 5000;
    let after: ReadersJson;
    do {
      await new Promise((resolve) => setTimeout(resolve, 200));
      after = JSON.parse((await kakunin(['readers', '--transport', 'pcsc', '--json'])).stdout) as ReadersJson;
    } while (after.readers[1]?.cardPresent === true && Date.now() < deadline);
    expect(after.readers[1]?.cardPresent).toBe(false);
  });

  it('refuses an unknown profile or slot with the usage exit code', async () => {
    expect((await kakunin(['sim', '--profile', 'nonsense'])).code).toBe(2);
    expect((await kakunin(['sim', '--slot', '7'])).code).toBe(2);
  });
});
