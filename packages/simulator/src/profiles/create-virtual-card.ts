/**
 * One-call construction of a powered-off virtual card from a profile name.
 *
 * @example
 * ```ts
 * const card = createVirtualCard('plastic', { keyStore: new TestKeyStore({ directory: defaultKeyCacheDirectory() }) });
 * ```
 */
import { type VirtualCardOptions, VirtualMyNumberCard } from '../card/virtual-my-number-card.js';
import { type CardProfileOptions, createCardProfile, type ProfileName } from './card-profile.js';

/**
 * Profile options plus card options.
 *
 * @example
 * ```ts
 * createVirtualCard('damaged', { keyStore, damage: 'garble', random });
 * ```
 */
export type CreateVirtualCardOptions = CardProfileOptions & VirtualCardOptions;

/**
 * A new card built from profile `name`.
 *
 * @example
 * ```ts
 * const card = createVirtualCard('plastic', { keyStore }); card.powerOn();
 * ```
 */
export function createVirtualCard(
  name: ProfileName = 'plastic',
  options: CreateVirtualCardOptions = {},
): VirtualMyNumberCard {
  const { random, ...profileOptions } = options;
  return new VirtualMyNumberCard(
    createCardProfile(name, profileOptions).image,
    random === undefined ? {} : { random },
  );
}
