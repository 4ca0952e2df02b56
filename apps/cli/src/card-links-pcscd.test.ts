/**
 * Issue 14 Deliver 6, "any card through any link", through the real stack: a simulator card in
 * its own process behind vpcd + the real pcscd (machine-wide lock), reached by the CLI
 *
 * - directly (`--transport pcsc`),
 * - through the simulated ACR1255U-J1 (`--transport ble-sim --card pcsc:READER`: real noble code,
 *   the reader's AES session and 20-byte notifications, TransportCardEndpoint → PC/SC),
 * - through the reference phone relay (`--transport bridge-sim --card pcsc:READER`: real
 *   WebSocket + Noise, the relay's local provider is PC/SC).
 *
 * The APDUs counted at the card are the same on every link (all three are short-APDU links) and
 * equal exact figures, for the plain card and for cards whose quirks change the framing (T=0-style
 * 61xx + GET RESPONSE, a 224-byte response cap answering 6C E0). Pulling the card mid-read through
 * ble-sim ends in CARD_REMOVED, in bounded time.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPcscProvider } from '@kakunin/transport-pcsc';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from './test-support.js';

// The harnesses live in tools/ (TypeScript sources outside this package's rootDir): loaded by URL,
// typed here by what this file uses.
interface CardHostLike extends AsyncDisposable {
  readonly readerName: string;
  reset(): Promise<void>;
  log(): Promise<ReadonlyArray<{ readonly ins: number; readonly sw: number }>>;
  close(): Promise<void>;
}
interface VirtualCardHostLike {
  readonly readerName: string;
  insert(): Promise<void>;
  remove(): Promise<void>;
  stats(): Promise<{ readonly faultEvents: ReadonlyArray<{ readonly type: string; readonly ins?: number }> }>;
  close(): Promise<void>;
}
const { usePcscd, VirtualCardHost } = (await import(
  /* @vite-ignore */ new URL('../../../tools/pcscd/src/index.ts', import.meta.url).href
)) as {
  usePcscd: () => () => unknown;
  VirtualCardHost: {
    start(options: {
      profile?: string;
      slot?: number;
      faults?: ReadonlyArray<Record<string, unknown>>;
    }): Promise<VirtualCardHostLike>;
  };
};
const { CardHost } = (await import(
  /* @vite-ignore */ new URL('../../../tools/perf/src/card-host.ts', import.meta.url).href
)) as {
  CardHost: {
    start(
      mode: 'extended' | 'short-link',
      options: { slot?: number; card?: { quirks?: Record<string, unknown> } },
    ): Promise<CardHostLike>;
  };
};

usePcscd();

/** vpcd's first slot as pcscd names it (no card host needed to see the reader). */
const VPCD_SLOT_0 = 'Virtual PCD 00 00';
const PIN = '1234'; // the simulator's synthetic person's auth PIN
const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

/**
 * Starts a counted card host and waits until pcscd reports its card (after the previous test's
 * card left, pcscd may still show the slot empty for a moment).
 */
/**
 * Starts a card host and waits until PC/SC shows its card. In long suite runs pcscd's vpcd driver
 * now and then never picks up a card host that connects right after the previous one on the same
 * slot closed (seen in 1,400-test runs, never in this file alone): such a host is replaced on the
 * other vpcd slot, at most twice, before the test fails. This is set-up, not the behaviour under
 * test: the APDUs are counted afterwards, on whichever slot the card sits.
 */
async function placed<T extends { readonly readerName: string; close(): Promise<void> }>(
  start: (slot: number) => Promise<T>,
  ready: (host: T) => Promise<void> = async () => {},
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    const host = await start((attempt + 1) % 2 === 0 ? 0 : 1);
    try {
      await ready(host);
      await pcscSees(host.readerName, true, attempt < 3 ? 10_000 : 30_000);
      cleanups.push(() => host.close());
      return host;
    } catch (error) {
      await host.close();
      if (attempt >= 3) throw error;
    }
  }
}

async function startCard(quirks?: Record<string, unknown>): Promise<CardHostLike> {
  return placed((slot) =>
    CardHost.start('short-link', { slot, card: quirks === undefined ? {} : { quirks } }),
  );
}

/**
 * Waits until PC/SC reports `readerName` with (or without) a card, twice in a row: right after a
 * card host started or stopped, pcscd may still show the slot's previous state for a moment.
 */
