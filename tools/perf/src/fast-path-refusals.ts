/**
 * A card that refuses every fast path: short-EF-identifier (SFI) addressing answers
 * `6A 86` and any extended-length APDU answers `67 00`, through the simulator's fault injection at
 * the card, so the refusals travel over every presence path (in process, vpcd → pcscd).
 *
 * @example
 * ```ts
 * const card = refuseEveryFastPath(createVirtualCard('plastic', { keyStore }));
 * await MyNumberCard.open(await new SimulatorProvider({ card }).connect(readerId)).check({ pin, challenge });
 * ```
 */
import { isExtendedCommand, type VirtualCardEndpoint } from '@kakunin/simulator';
import { type FaultRule, type FaultyCardEndpoint, injectCardFaults } from '@kakunin/simulator/faults';

/** INS READ BINARY (ISO/IEC 7816-4 §11.2.3). */
const INS_READ_BINARY = 0xb0;
/** INS VERIFY (ISO/IEC 7816-4 §11.5.6). */
const INS_VERIFY = 0x20;
/** INS CHANGE REFERENCE DATA (ISO/IEC 7816-4 §11.5.7). */
const INS_CHANGE_REFERENCE_DATA = 0x24;
/** INS COMPUTE DIGITAL SIGNATURE, JPKI proprietary class 80 (jpki-card.md §9). */
const INS_COMPUTE_DIGITAL_SIGNATURE = 0x2a;
/** READ BINARY P1 bit 8 set: bits 5–1 carry an SFI (ISO/IEC 7816-4 §11.2.3). */
const READ_BINARY_SFI_FLAG = 0x80;
/** P2 = 80: the current EF / key; 81–9E: the EF with SFI P2 & 1F (jpki-card.md §8, §10). */
const P2_CURRENT = 0x80;
const P2_SFI_MASK = 0xe0;
/** 6A 86: incorrect parameters P1-P2 (ISO/IEC 7816-4 §5.6). */
export const SW_INCORRECT_P1_P2 = 0x6a86;
/** 67 00: wrong length (ISO/IEC 7816-4 §5.6). */
export const SW_WRONG_LENGTH = 0x6700;

/**
 * True for a command that addresses an EF by SFI: READ BINARY with P1 bit 8, or VERIFY / CHANGE
 * REFERENCE DATA / COMPUTE DIGITAL SIGNATURE with P2 = 80|SFI (SFI ≠ 0).
 *
 * @example
 * ```ts
 * usesShortFileIdentifier(Uint8Array.of(0x00, 0x20, 0x00, 0x98)); // true
 * usesShortFileIdentifier(Uint8Array.of(0x00, 0x20, 0x00, 0x80)); // false
 * ```
 */
export function usesShortFileIdentifier(command: Uint8Array): boolean {
  const ins = command[1];
  if (ins === INS_READ_BINARY) return ((command[2] ?? 0) & READ_BINARY_SFI_FLAG) !== 0;
  if (ins === INS_VERIFY || ins === INS_CHANGE_REFERENCE_DATA || ins === INS_COMPUTE_DIGITAL_SIGNATURE) {
    const p2 = command[3] ?? 0;
    return (p2 & P2_SFI_MASK) === P2_CURRENT && p2 !== P2_CURRENT;
  }
  return false;
}

/**
 * The fault plan: SFI forms → 6A 86, extended length → 67 00 (the card never sees either).
 *
 * @example
 * ```ts
 * injectCardFaults(card, FAST_PATH_REFUSALS);
 * ```
 */
export const FAST_PATH_REFUSALS: readonly FaultRule[] = [
  {
    type: 'status',
    match: { predicate: (command) => isExtendedCommand(command) },
    sw: SW_WRONG_LENGTH,
  },
  {
    type: 'status',
    match: { predicate: (command) => usesShortFileIdentifier(command) },
    sw: SW_INCORRECT_P1_P2,
  },
];

/**
 * Wraps a card so that it refuses every fast path.
 *
 * @example
 * ```ts
 * const card = refuseEveryFastPath(createVirtualCard('plastic', { keyStore }));
 * ```
 */
export function refuseEveryFastPath(card: VirtualCardEndpoint): FaultyCardEndpoint {
  return injectCardFaults(card, FAST_PATH_REFUSALS);
}
