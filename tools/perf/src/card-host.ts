/**
 * A counted simulator card in a vpcd slot of the real pcscd, served by a child process
 * (vpcd-card-host.ts) so that PC/SC clients in this process — kakunin over transport-pcsc, whose
 * binding makes some synchronous PC/SC calls — can never deadlock with it. The log of what
 * reached the card comes back over IPC.
 *
 * From the built bench scripts the host is dist/vpcd-card-host.js; from TypeScript sources (tests)
 * it is bundled once per process with esbuild into tools/perf/node_modules/.cache (so that its
 * package imports resolve).
 *
 * @example
 * ```ts
 * await using host = await CardHost.start('extended');
 * await host.reset();
 * // … run a PC/SC client against host.readerName …
 * const tally = tallyApdus(await host.log());
 * ```
 */

import { type ChildProcess, fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ApduLogEntry } from './apdu-tally.js';
import type { CardHostReply, CardHostRequest } from './card-host-protocol.js';
import type { LinkModeName } from './link-modes.js';
import type { CountedCardOptionsJson } from './simulated-check.js';

/** How long the host may take to put its card in the reader (key cache cold: key generation). */
const START_TIMEOUT_MS = 120_000;
/** How long one request may take. */
const REQUEST_TIMEOUT_MS = 10_000;

let bundled: Promise<string> | undefined;

/** The host program to fork: the built sibling, or a fresh esbuild bundle of the TypeScript source. */
async function hostScript(): Promise<string> {
  const here = fileURLToPath(import.meta.url);
  if (!here.endsWith('.ts')) {
    const built = join(dirname(here), 'vpcd-card-host.js');
    if (!existsSync(built)) throw new Error(`${built} is missing: build tools/perf (pnpm bench builds it)`);
    return built;
  }
  bundled ??= (async () => {
    const { build } = await import('esbuild');
    const outdir = join(dirname(here), '..', 'node_modules', '.cache', 'kakunin-perf');
    await mkdir(outdir, { recursive: true });
    // Build under a private name, then rename: concurrent test processes never see half a file.
    const outfile = join(outdir, 'vpcd-card-host.mjs');
    const partial = join(outdir, `vpcd-card-host.${process.pid}.partial.mjs`);
    await build({
      entryPoints: [join(dirname(here), 'vpcd-card-host.ts')],
      outfile: partial,
      bundle: true,
      packages: 'external',
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
    });
    await rename(partial, outfile);
    return outfile;
  })();
  return bundled;
}

/**
 * The parent side.
 *
 * @example
 * ```ts
 * const host = await CardHost.start('refuses-fast-paths', { slot: 1 });
 * ```
 */
export class CardHost implements AsyncDisposable {
  readonly readerName: string;
  readonly #child: ChildProcess;
  readonly #pending = new Map<number, (reply: CardHostReply) => void>();
  #nextId = 1;
  #exited = false;

  private constructor(child: ChildProcess, readerName: string) {
    this.#child = child;
    this.readerName = readerName;
    child.on('message', (reply: CardHostReply) => {
      if ('id' in reply) {
        const resolve = this.#pending.get(reply.id);
        this.#pending.delete(reply.id);
        resolve?.(reply);
      }
    });
    child.once('exit', () => {
      this.#exited = true;
    });
  }

  /** Forks the host for `mode` and waits until its card is in the reader. */
  static async start(
    mode: LinkModeName,
    options: { readonly slot?: number; readonly card?: CountedCardOptionsJson } = {},
  ): Promise<CardHost> {
    const script = await hostScript();
    const child = fork(script, [mode, String(options.slot ?? 0), JSON.stringify(options.card ?? {})], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const readerName = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`card host did not insert its card within ${START_TIMEOUT_MS} ms`));
      }, START_TIMEOUT_MS);
      child.on('message', (reply: CardHostReply) => {
        if (reply.type === 'ready') {
          clearTimeout(timer);
          resolve(reply.readerName);
        } else if (reply.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(`card host failed: ${reply.message}`));
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`card host exited (${code}) before its card was inserted`));
      });
    });
    return new CardHost(child, readerName);
  }

  #request(type: CardHostRequest['type']): Promise<CardHostReply> {
    if (this.#exited) return Promise.reject(new Error('card host has exited'));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`card host: no answer to ${type} within ${REQUEST_TIMEOUT_MS} ms`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.#child.send({ type, id } satisfies CardHostRequest);
    });
  }

  /** Forgets what the card has seen so far. */
  async reset(): Promise<void> {
    await this.#request('reset');
  }

  /** What reached the card since the last reset. */
  async log(): Promise<ApduLogEntry[]> {
    const reply = await this.#request('log');
    if (reply.type !== 'log') throw new Error(`card host: unexpected ${reply.type}`);
    return [...reply.entries];
  }

  /** Takes the card out of the reader and ends the host. Idempotent. */
  async close(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise<void>((resolve) => this.#child.once('exit', () => resolve()));
    await this.#request('stop').catch(() => undefined);
    const timer = setTimeout(() => this.#child.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
