/**
 * Loads the `smartcard` N-API binding on first use (never at import time: loading a native addon
 * is a side effect, and a missing libpcsclite must only matter when PC/SC is actually used).
 *
 * Order (docs/decisions/0018-windows-pcsc-binding.md): first the prebuilt N-API binary shipped in
 * this package (`prebuilds/<platform>-<arch>/smartcard.node`, so no compiler is needed), then
 * `require('smartcard')` (a compiled install of the optional dependency). If neither loads:
 * SERVICE_UNAVAILABLE naming both.
 *
 * Why `smartcard` and not `pcsclite`: see the package README ("Binding choice").
 *
 * @example
 * ```ts
 * const binding = loadNativeBinding(); // throws SERVICE_UNAVAILABLE if it cannot load
 * ```
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CardError } from '@kakunin/core/transport';
import type { NativeBinding, NativeConstants, NativeContext } from './native-binding.js';

/** The module shape of `smartcard` (or its raw addon) we rely on. */
interface SmartcardModule extends NativeConstants {
  readonly Context: new () => NativeContext;
  /** Only on the `smartcard` JS entry; the raw addon has none (see {@link controlCodeFor}). */
  readonly SCARD_CTL_CODE?: (code: number) => number;
}

/** This package's name: the folder whose package.json has it holds `prebuilds/`. */
const PACKAGE_NAME = '@kakunin/transport-pcsc';
/** How far up from this module (src/binding/ or dist/) the package root can be. */
const MAX_PARENT_LEVELS = 4;
/** File name of the addon inside `prebuilds/<platform>-<arch>/`. */
export const PREBUILT_FILE = 'smartcard.node';

/**
 * SCARD_CTL_CODE: pcsc-lite reader.h defines it as `0x42000000 + code`; Windows winsmcrd.h as
 * `CTL_CODE(FILE_DEVICE_SMARTCARD = 0x31, code, METHOD_BUFFERED = 0, FILE_ANY_ACCESS = 0)`,
 * i.e. `(0x31 << 16) | (code << 2)`.
 */
export function controlCodeFor(platform: string, code: number): number {
  return platform === 'win32' ? ((0x31 << 16) | (code << 2)) >>> 0 : 0x42000000 + code;
}

/** Where the prebuilt binary for this platform would be (the package root found from this module). */
export function prebuiltBindingPath(
  platform: string = process.platform,
  arch: string = process.arch,
  from: string = dirname(fileURLToPath(import.meta.url)),
): string | undefined {
  let directory = from;
  for (let level = 0; level <= MAX_PARENT_LEVELS; level++) {
    const manifest = join(directory, 'package.json');
    if (existsSync(manifest)) {
      try {
        const name = (createRequire(import.meta.url)(manifest) as { name?: unknown }).name;
        if (name === PACKAGE_NAME) return join(directory, 'prebuilds', `${platform}-${arch}`, PREBUILT_FILE);
      } catch {
        // An unreadable package.json is not ours; keep looking up.
      }
    }
    const parent = dirname(directory);
    if (parent === directory) break;
    directory = parent;
  }
  return undefined;
}

interface LoadAttempt {
  readonly what: string;
  readonly error: unknown;
}

/** Requires the prebuilt addon, then `smartcard`; returns the first module that loads. */
function requireBinding(): SmartcardModule {
  const require = createRequire(import.meta.url);
  const attempts: LoadAttempt[] = [];
  const prebuilt = prebuiltBindingPath();
  if (prebuilt !== undefined && existsSync(prebuilt)) {
    try {
      return require(prebuilt) as SmartcardModule;
    } catch (error) {
      attempts.push({ what: prebuilt, error });
    }
  } else {
    attempts.push({
      what: prebuilt ?? `prebuilds/${process.platform}-${process.arch}/${PREBUILT_FILE}`,
      error: new Error('no prebuilt binary for this platform in the package'),
    });
  }
  try {
    return require('smartcard') as SmartcardModule;
  } catch (error) {
    attempts.push({ what: "require('smartcard')", error });
  }
  throw new CardError(
    'SERVICE_UNAVAILABLE',
    `PC/SC binding could not be loaded: ${attempts
      .map((attempt) => `${attempt.what}: ${(attempt.error as Error).message?.split('\n')[0]}`)
      .join('; ')}. Install a build of the optional dependency \`smartcard\` (needs a C++ toolchain: ` +
      'see docs/windows.md) or use a @kakunin/transport-pcsc release with a prebuilt binary for ' +
      `${process.platform}-${process.arch}`,
    {
      cause: attempts.at(-1)?.error,
      remedy: 'pcsc.service',
      details: {
        reason: 'binding-unavailable',
        platform: `${process.platform}-${process.arch}`,
        prebuilt: attempts[0]?.what ?? '',
      },
    },
  );
}

const CONSTANT_NAMES: readonly (keyof NativeConstants)[] = [
  'SCARD_SHARE_EXCLUSIVE',
  'SCARD_SHARE_SHARED',
  'SCARD_PROTOCOL_T0',
  'SCARD_PROTOCOL_T1',
  'SCARD_PROTOCOL_RAW',
  'SCARD_LEAVE_CARD',
  'SCARD_RESET_CARD',
  'SCARD_UNPOWER_CARD',
  'SCARD_STATE_CHANGED',
  'SCARD_STATE_UNAVAILABLE',
  'SCARD_STATE_EMPTY',
  'SCARD_STATE_PRESENT',
  'SCARD_STATE_MUTE',
];

/**
 * Requires the binding and checks its shape. Each call returns a fresh adapter object (Node caches
 * the module itself), so there is no module-level state here.
 */
export function loadNativeBinding(): NativeBinding {
  const module = requireBinding();
  if (typeof module.Context !== 'function') {
    throw new CardError('SERVICE_UNAVAILABLE', 'PC/SC binding has no Context class', {
      remedy: 'pcsc.service',
      details: { reason: 'binding-unavailable' },
    });
  }
  const constants = {} as Record<keyof NativeConstants, number>;
  for (const name of CONSTANT_NAMES) {
    const value = module[name];
    if (typeof value !== 'number') {
      throw new CardError('SERVICE_UNAVAILABLE', `PC/SC binding lacks ${name}`, {
        remedy: 'pcsc.service',
        details: { reason: 'binding-unavailable' },
      });
    }
    constants[name] = value;
  }
  const Context = module.Context;
  return {
    constants,
    createContext: () => new Context(),
    controlCode: (code) =>
      typeof module.SCARD_CTL_CODE === 'function'
        ? module.SCARD_CTL_CODE(code)
        : controlCodeFor(process.platform, code),
  };
}