async function pcscSees(readerName: string, cardPresent: boolean, timeoutMs = 30_000): Promise<void> {
  const provider = createPcscProvider();
  try {
    let agreeing = 0;
    await vi.waitFor(
      async () => {
        const reader = (await provider.listReaders()).find((candidate) => candidate.label === readerName);
        agreeing = reader?.cardPresent === cardPresent ? agreeing + 1 : 0;
        expect(agreeing).toBeGreaterThanOrEqual(2);
      },
      { timeout: timeoutMs, interval: 100 },
    );
  } finally {
    await provider.close();
  }
}

type Link = 'pcsc' | 'ble-sim' | 'bridge-sim';
const LINKS: readonly Link[] = ['pcsc', 'ble-sim', 'bridge-sim'];

function linkArgs(link: Link, readerName: string): string[] {
  return link === 'pcsc'
    ? ['--transport', 'pcsc', '--reader', readerName]
    : ['--transport', link, '--card', `pcsc:${readerName}`];
}

/** Runs `argv` through `link` and returns what reached the card, with the wall time (reported, not asserted). */
async function throughLink(host: CardHostLike, link: Link, argv: readonly string[], stdin = '') {
  await host.reset();
  const started = performance.now();
  const run = await runCli([...argv, ...linkArgs(link, host.readerName)], stdin);
  const ms = Math.round(performance.now() - started);
  const log = await host.log();
  return { run, ms, apdus: log.length, log };
}

const CARDS: ReadonlyArray<
  readonly [string, { readonly getResponse?: object; readonly responseCap?: number } | undefined, number]
> = [
  // [name, quirks, PIN-mode check APDUs at the card on a short link]
  ['plastic', undefined, 10],
  ['t0 (61xx + GET RESPONSE, 80 C0 refused)', { getResponse: {} }, 17],
  ['cap-224 (6C E0)', { responseCap: 224 }, 12],
];

