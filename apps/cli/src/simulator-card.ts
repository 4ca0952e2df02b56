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
  const quirks = simulatorQuirks(simulator.parseCardQuirks);
  return {
    profile: name,
    create: () =>
      simulator.createVirtualCard(name, {
        keyStore: new simulator.TestKeyStore({ directory: simulator.defaultKeyCacheDirectory() }),
        ...quirks,
      }),
  };
}

/**
 * Field behaviours for the simulator's card from `KAKUNIN_SIM_QUIRKS` (JSON of the simulator's
 * CardQuirks, e.g. `{"getResponse":{}}` for a T=0-style card); none when unset.
 */
function simulatorQuirks<Q>(parse: (value: unknown) => Q): { quirks?: Q } {
  const text = process.env.KAKUNIN_SIM_QUIRKS;
  if (text === undefined || text === '') return {};
  try {
    return { quirks: parse(JSON.parse(text)) };
  } catch (error) {
    throw new UsageError(`KAKUNIN_SIM_QUIRKS: ${error instanceof Error ? error.message : String(error)}`);
  }
}
