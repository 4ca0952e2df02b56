/**
 * The command registry. Each command lives in its own file; add one line here per command.
 */
import type { CommandModule } from '../context.js';

export const COMMANDS: Readonly<Record<string, () => Promise<CommandModule>>> = {
  readers: async () => (await import('./readers.js')).default,
};