describe('kakunin check through every link in front of a vpcd card', () => {
  for (const [name, quirks, expected] of CARDS) {
    it(`${name}: direct, ble-sim and bridge-sim send the card the same ${expected} APDUs`, async () => {
      const host = await startCard(quirks);
      const figures: Record<string, { apdus: number; ms: number }> = {};
      for (const link of LINKS) {
        const { run, ms, apdus, log } = await throughLink(
          host,
          link,
          ['check', '--pin-stdin', '--json'],
          `${PIN}\n`,
        );
        expect(run.code, `${link}: ${run.stdout} ${run.stderr}`).toBe(0);
        const result = JSON.parse(run.stdout) as { mode: string; triesLeftBefore: number };
        expect(result).toMatchObject({ mode: 'pin', triesLeftBefore: 3 });
        if (quirks?.getResponse !== undefined) expect(log.some((entry) => entry.ins === 0xc0)).toBe(true);
        if (quirks?.responseCap !== undefined) expect(log.some((entry) => entry.sw === 0x6ce0)).toBe(true);
        figures[link] = { apdus, ms };
      }
      process.stdout.write(`[card-links] check ${name}: ${JSON.stringify(figures)}\n`);
      expect(figures.pcsc?.apdus).toBe(expected);
      expect(figures['ble-sim']?.apdus).toBe(expected);
      expect(figures['bridge-sim']?.apdus).toBe(expected);
    });
  }

  it('kakunin sign through bridge-sim and ble-sim on the T=0-style card (GET RESPONSE after the signature)', async () => {
    const host = await startCard({ getResponse: {} });
    const directory = mkdtempSync(join(tmpdir(), 'kakunin-links-'));
    const input = join(directory, 'message.txt');
    writeFileSync(input, '処方箋 2026-12-08\n');
    const counts: Record<string, number> = {};
    for (const link of LINKS) {
      const out = join(directory, `${link}.sig`);
      const { run, ms, apdus, log } = await throughLink(
        host,
        link,
        ['sign', '--key', 'auth', '--in', input, '--out', out, '--pin-stdin'],
        `${PIN}\n`,
      );
      expect(run.code, `${link}: ${run.stderr}`).toBe(0);
      expect(readFileSync(out).length).toBe(256);
      expect(log.filter((entry) => entry.ins === 0xc0).length).toBeGreaterThan(0);
      counts[link] = apdus;
      process.stdout.write(`[card-links] sign t0 ${link}: ${apdus} APDUs, ${ms} ms\n`);
    }
    expect(counts['ble-sim']).toBe(counts.pcsc);
    expect(counts['bridge-sim']).toBe(counts.pcsc);
    // RSA PKCS#1 v1.5 with one key: the same digest signs to the same bytes on every link.
    expect(readFileSync(join(directory, 'ble-sim.sig'))).toEqual(readFileSync(join(directory, 'pcsc.sig')));
    expect(readFileSync(join(directory, 'bridge-sim.sig'))).toEqual(
      readFileSync(join(directory, 'pcsc.sig')),
    );
  });

  it('readers through ble-sim lists the simulated reader with the PC/SC card on it', async () => {
    const host = await startCard();
    const run = await runCli([
      'readers',
      '--json',
      '--transport',
      'ble-sim',
      '--card',
      `pcsc:${host.readerName}`,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('ACR1255U-J1-SIM001');
    expect(run.stdout).toMatch(/"cardPresent":\s*true/);
  });

  it('an unknown PC/SC reader behind --card is a usage error naming the readers there are', async () => {
    const host = await startCard();
    for (const link of ['ble-sim', 'bridge-sim'] as const) {
      const run = await runCli(['pin', 'status', '--transport', link, '--card', 'pcsc:No Such Reader 99']);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('No Such Reader 99');
      expect(run.stderr).toContain(host.readerName);
    }
  });
});

describe('an empty PC/SC reader behind --card', () => {
  it('is CARD_ABSENT naming the PC/SC reader, with the remedy to put the card there (exit 3)', async () => {
    await pcscSees(VPCD_SLOT_0, false);
    for (const link of ['ble-sim', 'bridge-sim'] as const) {
      const run = await runCli([
        'pin',
        'status',
        '--json',
        '--transport',
        link,
        '--card',
        `pcsc:${VPCD_SLOT_0}`,
      ]);
      expect(run.code, run.stderr).toBe(3);
      expect(JSON.parse(run.stdout)).toMatchObject({
        error: { code: 'CARD_ABSENT', remedy: 'card.absent', message: expect.stringContaining(VPCD_SLOT_0) },
      });
    }
  });

  it('with --wait, the simulated link shows the card once it is put in the PC/SC reader', async () => {
    const card = await VirtualCardHost.start({ profile: 'plastic', slot: 0 });
    cleanups.push(() => card.close());
    for (const link of ['ble-sim', 'bridge-sim'] as const) {
      await pcscSees(card.readerName, false);
      const pending = runCli([
        'pin',
        'status',
        '--json',
        '--wait',
        '--wait-timeout',
        '30',
        '--transport',
        link,
        '--card',
        `pcsc:${card.readerName}`,
      ]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await card.insert();
      const run = await pending;
      expect(run.code, `${link}: ${run.stdout} ${run.stderr}`).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ auth: { triesLeft: 3 } });
      await card.remove();
    }
  });
});

describe('card removal behind the links', () => {
  it.each([
    ['ble-sim', 'card.moved'],
    ['bridge-sim', 'nfc.moved'],
  ] as const)(
    'pulling the vpcd card mid-read through %s gives CARD_REMOVED (%s) in bounded time, not a hang',
    async (link, remedy) => {
      // The card leaves vpcd on its 4th command: SELECT AP, SELECT EF, READ BINARY answered, then gone.
      const card = await placed(
        (slot) =>
          VirtualCardHost.start({ profile: 'plastic', slot, faults: [{ type: 'remove', afterCommands: 3 }] }),
        (host) => host.insert(),
      );
      const GUARD_MS = 20_000; // the error code tells removal from the 10 s card timeout (CARD_UNRESPONSIVE)
      let guard: ReturnType<typeof setTimeout> | undefined;
      const outcome = await Promise.race([
        runCli(['cert', 'auth', '--json', '--transport', link, '--card', `pcsc:${card.readerName}`]),
        new Promise<'hung'>((resolve) => {
          guard = setTimeout(() => resolve('hung'), GUARD_MS);
        }),
      ]);
      clearTimeout(guard);
      expect(outcome).not.toBe('hung');
      if (outcome === 'hung') return;
      expect(outcome.code, outcome.stderr).toBe(3);
      expect(JSON.parse(outcome.stdout || outcome.stderr)).toMatchObject({
        error: { code: 'CARD_REMOVED', remedy },
      });
      // The card left on its 4th command, a READ BINARY: mid-read.
      expect((await card.stats()).faultEvents).toEqual([{ index: 3, type: 'remove', ins: 0xb0 }]);
    },
  );
});
