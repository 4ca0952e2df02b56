/**
 * Node only (uses node:fs): imported as `@kakunin/core/trust-store`, never from the browser-safe subpaths.
 *
 * Operator-added J-LIS roots, kept in a per-machine configuration directory
 * (`KAKUNIN_CONFIG_DIR`, else `%APPDATA%\kakunin` on Windows, `~/Library/Application Support/kakunin`
 * on macOS, `$XDG_CONFIG_HOME/kakunin` or `~/.config/kakunin` elsewhere), under `jpki-roots/`.
 * Each root is one JSON file `<id>.json` holding the certificate (PEM) and the SHA-256 the
 * operator confirmed against J-LIS's page when adding it. The compiled-in registry
 * (`@kakunin/core/x509`) decides what is accepted, on adding and again on every load: self-signed,
 * J-LIS's subject, a known generation's serial and validity, the confirmed fingerprint. The
 * directory is created 0700 and files 0600; on POSIX, files in a directory writable by others,
 * symbolic links, special files and files over 64 KiB are refused (a root beside the program
 * is one an attacker can replace).
 *
 * @example
 * ```ts
 * const added = await addJpkiRoot(await readFile('authca02.cer'), { fingerprint, env: process.env });
 * const store = await loadJpkiTrustStore({ env: process.env });
 * store.missing; // generations still without a root
 * ```
 */
import { lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  type AddedJpkiRoot,
  checkJpkiRootCandidate,
  createJpkiTrustStore,
  encodePem,
  generationMayStillBeValid,
  JPKI_ROOT_GENERATIONS,
  type JpkiRootCandidateResult,
  type JpkiRootGeneration,
  type JpkiTrustStore,
  normalizeFingerprint,
  pemToDer,
  type SignatureVerifier,
} from '../x509/index.js';

/** An installed root file may not exceed this (a root is ~1.5 KB). */
export const MAX_ROOT_FILE_BYTES = 64 * 1024;

export interface TrustConfigOptions {
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly platform?: NodeJS.Platform;
  readonly verifier?: SignatureVerifier;
}

/**
 * The per-machine configuration directory.
 *
 * @example
 * ```ts
 * kakuninConfigDirectory({ env: { KAKUNIN_CONFIG_DIR: '/tmp/k' } }); // '/tmp/k'
 * ```
 */
export function kakuninConfigDirectory(options: TrustConfigOptions = {}): string {
  const env = options.env ?? process.env;
  if (env.KAKUNIN_CONFIG_DIR !== undefined && env.KAKUNIN_CONFIG_DIR !== '') return env.KAKUNIN_CONFIG_DIR;
  const platform = options.platform ?? process.platform;
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'kakunin');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'kakunin');
  return join(
    env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== ''
      ? env.XDG_CONFIG_HOME
      : join(home, '.config'),
    'kakunin',
  );
}

/** `<config>/jpki-roots`. */
export function jpkiRootsDirectory(options: TrustConfigOptions = {}): string {
  return join(kakuninConfigDirectory(options), 'jpki-roots');
}

interface StoredRoot {
  readonly id: string;
  readonly fingerprint: string;
  readonly addedAt: string;
  readonly pem: string;
}

/**
 * Reads a regular file of at most `maxBytes`, checking the size while reading (a FIFO or a
 * device never ends; `stat` sizes can lie). Symbolic links and special files are refused.
 */
async function readSmallRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  const info = await lstat(path);
  if (info.isSymbolicLink()) throw new Error('is a symbolic link');
  if (!info.isFile()) throw new Error('is not a regular file');
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    const buffer = Buffer.alloc(16 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > maxBytes) throw new Error(`larger than ${maxBytes} bytes`);
      chunks.push(Buffer.from(buffer.subarray(0, bytesRead)));
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

function writableByOthers(mode: number, platform: NodeJS.Platform): boolean {
  return platform !== 'win32' && (mode & 0o022) !== 0;
}

