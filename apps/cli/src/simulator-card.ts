/**
 * The CLI's one way to the simulator's virtual card: `--profile` (default `plastic`) → the
 * user's test key store → a virtual My Number card. The simulator is loaded on demand.
 */
import type { ProfileName, VirtualMyNumberCard } from '@kakunin/simulator';
import { type OptionValue, UsageError } from './context.js';

export interface SimulatorCardChoice {
  readonly profile: ProfileName;
  /** Builds the card (generates or loads the profile's test keys). */
  create(): VirtualMyNumberCard;
}

/** Validates `--profile` now; builds the card when `create()` is called. */
export async function simulatorCard(
  values: Readonly<Record<string, OptionValue>>,
): Promise<SimulatorCardChoice> {
  const simulator = await import('@kakunin/simulator');
  const profile = (values.profile ?? 'plastic') as string;
  if (!(simulator.PROFILE_NAMES as readonly string[]).includes(profile))
    throw new UsageError(`unknown --profile ${profile}; use ${simulator.PROFILE_NAMES.join('|')}`);
  const name = profile as ProfileName;
  return {
    profile: name,
    create: () =>
      simulator.createVirtualCard(name, {
        keyStore: new simulator.TestKeyStore({ directory: simulator.defaultKeyCacheDirectory() }),
      }),
  };
}
