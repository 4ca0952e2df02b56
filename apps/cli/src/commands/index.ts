/**
 * The command registry. Each command lives in its own file; add one line here per command.
 */
import type { CommandModule } from '../context.js';

export const COMMANDS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  cert: async () => (await import('./cert.js')).default,
  pin: async () => (await import('./pin.js')).default,
  sign: async () => (await import('./sign.js')).default,
  info: async () => (await import('./info.js')).default,
  face: async () => (await import('./face.js')).default,
  check: async () => (await import('./check.js')).default,
  readers: async () => (await import('./readers.js')).default,
  bridge: async () => (await import('./bridge.js')).default,
  doctor: async () => (await import('./doctor.js')).default,
  limbo: async () => (await import('./limbo.js')).default,
  'verify-cert': async () => (await import('./verify-cert.js')).default,
  sim: async () => (await import('./sim.js')).default,
  trust: async () => (await import('./trust.js')).default,
};