/** What the store directory held: usable entries and refused files (with the reason). */
export interface InstalledRootFiles {
  readonly directory: string;
  readonly added: readonly AddedJpkiRoot[];
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/**
 * Reads the stored roots (no checks beyond the file rules; {@link loadJpkiTrustStore} checks them).
 */
export async function readInstalledJpkiRoots(options: TrustConfigOptions = {}): Promise<InstalledRootFiles> {
  const directory = jpkiRootsDirectory(options);
  const platform = options.platform ?? process.platform;
  const added: AddedJpkiRoot[] = [];
  const skipped: { file: string; reason: string }[] = [];
  let names: string[];
  try {
    const info = await lstat(directory);
    if (!info.isDirectory())
      return { directory, added, skipped: [{ file: directory, reason: 'not a directory' }] };
    if (writableByOthers(info.mode, platform))
      return {
        directory,
        added,
        skipped: [
          { file: directory, reason: 'writable by other users: roots there are ignored (chmod 700)' },
        ],
      };
    names = (await readdir(directory)).filter((name) => name.endsWith('.json')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { directory, added, skipped };
    throw error;
  }
  for (const file of names) {
    try {
      const path = join(directory, file);
      const info = await lstat(path);
      if (info.isFile() && writableByOthers(info.mode, platform)) throw new Error('writable by other users');
      const stored = JSON.parse(
        (await readSmallRegularFile(path, MAX_ROOT_FILE_BYTES)).toString('utf8'),
      ) as StoredRoot;
      if (typeof stored?.pem !== 'string' || typeof stored.fingerprint !== 'string')
        throw new Error('not a kakunin root record');
      added.push({ label: file, der: pemToDer(stored.pem, 'CERTIFICATE'), fingerprint: stored.fingerprint });
    } catch (error) {
      skipped.push({ file, reason: (error as Error).message });
    }
  }
  return { directory, added, skipped };
}

/** The trust store: compiled-in roots plus the installed ones that pass the registry's checks. */
export interface LoadedJpkiTrustStore extends JpkiTrustStore {
  readonly directory: string;
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/**
 * The embedded roots plus the installed ones.
 *
 * @example
 * ```ts
 * const { anchors, missing } = await loadJpkiTrustStore({ env: process.env });
 * ```
 */
export async function loadJpkiTrustStore(options: TrustConfigOptions = {}): Promise<LoadedJpkiTrustStore> {
  const files = await readInstalledJpkiRoots(options);
  const store = await createJpkiTrustStore(
    files.added,
    options.verifier === undefined ? {} : { verifier: options.verifier },
  );
  return {
    ...store,
    directory: files.directory,
    skipped: [
      ...files.skipped,
      ...store.rejected.map((entry) => ({ file: entry.label, reason: `${entry.code}: ${entry.reason}` })),
    ],
  };
}

/** One J-LIS root generation as `kakunin trust list` and the 診断 panel show it. */
export interface JpkiRootRow
  extends Pick<
    JpkiRootGeneration,
    'id' | 'purpose' | 'generation' | 'serial' | 'notBefore' | 'notAfter' | 'file'
  > {
  /** `built-in`, `added` (on this machine) or `missing`. */
  readonly status: string;
  readonly sha256: string | null;
  /** Missing but certificates it issued may still be valid: worth adding. */
  readonly certificatesMayBeValid: boolean;
}

/** Every root generation of the registry, with where this machine's root for it comes from. */
export function jpkiRootRows(store: LoadedJpkiTrustStore, now: Date): JpkiRootRow[] {
  return JPKI_ROOT_GENERATIONS.map((generation) => {
    const root = store.roots.find((entry) => entry.generation.id === generation.id);
    return {
      id: generation.id,
      purpose: generation.purpose,
      generation: generation.generation,
      serial: generation.serial,
      notBefore: generation.notBefore,
      notAfter: generation.notAfter,
      status: root === undefined ? 'missing' : root.source,
      sha256: root?.sha256 ?? generation.sha256 ?? null,
      certificatesMayBeValid: generationMayStillBeValid(generation, now),
      file: generation.file,
    };
  });
}

export type AddJpkiRootResult =
  | (JpkiRootCandidateResult & { readonly ok: false })
  | {
      readonly ok: true;
      readonly id: string;
      readonly generation: number;
      readonly purpose: string;
      readonly sha256: string;
      readonly file: string;
      /** The generation was already installed (compiled in or added before). */
      readonly alreadyInstalled: boolean;
    };

/**
 * Checks `bytes` (DER or PEM) with the registry and, when accepted, stores it.
 *
 * @example
 * ```ts
 * const result = await addJpkiRoot(bytes, { fingerprint: 'AB:CD:…' });
 * if (!result.ok) console.log(result.code, result.sha256);
 * ```
 */
export async function addJpkiRoot(
  bytes: Uint8Array,
  options: TrustConfigOptions & { readonly fingerprint?: string | undefined },
): Promise<AddJpkiRootResult> {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('addJpkiRoot: bytes must be a Uint8Array');
  if (options.fingerprint !== undefined && normalizeFingerprint(options.fingerprint) === undefined)
    return {
      ok: false,
      code: 'FINGERPRINT_MISMATCH',
      reason: `not a SHA-256 fingerprint (64 hex digits): ${options.fingerprint}`,
      sha256: undefined,
    };
  const result = await checkJpkiRootCandidate(bytes, {
    ...(options.fingerprint === undefined ? {} : { fingerprint: options.fingerprint }),
    ...(options.verifier === undefined ? {} : { verifier: options.verifier }),
  });
  if (!result.ok) return result;
  const store = await loadJpkiTrustStore(options);
  const alreadyInstalled = store.roots.some((root) => root.sha256 === result.sha256);
  const directory = jpkiRootsDirectory(options);
  const file = join(directory, `${result.generation.id}.json`);
  if (!alreadyInstalled) {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const record: StoredRoot = {
      id: result.generation.id,
      fingerprint: result.sha256,
      addedAt: new Date().toISOString(),
      pem: encodePem('CERTIFICATE', result.certificate.der),
    };
    const temporary = `${file}.${process.pid}.tmp`;
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(record, null, 2)}\n`);
    } finally {
      await handle.close();
    }
    try {
      await rename(temporary, file);
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
  }
  return {
    ok: true,
    id: result.generation.id,
    generation: result.generation.generation,
    purpose: result.generation.purpose,
    sha256: result.sha256,
    file,
    alreadyInstalled,
  };
}
