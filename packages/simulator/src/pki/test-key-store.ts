/**
 * Caches deterministic test keys: in memory always, and optionally as JWK files in a directory
 * (typically under os.tmpdir()) so later test processes skip the ~0.5 s-per-key generation. A
 * cached file that does not parse or does not match its name is regenerated and rewritten
 * (written to a temporary name, then renamed, so parallel workers never read half a file).
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * const keyStore = new TestKeyStore({ directory: join(tmpdir(), 'kakunin-simulator-keys') });
 * const key = keyStore.rsaKey('kakunin', 'auth-ca');
 * ```
 */
import { createHash, type JsonWebKey } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_MODULUS_BITS,
  generateRsaKey,
  keyPairFromJwk,
  type RsaKeyPair,
} from './rsa-key-generation.js';

/** Bumped whenever generation changes, so stale cache files are never reused. */
const KEY_ALGORITHM_VERSION = 'v1';

export interface TestKeyStoreOptions {
  /** Directory for JWK cache files; omitted → memory only. Created on first write. */
  readonly directory?: string;
}

/** Default cache directory: `<os.tmpdir()>/kakunin-simulator-keys`. */
export function defaultKeyCacheDirectory(): string {
  return join(tmpdir(), 'kakunin-simulator-keys');
}

/** Counters for the benchmark and tests. */
export interface KeyStoreStatistics {
  generated: number;
  fromFile: number;
  fromMemory: number;
  generationMs: number;
}

export class TestKeyStore {
  readonly directory: string | undefined;
  readonly statistics: KeyStoreStatistics = { generated: 0, fromFile: 0, fromMemory: 0, generationMs: 0 };
  readonly #memory = new Map<string, RsaKeyPair>();

  constructor(options: TestKeyStoreOptions = {}) {
    if (options.directory !== undefined && typeof options.directory !== 'string') {
      throw new TypeError('options.directory must be a string');
    }
    this.directory = options.directory;
  }

  /**
   * The RSA key named `label` under `seed`: from memory, from the cache file, or generated.
   *
   * @example
   * ```ts
   * keyStore.rsaKey('kakunin', 'sign-ee').privateKey;
   * ```
   */
  rsaKey(seed: string, label: string, bits = DEFAULT_MODULUS_BITS): RsaKeyPair {
    const id = createHash('sha256')
      .update(`${KEY_ALGORITHM_VERSION}\u0000${seed}\u0000${label}\u0000${bits}`)
      .digest('hex')
      .slice(0, 32);
    const cached = this.#memory.get(id);
    if (cached !== undefined) {
      this.statistics.fromMemory += 1;
      return cached;
    }
    const fromFile = this.#readFile(id, bits);
    if (fromFile !== undefined) {
      this.statistics.fromFile += 1;
      this.#memory.set(id, fromFile);
      return fromFile;
    }
    const started = performance.now();
    const generated = generateRsaKey(seed, label, bits);
    this.statistics.generationMs += performance.now() - started;
    this.statistics.generated += 1;
    this.#memory.set(id, generated);
    this.#writeFile(id, generated.jwk);
    return generated;
  }

  #path(id: string): string | undefined {
    return this.directory === undefined ? undefined : join(this.directory, `rsa-${id}.json`);
  }

  #readFile(id: string, bits: number): RsaKeyPair | undefined {
    const path = this.#path(id);
    if (path === undefined) return undefined;
    try {
      const parsed = JSON.parse(readFileSync(path, 'utf8')) as { id?: unknown; jwk?: JsonWebKey };
      if (parsed.id !== id || typeof parsed.jwk !== 'object' || parsed.jwk === null) return undefined;
      const pair = keyPairFromJwk(parsed.jwk);
      return pair.publicKey.asymmetricKeyDetails?.modulusLength === bits ? pair : undefined;
    } catch {
      return undefined;
    }
  }

  #writeFile(id: string, jwk: JsonWebKey): void {
    const path = this.#path(id);
    if (path === undefined || this.directory === undefined) return;
    try {
      mkdirSync(this.directory, { recursive: true });
      const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
      writeFileSync(temporary, JSON.stringify({ id, jwk }), { mode: 0o600 });
      renameSync(temporary, path);
    } catch {
      // A read-only or full temp directory only costs speed.
    }
  }
}
