/**
 * The link modes the PIN-mode check is held to, with their APDU targets:
 *
 * | mode | link | card | target |
 * |---|---|---|---|
 * | `extended` | extended-capable | accepts extended Le and SFI | ≤ 5 APDUs, no probe wasted |
 * | `short-link` | short APDUs only | (same card) | ≤ 11 APDUs, no probe wasted |
 * | `short-card` | extended-capable | answers 67 00 to extended APDUs | ≤ 11 + 1 APDUs, ≤ 1 wasted |
 * | `refuses-fast-paths` | extended-capable | 6A 86 to SFI forms, 67 00 to extended | ≤ 2 wasted probes |
 *
 * @example
 * ```ts
 * for (const mode of LINK_MODES) console.log(mode.name, mode.maxApdus);
 * ```
 */
export type LinkModeName = 'extended' | 'short-link' | 'short-card' | 'refuses-fast-paths';

export interface LinkMode {
  readonly name: LinkModeName;
  readonly description: string;
  /** The transport carries extended-length APDUs. */
  readonly linkExtended: boolean;
  /** The card accepts extended-length APDUs (simulator `extendedLength`). */
  readonly cardExtended: boolean;
  /** The card refuses SFI addressing and extended length (fault injection). */
  readonly refusesFastPaths: boolean;
  /** Most APDUs a PIN-mode check may take (undefined: only the probe bound applies). */
  readonly maxApdus: number | undefined;
  /** Most refused probes a PIN-mode check may cost. */
  readonly maxWastedProbes: number;
}

/** Target on an extended-capable link (minimal APDU path). */
export const TARGET_EXTENDED_APDUS = 5;
/** Target on a short-only link. */
export const TARGET_SHORT_APDUS = 11;
/** Most wasted probes on a card that refuses every fast path. */
export const TARGET_WASTED_PROBES = 2;

/**
 * Every mode, in table order.
 *
 * @example
 * ```ts
 * LINK_MODES.find((mode) => mode.name === 'short-link')?.maxApdus; // 11
 * ```
 */
export const LINK_MODES: readonly LinkMode[] = [
  {
    name: 'extended',
    description: 'extended-capable link and card',
    linkExtended: true,
    cardExtended: true,
    refusesFastPaths: false,
    maxApdus: TARGET_EXTENDED_APDUS,
    maxWastedProbes: 0,
  },
  {
    name: 'short-link',
    description: 'short-only link (258-byte responses)',
    linkExtended: false,
    cardExtended: true,
    refusesFastPaths: false,
    maxApdus: TARGET_SHORT_APDUS,
    maxWastedProbes: 0,
  },
  {
    name: 'short-card',
    description: 'extended-capable link, card answers 67 00 to extended APDUs',
    linkExtended: true,
    cardExtended: false,
    refusesFastPaths: false,
    maxApdus: TARGET_SHORT_APDUS + 1,
    maxWastedProbes: 1,
  },
  {
    name: 'refuses-fast-paths',
    description: 'card refuses SFI (6A 86) and extended length (67 00)',
    linkExtended: true,
    cardExtended: true,
    refusesFastPaths: true,
    maxApdus: undefined,
    maxWastedProbes: TARGET_WASTED_PROBES,
  },
];

/**
 * Looks a mode up by name.
 *
 * @example
 * ```ts
 * linkMode('extended').maxApdus; // 5
 * ```
 */
export function linkMode(name: LinkModeName): LinkMode {
  const mode = LINK_MODES.find((candidate) => candidate.name === name);
  if (mode === undefined) throw new RangeError(`unknown link mode ${String(name)}`);
  return mode;
}
