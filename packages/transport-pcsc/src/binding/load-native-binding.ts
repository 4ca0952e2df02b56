/**
 * Loads the `smartcard` N-API binding on first use (never at import time: loading a native addon
 * is a side effect, and a missing libpcsclite must only matter when PC/SC is actually used).
 *
 * Why `smartcard` and not `pcsclite`: see the package README ("Binding choice").
 *
 * @example
 * ```ts
 * const binding = loadNativeBinding(); // throws SERVICE_UNAVAILABLE if it cannot load
 * ```
 */
import { createRequire } from 'node:module';
import { CardError } from '@kakunin/core/transport';
import type { NativeBinding, NativeConstants, NativeContext } from './native-binding.js';

/** The module shape of `smartcard` we rely on. */
interface SmartcardModule extends NativeConstants {
  readonly Context: new () => NativeContext;
  readonly SCARD_CTL_CODE: (code: number) => number;
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
  let module: SmartcardModule;
  try {
    module = createRequire(import.meta.url)('smartcard') as SmartcardModule;
  } catch (error) {
    throw new CardError(
      'SERVICE_UNAVAILABLE',
      `PC/SC binding could not be loaded: ${(error as Error).message}`,
      { cause: error, remedy: 'pcsc.service', details: { reason: 'binding-unavailable' } },
    );
  }
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
    controlCode: (code) => module.SCARD_CTL_CODE(code),
  };
}
